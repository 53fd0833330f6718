"""The finance home page: what finance staff look at first."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from ..selectors import finance_home_for_user
from .access import FINANCE_ROLES, finance_required


@login_required
@finance_required(*FINANCE_ROLES)
def finance_home_view(request):
    home = finance_home_for_user(user=request.user, today=timezone.localdate())
    return render(
        request,
        "directpayments/finance_home.html",
        {"home": home, "runs": [("This month's run", home.current_run), ("Last month's run", home.last_run)]},
    )
