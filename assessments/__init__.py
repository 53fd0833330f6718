"""Fairer Charging financial assessments (issue: assessments). Not built yet."""
