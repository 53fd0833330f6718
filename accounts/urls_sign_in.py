"""The sign-in steps, by the names django-allauth and Django reverse (so no namespace): the e-mail first
step, allauth's password and second-factor steps, its OpenID Connect client, re-authentication, the
two-factor pages and sign-out. There is no sign-up, password reset by e-mail or account linking page."""

from allauth.account import views as account_views
from allauth.socialaccount import views as social_views
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views

logout_view = account_views.LogoutView.as_view()

urlpatterns = [
    path("sign-in/", views.sign_in_view, name="login"),
    path("sign-in/password/", account_views.login, name="account_login"),
    path("sign-in/closed/", account_views.account_inactive, name="account_inactive"),
    path("sign-in/", include("allauth.socialaccount.providers.openid_connect.urls")),
    path("sign-in/cancelled/", social_views.login_cancelled, name="socialaccount_login_cancelled"),
    path("sign-in/error/", social_views.login_error, name="socialaccount_login_error"),
    path("sign-in/new-account/", social_views.signup, name="socialaccount_signup"),
    path("sign-out/", logout_view, name="logout"),
    path("sign-out/confirm/", logout_view, name="account_logout"),
    path("account/confirm-it-is-you/", account_views.reauthenticate, name="account_reauthenticate"),
    path("account/two-factor/", include("allauth.mfa.urls")),
    path("account/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("account/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
]
