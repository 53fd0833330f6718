"""Writes for sign-in: connecting an organisation's provider and its e-mail domains, letting people
in (and giving them roles), closing accounts, ending sessions and recording sign-in events."""

import logging
import re
from datetime import datetime, timedelta

from allauth.socialaccount.models import SocialApp, SocialToken
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from core.access import organisation_of
from core.notifications import notify
from partnerships.models import Organisation, Role, StaffMembership, Team

from . import oidc
from .models import EmailDomain, IdentityProvider, SignInEvent, SignInPolicy
from .selectors import (
    access_managers_of,
    can_manage_people,
    can_manage_sign_in,
    domain_owner,
    identity_provider_for_social_app,
    roles_giveable_by,
)

logger = logging.getLogger(__name__)

DOMAIN_PATTERN = re.compile(r"^(?=.{1,253}$)([a-z0-9](-?[a-z0-9])*)(\.[a-z0-9](-?[a-z0-9])*)+$")


def sign_in_event_record(
    *,
    kind: str,
    user=None,
    organisation: Organisation | None = None,
    identifier: str = "",
    method: str = "",
    detail: str = "",
    ip_address: str | None = None,
    user_agent: str = "",
) -> SignInEvent:
    """Record one sign-in event against the person's organisation, so its administrators see it."""
    if organisation is None and user is not None:
        membership = StaffMembership.objects.filter(user=user).select_related("organisation").first()
        organisation = membership.organisation if membership else None
    return SignInEvent.objects.create(
        kind=kind,
        user=user,
        organisation=organisation,
        identifier=(identifier or (user.get_username() if user is not None else ""))[:254],
        method=method,
        detail=detail[:300],
        ip_address=ip_address or None,
        user_agent=user_agent[:300],
    )


def _clean_domains(domains: list[str]) -> list[str]:
    cleaned = []
    for raw in domains:
        domain = raw.strip().lower().lstrip("@")
        if not domain:
            continue
        if not DOMAIN_PATTERN.match(domain):
            raise ValidationError({"domains": f"“{raw.strip()}” is not an e-mail domain, like northshire.gov.uk."})
        if domain not in cleaned:
            cleaned.append(domain)
    return cleaned


@transaction.atomic
def identity_provider_save(
    *,
    organisation: Organisation,
    issuer_url: str,
    client_id: str,
    client_secret: str,
    domains: list[str],
    is_enabled: bool,
    mfa_acr_values: str = "",
    by,
) -> IdentityProvider:
    """Connect (or change) an organisation's OpenID Connect provider and the e-mail domains it vouches
    for. Only that organisation's administrators may; a domain another organisation claimed is refused
    (and a database constraint refuses it even in a race). A blank secret keeps the one stored."""
    if organisation_of(by) != organisation or not can_manage_sign_in(user=by):
        raise PermissionDenied("Only your organisation's administrators can change its sign-in.")
    cleaned = _clean_domains(domains)
    if not cleaned:
        raise ValidationError({"domains": "Enter at least one e-mail domain the provider vouches for."})
    for domain in cleaned:
        owner = domain_owner(domain=domain)
        if owner is not None and owner != organisation:
            raise ValidationError({"domains": f"{domain} is already used for sign-in by {owner.name}."})
    provider = IdentityProvider.objects.select_for_update().filter(organisation=organisation).first()
    app = provider.social_app if provider else SocialApp(provider="openid_connect")
    if not (client_secret or app.secret):
        raise ValidationError({"client_secret": "Enter the client secret your provider gave you."})
    app.provider_id = f"org{organisation.pk}"
    app.name = organisation.display_name[:40]
    app.client_id = client_id.strip()
    if client_secret:
        app.secret = client_secret.strip()
    app.settings = {**app.settings, "server_url": issuer_url.strip().rstrip("/")}
    app.full_clean()
    app.save()
    if provider is None:
        provider = IdentityProvider(organisation=organisation, social_app=app)
    provider.is_enabled = is_enabled
    provider.mfa_acr_values = " ".join(mfa_acr_values.split())
    provider.updated_by = by
    provider.full_clean()
    provider.save()
    EmailDomain.objects.filter(organisation=organisation).exclude(domain__in=cleaned).delete()
    known = set(EmailDomain.objects.filter(organisation=organisation).values_list("domain", flat=True))
    try:
        with transaction.atomic():
            EmailDomain.objects.bulk_create(
                [EmailDomain(organisation=organisation, domain=d) for d in cleaned if d not in known]
            )
    except IntegrityError as exc:
        raise ValidationError({"domains": "One of these domains was just claimed by another organisation."}) from exc
    return provider


