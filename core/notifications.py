"""Notifications: one in-app row per recipient plus an e-mail through Django's mail backend.

Other apps call `notify(...)` from their services; e-mail goes out only after the surrounding
transaction commits, so a rolled-back change never tells anyone anything.
"""

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils import timezone

from .models import Notification

logger = logging.getLogger(__name__)


def notify(
    *, recipients: Iterable, title: str, body: str = "", url: str = "", email: bool = True
) -> list[Notification]:
    """Tell each active recipient once, in the app and (if they have an address) by e-mail."""
    people = {user.pk: user for user in recipients if user is not None and user.is_active}.values()
    notifications = Notification.objects.bulk_create(
        [Notification(recipient=user, title=title, body=body, url=url) for user in people]
    )
    if email:
        link = f"\n\n{settings.SITE_URL}{url}" if url else ""
        messages = [
            (title, f"{body}{link}".strip(), settings.DEFAULT_FROM_EMAIL, [user.email]) for user in people if user.email
        ]
        if messages:
            transaction.on_commit(lambda: _send(messages))
    return notifications


def _send(messages):
    sent = send_mass_mail(messages, fail_silently=True)
    logger.info("notification e-mails sent: %s of %s", sent, len(messages))


def notification_mark_read(*, notification: Notification) -> Notification:
    """Mark one notification read (reading twice keeps the first time)."""
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notification_mark_all_read(*, user) -> int:
    """Mark every unread notification of `user` read; returns how many changed."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


def unread_count(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
