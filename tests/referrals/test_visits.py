from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from core.models import Notification
from partnerships.models import Role
from referrals.models import Client, Visit
from referrals.selectors import client_timeline
from referrals.services import referral_accept, visit_book, visit_record, visit_update
from tests.partnerships.factories import OrganisationFactory
from tests.referrals.factories import SENT_ON, ClientFactory, referral_sent

pytestmark = pytest.mark.django_db

User = get_user_model()
LONDON = ZoneInfo("Europe/London")
# Wednesday 25 November 2026, mid-morning: the week runs Monday 23 to Sunday 29 November.
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=LONDON)


def at(day: int, hour: int = 14, minute: int = 30, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=LONDON)


def _book(client, officer, **overrides):
    fields = dict(
        client=client,
        by=officer,
        starts_at=at(26),
        kind=Visit.Kind.HOME,
        place="",
        officers=[officer],
        purposes=[Visit.Purpose.PENSION_CREDIT],
    )
    fields.update(overrides)
    return visit_book(**fields)


# --- Services -------------------------------------------------------------------------------


def test_booking_with_officers_from_two_organisations_is_a_joint_visit_and_tells_the_other_officer(
    edith, officer, pension, pension_officer, council
):
    # given a referral of Edith to the Pension Service
    referral = referral_sent(edith, officer, pension, on=SENT_ON)
    Notification.objects.all().delete()
    # when the council officer books a joint home visit with a Pension Service officer
    visit = _book(
        edith,
        officer,
        officers=[officer, pension_officer],
        purposes=[Visit.Purpose.PENSION_CREDIT, Visit.Purpose.FINANCIAL_ASSESSMENT],
        referrals=[referral],
        notes="Bring the PC1 form",
    )
    # then the council booked it, both officers are on it, and only the other officer is told
    visit.refresh_from_db()
    assert visit.organisation == council
    assert visit.status == Visit.Status.PLANNED
    assert set(visit.officers.all()) == {officer, pension_officer}
    assert {o.membership.organisation_id for o in visit.officers.all()} == {council.pk, pension.pk}
    assert list(visit.referrals.all()) == [referral]
    assert visit.purposes == ["pension_credit", "financial_assessment"]
    notices = list(Notification.objects.all())
    assert [n.recipient for n in notices] == [pension_officer]
    assert notices[0].title == "Home visit booked for Edith Wainwright"
    assert "26 November 2026 at 2:30pm" in notices[0].body
    assert notices[0].url == visit.get_absolute_url()
    assert visit.history.earliest().history_user == officer


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"officers": []}, "officers", "Select at least one officer"),
        ({"purposes": []}, "purposes", "Select at least one purpose"),
        ({"purposes": ["tea"]}, "purposes", "Unknown purpose: tea"),
    ],
)
def test_booking_needs_an_officer_and_a_purpose(edith, officer, overrides, field, message):
    with pytest.raises(ValidationError) as excinfo:
        _book(edith, officer, **overrides)
    assert excinfo.value.message_dict[field] == [message]
    assert Visit.objects.count() == 0


def test_booking_refuses_a_referral_of_another_client(edith, officer, pension, council):
    other = ClientFactory(organisation=council, first_name="Arthur", last_name="Dent")
    referral = referral_sent(other, officer, pension, on=SENT_ON)
    with pytest.raises(ValidationError) as excinfo:
        _book(edith, officer, referrals=[referral])
    assert "not one of Edith Wainwright's referrals" in excinfo.value.message_dict["referrals"][0]
    assert Visit.objects.count() == 0


def test_booking_refuses_an_officer_who_has_left(edith, officer, manager):
    manager.membership.is_active = False
    manager.membership.save()
    with pytest.raises(ValidationError) as excinfo:
        _book(edith, officer, officers=[officer, manager])
    assert "no longer active" in excinfo.value.message_dict["officers"][0]
    assert Visit.objects.count() == 0


