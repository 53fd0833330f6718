"""Reads for the partnerships register, scoped to what the user's organisation may see.

A user sees partnerships their organisation is a member of (and their agreements, reviews and
action plans); the contacts directory is open to every signed-in member of staff; accreditations
are seen by the officer's organisation and the accrediting one.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from core.access import organisation_of

from .models import (
    Accreditation,
    ActionPlanItem,
    Agreement,
    Contact,
    CustomerGroup,
    Organisation,
    PartnerCategory,
    Partnership,
    PartnershipMember,
    PartnershipReview,
    ReferralType,
    RoutingRule,
    ServiceLevel,
)
from .models.register import CONTACT_STALE_AFTER, DEFAULT_ACKNOWLEDGE_WORKING_DAYS, DEFAULT_COMPLETE_WORKING_DAYS


def partnership_list_for_user(*, user) -> QuerySet[Partnership]:
    """Partnerships the user's organisation belongs to, with members and key contacts prefetched."""
    organisation = organisation_of(user)
    if organisation is None:
        return Partnership.objects.none()
    members = PartnershipMember.objects.select_related("organisation", "key_contact")
    return (
        Partnership.objects.filter(
            Exists(PartnershipMember.objects.filter(partnership=OuterRef("pk"), organisation=organisation))
        )
        .prefetch_related(Prefetch("members", queryset=members))
        .order_by("name")
    )


def partnership_filter(
    *,
    partnerships: QuerySet[Partnership],
    organisation: Organisation | None = None,
    kind: str = "",
    status: str = "",
    review_due: bool = False,
    on: date | None = None,
) -> QuerySet[Partnership]:
    """Filter the partnerships list by member organisation, type, status and whether a review is due."""
    if organisation is not None:
        partnerships = partnerships.filter(
            Exists(PartnershipMember.objects.filter(partnership=OuterRef("pk"), organisation=organisation))
        )
    if kind:
        partnerships = partnerships.filter(kind=kind)
    if status:
        partnerships = partnerships.filter(status=status)
    if review_due:
        partnerships = partnerships.filter(next_review_date__lte=on or timezone.localdate())
    return partnerships


def agreement_list_for_user(*, user) -> QuerySet[Agreement]:
    return Agreement.objects.filter(partnership__in=partnership_list_for_user(user=user)).select_related("partnership")


def contact_list(
    *,
    query: str = "",
    organisation: Organisation | None = None,
    function: str = "",
    stale_only: bool = False,
    on: date | None = None,
) -> QuerySet[Contact]:
    """The contacts directory (every member of staff may read it): search by name, organisation,
    function, job title, phone or e-mail; optionally only stale entries."""
    contacts = Contact.objects.filter(is_active=True).select_related("organisation", "owner")
    for word in (query or "").split():
        contacts = contacts.filter(
            Q(name__icontains=word)
            | Q(organisation__name__icontains=word)
            | Q(organisation__short_name__icontains=word)
            | Q(job_title__icontains=word)
            | Q(function__icontains=word.replace(" ", "_"))
            | Q(email__icontains=word)
            | Q(phone__icontains=word)
        )
    if organisation is not None:
        contacts = contacts.filter(organisation=organisation)
    if function:
        contacts = contacts.filter(function=function)
    if stale_only:
        contacts = contacts.filter(last_verified_on__lt=(on or timezone.localdate()) - CONTACT_STALE_AFTER)
    return contacts


def organisations_partnered_with(*, organisation: Organisation) -> QuerySet[Organisation]:
    """The organisation itself and every organisation it shares a partnership with (any status)."""
    partnerships = Partnership.objects.filter(members__organisation=organisation)
    return Organisation.objects.filter(
        Q(pk=organisation.pk) | Q(partnership_memberships__partnership__in=partnerships)
    ).distinct()


