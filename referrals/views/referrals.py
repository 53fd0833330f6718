"""Views: referrals (refer a client, inbox, outbox, detail and actions, outcome)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.urls import path

from core.access import organisation_required

from ..selectors_referrals import referral_list_for_user


@login_required
@organisation_required
def referral_detail_view(request, pk):
    referral = get_object_or_404(referral_list_for_user(user=request.user), pk=pk)
    return render(request, "referrals/referral_detail.html", {"referral": referral})


urlpatterns = [
    path("referrals/<int:pk>/", referral_detail_view, name="referral-detail"),
]
