"""Role home pages: each role lands on its own page after signing in, every count on it is right on a
small fixed dataset, each count links to a list of exactly those records, another organisation's
records are never counted, and the queries do not grow with the data."""

import html
import re
from datetime import date, datetime
from decimal import Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.services import assessment_complete, assessment_create, income_line_add
from partnerships.models import Role
from referrals.models import Referral, Visit
from referrals.services.referrals import (
    BenefitResult,
    referral_accept,
    referral_assign,
    referral_complete,
    referral_create,
    referral_send,
    referral_start,
)
from referrals.services.visits import visit_book, visit_record
from tests.partnerships.factories import OrganisationFactory, StaffUserFactory, TeamFactory
from tests.referrals.factories import ClientFactory, ConsentFactory
from tests.sign_in import TEST_TOTP_SECRET, password_sign_in, totp_set_up

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
# Wednesday 25 November 2026, mid-morning: the week runs Monday 23 to Sunday 29 November, and the
# quarter 1 October to 31 December 2026.
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=LONDON)
SENT = datetime(2026, 11, 16, 9, 0, tzinfo=LONDON)  # due to be acknowledged by 18 November (2 working days)
ACCEPTED = datetime(2026, 11, 17, 9, 0, tzinfo=LONDON)  # acknowledged in time
PASSWORD = "correct-horse-battery"  # set by UserFactory


def at(day: int, hour: int, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=LONDON)


def _staff(username, organisation, team, *roles):
    user = StaffUserFactory(username=username, membership__organisation=organisation, membership__team=team)
    user.groups.set([Group.objects.get_or_create(name=role)[0] for role in roles])
    return user


def _send(by, to, *, holder, to_team=None):
    """A referral of a new client of `holder`, with consent, sent now."""
    client = ClientFactory(organisation=holder)
    ConsentFactory(client=client, organisations=[to], given_on=date(2026, 10, 1))
    draft = referral_create(
        client=client, by=by, to_organisation=to, to_team=to_team, referral_type="pension_credit", reason="Low income"
    )
    return referral_send(referral_id=draft.pk, by=by)


def _due(referral, **dates):
    """Hand-set due dates, so each referral sits exactly where the test wants it."""
    Referral.objects.filter(pk=referral.pk).update(**dates)


def _visit(client, by, starts_at, officers=None):
    return visit_book(
        client=client,
        by=by,
        starts_at=starts_at,
        kind=Visit.Kind.HOME,
        place="",
        officers=officers or [by],
        purposes=[Visit.Purpose.FINANCIAL_ASSESSMENT],
    )


