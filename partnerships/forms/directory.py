"""Forms: directory."""
