from django.urls import path

from .views import clients, referrals, visits

app_name = "referrals"

urlpatterns = [
    path("", clients.client_list_view, name="client-list"),
    path("new/", clients.client_create_view, name="client-create"),
    path("<int:pk>/", clients.client_detail_view, name="client-detail"),
    path("<int:pk>/edit/", clients.client_edit_view, name="client-edit"),
    path("<int:pk>/history/", clients.client_history_view, name="client-history"),
    path("<int:pk>/consents/new/", clients.consent_create_view, name="consent-create"),
    path("consents/<int:pk>/withdraw/", clients.consent_withdraw_view, name="consent-withdraw"),
    *referrals.urlpatterns,
    *visits.urlpatterns,
]
