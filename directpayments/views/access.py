"""Who may open the direct payments pages: a council's finance staff (roles checked here, 403); which
records they see is the selectors' scoping (another organisation's record is a 404)."""

from functools import wraps

from django.core.exceptions import PermissionDenied

from assessments.selectors import can_see_assessments
from core.access import organisation_of, role_required
from partnerships.models import Organisation, Role

FINANCE_ROLES = (Role.FINANCE_OFFICER, Role.FINANCE_APPROVER)


def finance_required(*roles: str):
    """403 unless the user holds one of `roles` in a council: direct payments are the council's
    (adult social care) business, so a finance role in a partner organisation sees nothing here."""

    def decorator(view):
        guarded = role_required(*roles)(view)

        @wraps(view)
        def wrapped(request, *args, **kwargs):
            organisation = organisation_of(request.user)
            if organisation is not None and organisation.kind != Organisation.Kind.COUNCIL:
                raise PermissionDenied("Direct payments are for council finance staff.")
            return guarded(request, *args, **kwargs)

        return wrapped

    return decorator


def may_open_assessment(user, assessment) -> bool:
    """Link to a financial assessment only for those who may see it (the council's casework staff)."""
    organisation = organisation_of(user)
    return (
        assessment is not None
        and organisation is not None
        and assessment.organisation_id == organisation.pk
        and can_see_assessments(user)
    )
