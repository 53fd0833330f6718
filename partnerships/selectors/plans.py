"""Reads for the audit and gap analysis, local action plans and partnership reviews."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from core.access import organisation_of

from ..models import ActionPlanItem, CustomerGroup, PartnerCategory, Partnership, PartnershipReview
from .register import partnership_list_for_user


def action_plan_list_for_user(*, user, status: str = "") -> QuerySet[ActionPlanItem]:
    """Actions for the user's partnerships, or for their organisation's district; optionally of one status."""
    organisation = organisation_of(user)
    if organisation is None:
        return ActionPlanItem.objects.none()
    district_match = (
        Q(partnership__isnull=True, district=organisation.district) if organisation.district else Q(pk__in=[])
    )
    items = ActionPlanItem.objects.filter(
        Q(partnership__in=partnership_list_for_user(user=user)) | district_match
    ).select_related("partnership", "owner")
    return items.filter(status=status) if status else items


def review_list_for_user(*, user) -> QuerySet[PartnershipReview]:
    return PartnershipReview.objects.filter(partnership__in=partnership_list_for_user(user=user)).select_related(
        "partnership", "reviewed_by"
    )


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
