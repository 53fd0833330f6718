"""Partnerships register views, one module per area: register (partnerships and agreements),
directory (contacts and accreditations), plans (gap analysis, action plans, reviews). The URL table is
in `partnerships/urls.py`."""