@pytest.fixture
def world(db):
    """The fixed dataset. Referrals R1-R7 go from the council to the Pension Service, R8-R11 come back,
    R12 reaches the Pension Service from Southshire, R13 goes from Southshire to the NHS."""
    council = OrganisationFactory(name="Northshire County Council", short_name="Northshire CC", kind="council")
    pension = OrganisationFactory(name="The Pension Service", short_name="Pension Service", kind="pension_service")
    southshire = OrganisationFactory(name="Southshire County Council", kind="council")
    nhs = OrganisationFactory(name="Northshire NHS", kind="nhs")
    visiting, direct_payments = (
        TeamFactory(organisation=council, name="Fairer Charging visiting team"),
        TeamFactory(organisation=council, name="Direct Payments team"),
    )
    w = SimpleNamespace(council=council, pension_service=pension, southshire=southshire, visiting=visiting)
    w.officer = _staff("officer", council, visiting, Role.VISITING_OFFICER)
    w.colleague = _staff("colleague", council, visiting, Role.VISITING_OFFICER)
    w.manager = _staff("manager", council, visiting, Role.TEAM_MANAGER)
    w.partnerships = _staff("partnerships", council, TeamFactory(organisation=council), Role.PARTNERSHIP_MANAGER)
    w.secretary = _staff("secretary", council, TeamFactory(organisation=council), Role.BOARD_SECRETARY)
    w.finance = _staff("finance", council, TeamFactory(organisation=council), Role.FINANCE_OFFICER)
    w.approver = _staff("approver", council, TeamFactory(organisation=council), Role.FINANCE_APPROVER)
    pension_team = TeamFactory(organisation=pension, name="Local Service visiting team")
    w.pension = _staff("pension", pension, pension_team, Role.VISITING_OFFICER)
    w.pension_colleague = _staff("pension2", pension, pension_team, Role.VISITING_OFFICER)
    w.outsider = _staff(
        "outsider", southshire, TeamFactory(organisation=southshire), Role.VISITING_OFFICER, Role.TEAM_MANAGER
    )

    with time_machine.travel(SENT, tick=False):
        r = {n: _send(w.officer, pension, holder=council) for n in range(1, 7)}
        r[7] = _send(w.colleague, pension, holder=council)
        r[8] = _send(w.pension, council, holder=pension, to_team=visiting)
        r[9] = _send(w.pension, council, holder=pension)
        r[10] = _send(w.pension, council, holder=pension, to_team=direct_payments)
        r[11] = _send(w.pension, council, holder=pension, to_team=visiting)
        r[12] = _send(w.outsider, pension, holder=southshire)
        r[13] = _send(w.outsider, nhs, holder=southshire)
        referral_create(  # a draft: never counted
            client=ClientFactory(organisation=council),
            by=w.officer,
            to_organisation=pension,
            referral_type="attendance_allowance",
            reason="Needs help with personal care",
        )
    with time_machine.travel(ACCEPTED, tick=False):
        for n in (3, 4, 5, 6):
            referral_accept(referral_id=r[n].pk, by=w.pension)
        for n in (3, 4, 5):
            referral_assign(referral_id=r[n].pk, by=w.pension, officer=w.pension)
        referral_start(referral_id=r[4].pk, by=w.pension)
        for n in (9, 11):
            referral_accept(referral_id=r[n].pk, by=w.manager)
            referral_assign(referral_id=r[n].pk, by=w.manager, officer=w.officer)
        referral_start(referral_id=r[11].pk, by=w.officer)
    with time_machine.travel(at(23, 15), tick=False):
        referral_complete(
            referral_id=r[6].pk,
            by=w.pension,
            successful=True,
            benefits=[BenefitResult("pension_credit", "awarded", Decimal("38.20"), date(2026, 11, 23))],
        )
    _due(r[1], acknowledge_by=date(2026, 11, 24))  # overdue
    _due(r[2], acknowledge_by=date(2026, 11, 25))  # due today
    _due(r[3], complete_by=date(2026, 11, 27))  # due this week
    _due(r[4], complete_by=date(2026, 12, 10))  # due later
    _due(r[5], complete_by=date(2026, 11, 20))  # overdue
    _due(r[7], acknowledge_by=date(2026, 11, 30))  # next week
    _due(r[8], acknowledge_by=date(2026, 11, 23))  # overdue
    _due(r[9], complete_by=date(2026, 11, 24))  # overdue
    _due(r[10], acknowledge_by=date(2026, 11, 20))  # overdue, but for the other team
    _due(r[11], complete_by=date(2026, 12, 3))
    _due(r[12], acknowledge_by=date(2026, 11, 20))  # overdue
    _due(r[13], acknowledge_by=date(2026, 11, 20))  # overdue, between two other organisations
    w.referrals = r

    with time_machine.travel(at(16, 8), tick=False):
        edith = ClientFactory(organisation=council)
        _visit(edith, w.officer, at(25, 15))  # today
        _visit(edith, w.officer, at(25, 12), officers=[w.officer, w.pension])  # today, a joint visit
        done = _visit(edith, w.officer, at(23, 9))  # Monday, recorded
        _visit(edith, w.officer, at(24, 11))  # Tuesday, not recorded
        _visit(edith, w.officer, at(29, 11), officers=[w.officer, w.manager])  # Sunday
        _visit(edith, w.officer, at(19, 11))  # last Thursday, not recorded
        _visit(edith, w.officer, at(30, 10))  # next Monday
        _visit(edith, w.manager, at(25, 11), officers=[w.manager])  # not the officer's
        _visit(ClientFactory(organisation=southshire), w.outsider, at(25, 9))  # Southshire's
    with time_machine.travel(at(23, 17), tick=False):
        visit_record(visit_id=done.pk, by=w.officer, notes="Forms collected.", status=Visit.Status.DONE)

    with time_machine.travel(at(20, 9), tick=False):
        for _ in range(2):
            assessment_create(
                client=ClientFactory(organisation=council), by=w.officer, effective_date=date(2026, 11, 2)
            )
        # a complete one (2024/25 has every rate it needs): not a draft
        finished = assessment_create(client=edith, by=w.officer, effective_date=date(2024, 7, 1))
        income_line_add(assessment=finished, by=w.officer, type="state_pension", amount=Decimal("300.00"))
        assessment_complete(assessment=finished, by=w.officer)
        assessment_create(client=edith, by=w.colleague, effective_date=date(2026, 11, 2))  # a colleague's draft
        assessment_create(
            client=ClientFactory(organisation=southshire), by=w.outsider, effective_date=date(2026, 11, 2)
        )
    return w


