"""Service levels and routing between two organisations, from the agreements in force between them: how many
working days a receiver has to acknowledge and complete a referral, and whether it takes the referral at all."""

from collections import defaultdict
from dataclasses import dataclass, field
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


def agreements_in_force(*, on: date, members: tuple[Organisation, ...], kind: str = "") -> QuerySet[Agreement]:
    """Current agreements signed by `on` (of one kind, if given) in active partnerships that include every
    one of `members`: the one definition of "in force" behind service levels and routing rules."""
    agreements = Agreement.objects.filter(
        is_current=True,
        signed_on__isnull=False,
        signed_on__lte=on,
        partnership__status=Partnership.Status.ACTIVE,
    )
    if kind:
        agreements = agreements.filter(kind=kind)
    for organisation in members:
        agreements = agreements.filter(
            Exists(PartnershipMember.objects.filter(partnership=OuterRef("partnership"), organisation=organisation))
        )
    return agreements


def service_level_for(
    *, sender: Organisation, receiver: Organisation, referral_type: str, on: date | None = None
) -> ServiceLevelTerms:
    """The working days to acknowledge and complete a referral from `sender` to `receiver`.

    The newest SLA in force between the two that sets the referral type wins; with none, the
    defaults (2 working days to acknowledge, 20 to complete).
    """
    day = on or timezone.localdate()
    agreements = agreements_in_force(kind=Agreement.Kind.SLA, members=(sender, receiver), on=day)
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


def _routing_rules_in_force(
    *, sender: Organisation, on: date, receiver: Organisation | None = None, active_receivers_only: bool = False
) -> QuerySet[RoutingRule]:
    """Routing rules of the agreements in force that `sender` is party to, for receivers in the same
    partnership (one receiver, if given; only organisations still active, if asked)."""
    receiver_is_member = PartnershipMember.objects.filter(
        partnership=OuterRef("agreement__partnership"), organisation=OuterRef("receiving_organisation")
    )
    rules = RoutingRule.objects.filter(agreement__in=agreements_in_force(on=on, members=(sender,))).filter(
        Exists(receiver_is_member)
    )
    if receiver is not None:
        rules = rules.filter(receiving_organisation=receiver)
    if active_receivers_only:
        rules = rules.filter(receiving_organisation__is_active=True)
    return rules.select_related("receiving_organisation")


def routing_check(
    *, sender: Organisation, receiver: Organisation, referral_type: str, client_age: int | None, on: date | None = None
) -> RoutingDecision:
    """Whether `receiver` accepts this referral under the routing rules of agreements in force.

    With no routing rule for the receiver, it accepts everything; with rules, any one accepting wins.
    """
    day = on or timezone.localdate()
    rules = list(_routing_rules_in_force(sender=sender, receiver=receiver, on=day))
    if not rules:
        return RoutingDecision(True, "No routing rules limit this referral.")
    decisions = [routing_rule_evaluate(rule=rule, referral_type=referral_type, client_age=client_age) for rule in rules]
    accepted = [decision for decision in decisions if decision.accepted]
    return accepted[0] if accepted else decisions[0]


@dataclass
class RoutingLimits:
    """What routing rules say about each destination for a client, whatever the referral type."""

    refused: list[tuple[Organisation, str]] = field(default_factory=list)  # not offered, and why
    limited: list[tuple[Organisation, str]] = field(default_factory=list)  # offered for some types only


def routing_limits(*, sender: Organisation, client_age: int, on: date) -> RoutingLimits:
    """For every active receiver with routing rules in force, in one query, as `routing_check` applies
    them: refused when no rule accepts a client of this age; limited when every rule that does names
    the referral types it takes."""
    rules = _routing_rules_in_force(sender=sender, on=on, active_receivers_only=True).order_by(
        "receiving_organisation__name", "pk"
    )
    by_receiver: dict[int, list[RoutingRule]] = defaultdict(list)
    for rule in rules:
        by_receiver[rule.receiving_organisation_id].append(rule)
    limits = RoutingLimits()
    for receiver_rules in by_receiver.values():
        organisation = receiver_rules[0].receiving_organisation
        decisions = [
            routing_rule_evaluate(
                rule=rule,
                referral_type=rule.referral_types[0] if rule.referral_types else ReferralType.BENEFIT_CHECK,
                client_age=client_age,
            )
            for rule in receiver_rules
        ]
        accepting = [decision.rule for decision in decisions if decision.accepted]
        if not accepting:
            limits.refused.append((organisation, decisions[0].reason))
        elif all(rule.referral_types for rule in accepting):
            labels = sorted({label for rule in accepting for label in rule.referral_type_labels})
            limits.limited.append((organisation, f"{organisation.name} only takes: {', '.join(labels)}."))
    return limits
