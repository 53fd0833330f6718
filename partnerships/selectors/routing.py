"""Service levels and routing between two organisations, from the agreements in force between them: how many
working days a receiver has to acknowledge and complete a referral, and whether it takes the referral at all."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from ..models import Agreement, Organisation, Partnership, PartnershipMember, ReferralType, RoutingRule, ServiceLevel
from ..models.register import DEFAULT_ACKNOWLEDGE_WORKING_DAYS, DEFAULT_COMPLETE_WORKING_DAYS


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


def agreements_in_force(*, kind: str, between: tuple[Organisation, Organisation], on: date) -> QuerySet[Agreement]:
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
    agreements = agreements_in_force(kind=Agreement.Kind.SLA, between=(sender, receiver), on=day)
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