_COUNT = re.compile(r'<(?:a|span)([^>]*?)data-testid="(count-[a-z-]+)" data-count="(\d+)"')


def _counts(body: str) -> dict[str, tuple[int, str]]:
    """Every count on the page: testid -> (number, link)."""
    found = {}
    for attributes, testid, number in _COUNT.findall(body):
        link = re.search(r'href="([^"]*)"', attributes)
        found[testid] = (int(number), html.unescape(link.group(1)) if link else "")
    return found


def _home(client, user) -> str:
    client.force_login(user)
    with time_machine.travel(NOW, tick=False):
        response = client.get(reverse("core:home"))
    assert response.status_code == 200
    return response.content.decode()


def _sections(body: str) -> list[str]:
    return re.findall(r'<section class="[^"]*" data-testid="home-([a-z-]+)">', body)


OFFICER = {
    "count-assigned-overdue": 1,  # R9
    "count-sent-overdue": 2,  # R1, R5
    "count-visits-not-recorded": 2,  # Tuesday's and last Thursday's
    "count-visits-today": 2,  # 12pm joint visit, 3pm
    "count-visits-week": 5,  # Monday, Tuesday, today twice, Sunday
    "count-assigned-open": 2,  # R9, R11
    "count-sent-open": 5,  # R1-R5 (R6 completed, R7 a colleague's, the draft never sent)
    "count-drafts": 2,  # not the completed one, not the colleague's, not Southshire's
}
PENSION = {
    "count-inbox-sent": 4,  # R1, R2, R7, R12
    "count-inbox-accepted": 2,  # R3, R5
    "count-inbox-in-progress": 1,  # R4
    "count-inbox-open": 7,
    "count-inbox-overdue": 3,  # R1, R5, R12
    "count-inbox-due-today": 1,  # R2
    "count-inbox-due-week": 2,  # R2 today, R3 on Friday
    "count-inbox-unassigned": 4,  # R1, R2, R7, R12
    "count-assigned-overdue": 1,  # R5
    "count-sent-overdue": 3,  # R8, R9, R10
    "count-visits-not-recorded": 0,
    "count-visits-today": 1,  # the joint visit
    "count-visits-week": 1,
    "count-assigned-open": 3,  # R3, R4, R5
    "count-sent-open": 4,  # R8-R11
}
MANAGER = {
    "count-team-overdue": 2,  # R8 to the team, R9 to no particular team (R10 is the other team's)
    "count-team-unassigned": 1,  # R8
    "count-team-sent-overdue": 2,  # R1, R5
}
PARTNERSHIPS = {
    "count-quarter-sent": 7,  # R1-R7
    "count-quarter-received": 4,  # R8-R11
    "count-quarter-awards": 1,  # R6
    "count-organisation-received-overdue": 3,  # R8, R9, R10
    "count-organisation-sent-overdue": 2,  # R1, R5
}
OUTSIDER = {  # Southshire sees only its own: R12 and R13 (both overdue), its visit today and its draft
    "count-assigned-overdue": 0,
    "count-sent-overdue": 2,
    "count-visits-not-recorded": 0,
    "count-visits-today": 1,
    "count-visits-week": 1,
    "count-assigned-open": 0,
    "count-sent-open": 2,
    "count-drafts": 1,
    "count-team-overdue": 0,
    "count-team-unassigned": 0,
    "count-team-sent-overdue": 2,
}


