from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import Organisation, StaffMembership, Team

User = get_user_model()


class TeamInline(admin.TabularInline):
    model = Team
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "district", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "short_name", "district"]
    inlines = [TeamInline]


@admin.register(Team)
class TeamAdmin(SimpleHistoryAdmin):
    list_display = ["name", "organisation", "is_active"]
    list_filter = ["organisation", "is_active"]
    search_fields = ["name", "organisation__name"]


@admin.register(StaffMembership)
class StaffMembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "organisation", "team", "job_title", "is_active"]
    list_filter = ["organisation", "is_active"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "organisation__name"]
    autocomplete_fields = ["user"]


class StaffMembershipInline(admin.StackedInline):
    model = StaffMembership
    can_delete = False
    fk_name = "user"
    verbose_name_plural = "Organisation and team"


admin.site.unregister(User)


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    """Users with their organisation inline; roles are the groups in the permissions section."""

    inlines = [StaffMembershipInline]
    list_display = ["username", "first_name", "last_name", "email", "organisation", "roles", "is_active"]
    list_filter = ["membership__organisation", "groups", "is_active", "is_staff"]
    list_select_related = ["membership__organisation"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description="Organisation")
    def organisation(self, obj):
        membership = getattr(obj, "membership", None)
        return membership.organisation if membership else "—"

    @admin.display(description="Roles")
    def roles(self, obj):
        return ", ".join(group.name for group in obj.groups.all())
