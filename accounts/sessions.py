"""What this browser session knows about its own sign-in: when it began, when it was last used and
when its holder last gave a second factor. Read by the middleware, written by the sign-in receivers.

Kept in the session (not the database): a session that is ended takes them with it.
"""

import time

from django.conf import settings

SIGNED_IN_AT = "accounts_signed_in_at"
LAST_SEEN_AT = "accounts_last_seen_at"
SECOND_FACTOR_AT = "accounts_second_factor_at"
# Only write the session again after this many seconds, so a page full of requests costs one write.
LAST_SEEN_RESOLUTION = 60


def second_factor_record(session, *, at: float | None = None) -> None:
    """The person has just given a second factor (a code, a security key, or their provider's own)."""
    session[SECOND_FACTOR_AT] = time.time() if at is None else at


def has_second_factor(session) -> bool:
    return session.get(SECOND_FACTOR_AT) is not None


def second_factor_is_fresh(session) -> bool:
    """A second factor within ACCOUNTS_FRESH_SECOND_FACTOR_MINUTES (15) of now."""
    at = session.get(SECOND_FACTOR_AT)
    return at is not None and time.time() - at <= settings.ACCOUNTS_FRESH_SECOND_FACTOR_MINUTES * 60


def sign_in_start(session) -> None:
    now = time.time()
    session[SIGNED_IN_AT] = now
    session[LAST_SEEN_AT] = now


def session_expiry_reason(session) -> str:
    """Why this signed-in session must end now ("idle" or "maximum"), or "" while it may go on.

    A session that predates these keys (signed in before they existed) starts its clocks now.
    """
    now = time.time()
    signed_in_at = session.get(SIGNED_IN_AT)
    last_seen_at = session.get(LAST_SEEN_AT)
    if signed_in_at is None or last_seen_at is None:
        session.setdefault(SIGNED_IN_AT, now)
        session[LAST_SEEN_AT] = now
        return ""
    if now - last_seen_at > settings.ACCOUNTS_SESSION_IDLE_MINUTES * 60:
        return "idle"
    if now - signed_in_at > settings.ACCOUNTS_SESSION_MAX_HOURS * 3600:
        return "maximum"
    if now - last_seen_at >= LAST_SEEN_RESOLUTION:
        session[LAST_SEEN_AT] = now
    return ""
