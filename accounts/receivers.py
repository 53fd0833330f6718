"""Sign-in signals from Django, django-axes and django-allauth, turned into session facts (when the
session began, when a second factor was given) and sign-in events for the organisation's admins."""

from allauth.account.signals import user_logged_in as allauth_user_logged_in
from allauth.mfa import signals as mfa_signals
from allauth.mfa.models import Authenticator
from axes.helpers import get_client_ip_address
from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from . import sessions
from .models import SignInEvent
from .oidc import claims_say_two_factor
from .selectors import identity_provider_for_social_app, users_by_identifier
from .services import sign_in_event_record


def _client(request) -> dict:
    if request is None:
        return {}
    return {
        "ip_address": get_client_ip_address(request),
        "user_agent": request.META.get("HTTP_USER_AGENT", ""),
    }


@receiver(user_logged_in, dispatch_uid="accounts-session-start")
def session_start(sender, request, user, **kwargs):
    """Every sign-in (password, single sign-on, or a test's force_login) starts the session clocks."""
    if request is not None and hasattr(request, "session"):
        sessions.sign_in_start(request.session)


@receiver(allauth_user_logged_in, dispatch_uid="accounts-signed-in")
def signed_in(sender, request, user, sociallogin=None, **kwargs):
    if sociallogin is None:
        sign_in_event_record(
            kind=SignInEvent.Kind.SIGNED_IN, user=user, method=SignInEvent.Method.PASSWORD, **_client(request)
        )
        return
    provider = identity_provider_for_social_app(provider_id=sociallogin.account.provider)
    data = sociallogin.account.extra_data or {}
    claims = {**(data.get("userinfo") or {}), **(data.get("id_token") or {})}
    acr_values = set(provider.mfa_acr_values.split()) if provider else set()
    two_factor = claims_say_two_factor(claims=claims, acr_values=acr_values)
    if two_factor:
        sessions.second_factor_record(request.session)
    sign_in_event_record(
        kind=SignInEvent.Kind.SIGNED_IN,
        user=user,
        method=SignInEvent.Method.SSO,
        detail="Two-factor at the organisation's provider" if two_factor else "Password only at the provider",
        **_client(request),
    )


@receiver(user_login_failed, dispatch_uid="accounts-sign-in-failed")
def sign_in_failed(sender, credentials, request=None, **kwargs):
    if request is not None and getattr(request, "axes_locked_out", False):
        return  # recorded as a lockout below
    identifier = credentials.get("username") or credentials.get("email") or ""
    user = users_by_identifier(identifier=identifier).first() if identifier else None
    sign_in_event_record(
        kind=SignInEvent.Kind.FAILED,
        user=user,
        identifier=identifier,
        method=SignInEvent.Method.PASSWORD,
        **_client(request),
    )


@receiver(user_locked_out, dispatch_uid="accounts-locked-out")
def locked_out(sender, request, username, ip_address, **kwargs):
    user = users_by_identifier(identifier=username).first() if username else None
    sign_in_event_record(
        kind=SignInEvent.Kind.LOCKED_OUT,
        user=user,
        identifier=username or "",
        method=SignInEvent.Method.PASSWORD,
        ip_address=ip_address,
        user_agent=request.META.get("HTTP_USER_AGENT", "") if request is not None else "",
    )


@receiver(mfa_signals.authenticator_used, dispatch_uid="accounts-second-factor")
def second_factor_given(sender, request, user, authenticator, reauthenticated=False, **kwargs):
    sessions.second_factor_record(request.session)
    sign_in_event_record(
        kind=SignInEvent.Kind.SECOND_FACTOR,
        user=user,
        method=authenticator.type,
        detail="To confirm an action" if reauthenticated else "",
        **_client(request),
    )


@receiver(mfa_signals.authentication_failed, dispatch_uid="accounts-second-factor-failed")
def second_factor_failed(sender, request, user, authenticator=None, **kwargs):
    sign_in_event_record(
        kind=SignInEvent.Kind.SECOND_FACTOR_FAILED,
        user=user,
        method=authenticator.type if authenticator is not None else "",
        **_client(request),
    )


@receiver(mfa_signals.authenticator_added, dispatch_uid="accounts-two-factor-added")
def two_factor_added(sender, request, user, authenticator, **kwargs):
    if authenticator.type in (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN):
        # Setting it up means proving the code or key works: that is a second factor, now.
        sessions.second_factor_record(request.session)
    sign_in_event_record(kind=SignInEvent.Kind.TWO_FACTOR_SET_UP, user=user, method=authenticator.type)


@receiver(mfa_signals.authenticator_removed, dispatch_uid="accounts-two-factor-removed")
def two_factor_removed(sender, request, user, authenticator, **kwargs):
    sign_in_event_record(kind=SignInEvent.Kind.TWO_FACTOR_REMOVED, user=user, method=authenticator.type)


@receiver(user_logged_out, dispatch_uid="accounts-signed-out")
def signed_out(sender, request, user, **kwargs):
    if user is None:
        return
    reason = getattr(request, "accounts_signed_out_because", "")
    kind = SignInEvent.Kind.SESSION_EXPIRED if reason else SignInEvent.Kind.SIGNED_OUT
    sign_in_event_record(kind=kind, user=user, detail=reason, **_client(request))
