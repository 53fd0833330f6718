"""The public estimator: anyone may estimate what they might pay; nothing typed is stored."""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from .. import charging, rate_cells, services
from ..estimate import EstimateRequest
from ..forms import EstimateForm
from ..selectors import rates_for_date, rates_not_ready


@sensitive_post_parameters()
@never_cache
@require_http_methods(["GET", "POST"])
def estimate_view(request):
    """Public: estimate what you might pay, with this year's confirmed rates and the council's policy.
    Sent by POST (nothing typed reaches the address bar, history or logs; a GET always shows the empty
    form) and stores nothing. Where the rates do not allow an estimate, the page says so in plain words."""
    today = timezone.localdate()
    rates = rates_for_date(on=today)
    form = EstimateForm(request.POST) if request.method == "POST" else EstimateForm()
    result, problem = None, ""
    if rates is not None and form.is_bound and form.is_valid():
        try:
            result, _rates = services.charge_estimate(
                request=EstimateRequest(assessment_date=today, data=form.charge_input(), policy_overrides={})
            )
            result = result.as_dict()
        except charging.RatesNotReady as exc:
            problem = exc.public_message()
        except charging.ChargingError:
            problem = "We cannot work out an estimate from these answers. Check them, or contact adult social care."
    return render(
        request,
        "assessments/estimate.html",
        {
            "form": form,
            "result": result,
            "problem": problem,
            "rates": rates,
            "unavailable": "" if rates else rates_not_ready(on=today).public_message(),
            "cannot_estimate_for": [
                people for name, people in rate_cells.MIG_PEOPLE.items() if rates and getattr(rates, name) is None
            ],
            "care_cost_given": form.is_bound and bool(form.data.get("weekly_care_cost")),
        },
    )
