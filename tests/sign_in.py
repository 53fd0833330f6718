"""Signing in from tests: the test client, a TOTP code from a known key, and the browser's sign-in steps.

Most tests are about casework, not sign-in: their `client.force_login(user)` stands for someone who
signed in with everything their role needs, a second factor included. Sign-in tests use
`plain_client` (tests/conftest.py) to see the rules themselves.
"""

import time

import pyotp
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.test import Client

from accounts import sessions

TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


class SecondFactorClient(Client):
    """Django's test client; `force_login` also records a second factor given just now."""

    def force_login(self, user, backend=None):
        super().force_login(user, backend)
        session = self.session
        sessions.second_factor_record(session)
        session.save()


def totp_code(secret: str = TEST_TOTP_SECRET, *, at=None) -> str:
    """The code an authenticator app shows for `secret` now (or at `at`), computed independently of allauth."""
    totp = pyotp.TOTP(secret)
    return totp.at(at) if at is not None else totp.now()


def totp_set_up(user, secret: str = TEST_TOTP_SECRET) -> list[str]:
    """Give `user` an authenticator app with a known key; returns their recovery codes."""
    Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).delete()
    TOTP.activate(user, secret)
    codes = RecoveryCodes.activate(user)
    return codes.get_unused_codes()


_last_code: dict[str, str] = {}


def fresh_totp_code(secret: str = TEST_TOTP_SECRET) -> str:
    """A code not yet used in this test run: a code signs in once (allauth refuses a replay), so a second
    sign-in within the same 30 seconds waits for the app's next code, as a person would."""
    code = totp_code(secret)
    deadline = time.monotonic() + 31
    while code == _last_code.get(secret) and time.monotonic() < deadline:
        time.sleep(0.5)
        code = totp_code(secret)
    _last_code[secret] = code
    return code


def browser_sign_in(page, base_url: str, username: str, password: str, *, totp_secret: str | None = None) -> None:
    """The sign-in steps in a browser: e-mail or username, password, and the app's code when asked."""
    page.goto(f"{base_url}/sign-in/")
    page.get_by_label("Work email address").fill(username)
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    if totp_secret is not None:
        page.get_by_label("Code").fill(fresh_totp_code(totp_secret))
        page.get_by_role("button", name="Continue").click()


def password_sign_in(client, login: str, password: str, *, totp_secret: str | None = None):
    """The sign-in steps with the test client (the e-mail first step, the password, the app's code when
    asked); returns the last page, redirects followed."""
    client.post("/sign-in/", {"identifier": login})
    response = client.post("/sign-in/password/", {"login": login, "password": password}, follow=True)
    if totp_secret is not None and response.request["PATH_INFO"] == "/account/two-factor/authenticate/":
        response = client.post("/account/two-factor/authenticate/", {"code": totp_code(totp_secret)}, follow=True)
    return response
