from django.conf import settings

from partnerships.models import Role

from .access import membership_of, roles_of
from .notifications import unread_count


def jointcase(request):
    """What every page shows: the service name and phase, who you are, your organisation, unread count."""
    context = {"service_name": settings.SERVICE_NAME, "service_phase": settings.SERVICE_PHASE}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        membership = membership_of(user)
        context.update(
            current_membership=membership,
            current_organisation=membership.organisation if membership else None,
            current_roles=roles_of(user),
            current_role_labels=[label for value, label in Role.choices if value in roles_of(user)],
            unread_notification_count=unread_count(user=user),
        )
    return context
