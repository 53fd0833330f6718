"""Notifications: one in-app row per recipient plus an e-mail through Django's mail backend.

Other apps call `notify(...)` from their services; e-mail goes out only after the surrounding
transaction commits, so a rolled-back change never tells anyone anything.
"""

from collections.abc import Iterable

from django.conf import settings
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from .models import Notification
from .notification_emails import send_emails
from .tasks import notification_emails_send_task


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
            transaction.on_commit(lambda: send_emails(messages))
    return notifications


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


def notification_list_for_user(*, user) -> QuerySet[Notification]:
    """The user's own notifications, newest first; anyone else's is a 404 by construction."""
    return Notification.objects.filter(recipient=user)


def notify_many(*, messages: list[tuple], email: bool = True, batch_size: int = 2000) -> int:
    """Bulk version of `notify` for scans: `messages` are (user, title, body, url) tuples.

    The rows go in with bulk inserts; e-mails are not sent inline but queued after commit, in
    chunks, for the `core.notification_emails_send` task.
    """
    rows = [(user, title, body, url) for user, title, body, url in messages if user is not None and user.is_active]
    if connection.vendor == "postgresql":
        created = _insert_unnest(rows)
    else:
        objects = Notification.objects.bulk_create(
            [Notification(recipient=user, title=title, body=body, url=url) for user, title, body, url in rows],
            batch_size=batch_size,
        )
        created = [(obj.pk, obj.recipient) for obj in objects]
    if email:
        ids = [pk for pk, user in created if pk is not None and user.email]
        if ids:
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                transaction.on_commit(lambda chunk=chunk: notification_emails_send_task.delay(notification_ids=chunk))
    return len(created)


def _insert_unnest(rows) -> list[tuple[int, object]]:
    """One INSERT of many notifications from arrays (PostgreSQL), returning (id, recipient) pairs."""
    if not rows:
        return []
    users = {user.pk: user for user, *_ in rows}
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO core_notification (recipient_id, title, body, url, created_at) "
            "SELECT recipient_id, title, body, url, %s FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::text[]) "
            "AS t(recipient_id, title, body, url) RETURNING id, recipient_id",
            [
                timezone.now(),
                [user.pk for user, *_ in rows],
                [title for _, title, _, _ in rows],
                [body for _, _, body, _ in rows],
                [url for *_, url in rows],
            ],
        )
        return [(pk, users[recipient_id]) for pk, recipient_id in cursor.fetchall()]
