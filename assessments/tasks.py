from celery import shared_task
from django.contrib.auth import get_user_model

from partnerships.models import Organisation
from referrals.models import BenefitOutcome

from .services import assessment_reassess_for_award, rates_reminders_send, uprating_prepare


@shared_task(acks_late=True, autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True, max_retries=5)
def uprating_prepare_task(*, organisation_id: int, start_year: int, by_id: int) -> dict:
    """Prepare the April uprating drafts for an organisation (idempotent: safe to run twice)."""
    drafts = uprating_prepare(
        organisation=Organisation.objects.get(pk=organisation_id),
        start_year=start_year,
        by=get_user_model().objects.get(pk=by_id),
    )
    return {"drafts": len(drafts)}


@shared_task(acks_late=True, autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True, max_retries=5)
def assessment_reassess_for_award_task(*, outcome_id: int) -> int | None:
    """An award recorded on a referral outcome: draft the client's re-assessment with the new income
    (idempotent: a second run finds the draft and changes nothing). The referring officer owns it."""
    outcome = BenefitOutcome.objects.select_related("referral__from_officer").get(pk=outcome_id)
    draft = assessment_reassess_for_award(outcome=outcome, by=outcome.referral.from_officer)
    return draft.pk if draft else None


@shared_task(acks_late=True, autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True, max_retries=5)
def rates_reminders_send_task() -> int:
    """Daily in February and March: remind council finance leads that next year's rates are not entered or
    not confirmed (each person at most once a month for each of those; safe to run twice or at once)."""
    return rates_reminders_send()
