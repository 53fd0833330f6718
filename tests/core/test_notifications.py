import pytest
from django.core import mail
from django.urls import reverse

from core.models import Notification
from core.notifications import notify, notify_many

pytestmark = pytest.mark.django_db


def test_notify_creates_one_in_app_notification_each_and_emails_after_commit(
    officer, manager, django_capture_on_commit_callbacks
):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            recipients=[officer, manager, officer], title="Referral accepted", body="REF-2026-000001", url="/clients/"
        )
    # then each person is told once, in the app and by e-mail
    assert Notification.objects.filter(title="Referral accepted").count() == 2
    assert sorted(message.to[0] for message in mail.outbox) == sorted([officer.email, manager.email])
    assert "http://127.0.0.1:8000/clients/" in mail.outbox[0].body


def test_no_email_leaves_if_the_transaction_rolls_back(officer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify(recipients=[officer], title="Not sent")
    assert len(callbacks) == 1  # queued for commit only
    assert mail.outbox == []


def test_bell_shows_unread_count_and_opening_marks_read(client, officer):
    notify(recipients=[officer], title="Consent withdrawn", url=reverse("referrals:client-list"), email=False)
    notify(recipients=[officer], title="Visit booked", email=False)
    client.force_login(officer)
    body = client.get(reverse("core:home")).content.decode()
    assert 'data-testid="unread-count">2<' in body
    first = Notification.objects.get(title="Consent withdrawn")
    response = client.get(first.get_absolute_url())
    assert response["Location"] == reverse("referrals:client-list")
    first.refresh_from_db()
    assert first.read_at is not None
    assert 'data-testid="unread-count">1<' in client.get(reverse("core:home")).content.decode()
    client.post(reverse("core:notification-mark-all-read"))
    assert "unread-count" not in client.get(reverse("core:home")).content.decode()


def test_someone_elses_notification_is_not_found(client, officer, manager):
    [notification] = notify(recipients=[manager], title="Private", email=False)
    client.force_login(officer)
    assert client.get(notification.get_absolute_url()).status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_notification_links_never_leave_the_site(client, officer):
    [notification] = notify(recipients=[officer], title="Phish", url="https://evil.example/", email=False)
    client.force_login(officer)
    assert client.get(notification.get_absolute_url())["Location"] == reverse("core:notification-list")


def test_notification_list_queries_do_not_grow_with_notifications(client, officer, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(officer)
    url = reverse("core:notification-list")
    notify(recipients=[officer], title="Visit booked", email=False)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for number in range(30):
        notify(recipients=[officer], title=f"Referral REF-2026-{number:06d} accepted", email=False)
    with django_assert_max_num_queries(len(one)):
        body = client.get(url).content.decode()
    assert "Referral REF-2026-000029 accepted" in body


def test_notify_many_inserts_in_bulk_and_emails_after_commit_through_the_task(
    officer, manager, django_capture_on_commit_callbacks
):
    # given: one recipient without an e-mail address
    manager.email = ""
    manager.save(update_fields=["email"])
    # when
    with django_capture_on_commit_callbacks(execute=True):
        created = notify_many(
            messages=[
                (officer, "Referral overdue: REF-2026-000007", "Level 2", "/referrals/7/"),
                (manager, "Referral overdue: REF-2026-000007", "Level 2", "/referrals/7/"),
                (None, "Nobody", "", ""),
            ]
        )
    # then: two in-app notifications, one e-mail (the task runs after commit)
    assert created == 2
    assert Notification.objects.filter(title="Referral overdue: REF-2026-000007").count() == 2
    assert [message.to for message in mail.outbox] == [[officer.email]]
    assert mail.outbox[0].body == "Level 2\n\nhttp://127.0.0.1:8000/referrals/7/"
