"""Views: visits (book, record, my visits)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.urls import path

from core.access import organisation_required

from ..selectors_referrals import visit_list_for_user


@login_required
@organisation_required
def visit_detail_view(request, pk):
    visit = get_object_or_404(visit_list_for_user(user=request.user), pk=pk)
    return render(request, "referrals/visit_detail.html", {"visit": visit})


urlpatterns = [
    path("visits/<int:pk>/", visit_detail_view, name="visit-detail"),
]
