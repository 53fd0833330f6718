"""Who may see and do what: a user's organisation and roles.

Each user belongs to exactly one organisation through their staff membership
(`partnerships.StaffMembership`); roles are Django groups named after `partnerships.Role`.
Selectors scope querysets with `organisation_of(user)`, so another organisation's record is a 404
by construction; views guard actions with `role_required`.
"""

from functools import wraps

from django.core.exceptions import PermissionDenied


def membership_of(user):
    """The user's staff membership, or None (anonymous users and admins with no organisation)."""
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.membership
    except AttributeError:  # RelatedObjectDoesNotExist is an AttributeError: no membership
        return None


def organisation_of(user):
    """The organisation whose records the user may see, or None (then they see none)."""
    membership = membership_of(user)
    return membership.organisation if membership and membership.is_active else None


def roles_of(user) -> frozenset[str]:
    """The user's role names, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_jointcase_roles", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._jointcase_roles = cached
    return cached


def has_role(user, *roles: str) -> bool:
    """True if the user holds any of `roles` (the `admin` role counts as every role)."""
    held = roles_of(user)
    return bool(held & (set(roles) | {"admin"}))


def role_required(*roles: str):
    """View decorator: 403 unless the signed-in user belongs to an organisation and holds a role."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if organisation_of(request.user) is None or not has_role(request.user, *roles):
                raise PermissionDenied("Your role does not allow this.")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def organisation_required(view):
    """View decorator: 403 for a signed-in user with no (active) organisation."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if organisation_of(request.user) is None:
            raise PermissionDenied("Your account is not linked to an organisation. Ask an administrator.")
        return view(request, *args, **kwargs)

    return wrapped
