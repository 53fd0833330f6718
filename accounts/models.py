"""Sign-in: each organisation's OpenID Connect provider and e-mail domains, its two-factor policy, and
the record of sign-in events its administrators read.

The provider's own settings (issuer, client id and secret) live in django-allauth's `SocialApp`, one
per organisation, so allauth's OpenID Connect client uses them as they are; `IdentityProvider` ties
that app to the organisation.
"""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower

from partnerships.models import Organisation


class IdentityProvider(models.Model):
    """An organisation's single sign-on: its people sign in at their employer's OpenID Connect provider."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="identity_provider")
    social_app = models.OneToOneField(
        "socialaccount.SocialApp", on_delete=models.PROTECT, related_name="identity_provider"
    )
    is_enabled = models.BooleanField(
        "Send people to this provider", default=True, help_text="Untick to let everyone use JointCase passwords."
    )
    mfa_acr_values = models.CharField(
        "ACR values that mean two-factor",
        max_length=500,
        blank=True,
        help_text="Space-separated, for providers that say so in `acr` rather than `amr`.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    def __str__(self):
        return f"Single sign-on for {self.organisation}"

    @property
    def issuer_url(self) -> str:
        return self.social_app.settings.get("server_url", "")

    @property
    def provider_id(self) -> str:
        return self.social_app.provider_id


class EmailDomain(models.Model):
    """An e-mail domain an organisation's provider vouches for; no domain belongs to two organisations."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="email_domains")
    domain = models.CharField(max_length=253)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["domain"]
        constraints = [
            models.UniqueConstraint(Lower("domain"), name="email_domain_claimed_once"),
            models.CheckConstraint(condition=models.Q(domain=Lower("domain")), name="email_domain_lower_case"),
        ]

    def __str__(self):
        return self.domain


class SignInPolicy(models.Model):
    """What an organisation asks of everyone who signs in, beyond the roles that always need two-factor."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="sign_in_policy")
    two_factor_for_everyone = models.BooleanField(
        "Everyone must use two-factor authentication",
        default=False,
        help_text="Finance officers, finance approvers and administrators always must.",
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    def __str__(self):
        return f"Sign-in policy for {self.organisation}"


class SignInEvent(models.Model):
    """One sign-in, failure, lockout, second factor, single sign-on step or session end, for the admins."""

    class Kind(models.TextChoices):
        SIGNED_IN = "signed_in", "Signed in"
        FAILED = "failed", "Wrong password or unknown account"
        LOCKED_OUT = "locked_out", "Locked out after too many failures"
        SECOND_FACTOR = "second_factor", "Second factor accepted"
        SECOND_FACTOR_FAILED = "second_factor_failed", "Wrong second factor"
        TWO_FACTOR_SET_UP = "two_factor_set_up", "Two-factor set up"
        TWO_FACTOR_REMOVED = "two_factor_removed", "Two-factor removed"
        SSO_ACCOUNT_CREATED = "sso_account_created", "Account created by single sign-on"
        SSO_REFUSED = "sso_refused", "Single sign-on refused"
        SIGNED_OUT = "signed_out", "Signed out"
        SIGNED_OUT_EVERYWHERE = "signed_out_everywhere", "Signed out everywhere"
        SESSION_EXPIRED = "session_expired", "Session ended by time limit"
        DEACTIVATED = "deactivated", "Account closed"
        REACTIVATED = "reactivated", "Account reopened"
        ACCESS_GIVEN = "access_given", "Roles given"

    class Method(models.TextChoices):
        PASSWORD = "password", "Password"
        SSO = "sso", "Single sign-on"
        TOTP = "totp", "Authenticator app"
        RECOVERY_CODE = "recovery_codes", "Recovery code"
        WEBAUTHN = "webauthn", "Security key"
        NONE = "", "—"

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="sign_in_events"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="sign_in_events"
    )
    identifier = models.CharField("username or e-mail given", max_length=254, blank=True)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    method = models.CharField(max_length=20, choices=Method.choices, blank=True)
    detail = models.CharField(max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "-created_at"], name="signinevent_org_recent_idx")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.identifier or self.user_id}"
