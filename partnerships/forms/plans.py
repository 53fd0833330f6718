"""Forms: plans."""
