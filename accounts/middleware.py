"""Session limits and second-factor rules, applied to every signed-in request.

- A session ends after ACCOUNTS_SESSION_IDLE_MINUTES (30) without a request, and
  ACCOUNTS_SESSION_MAX_HOURS (12) after sign-in whatever happens.
- Someone who must use two-factor (finance, administrators, or everyone where the organisation says so)
  and has not given a second factor in this session can only reach the pages to set one up.
- The views named in ACCOUNTS_FRESH_SECOND_FACTOR_VIEWS (approving a payment run, removing a second
  factor) ask for a second factor again when the last was more than
  ACCOUNTS_FRESH_SECOND_FACTOR_MINUTES (15) ago. The apps that own those views know nothing of this:
  the rule is kept in settings, by URL name, so no app has to import this one.
"""

from urllib.parse import urlencode, urlsplit

from allauth.account.internal.flows.reauthentication import suspend_request
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from . import sessions
from .selectors import has_second_factor_device, identity_provider_for_social_app, sso_account_of, two_factor_required

EXPIRY_MESSAGES = {
    "idle": "You were signed out because you had not used JointCase for {minutes} minutes. Sign in again.",
    "maximum": "You were signed out because you had been signed in for {hours} hours. Sign in again.",
}


class SessionLimitsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            reason = sessions.session_expiry_reason(request.session)
            if reason:
                request.accounts_signed_out_because = (
                    "Idle for too long" if reason == "idle" else "Signed in for too long"
                )
                logout(request)
                messages.info(
                    request,
                    EXPIRY_MESSAGES[reason].format(
                        minutes=settings.ACCOUNTS_SESSION_IDLE_MINUTES, hours=settings.ACCOUNTS_SESSION_MAX_HOURS
                    ),
                )
                return redirect(f"{reverse('login')}?{urlencode({REDIRECT_FIELD_NAME: request.get_full_path()})}")
        return self.get_response(request)


def _matches(resolver_match, rules: dict) -> bool:
    rule = rules.get(resolver_match.view_name)
    if rule is None:
        return False
    return all(str(resolver_match.kwargs.get(name)) in values for name, values in rule.items())


def _is_sign_in_page(request, view_func) -> bool:
    """Pages someone must reach before their second factor: set-up, sign-in steps, sign-out."""
    match = request.resolver_match
    return match.namespace == "accounts" or view_func.__module__.startswith("allauth.")


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or request.resolver_match is None:
            return None
        session = request.session
        if (
            not sessions.has_second_factor(session)
            and not _is_sign_in_page(request, view_func)
            and two_factor_required(user=user)
        ):
            return redirect(f"{reverse('accounts:two-factor-required')}?{urlencode({'next': request.path})}")
        if _matches(
            request.resolver_match, settings.ACCOUNTS_FRESH_SECOND_FACTOR_VIEWS
        ) and not sessions.second_factor_is_fresh(session):
            return self._ask_again(request, user)
        return None

    def _ask_again(self, request, user):
        """An authenticator app or key: allauth's re-authentication, which then carries out the request it
        held (the approval goes through). Single sign-on with two-factor: back to the provider, then to the
        page the request came from. Neither: set one up first."""
        if has_second_factor_device(user=user):
            return suspend_request(request, reverse("mfa_reauthenticate"))
        referer = request.headers.get("referer", "")
        if url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()}):
            parts = urlsplit(referer)
            back = f"{parts.path}?{parts.query}" if parts.query else parts.path
        else:
            back = reverse("core:home")
        account = sso_account_of(user=user)
        provider = identity_provider_for_social_app(provider_id=account.provider) if account else None
        if provider is not None and provider.is_enabled:
            messages.info(request, "Confirm it is you at your organisation's sign-in service, then try again.")
            return redirect(f"{reverse('accounts:sso-confirm')}?{urlencode({'next': back})}")
        messages.info(request, "Set up two-factor authentication first: this needs a code as well as a password.")
        return redirect(f"{reverse('accounts:two-factor-required')}?{urlencode({'next': back})}")
