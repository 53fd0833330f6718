"""E-mail copies of in-app notifications, through Django's mail backend (never raising: the in-app
notification is the record, the e-mail a courtesy)."""

import logging

from django.conf import settings
from django.core.mail import send_mass_mail

from .models import Notification

logger = logging.getLogger(__name__)


def send_emails(messages) -> int:
    """Send (subject, body, from, [to]) messages in one connection; how many went."""
    sent = send_mass_mail(messages, fail_silently=True)
    logger.info("notification e-mails sent: %s of %s", sent, len(messages))
    return sent


def notification_emails_send(*, notification_ids: list[int]) -> int:
    """E-mail copies of in-app notifications (queued by `notify_many`)."""
    notifications = Notification.objects.filter(pk__in=notification_ids).select_related("recipient")
    messages = [
        (
            n.title,
            f"{n.body}\n\n{settings.SITE_URL}{n.url}".strip() if n.url else n.body,
            settings.DEFAULT_FROM_EMAIL,
            [n.recipient.email],
        )
        for n in notifications
        if n.recipient.email
    ]
    if messages:
        send_emails(messages)
    return len(messages)