@pytest.mark.parametrize(
    "username, sections, expected",
    [
        ("officer", ["officer", "assessment-drafts"], OFFICER),
        ("pension", ["partner-inbox", "officer"], PENSION),
        ("manager", ["team"], MANAGER),
        ("partnerships", ["partnerships"], PARTNERSHIPS),
    ],
)
def test_each_role_sees_its_sections_with_every_count_right(client, world, username, sections, expected):
    body = _home(client, getattr(world, username))
    assert _sections(body) == sections
    assert {testid: n for testid, (n, _) in _counts(body).items()} == expected


def test_a_partnership_manager_sees_this_quarters_feedback_figures(client, world):
    body = _home(client, world.partnerships)
    assert "This quarter: 1 October 2026 to 31 December 2026" in body
    assert '<span data-testid="quarter-gained">£38.20</span> a week' in body
    # R9 and R11 acknowledged the day after they were sent; R8 and R10 not at all, and overdue
    assert re.search(r'data-testid="quarter-acknowledged">\s*50% \(2 of 4\)', body)
    # only R9 was due to be completed by now, and it is not
    assert re.search(r'data-testid="quarter-completed">\s*0% \(0 of 1\)', body)
    # the same figures as the partner feedback page
    with time_machine.travel(NOW, tick=False):
        feedback = client.get(reverse("referrals:partner-feedback")).content.decode()
    assert "<strong>7</strong>" in feedback and "<strong>4</strong>" in feedback
    assert '<strong data-testid="total-gained">£38.20</strong>' in feedback


def test_another_organisation_sees_only_its_own_records(client, world):
    body = _home(client, world.outsider)
    assert _sections(body) == ["officer", "assessment-drafts", "team"]
    assert {testid: n for testid, (n, _) in _counts(body).items()} == OUTSIDER
    assert world.referrals[1].reference not in body
    assert world.referrals[13].reference in body


def _rows(body: str, testid: str) -> int:
    """Rows in the body of the table marked `testid`; 0 when the page says there are none instead."""
    start = body.index(f'data-testid="{testid}"')
    if not body[body.rindex("<", 0, start) : start].startswith("<table"):
        return 0
    table = body[start : body.index("</table>", start)]
    return table.split("<tbody", 1)[1].count('class="govuk-table__row"')


# Which table on the linked page holds the rows a count counts.
LIST_TABLE = {
    "count-visits-today": "visits-today",
    "count-visits-week": "visits-week",
    "count-visits-not-recorded": "visits-not-recorded",
    "count-drafts": "assessment-table",
}


@pytest.mark.parametrize("username", ["officer", "pension", "manager", "partnerships", "outsider"])
def test_every_count_links_to_a_list_of_exactly_that_many(client, world, username):
    body = _home(client, getattr(world, username))
    counts = _counts(body)
    assert counts
    for testid, (n, link) in counts.items():
        if n == 0:
            assert link == "", f"{testid}: a zero is not a link"
            continue
        with time_machine.travel(NOW, tick=False):
            response = client.get(link)
        assert response.status_code == 200, (testid, link)
        page = response.content.decode()
        if testid.startswith("count-quarter-"):
            assert link == reverse("referrals:partner-feedback")
            continue
        table = LIST_TABLE.get(testid, "referral-table")
        assert _rows(page, table) == n, (testid, link)
        if table == "referral-table":
            assert f'data-testid="result-count">{n} referral' in page


def test_a_count_link_and_the_inbox_filters_agree_on_the_referrals(client, world):
    """The pension officer's overdue count is R1, R5 and R12: the linked list shows those three."""
    body = _home(client, world.pension)
    _, link = _counts(body)["count-inbox-overdue"]
    with time_machine.travel(NOW, tick=False):
        page = client.get(link).content.decode()
    shown = {ref.reference for ref in Referral.objects.exclude(reference=None) if ref.reference in page}
    assert shown == {world.referrals[n].reference for n in (1, 5, 12)}
    assert '<option value="overdue" selected>Overdue</option>' in page