@pytest.mark.parametrize("status", [Visit.Status.DONE, Visit.Status.CANCELLED])
def test_recording_a_visit_keeps_who_and_when(edith, officer, pension_officer, status):
    # given a planned joint visit booked by the council officer
    visit = _book(edith, officer, officers=[officer, pension_officer])
    # when the Pension Service officer records it
    recorded = visit_record(visit_id=visit.pk, by=pension_officer, notes="Claim made by phone", status=status)
    # then the status and notes are saved, and the history says who did each
    assert (recorded.status, recorded.notes) == (status, "Claim made by phone")
    latest = visit.history.latest()
    assert (latest.status, latest.history_user) == (status, pension_officer)
    assert visit.history.earliest().history_user == officer
    assert visit.history.earliest().status == Visit.Status.PLANNED


def test_a_recorded_visit_cannot_be_recorded_again_or_changed(edith, officer):
    visit = _book(edith, officer)
    visit_record(visit_id=visit.pk, by=officer, notes="Went well", status=Visit.Status.DONE)
    with pytest.raises(ValidationError, match="already been recorded as done"):
        visit_record(visit_id=visit.pk, by=officer, notes="Again", status=Visit.Status.CANCELLED)
    with pytest.raises(ValidationError, match="cannot change"):
        visit_update(
            visit_id=visit.pk,
            by=officer,
            starts_at=at(27),
            kind=Visit.Kind.HOME,
            place="",
            officers=[officer],
            purposes=["other"],
        )
    visit.refresh_from_db()
    assert (visit.status, visit.notes) == (Visit.Status.DONE, "Went well")


def test_cancelling_needs_a_reason(edith, officer):
    visit = _book(edith, officer)
    with pytest.raises(ValidationError) as excinfo:
        visit_record(visit_id=visit.pk, by=officer, notes=" ", status=Visit.Status.CANCELLED)
    assert excinfo.value.message_dict["notes"] == ["Say why the visit was cancelled"]
    visit.refresh_from_db()
    assert visit.status == Visit.Status.PLANNED


def test_only_the_visit_officers_or_booking_organisation_may_record(edith, officer, outsider):
    visit = _book(edith, officer)
    with pytest.raises(ValidationError):
        visit_record(visit_id=visit.pk, by=outsider, notes="Not mine", status=Visit.Status.DONE)
    visit.refresh_from_db()
    assert visit.status == Visit.Status.PLANNED


def test_changing_a_visit_tells_officers_newly_added(edith, officer, pension_officer):
    visit = _book(edith, officer)
    visit_update(
        visit_id=visit.pk,
        by=officer,
        starts_at=visit.starts_at,
        kind=Visit.Kind.DROP_IN,
        place="Northby library",
        officers=[officer, pension_officer],
        purposes=[Visit.Purpose.BENEFIT_CHECK],
    )
    visit.refresh_from_db()
    assert (visit.kind, visit.place) == (Visit.Kind.DROP_IN, "Northby library")
    assert Notification.objects.get(recipient=pension_officer).title == "Drop-in booked for Edith Wainwright"
    assert visit.history.latest().history_user == officer


# --- Views ----------------------------------------------------------------------------------


def _form(officers, **overrides):
    data = {
        "kind": "home",
        "date_0": "26",
        "date_1": "11",
        "date_2": "2026",
        "time": "14:30",
        "place": "",
        "officers": [o.pk for o in officers],
        "purposes": ["pension_credit"],
        "notes": "Bring the PC1 form",
    }
    data.update(overrides)
    return data


def test_officer_books_a_visit_from_the_client_page(client, officer, edith, pension, pension_officer):
    referral = referral_sent(edith, officer, pension, on=SENT_ON)
    client.force_login(officer)
    url = reverse("referrals:visit-create", args=[edith.pk])
    page = client.get(url).content.decode()
    assert "Book a visit" in page
    assert escape(pension_officer.get_full_name()) in page  # a partner the client was referred to
    assert referral.reference in page
    response = client.post(url, _form([officer, pension_officer], referrals=[referral.pk]))
    visit = Visit.objects.get()
    assert response.status_code == 302
    assert response["Location"] == visit.get_absolute_url()
    assert visit.starts_at == at(26)
    assert visit.booked_by == officer
    assert list(visit.referrals.all()) == [referral]
    assert Notification.objects.filter(recipient=pension_officer, url=visit.get_absolute_url()).exists()


