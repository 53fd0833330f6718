from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.home_view, name="home"),
    path("notifications/", views.notification_list_view, name="notification-list"),
    path("notifications/<int:pk>/", views.notification_open_view, name="notification-open"),
    path("notifications/read-all/", views.notification_mark_all_read_view, name="notification-mark-all-read"),
]
