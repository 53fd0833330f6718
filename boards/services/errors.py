"""The error a refused status change raises (a meeting, an action or an issue)."""


class InvalidTransition(Exception):
    """A status change the pipeline does not allow."""