@transaction.atomic
def sign_in_policy_set(*, organisation: Organisation, two_factor_for_everyone: bool, by) -> SignInPolicy:
    """Ask everyone in the organisation for a second factor (or only the roles that always need one)."""
    if organisation_of(by) != organisation or not can_manage_sign_in(user=by):
        raise PermissionDenied("Only your organisation's administrators can change its sign-in.")
    policy, _ = SignInPolicy.objects.select_for_update().get_or_create(organisation=organisation)
    policy.two_factor_for_everyone = two_factor_for_everyone
    policy.updated_by = by
    policy.save()
    return policy


@transaction.atomic
def sso_user_provision(*, user, provider_id: str) -> StaffMembership:
    """A first sign-in through an organisation's provider: the person joins that organisation with no
    team and no role (so they see nothing) until one of its administrators or team managers gives
    them one; those managers are told."""
    provider = identity_provider_for_social_app(provider_id=provider_id)
    if provider is None:
        raise ValidationError("This sign-in service is not connected to an organisation.")
    organisation = provider.organisation
    # An inactive membership: the person belongs to the organisation but sees none of its records yet.
    membership, created = StaffMembership.objects.get_or_create(
        user=user, defaults={"organisation": organisation, "is_active": False}
    )
    if created:
        name = user.get_full_name() or user.email
        notify(
            recipients=access_managers_of(organisation=organisation),
            title=f"{name} signed in for the first time and needs a role",
            body=(
                f"{name} ({user.email}) signed in through {organisation.display_name}'s single sign-on. "
                "They cannot see anything until you give them a team and a role."
            ),
            url=reverse("accounts:person-access", args=[user.pk]),
        )
        sign_in_event_record(
            kind=SignInEvent.Kind.SSO_ACCOUNT_CREATED,
            user=user,
            organisation=organisation,
            identifier=user.email,
            method=SignInEvent.Method.SSO,
        )
    return membership


@transaction.atomic
def access_give(*, person, team: Team | None, roles: list[str], by) -> StaffMembership:
    """Give a member of your own organisation a team and roles. A team manager may give casework roles;
    only an administrator gives finance, partnership, secretariat or administrator roles."""
    organisation = organisation_of(by)
    membership = StaffMembership.objects.select_for_update().filter(user=person).first()
    if organisation is None or membership is None or membership.organisation != organisation:
        raise PermissionDenied("You can only give access to people in your own organisation.")
    if not can_manage_people(user=by):
        raise PermissionDenied("Only administrators and team managers can give access.")
    allowed = {str(role) for role in roles_giveable_by(user=by)}
    current = set(person.groups.values_list("name", flat=True))
    changed = current.symmetric_difference(roles)
    if changed - allowed:
        labels = ", ".join(Role(role).label.lower() for role in sorted(changed - allowed))
        raise PermissionDenied(f"Only an administrator can give or take away: {labels}.")
    if team is not None and team.organisation_id != organisation.pk:
        raise ValidationError({"team": "Choose one of your organisation's teams."})
    membership.team = team
    membership.is_active = bool(roles) or membership.is_active
    membership.full_clean()
    membership.save(update_fields=["team", "is_active", "updated_at"])
    person.groups.set([Group.objects.get_or_create(name=role)[0] for role in roles])
    if hasattr(person, "_jointcase_roles"):
        del person._jointcase_roles
    labels = ", ".join(Role(role).label.lower() for role in roles) or "none"
    sign_in_event_record(
        kind=SignInEvent.Kind.ACCESS_GIVEN,
        user=person,
        organisation=organisation,
        detail=f"Roles: {labels}; by {by.get_full_name() or by.username}",
    )
    if roles and not current:
        notify(
            recipients=[person],
            title="You can now use JointCase",
            body=f"{by.get_full_name() or by.username} gave you access: {labels}.",
            url=reverse("core:home"),
        )
    return membership


