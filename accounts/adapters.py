"""django-allauth adapters: no self-registration, accounts made only by an organisation's own
provider for its own e-mail domains, and no removing the last second factor of someone who needs one."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.stagekit import clear_login
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from axes.helpers import get_client_ip_address
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.shortcuts import redirect, render

from .models import SignInEvent
from .selectors import (
    SECOND_FACTOR_TYPES,
    domain_owner,
    email_domain,
    identity_provider_for_email,
    identity_provider_for_social_app,
    staff_membership_of,
    two_factor_required,
)
from .services import sign_in_event_record, sso_user_provision

WRONG_CREDENTIALS_MESSAGE = "Enter a correct email address or username and password. The password is case-sensitive."


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "email_password_mismatch": WRONG_CREDENTIALS_MESSAGE,
        "username_password_mismatch": WRONG_CREDENTIALS_MESSAGE,
    }

    def is_open_for_signup(self, request):
        """Nobody registers themselves: accounts come from an administrator or an organisation's provider."""
        return False

    def pre_login(self, request, user, **kwargs):
        """Someone whose organisation uses single sign-on signs in there, not with a JointCase password
        (superusers keep a password for when the provider is down)."""
        response = super().pre_login(request, user, **kwargs)
        if response is not None or (kwargs.get("signal_kwargs") or {}).get("sociallogin") or user.is_superuser:
            return response
        provider = identity_provider_for_email(email=user.email or "")
        if provider is None:
            return None
        clear_login(request)
        sign_in_event_record(
            kind=SignInEvent.Kind.FAILED,
            user=user,
            method=SignInEvent.Method.PASSWORD,
            detail="Password refused: the organisation uses single sign-on",
            ip_address=get_client_ip_address(request),
        )
        messages.error(
            request,
            f"{provider.organisation.display_name} uses single sign-on. Enter your work email address to sign in "
            "with your organisation's account.",
        )
        return redirect("login")

    def get_client_ip(self, request):
        # The same address django-axes throttles on (AXES_IP_HEADERS).
        return get_client_ip_address(request) or request.META.get("REMOTE_ADDR", "")


class MFAAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        """Someone who must use two-factor cannot remove their only authenticator app or security key."""
        if authenticator.type not in SECOND_FACTOR_TYPES or not two_factor_required(user=authenticator.user):
            return True
        others = Authenticator.objects.filter(user=authenticator.user, type__in=SECOND_FACTOR_TYPES).exclude(
            pk=authenticator.pk
        )
        return others.exists()


def _refuse(request, *, reason: str, email: str = "", user=None, organisation=None):
    sign_in_event_record(
        kind=SignInEvent.Kind.SSO_REFUSED,
        user=user,
        organisation=organisation,
        identifier=email,
        method=SignInEvent.Method.SSO,
        detail=reason,
        ip_address=get_client_ip_address(request),
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
    )
    response = render(request, "accounts/sso_refused.html", {"reason": reason, "email": email}, status=403)
    raise ImmediateHttpResponse(response)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin):
        # pre_social_login has already checked the organisation vouches for this e-mail domain.
        return True

    def pre_social_login(self, request, sociallogin):
        """Let in only an e-mail address of a domain the provider's own organisation claimed, and link a
        first sign-in to an existing account of that organisation with the same address."""
        provider = identity_provider_for_social_app(provider_id=sociallogin.account.provider)
        if provider is None or not provider.is_enabled:
            _refuse(request, reason="This sign-in service is no longer connected to JointCase.")
        organisation = provider.organisation
        email = (sociallogin.user.email or "").strip().lower()
        if not email and sociallogin.email_addresses:
            email = sociallogin.email_addresses[0].email.strip().lower()
        owner = domain_owner(domain=email_domain(email)) if email else None
        if owner != organisation:
            _refuse(
                request,
                organisation=organisation,
                email=email,
                reason=(
                    f"{organisation.name}'s sign-in service vouched for {email or 'an account with no e-mail'}, "
                    f"but that is not one of {organisation.display_name}'s e-mail domains."
                ),
            )
        user = sociallogin.user if sociallogin.is_existing else None
        if user is None:
            user = get_user_model().objects.filter(email__iexact=email).first()
            if user is not None:
                membership = staff_membership_of(user=user)
                if membership is not None and membership.organisation != organisation:
                    _refuse(
                        request,
                        organisation=organisation,
                        email=email,
                        user=user,
                        reason=f"{email} belongs to a JointCase account of another organisation.",
                    )
                if user.is_active:
                    sociallogin.connect(request, user)
                    if membership is None:
                        sso_user_provision(user=user, provider_id=sociallogin.account.provider)
        if user is not None and not user.is_active:
            _refuse(
                request,
                organisation=organisation,
                email=email,
                user=user,
                reason=("Your JointCase account is closed. Ask an administrator in your organisation to reopen it."),
            )

    def save_user(self, request, sociallogin, form=None):
        """A first sign-in: the account joins the provider's organisation with no role."""
        user = super().save_user(request, sociallogin, form)
        sso_user_provision(user=user, provider_id=sociallogin.account.provider)
        return user

    def on_authentication_error(self, request, provider, error=None, exception=None, extra_context=None):
        sign_in_event_record(
            kind=SignInEvent.Kind.SSO_REFUSED,
            organisation=getattr(getattr(provider.app, "identity_provider", None), "organisation", None),
            method=SignInEvent.Method.SSO,
            detail=f"The provider's answer could not be used: {error or 'unknown'}",
            ip_address=get_client_ip_address(request),
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
        )
        return super().on_authentication_error(request, provider, error, exception, extra_context)
