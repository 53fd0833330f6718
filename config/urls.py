from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("core.urls")),
    path("clients/", include("referrals.urls")),
    path("partnerships/", include("partnerships.urls")),
    path("assessments/", include("assessments.urls")),
    path("boards/", include("boards.urls")),
    path("direct-payments/", include("directpayments.urls")),
    # Sign-in (accounts): e-mail first, then the organisation's provider or a password and second factor.
    path("", include("accounts.urls_sign_in")),
    path("", include("accounts.urls")),
    path("admin/", admin.site.urls),
]

# The admin's own login page would skip single sign-on and the second factor: send it to ours.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = "JointCase administration"
admin.site.site_title = "JointCase"
