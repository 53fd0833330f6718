from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("account/", views.security_view, name="security"),
    path("account/two-factor-needed/", views.two_factor_required_view, name="two-factor-required"),
    path("account/sign-out-everywhere/", views.sign_out_everywhere_view, name="sign-out-everywhere"),
    path("account/confirm-at-your-organisation/", views.sso_confirm_view, name="sso-confirm"),
    path("organisation/sign-in/", views.sign_in_settings_view, name="sign-in-settings"),
    path("organisation/sign-in/events/", views.sign_in_event_list_view, name="sign-in-events"),
    path("organisation/people/", views.people_list_view, name="person-list"),
    path("organisation/people/<int:pk>/access/", views.person_access_view, name="person-access"),
    path("organisation/people/<int:pk>/close/", views.person_close_view, name="person-close"),
]