def sessions_end(*, user, keep_session_key: str | None = None) -> int:
    """End every signed-in session of the user (but the one kept); returns how many ended."""
    ended = 0
    for session in UserSession.objects.filter(user=user).exclude(session_key=keep_session_key or ""):
        session.end()
        ended += 1
    return ended


@transaction.atomic
def account_deactivate(*, user, reason: str, by=None) -> bool:
    """Close an account: it cannot sign in and every session it has ends at once. Returns False when it
    was already closed (so running twice changes nothing)."""
    if by is not None:
        membership = StaffMembership.objects.filter(user=user).first()
        if membership is None or organisation_of(by) != membership.organisation or not can_manage_sign_in(user=by):
            raise PermissionDenied("Only your organisation's administrators can close its accounts.")
    closed = get_user_model().objects.filter(pk=user.pk, is_active=True).update(is_active=False)
    if not closed:
        return False
    user.is_active = False
    transaction.on_commit(lambda: sessions_end(user=user))
    sign_in_event_record(kind=SignInEvent.Kind.DEACTIVATED, user=user, detail=reason)
    return True


@transaction.atomic
def account_reactivate(*, user, by) -> None:
    """Reopen a closed account of your own organisation (its sign-in clock starts again today)."""
    membership = StaffMembership.objects.filter(user=user).first()
    if membership is None or organisation_of(by) != membership.organisation or not can_manage_sign_in(user=by):
        raise PermissionDenied("Only your organisation's administrators can reopen its accounts.")
    get_user_model().objects.filter(pk=user.pk).update(is_active=True, last_login=timezone.now())
    user.is_active = True
    sign_in_event_record(kind=SignInEvent.Kind.REACTIVATED, user=user, detail=f"by {by.get_full_name() or by.username}")


def inactive_accounts_deactivate(*, now: datetime | None = None) -> int:
    """Close every account nobody has signed in to for ACCOUNTS_INACTIVE_DAYS (90) days (counted from
    when it was made, if never). Superusers are left for the operators. Returns how many closed."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.ACCOUNTS_INACTIVE_DAYS)
    stale = (
        get_user_model()
        .objects.filter(is_active=True, is_superuser=False)
        .filter(Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff))
        .order_by("pk")
    )
    closed = 0
    for user in stale.iterator():
        closed += account_deactivate(user=user, reason=f"Not signed in for {settings.ACCOUNTS_INACTIVE_DAYS} days")
    return closed


def sso_accounts_check() -> tuple[int, int]:
    """Ask each organisation's provider about each of its active people (by refreshing their tokens);
    close the accounts it refuses. Returns (checked, closed). A provider that cannot be reached closes
    nothing."""
    checked = closed = 0
    tokens = (
        SocialToken.objects.filter(account__user__is_active=True, app__identity_provider__isnull=False)
        .exclude(token_secret="")
        .select_related("account__user", "app__identity_provider")
        .order_by("app_id", "pk")
    )
    endpoints: dict[int, str | None] = {}
    for token in tokens.iterator():
        app = token.app
        if app.pk not in endpoints:
            try:
                endpoints[app.pk] = oidc.discovery(issuer_url=app.settings["server_url"])["token_endpoint"]
            except (oidc.requests.RequestException, KeyError, ValueError) as exc:
                logger.warning("provider %s unreachable: %s", app.provider_id, exc)
                endpoints[app.pk] = None
        endpoint = endpoints[app.pk]
        if endpoint is None:
            continue
        result, fresh = oidc.refresh_token_check(
            token_endpoint=endpoint, client_id=app.client_id, client_secret=app.secret, refresh_token=token.token_secret
        )
        checked += 1
        if result.refused:
            closed += account_deactivate(
                user=token.account.user, reason="Your organisation's sign-in service no longer accepts this account"
            )
        elif result.accepted and fresh:
            token.token = fresh.get("access_token", token.token)
            token.token_secret = fresh.get("refresh_token", token.token_secret)
            if fresh.get("expires_in"):
                token.expires_at = timezone.now() + timedelta(seconds=int(fresh["expires_in"]))
            token.save(update_fields=["token", "token_secret", "expires_at"])
    return checked, closed


def accounts_review() -> dict:
    """The nightly review: close accounts the provider refuses, then those unused for 90 days."""
    checked, refused = sso_accounts_check()
    inactive = inactive_accounts_deactivate()
    return {"checked": checked, "refused": refused, "inactive": inactive}
