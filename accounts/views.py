"""Sign-in pages: the e-mail first step, single sign-on confirmation, the person's own account page
(two-factor, sessions, sign out everywhere) and an organisation's sign-in administration."""

from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from core.access import organisation_of
from core.forms import apply_service_errors

from . import services, sessions
from .forms import IDENTIFIER_SESSION_KEY, AccessForm, IdentityProviderForm, SignInPolicyForm, SignInStartForm
from .models import SignInEvent
from .selectors import (
    can_manage_people,
    can_manage_sign_in,
    has_second_factor_device,
    identity_provider_for_email,
    identity_provider_for_social_app,
    identity_provider_of,
    people_list_for_user,
    person_for_user,
    roles_giveable_by,
    sign_in_event_list_for_user,
    sign_in_policy_of,
    sso_account_of,
    two_factor_required,
)


def _next_url(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()}):
        return candidate
    return ""


def _provider_redirect(request, provider, *, next_url: str, auth_params: dict):
    oauth_provider = provider.social_app.get_provider(request)
    return oauth_provider.redirect(request, "login", next_url=next_url or None, auth_params=auth_params)


def sign_in_view(request):
    """Step one: the work e-mail address decides between the organisation's provider and a password."""
    if request.user.is_authenticated:
        return redirect("core:home")
    next_url = _next_url(request)
    form = SignInStartForm(request.POST or None, initial={"identifier": request.session.get(IDENTIFIER_SESSION_KEY)})
    if request.method == "POST" and form.is_valid():
        identifier = form.cleaned_data["identifier"]
        provider = identity_provider_for_email(email=identifier)
        if provider is not None:
            return _provider_redirect(request, provider, next_url=next_url, auth_params={"login_hint": identifier})
        request.session[IDENTIFIER_SESSION_KEY] = identifier
        password_url = reverse("account_login")
        return redirect(f"{password_url}?next={next_url}" if next_url else password_url)
    return render(request, "accounts/sign_in.html", {"form": form, "next": next_url})


@login_required
def sso_confirm_view(request):
    """Confirm it is you at your organisation's provider (for an action that needs a fresh second factor)."""
    account = sso_account_of(user=request.user)
    provider = identity_provider_for_social_app(provider_id=account.provider) if account else None
    if provider is None or not provider.is_enabled:
        return redirect("accounts:two-factor-required")
    next_url = _next_url(request) or reverse("core:home")
    if request.method == "POST":
        # prompt=login and max_age=0: the provider asks again rather than reusing its own session.
        return _provider_redirect(
            request,
            provider,
            next_url=next_url,
            auth_params={"prompt": "login", "max_age": "0", "login_hint": request.user.email},
        )
    return render(
        request,
        "accounts/sso_confirm.html",
        {"provider": provider, "next": next_url, "fresh_minutes": settings.ACCOUNTS_FRESH_SECOND_FACTOR_MINUTES},
    )


@login_required
def two_factor_required_view(request):
    """Why a second factor is needed, and the way to give or set one up."""
    if sessions.has_second_factor(request.session) and not request.GET.get("next"):
        return redirect("accounts:security")
    return render(
        request,
        "accounts/two_factor_required.html",
        {
            "has_device": has_second_factor_device(user=request.user),
            "required": two_factor_required(user=request.user),
            "next": _next_url(request),
        },
    )


@login_required
def security_view(request):
    """Your account: how you sign in, your second factors and where you are signed in."""
    user = request.user
    authenticators = {a.type: a for a in Authenticator.objects.filter(user=user)}
    recovery = authenticators.get(Authenticator.Type.RECOVERY_CODES)
    account = sso_account_of(user=user)
    provider = identity_provider_for_social_app(provider_id=account.provider) if account else None
    user_sessions = UserSession.objects.purge_and_list(user)
    return render(
        request,
        "accounts/security.html",
        {
            "totp": authenticators.get(Authenticator.Type.TOTP),
            "security_keys": Authenticator.objects.filter(user=user, type=Authenticator.Type.WEBAUTHN).count(),
            "recovery_codes_left": len(recovery.wrap().get_unused_codes()) if recovery else None,
            "required": two_factor_required(user=user),
            "provider": provider,
            "user_sessions": sorted(user_sessions, key=lambda s: s.last_seen_at, reverse=True),
            "current_session_key": request.session.session_key,
            "idle_minutes": settings.ACCOUNTS_SESSION_IDLE_MINUTES,
            "max_hours": settings.ACCOUNTS_SESSION_MAX_HOURS,
        },
    )


@login_required
@require_POST
def sign_out_everywhere_view(request):
    """End every session of this account, this one included."""
    user = request.user
    ended = services.sessions_end(user=user, keep_session_key=request.session.session_key)
    services.sign_in_event_record(
        kind=SignInEvent.Kind.SIGNED_OUT_EVERYWHERE,
        user=user,
        detail=f"{ended} other session{'s' if ended != 1 else ''} ended",
    )
    logout(request)
    messages.success(request, "You have been signed out everywhere, on every device. Sign in again to go on.")
    return redirect("login")