def contact_list_editable_by(*, user) -> QuerySet[Contact]:
    """Contacts a partnership manager may change: their own organisation's and its partners'."""
    organisation = organisation_of(user)
    if organisation is None:
        return Contact.objects.none()
    return Contact.objects.filter(organisation__in=organisations_partnered_with(organisation=organisation))


def accreditation_list_for_user(*, user) -> QuerySet[Accreditation]:
    """Accreditations of the user's organisation's officers, or given by the user's organisation."""
    organisation = organisation_of(user)
    if organisation is None:
        return Accreditation.objects.none()
    return Accreditation.objects.filter(
        Q(officer__membership__organisation=organisation) | Q(accrediting_organisation=organisation)
    ).select_related("officer", "officer__membership__organisation", "accrediting_organisation", "agreement")


def action_plan_list_for_user(*, user) -> QuerySet[ActionPlanItem]:
    """Actions for the user's partnerships, or for their organisation's district."""
    organisation = organisation_of(user)
    if organisation is None:
        return ActionPlanItem.objects.none()
    district_match = (
        Q(partnership__isnull=True, district=organisation.district) if organisation.district else Q(pk__in=[])
    )
    return ActionPlanItem.objects.filter(
        Q(partnership__in=partnership_list_for_user(user=user)) | district_match
    ).select_related("partnership", "owner")


def review_list_for_user(*, user) -> QuerySet[PartnershipReview]:
    return PartnershipReview.objects.filter(partnership__in=partnership_list_for_user(user=user)).select_related(
        "partnership", "reviewed_by"
    )


# --- Service levels and routing -------------------------------------------------------------


@dataclass(frozen=True)
class ServiceLevelTerms:
    acknowledge_working_days: int
    complete_working_days: int
    agreement: Agreement | None  # None: the defaults apply

    @property
    def source(self) -> str:
        if self.agreement is None:
            return "JointCase defaults (no service level agreement sets them)"
        return f"{self.agreement.title} v{self.agreement.version}"


def _agreements_in_force(*, kind: str, between: tuple[Organisation, Organisation], on: date) -> QuerySet[Agreement]:
    """Current, signed agreements of one kind in active partnerships that include both organisations."""
    sender, receiver = between
    return (
        Agreement.objects.filter(
            kind=kind,
            is_current=True,
            signed_on__isnull=False,
            signed_on__lte=on,
            partnership__status=Partnership.Status.ACTIVE,
        )
        .filter(Exists(PartnershipMember.objects.filter(partnership=OuterRef("partnership"), organisation=sender)))
        .filter(Exists(PartnershipMember.objects.filter(partnership=OuterRef("partnership"), organisation=receiver)))
        .order_by("-signed_on", "-pk")
    )


def service_level_for(
    *, sender: Organisation, receiver: Organisation, referral_type: str, on: date | None = None
) -> ServiceLevelTerms:
    """The working days to acknowledge and complete a referral from `sender` to `receiver`.

    The newest SLA in force between the two that sets the referral type wins; with none, the
    defaults (2 working days to acknowledge, 20 to complete).
    """
    day = on or timezone.localdate()
    agreements = _agreements_in_force(kind=Agreement.Kind.SLA, between=(sender, receiver), on=day)
    level = (
        ServiceLevel.objects.filter(agreement__in=agreements, referral_type=referral_type)
        .select_related("agreement")
        .order_by("-agreement__signed_on", "-agreement__pk")
        .first()
    )
    if level is None:
        return ServiceLevelTerms(DEFAULT_ACKNOWLEDGE_WORKING_DAYS, DEFAULT_COMPLETE_WORKING_DAYS, None)
    return ServiceLevelTerms(level.acknowledge_working_days, level.complete_working_days, level.agreement)


@dataclass(frozen=True)
class RoutingDecision:
    accepted: bool
    reason: str
    rule: RoutingRule | None = None


