"""Who in the council is told about direct payments: its finance officers."""

from django.contrib.auth import get_user_model

from partnerships.models import Role


def finance_officer_list(*, organisation_id: int) -> list:
    """The organisation's active finance officers (told of overdue reviews and of contributions changed by
    a financial assessment)."""
    return list(
        get_user_model()
        .objects.filter(
            is_active=True,
            membership__organisation_id=organisation_id,
            membership__is_active=True,
            groups__name=Role.FINANCE_OFFICER,
        )
        .distinct()
    )