@pytest.mark.parametrize("typed", ["2:30pm", "14.30"])
def test_times_can_be_typed_as_people_write_them(client, officer, edith, typed):
    client.force_login(officer)
    client.post(reverse("referrals:visit-create", args=[edith.pk]), _form([officer], time=typed))
    assert Visit.objects.get().starts_at == at(26)


def test_a_time_that_does_not_exist_is_refused_clearly(client, officer, edith):
    client.force_login(officer)
    response = client.post(reverse("referrals:visit-create", args=[edith.pk]), _form([officer], time="25:99"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body
    assert "Enter a real time, like 14:30 or 2:30pm" in body
    assert 'value="25:99"' in body
    assert Visit.objects.count() == 0


def test_booking_without_an_officer_or_purpose_shows_errors(client, officer, edith):
    client.force_login(officer)
    response = client.post(
        reverse("referrals:visit-create", args=[edith.pk]), _form([], purposes=[], time="", date_0="")
    )
    body = response.content.decode()
    assert "Select at least one officer" in body
    assert "Select at least one purpose" in body
    assert "Enter the time of the visit" in body
    assert Visit.objects.count() == 0


def test_finance_user_cannot_book_a_visit(client, finance_user, edith):
    client.force_login(finance_user)
    assert client.get(reverse("referrals:visit-create", args=[edith.pk])).status_code == 403


def test_another_organisations_client_is_not_found_for_booking(client, outsider, edith):
    client.force_login(outsider)
    assert client.get(reverse("referrals:visit-create", args=[edith.pk])).status_code == 404


def test_detail_shows_a_joint_visit_with_officers_organisations_and_referrals(
    client, officer, edith, pension, pension_officer
):
    referral = referral_sent(edith, officer, pension, on=SENT_ON)
    visit = _book(edith, officer, officers=[officer, pension_officer], referrals=[referral])
    for viewer in (officer, pension_officer):
        client.force_login(viewer)
        response = client.get(visit.get_absolute_url())
        body = response.content.decode()
        assert response.status_code == 200
        assert "Joint visit" in body
        assert "Northshire County Council" in body and "The Pension Service" in body
        assert "26 November 2026 at 2:30pm" in body
        assert reverse("referrals:referral-detail", args=[referral.pk]) in body
        assert "Pension Credit application" in body
        assert edith.address_line_1 in body  # no place given: the client's home
        assert "Record the visit" in body and reverse("referrals:visit-edit", args=[visit.pk]) in body


def test_a_visit_by_one_organisation_is_not_joint(client, officer, manager, edith):
    visit = _book(edith, officer, officers=[officer, manager], place="Northby library")
    client.force_login(officer)
    body = client.get(visit.get_absolute_url()).content.decode()
    assert "Joint visit" not in body
    assert "Northby library" in body


def test_officer_records_a_visit(client, officer, edith):
    visit = _book(edith, officer)
    client.force_login(officer)
    url = reverse("referrals:visit-record", args=[visit.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"status": "done", "notes": "Pension Credit claimed by phone"})
    assert response.status_code == 302
    visit.refresh_from_db()
    assert (visit.status, visit.notes) == (Visit.Status.DONE, "Pension Credit claimed by phone")
    body = client.get(visit.get_absolute_url()).content.decode()
    assert "The visit has been recorded as done." in body
    assert "Record the visit" not in body


def test_officer_changes_a_visit(client, officer, edith):
    visit = _book(edith, officer)
    client.force_login(officer)
    url = reverse("referrals:visit-edit", args=[visit.pk])
    page = client.get(url).content.decode()
    assert 'value="14:30"' in page
    response = client.post(url, _form([officer], time="09:15", place="Northby library"))
    assert response.status_code == 302
    visit.refresh_from_db()
    assert (visit.starts_at, visit.place) == (at(26, 9, 15), "Northby library")


def test_another_organisation_gets_not_found_on_a_visit(client, officer, edith, outsider):
    visit = _book(edith, officer)
    client.force_login(outsider)
    assert client.get(visit.get_absolute_url()).status_code == 404
    assert client.get(reverse("referrals:visit-edit", args=[visit.pk])).status_code == 404
    assert client.get(reverse("referrals:visit-record", args=[visit.pk])).status_code == 404
    response = client.post(reverse("referrals:visit-record", args=[visit.pk]), {"status": "done", "notes": "x"})
    assert response.status_code == 404
    visit.refresh_from_db()
    assert visit.status == Visit.Status.PLANNED


def test_another_organisation_cannot_change_a_visit_or_book_one_for_the_client(client, officer, edith, outsider):
    visit = _book(edith, officer)
    client.force_login(outsider)
    response = client.post(reverse("referrals:visit-edit", args=[visit.pk]), _form([outsider], place="Their office"))
    assert response.status_code == 404
    response = client.post(reverse("referrals:visit-create", args=[edith.pk]), _form([outsider]))
    assert response.status_code == 404
    visit.refresh_from_db()
    assert (visit.place, list(visit.officers.all())) == ("", [officer])
    assert Visit.objects.count() == 1


def test_booking_organisation_user_without_casework_role_may_look_but_not_change(client, officer, edith, finance_user):
    visit = _book(edith, officer)
    client.force_login(finance_user)
    body = client.get(visit.get_absolute_url()).content.decode()
    assert "Record the visit" not in body
    assert client.get(reverse("referrals:visit-edit", args=[visit.pk])).status_code == 403
    assert client.post(reverse("referrals:visit-record", args=[visit.pk]), {"status": "done"}).status_code == 403


def test_my_visits_shows_today_and_this_week_only_mine(client, officer, manager, edith, council):
    other_client = ClientFactory(organisation=council, first_name="Arthur", last_name="Dent")
    with time_machine.travel(NOW, tick=False):
        today = _book(edith, officer, starts_at=at(25, 15, 0))
        later = _book(other_client, officer, starts_at=at(29, 11, 0), officers=[officer, manager])
        monday = _book(other_client, officer, starts_at=at(23, 9, 0))
        next_week = _book(edith, officer, starts_at=at(30, 10, 0))
        not_mine = _book(edith, manager, starts_at=at(25, 11, 0), officers=[manager])
        client.force_login(officer)
        body = client.get(reverse("referrals:visit-mine")).content.decode()
    today_table, week_table = body.split('data-testid="visits-today"')[1].split('data-testid="visits-week"')
    assert today.get_absolute_url() in today_table
    assert later.get_absolute_url() not in today_table
    for visit in (today, later, monday):
        assert visit.get_absolute_url() in week_table
    assert next_week.get_absolute_url() not in body
    assert not_mine.get_absolute_url() not in body
    assert "3:00pm" in today_table
    assert escape(manager.get_full_name()) in week_table  # the other officer on Sunday's visit
    assert "?week=2026-11-30" in body


def test_my_visits_next_week(client, officer, edith):
    with time_machine.travel(NOW, tick=False):
        this_week = _book(edith, officer, starts_at=at(25, 15, 0))
        next_week = _book(edith, officer, starts_at=at(30, 10, 0))
        client.force_login(officer)
        body = client.get(reverse("referrals:visit-mine"), {"week": "2026-12-02"}).content.decode()
    assert next_week.get_absolute_url() in body
    assert this_week.get_absolute_url() not in body
    assert 'data-testid="visits-today"' not in body
    assert "Week beginning 30 November 2026" in body


def test_my_visits_uses_a_constant_number_of_queries(
    client, officer, manager, edith, council, pension, pension_officer, django_assert_max_num_queries
):
    referral = referral_sent(edith, officer, pension, on=SENT_ON)
    url = reverse("referrals:visit-mine")
    with time_machine.travel(NOW, tick=False):
        client.force_login(officer)
        _book(edith, officer, starts_at=at(25), officers=[officer, pension_officer], referrals=[referral])
        with CaptureQueriesContext(connection) as one:
            client.get(url)
        for n in range(19):
            person = ClientFactory(organisation=council)
            _book(person, officer, starts_at=at(23 + n % 7, 9 + n % 8), officers=[officer, manager, pension_officer])
        with django_assert_max_num_queries(len(one.captured_queries)):
            response = client.get(url)
    today_count = 1 + sum(1 for n in range(19) if 23 + n % 7 == 25)
    assert response.content.decode().count("govuk-table__row") == 2 + 20 + today_count  # headers, week, today


# --- Timeline -------------------------------------------------------------------------------


def test_timeline_lists_referral_steps_and_visits_newest_first(
    edith, officer, pension, pension_officer, user_with_roles
):
    with time_machine.travel(at(23, 9, 0), tick=False):
        referral = referral_sent(edith, officer, pension, on=SENT_ON)
    with time_machine.travel(at(24, 10, 0), tick=False):
        referral_accept(referral_id=referral.pk, by=pension_officer)
    with time_machine.travel(at(24, 11, 0), tick=False):
        _book(edith, officer, officers=[officer, pension_officer], referrals=[referral])

    titles = [event.title for event in client_timeline(client=edith, user=officer)]

    sent = f"Referral {referral.reference} sent to The Pension Service"
    accepted = f"Referral {referral.reference} accepted"
    assert titles.index("Home visit planned") < titles.index(accepted) < titles.index(sent)
    assert "Client record created" in titles
    events = {e.title: e for e in client_timeline(client=edith, user=officer)}
    assert events[accepted].who.endswith(", The Pension Service")
    assert events[sent].when == at(23, 9, 0)

    # the Pension Service sees the steps (not the council's draft) and the joint visit
    theirs = [e.title for e in client_timeline(client=edith, user=pension_officer)]
    assert sent in theirs and accepted in theirs and "Home visit planned" in theirs
    assert not any("draft" in title for title in theirs)

    # a third organisation sees none of it
    stranger = user_with_roles(OrganisationFactory(name="Age UK Northshire"), Role.VISITING_OFFICER)
    strangers = [e.title for e in client_timeline(client=edith, user=stranger)]
    assert not any(title.startswith("Referral") or "visit" in title for title in strangers)


def test_timeline_shows_who_recorded_a_visit(edith, officer, pension_officer):
    visit = _book(edith, officer, officers=[officer, pension_officer])
    visit_record(visit_id=visit.pk, by=pension_officer, notes="Claim made", status=Visit.Status.DONE)
    event = next(e for e in client_timeline(client=edith, user=officer) if e.title == "Home visit done")
    assert event.who == f"{pension_officer.get_full_name()}, The Pension Service"
    assert "Claim made" in event.detail


def test_timeline_queries_do_not_grow_with_referrals(
    edith, officer, pension, pension_officer, django_assert_max_num_queries
):
    def add_one(n):
        referral = referral_sent(edith, officer, pension, on=SENT_ON)
        referral_accept(referral_id=referral.pk, by=pension_officer)
        visit = _book(
            edith,
            officer,
            officers=[officer, pension_officer],
            referrals=[referral],
            starts_at=at(24) + timedelta(days=n),
        )
        visit_record(visit_id=visit.pk, by=pension_officer, notes="Done", status=Visit.Status.DONE)

    add_one(0)
    with CaptureQueriesContext(connection) as one:
        client_timeline(client=Client.objects.get(pk=edith.pk), user=User.objects.get(pk=officer.pk))
    for n in range(1, 10):
        add_one(n)
    fresh_client, fresh_user = Client.objects.get(pk=edith.pk), User.objects.get(pk=officer.pk)
    with django_assert_max_num_queries(len(one.captured_queries)):
        events = client_timeline(client=fresh_client, user=fresh_user)
    assert len(one.captured_queries) <= 12
    assert sum(1 for e in events if e.title.startswith("Referral") and e.title.endswith("accepted")) == 10
    assert sum(1 for e in events if e.title == "Home visit done") == 10
    assert [e.when for e in events] == sorted((e.when for e in events), reverse=True)
