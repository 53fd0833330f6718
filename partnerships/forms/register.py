"""Forms: register."""
