"""Writes for local action plans and interim and annual partnership reviews."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core.audit import save_with_history

from ..models import ActionPlanItem, Partnership, PartnershipReview


@transaction.atomic
def action_plan_item_create(*, by, **fields) -> ActionPlanItem:
    """Add an action to a local action plan (for a partnership or a district)."""
    item = ActionPlanItem(**fields)
    if item.partnership_id is None and not item.district:
        raise ValidationError({"district": "Choose a partnership or enter the district the action is for"})
    return save_with_history(item, by=by)


@transaction.atomic
def action_plan_item_update(*, item: ActionPlanItem, by, **fields) -> ActionPlanItem:
    """Change an action on the plan (its owner, milestone, indicator or status)."""
    item = ActionPlanItem.objects.select_for_update().get(pk=item.pk)
    for name, value in fields.items():
        setattr(item, name, value)
    return save_with_history(item, by=by)


@transaction.atomic
def partnership_review_create(*, partnership: Partnership, by, **fields) -> PartnershipReview:
    """Record an interim or annual review with its key indicators."""
    fields.setdefault("reviewed_on", timezone.localdate())
    review = PartnershipReview(partnership=partnership, reviewed_by=by, **fields)
    return save_with_history(review, by=by)
