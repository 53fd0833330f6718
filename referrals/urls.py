from django.urls import path

from .views import clients, referrals, visits

app_name = "referrals"

urlpatterns = [
    # Clients and consent
    path("", clients.client_list_view, name="client-list"),
    path("new/", clients.client_create_view, name="client-create"),
    path("<int:pk>/", clients.client_detail_view, name="client-detail"),
    path("<int:pk>/edit/", clients.client_edit_view, name="client-edit"),
    path("<int:pk>/history/", clients.client_history_view, name="client-history"),
    path("<int:pk>/consents/new/", clients.consent_create_view, name="consent-create"),
    path("consents/<int:pk>/withdraw/", clients.consent_withdraw_view, name="consent-withdraw"),
    # Referrals
    path("<int:pk>/refer/", referrals.referral_create_view, name="referral-create"),
    path("referrals/inbox/", referrals.referral_inbox_view, name="referral-inbox"),
    path("referrals/outbox/", referrals.referral_outbox_view, name="referral-outbox"),
    path("referrals/feedback/", referrals.partner_feedback_view, name="partner-feedback"),
    path("referrals/<int:pk>/", referrals.referral_detail_view, name="referral-detail"),
    path("referrals/<int:pk>/accept/", referrals.referral_accept_view, name="referral-accept"),
    path("referrals/<int:pk>/reject/", referrals.referral_reject_view, name="referral-reject"),
    path("referrals/<int:pk>/assign/", referrals.referral_assign_view, name="referral-assign"),
    path("referrals/<int:pk>/start/", referrals.referral_start_view, name="referral-start"),
    path("referrals/<int:pk>/outcome/", referrals.referral_outcome_view, name="referral-outcome"),
    path("referrals/<int:pk>/withdraw/", referrals.referral_withdraw_view, name="referral-withdraw"),
    path("referrals/<int:pk>/close/", referrals.referral_close_view, name="referral-close"),
    # Visits
    path("<int:pk>/visits/new/", visits.visit_create_view, name="visit-create"),
    path("visits/mine/", visits.visit_mine_view, name="visit-mine"),
    path("visits/<int:pk>/", visits.visit_detail_view, name="visit-detail"),
    path("visits/<int:pk>/edit/", visits.visit_edit_view, name="visit-edit"),
    path("visits/<int:pk>/record/", visits.visit_record_view, name="visit-record"),
]