def _admin_organisation(request):
    if not can_manage_sign_in(user=request.user):
        raise PermissionDenied("Only your organisation's administrators can change its sign-in.")
    return organisation_of(request.user)


@login_required
def sign_in_settings_view(request):
    """An organisation's administrators connect its OpenID Connect provider and set its two-factor rule."""
    organisation = _admin_organisation(request)
    provider = identity_provider_of(organisation=organisation)
    policy = sign_in_policy_of(organisation=organisation)
    initial = {"is_enabled": True}
    if provider is not None:
        initial = {
            "issuer_url": provider.issuer_url,
            "client_id": provider.social_app.client_id,
            "domains": "\n".join(organisation.email_domains.values_list("domain", flat=True)),
            "mfa_acr_values": provider.mfa_acr_values,
            "is_enabled": provider.is_enabled,
        }
    form = IdentityProviderForm(request.POST or None, initial=initial, prefix="provider")
    policy_form = SignInPolicyForm(
        request.POST or None,
        initial={"two_factor_for_everyone": bool(policy and policy.two_factor_for_everyone)},
        prefix="policy",
    )
    if request.method == "POST" and "policy" in request.POST:
        if policy_form.is_valid():
            services.sign_in_policy_set(
                organisation=organisation,
                two_factor_for_everyone=policy_form.cleaned_data["two_factor_for_everyone"],
                by=request.user,
            )
            messages.success(request, "Two-factor rule saved.")
            return redirect("accounts:sign-in-settings")
    elif request.method == "POST" and form.is_valid():
        try:
            services.identity_provider_save(organisation=organisation, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Single sign-on saved. Try it: sign out, then sign in with a work email address.")
            return redirect("accounts:sign-in-settings")
    callback = request.build_absolute_uri(
        reverse("openid_connect_callback", kwargs={"provider_id": f"org{organisation.pk}"})
    )
    return render(
        request,
        "accounts/sign_in_settings.html",
        {
            "organisation": organisation,
            "provider": provider,
            "form": form,
            "policy_form": policy_form,
            "callback_url": callback,
        },
    )


PEOPLE_FILTERS = {"awaiting": "Waiting for a role", "closed": "Closed accounts", "": "Everyone"}


@login_required
def people_list_view(request):
    if not can_manage_people(user=request.user):
        raise PermissionDenied("Only administrators and team managers can see this page.")
    status = request.GET.get("status", "")
    status = status if status in PEOPLE_FILTERS else ""
    page = Paginator(people_list_for_user(user=request.user, status=status), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/person_list.html",
        {"page": page, "status": status, "filters": PEOPLE_FILTERS, "is_admin": can_manage_sign_in(user=request.user)},
    )


@login_required
def person_access_view(request, pk):
    if not can_manage_people(user=request.user):
        raise PermissionDenied("Only administrators and team managers can give access.")
    person = get_object_or_404(person_for_user(user=request.user, pk=pk))
    giveable = roles_giveable_by(user=request.user)
    current_roles = list(person.groups.values_list("name", flat=True))
    form = AccessForm(
        request.POST or None,
        organisation=organisation_of(request.user),
        giveable=giveable,
        initial={"team": person.membership.team_id, "roles": current_roles},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.access_give(
                person=person, team=form.cleaned_data["team"], roles=form.cleaned_data["roles"], by=request.user
            )
        except PermissionDenied as exc:
            form.add_error("roles", str(exc))
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"Access saved for {person.get_full_name() or person.username}.")
            return redirect("accounts:person-list")
    return render(request, "accounts/person_access.html", {"person": person, "form": form, "giveable": giveable})


@login_required
@require_POST
def person_close_view(request, pk):
    person = get_object_or_404(person_for_user(user=request.user, pk=pk))
    if person.is_active:
        services.account_deactivate(user=person, reason=f"Closed by {request.user.get_full_name()}", by=request.user)
        messages.success(request, f"{person.get_full_name() or person.username}'s account is closed.")
    else:
        services.account_reactivate(user=person, by=request.user)
        messages.success(request, f"{person.get_full_name() or person.username}'s account is open again.")
    return redirect("accounts:person-list")


@login_required
def sign_in_event_list_view(request):
    """The organisation's sign-in events, newest first, for its administrators."""
    _admin_organisation(request)
    kind = request.GET.get("kind", "")
    kind = kind if kind in SignInEvent.Kind.values else ""
    events = sign_in_event_list_for_user(user=request.user, kind=kind)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(
        request, "accounts/signinevent_list.html", {"page": page, "kind": kind, "kinds": SignInEvent.Kind.choices}
    )