def routing_rule_evaluate(*, rule: RoutingRule, referral_type: str, client_age: int | None) -> RoutingDecision:
    """Does one routing rule accept a referral of this type for a client of this age?"""
    type_labels = dict(ReferralType.choices)
    name = rule.receiving_organisation.display_name
    if rule.referral_types and referral_type not in rule.referral_types:
        return RoutingDecision(
            False, f"{name} does not take {type_labels.get(referral_type, referral_type)} referrals.", rule
        )
    if client_age is not None and rule.minimum_age is not None and client_age < rule.minimum_age:
        return RoutingDecision(False, f"{name} only takes clients aged {rule.minimum_age} or over.", rule)
    if client_age is not None and rule.maximum_age is not None and client_age > rule.maximum_age:
        return RoutingDecision(False, f"{name} only takes clients aged {rule.maximum_age} or under.", rule)
    return RoutingDecision(True, f"{name} accepts this referral.", rule)


def routing_check(
    *, sender: Organisation, receiver: Organisation, referral_type: str, client_age: int | None, on: date | None = None
) -> RoutingDecision:
    """Whether `receiver` accepts this referral under the routing rules of agreements in force.

    With no routing rule for the receiver, it accepts everything; with rules, any one accepting wins.
    """
    day = on or timezone.localdate()
    agreements = Agreement.objects.filter(
        is_current=True,
        signed_on__isnull=False,
        signed_on__lte=day,
        partnership__status=Partnership.Status.ACTIVE,
        partnership__members__organisation=sender,
    ).filter(partnership__members__organisation=receiver)
    rules = list(
        RoutingRule.objects.filter(agreement__in=agreements, receiving_organisation=receiver).select_related(
            "receiving_organisation"
        )
    )
    if not rules:
        return RoutingDecision(True, "No routing rules limit this referral.")
    decisions = [routing_rule_evaluate(rule=rule, referral_type=referral_type, client_age=client_age) for rule in rules]
    accepted = [decision for decision in decisions if decision.accepted]
    return accepted[0] if accepted else decisions[0]


# --- Audit and gap analysis -----------------------------------------------------------------


@dataclass(frozen=True)
class GapRow:
    code: str
    label: str
    partnerships: tuple[Partnership, ...]

    @property
    def is_gap(self) -> bool:
        return not self.partnerships


@dataclass(frozen=True)
class GapAnalysis:
    partners: tuple[GapRow, ...]
    customer_groups: tuple[GapRow, ...]

    @property
    def partner_gaps(self) -> int:
        return sum(row.is_gap for row in self.partners)

    @property
    def customer_group_gaps(self) -> int:
        return sum(row.is_gap for row in self.customer_groups)


def gap_analysis(*, user, district: str = "") -> GapAnalysis:
    """For each core partner kind and customer group: the user's active partnerships that cover it.

    A partner kind is covered when an active partnership of the user's organisation includes another
    organisation of that kind (in the district, if one is given); a customer group when an active
    partnership says it reaches that group. Uncovered rows are the gaps (report 693 §2.2, step 1).
    """
    own = organisation_of(user)
    partnerships = list(partnership_list_for_user(user=user).filter(status=Partnership.Status.ACTIVE))
    by_category: dict[str, list[Partnership]] = {code: [] for code in PartnerCategory.values}
    by_group: dict[str, list[Partnership]] = {code: [] for code in CustomerGroup.values}
    for partnership in partnerships:
        for member in partnership.members.all():
            organisation = member.organisation
            if own is not None and organisation.pk == own.pk:
                continue
            if district and organisation.district and organisation.district != district:
                continue
            for code in organisation.partner_categories:
                if code in by_category and partnership not in by_category[code]:
                    by_category[code].append(partnership)
        for code in partnership.customer_groups:
            if code in by_group:
                by_group[code].append(partnership)
    return GapAnalysis(
        partners=tuple(GapRow(code, label, tuple(by_category[code])) for code, label in PartnerCategory.choices),
        customer_groups=tuple(GapRow(code, label, tuple(by_group[code])) for code, label in CustomerGroup.choices),
    )