@pytest.mark.parametrize(
    "username, landing, heading",
    [
        ("officer", "/", "Your visits and referrals"),
        ("manager", "/", "Your team: Fairer Charging visiting team"),
        ("partnerships", "/", "Partnerships: Northshire CC"),
        ("pension", "/", "Referrals received by Pension Service"),
        ("secretary", "/boards/home/", "Secretariat"),
        ("finance", "/direct-payments/home/", "Direct payments"),
        ("approver", "/direct-payments/home/", "Direct payments"),
    ],
)
def test_each_role_lands_on_its_home_page_after_signing_in(client, world, username, landing, heading):
    secret = None
    if username in ("finance", "approver"):  # finance roles sign in with an authenticator app's code too
        secret = TEST_TOTP_SECRET
        totp_set_up(getattr(world, username), secret)
    with time_machine.travel(NOW, tick=False):
        response = password_sign_in(client, username, PASSWORD, totp_secret=secret)
    assert response.request["PATH_INFO"] == landing
    assert heading in response.content.decode()


def test_someone_with_two_roles_sees_both_sections_most_relevant_first(client, world):
    # given an officer who is also the board secretary
    world.officer.groups.add(Group.objects.get_or_create(name=Role.BOARD_SECRETARY)[0])
    body = _home(client, world.officer)
    # then they stay on the home page: their day first, then a way to the secretariat's page
    assert _sections(body) == ["officer", "assessment-drafts", "secretariat"]
    assert f'href="{reverse("boards:home")}"' in body


def test_a_manager_with_no_team_manages_the_whole_organisations_referrals(client, world):
    # given the manager belongs to no team
    membership = world.manager.membership
    membership.team = None
    membership.save()
    body = _home(client, world.manager)
    counts = _counts(body)
    # then every referral the council received or sent counts: R8, R9 and R10 overdue; R8 and R10
    # assigned to nobody; R1 and R5 overdue at the Pension Service
    assert {testid: n for testid, (n, _) in counts.items()} == {
        "count-team-overdue": 3,
        "count-team-unassigned": 2,
        "count-team-sent-overdue": 2,
    }
    assert "Your organisation’s referrals" in body
    # and the inbox offers no team filter, so the count's team=mine changes nothing
    with time_machine.travel(NOW, tick=False):
        page = client.get(counts["count-team-overdue"][1]).content.decode()
    assert 'name="team"' not in page
    assert _rows(page, "referral-table") == 3


def test_a_user_with_no_organisation_is_told_to_ask_an_administrator(client, world):
    world.officer.membership.delete()
    world.officer.refresh_from_db()
    body = _home(client, world.officer)
    assert _sections(body) == []
    assert "Your account is not linked to an organisation" in body


def _more(world):
    """Ten more of everything the home pages count, for every role."""
    council, pension = world.council, world.pension_service
    with time_machine.travel(SENT, tick=False):
        sent = [_send(world.officer, pension, holder=council) for _ in range(5)]
        back = [_send(world.pension, council, holder=pension, to_team=world.visiting) for _ in range(5)]
    with time_machine.travel(ACCEPTED, tick=False):
        for referral in sent[:2]:
            referral_accept(referral_id=referral.pk, by=world.pension)
            referral_assign(referral_id=referral.pk, by=world.pension, officer=world.pension)
        referral_accept(referral_id=back[0].pk, by=world.manager)
        referral_assign(referral_id=back[0].pk, by=world.manager, officer=world.officer)
    Referral.objects.filter(pk__in=[r.pk for r in sent + back]).update(
        acknowledge_by=date(2026, 11, 20), complete_by=date(2026, 11, 24)
    )
    with time_machine.travel(at(16, 8), tick=False):
        person = ClientFactory(organisation=council)
        for hour in range(9, 14):
            _visit(person, world.officer, at(25, hour), officers=[world.officer, world.pension, world.manager])
            _visit(person, world.officer, at(20, hour))
        for _ in range(5):
            assessment_create(client=person, by=world.officer, effective_date=date(2026, 11, 2))


@pytest.mark.parametrize(
    "username, most",
    # manager: one more for the people waiting for a role after their first single sign-on (accounts)
    [("officer", 14), ("pension", 13), ("manager", 11), ("partnerships", 13), ("secretary", 5), ("finance", 5)],
)
def test_home_page_queries_do_not_grow_with_the_data(client, world, username, most, django_assert_max_num_queries):
    user = getattr(world, username)
    client.force_login(user)
    with time_machine.travel(NOW, tick=False), CaptureQueriesContext(connection) as small:
        client.get(reverse("core:home"))
    assert len(small.captured_queries) <= most
    _more(world)
    with time_machine.travel(NOW, tick=False), django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("core:home"))
    assert response.status_code in (200, 302)
