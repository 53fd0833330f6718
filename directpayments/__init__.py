"""Direct payments: agreements, payment runs, monitoring (issue: direct payments). Not built yet."""
