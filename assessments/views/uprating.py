"""The annual uprating for a council: prepare the re-assessments, preview old and new charges, apply them."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render

from core.access import organisation_of, role_required
from partnerships.models import Role

from .. import charging, services
from ..tasks import uprating_prepare_task
from .access import council_only

UPRATING_ROLES = (Role.TEAM_MANAGER,)  # the admin role counts as every role


@login_required
@role_required(*UPRATING_ROLES)
def uprating_view(request, start_year):
    """Annual uprating for the user's council: prepare the drafts (a Celery task), preview old and new
    charges (CSV too), then apply them all from 6 April."""
    council_only(request)
    organisation = organisation_of(request.user)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "prepare":
            transaction.on_commit(
                lambda: uprating_prepare_task.delay(
                    organisation_id=organisation.pk, start_year=start_year, by_id=request.user.pk
                )
            )
            messages.success(request, "Preparing the re-assessments. Refresh this page in a minute to see them.")
        elif action == "apply":
            done, problems = services.uprating_apply(organisation=organisation, start_year=start_year, by=request.user)
            messages.success(request, f"{done} new charges apply from 6 April {start_year}.")
            for problem in problems:
                messages.error(request, problem)
        return redirect("assessments:uprating", start_year=start_year)
    rows = services.uprating_preview(organisation=organisation, start_year=start_year)
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv")
        response["Content-Disposition"] = f'attachment; filename="uprating-{start_year}.csv"'
        writer = csv.writer(response)
        writer.writerow(["Client", "Effective date", "Old charge", "New charge", "Difference"])
        for row in rows:
            writer.writerow(
                [row.assessment.client.full_name, row.assessment.effective_date, row.old, row.new, row.difference]
            )
        return response
    return render(
        request,
        "assessments/uprating.html",
        {"rows": rows, "start_year": start_year, "year": charging.financial_year_label(start_year)},
    )
