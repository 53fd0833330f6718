"""Reads for sign-in: whose provider an e-mail belongs to, who must use two-factor, and each
organisation's people and sign-in events (scoped to the reader's own organisation)."""

from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, QuerySet

from core.access import organisation_of, roles_of
from partnerships.models import Organisation, Role, StaffMembership

from .models import EmailDomain, IdentityProvider, SignInEvent, SignInPolicy

# Roles whose holders always need a second factor: they move money or change who may do what.
TWO_FACTOR_ROLES = frozenset({Role.FINANCE_APPROVER, Role.FINANCE_OFFICER, Role.ADMIN})
# Roles told when someone new arrives by single sign-on, and who may then give them access.
ACCESS_MANAGER_ROLES = (Role.ADMIN, Role.TEAM_MANAGER)
# What each of those may give: a team manager lets casework staff in; only an administrator gives
# finance, partnership, secretariat or administrator roles.
ROLES_GIVEN_BY = {
    Role.ADMIN: tuple(Role),
    Role.TEAM_MANAGER: (Role.VISITING_OFFICER, Role.TEAM_MANAGER),
}
SECOND_FACTOR_TYPES = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)


def email_domain(email: str) -> str:
    return email.rpartition("@")[2].strip().lower() if "@" in email else ""


def domain_owner(*, domain: str) -> Organisation | None:
    """The organisation that claimed this e-mail domain, if any."""
    claim = EmailDomain.objects.select_related("organisation").filter(domain=domain.lower()).first()
    return claim.organisation if claim else None


def identity_provider_for_email(*, email: str) -> IdentityProvider | None:
    """The enabled provider of the organisation that claimed the e-mail's domain, or None (password)."""
    domain = email_domain(email)
    if not domain:
        return None
    return (
        IdentityProvider.objects.select_related("social_app", "organisation")
        .filter(is_enabled=True, organisation__is_active=True, organisation__email_domains__domain=domain)
        .first()
    )


def identity_provider_for_social_app(*, provider_id: str) -> IdentityProvider | None:
    return (
        IdentityProvider.objects.select_related("social_app", "organisation")
        .filter(social_app__provider_id=provider_id)
        .first()
    )


def identity_provider_of(*, organisation: Organisation) -> IdentityProvider | None:
    return IdentityProvider.objects.select_related("social_app").filter(organisation=organisation).first()


def sign_in_policy_of(*, organisation: Organisation) -> SignInPolicy | None:
    return SignInPolicy.objects.filter(organisation=organisation).first()


def has_second_factor_device(*, user) -> bool:
    """An authenticator app or a security key is set up (recovery codes alone are not one)."""
    return Authenticator.objects.filter(user=user, type__in=SECOND_FACTOR_TYPES).exists()


def sso_account_of(*, user) -> SocialAccount | None:
    return SocialAccount.objects.filter(user=user).order_by("-last_login").first()


def two_factor_required(*, user) -> bool:
    """Finance officers and approvers, administrators and superusers always; everyone in an organisation
    that asks for it."""
    if user.is_superuser or roles_of(user) & TWO_FACTOR_ROLES:
        return True
    organisation = organisation_of(user)
    if organisation is None:
        return False
    return SignInPolicy.objects.filter(organisation=organisation, two_factor_for_everyone=True).exists()


def can_manage_sign_in(*, user) -> bool:
    """An organisation's administrators connect its provider and read its sign-in events."""
    return organisation_of(user) is not None and Role.ADMIN in roles_of(user)


def can_manage_people(*, user) -> bool:
    return organisation_of(user) is not None and bool(roles_of(user) & set(ACCESS_MANAGER_ROLES))


def roles_giveable_by(*, user) -> list[Role]:
    held = roles_of(user)
    giveable = {role for manager_role, roles in ROLES_GIVEN_BY.items() if manager_role in held for role in roles}
    return [role for role in Role if role in giveable]


def access_managers_of(*, organisation: Organisation) -> QuerySet:
    """The active administrators and team managers of an organisation (told of new arrivals)."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            membership__organisation=organisation,
            membership__is_active=True,
            groups__name__in=[str(role) for role in ACCESS_MANAGER_ROLES],
        )
        .distinct()
        .order_by("pk")
    )


def people_list_for_user(*, user, status: str = "") -> QuerySet:
    """The staff of the reader's organisation, with what the people page shows, in 3 queries whatever
    the number. `status`: "awaiting" (arrived by single sign-on, no access given yet), "closed"
    (deactivated) or "" for everyone."""
    organisation = organisation_of(user)
    if organisation is None or not can_manage_people(user=user):
        return get_user_model().objects.none()
    people = (
        get_user_model()
        .objects.filter(membership__organisation=organisation)
        .select_related("membership__team")
        .prefetch_related("groups")
        .annotate(
            uses_sso=Exists(SocialAccount.objects.filter(user=OuterRef("pk"))),
            has_two_factor=Exists(Authenticator.objects.filter(user=OuterRef("pk"), type__in=SECOND_FACTOR_TYPES)),
        )
        .order_by("last_name", "first_name", "username")
    )
    if status == "awaiting":
        people = people.filter(is_active=True, membership__is_active=False)
    elif status == "closed":
        people = people.filter(is_active=False)
    return people


def person_for_user(*, user, pk: int):
    """One member of the reader's organisation (404 for anyone else's, by the caller's get_object_or_404)."""
    return people_list_for_user(user=user).filter(pk=pk)


def people_awaiting_access_home(*, user, today) -> dict | None:
    """Home page section: people who arrived by single sign-on and wait for a role."""
    count = people_list_for_user(user=user, status="awaiting").count()
    return {"awaiting_count": count} if count else None


def sign_in_event_list_for_user(*, user, kind: str = "") -> QuerySet[SignInEvent]:
    """The sign-in events of the reader's organisation; administrators only (others get none)."""
    if not can_manage_sign_in(user=user):
        return SignInEvent.objects.none()
    events = SignInEvent.objects.filter(organisation=organisation_of(user)).select_related("user")
    if kind:
        events = events.filter(kind=kind)
    return events


def staff_membership_of(*, user) -> StaffMembership | None:
    return StaffMembership.objects.filter(user=user).select_related("organisation").first()


def users_by_identifier(*, identifier: str) -> QuerySet:
    """The account a typed username or e-mail address names (for recording a failed sign-in)."""
    value = identifier.strip()
    return get_user_model().objects.filter(Q(username__iexact=value) | Q(email__iexact=value))
