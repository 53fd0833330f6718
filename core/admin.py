from django.contrib import admin

from .models import Notification, RecordView


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "recipient", "created_at", "read_at"]
    list_filter = ["read_at"]
    search_fields = ["title", "recipient__username"]
    raw_id_fields = ["recipient"]


@admin.register(RecordView)
class RecordViewAdmin(admin.ModelAdmin):
    list_display = ["user", "content_type", "object_id", "viewed_at"]
    list_filter = ["content_type"]
    readonly_fields = ["user", "content_type", "object_id", "viewed_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
