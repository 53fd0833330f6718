from datetime import date

import factory
from factory.django import DjangoModelFactory

from boards.models import Action, AgendaItem, Board, BoardMember, BoardOrganisation, Issue, Meeting
from tests.partnerships.factories import OrganisationFactory, StaffUserFactory


class BoardFactory(DjangoModelFactory):
    """A JCP/LA Joint Board co-chaired by a Jobcentre Plus and a council manager (both members)."""

    class Meta:
        model = Board
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Northshire Joint Board {n}")
    kind = Board.Kind.JCP_LA
    district = "Northshire"
    scope = Board.Scope.JOINT
    meeting_rule = Board.MeetingRule.TWO_IN_12_MONTHS
    established_on = date(2024, 1, 1)
    co_chair_a = factory.SubFactory(
        StaffUserFactory,
        membership__organisation=factory.SubFactory(
            OrganisationFactory, name="Northshire Jobcentre Plus", kind="jobcentre_plus"
        ),
    )
    co_chair_b = factory.SubFactory(StaffUserFactory)

    @factory.post_generation
    def chairs_are_members(self, create, extracted, **kwargs):
        if not create:
            return
        for chair in (self.co_chair_a, self.co_chair_b):
            organisation = chair.membership.organisation
            BoardOrganisation.objects.get_or_create(board=self, organisation=organisation)
            BoardMember.objects.create(
                board=self, person=chair, organisation=organisation, role=BoardMember.Role.CO_CHAIR
            )


class MeetingFactory(DjangoModelFactory):
    class Meta:
        model = Meeting

    board = factory.SubFactory(BoardFactory)
    date = date(2026, 3, 10)
    place = "Northshire County Hall"
    status = Meeting.Status.PLANNED


class AgendaItemFactory(DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    position = factory.Sequence(lambda n: n + 1)
    title = "Performance against the SLA"


class ActionFactory(DjangoModelFactory):
    class Meta:
        model = Action

    agenda_item = factory.SubFactory(AgendaItemFactory)
    description = "Send the clearance-time figures to the LA"
    owner = factory.LazyAttribute(lambda action: action.agenda_item.meeting.board.co_chair_a)
    due_on = date(2026, 4, 1)


class IssueFactory(DjangoModelFactory):
    class Meta:
        model = Issue

    board = factory.SubFactory(BoardFactory)
    title = "New claims delayed"
    category = "processing_delay"
    description = "New claims take 20 days to reach the council."
    lowest_level_attempt = "E-mailed the benefit centre twice."
    raised_by = factory.LazyAttribute(lambda issue: issue.board.co_chair_b)
    raised_by_organisation = factory.LazyAttribute(lambda issue: issue.raised_by.membership.organisation)
    raised_on = date(2026, 3, 2)
    level = 1
    level_since = date(2026, 3, 2)
