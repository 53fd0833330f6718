from django.urls import path

from . import views

app_name = "referrals"

urlpatterns = [
    path("", views.client_list_view, name="client-list"),
    path("new/", views.client_create_view, name="client-create"),
    path("<int:pk>/", views.client_detail_view, name="client-detail"),
    path("<int:pk>/edit/", views.client_edit_view, name="client-edit"),
    path("<int:pk>/history/", views.client_history_view, name="client-history"),
    path("<int:pk>/consents/new/", views.consent_create_view, name="consent-create"),
    path("consents/<int:pk>/withdraw/", views.consent_withdraw_view, name="consent-withdraw"),
]
