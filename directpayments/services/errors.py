"""What the direct payments services raise when a status change is not allowed; nothing was changed."""


class InvalidTransition(Exception):
    """A status change the payment run's lifecycle does not allow; nothing was changed."""


class FourEyesError(InvalidTransition):
    """The approver prepared or submitted the run, or does not hold the approver role."""
