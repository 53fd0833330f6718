"""Demo sign-in: the demo accounts whose roles need two-factor get an authenticator app with a fixed
key printed in the README, so anyone can add it to an app (or compute the code) and sign in."""

from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from allauth.mfa.utils import decrypt
from django.db import transaction

# Base32 keys for any authenticator app (README, "Demo accounts"). Demo only: never reuse.
DEMO_TOTP_SECRETS = {
    "approver": "JOINTCASEDEMOAPPROVERTOTPSECRETZ",
    "finance": "JOINTCASEDEMOFINANCETOTPSECRETZZ",
    "admin": "JOINTCASEDEMOADMINTOTPSECRETZZZZ",
}


@transaction.atomic
def demo_two_factor_seed(*, users: dict) -> list[str]:
    """Give each named demo user the README's authenticator key (and recovery codes); safe to run again:
    a different key is replaced, the same one left alone. Returns the usernames set up."""
    done = []
    for username, secret in DEMO_TOTP_SECRETS.items():
        user = users.get(username)
        if user is None:
            continue
        existing = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
        if existing is not None and decrypt(existing.data.get("secret", "")) == secret:
            continue
        Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).delete()
        TOTP.activate(user, secret)
        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES).exists():
            RecoveryCodes.activate(user)
        done.append(username)
    return done
