from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

urlpatterns = [
    path("", include("core.urls")),
    path("clients/", include("referrals.urls")),
    path("partnerships/", include("partnerships.urls")),
    path("assessments/", include("assessments.urls")),
    path("boards/", include("boards.urls")),
    path("direct-payments/", include("directpayments.urls")),
    path("sign-in/", auth_views.LoginView.as_view(), name="login"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("account/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("admin/", admin.site.urls),
]

admin.site.site_header = "JointCase administration"
admin.site.site_title = "JointCase"
