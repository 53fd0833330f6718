from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Accreditation,
    ActionPlanItem,
    Agreement,
    Contact,
    Organisation,
    Partnership,
    PartnershipMember,
    PartnershipReview,
    RoutingRule,
    ServiceLevel,
    StaffMembership,
    Team,
)

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


class PartnershipMemberInline(admin.TabularInline):
    model = PartnershipMember
    extra = 0
    raw_id_fields = ["key_contact"]


@admin.register(Partnership)
class PartnershipAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "status", "start_date", "next_review_date"]
    list_filter = ["kind", "status", "scope", "level"]
    search_fields = ["name", "district"]
    inlines = [PartnershipMemberInline]


class ServiceLevelInline(admin.TabularInline):
    model = ServiceLevel
    extra = 0


class RoutingRuleInline(admin.TabularInline):
    model = RoutingRule
    extra = 0


@admin.register(Agreement)
class AgreementAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "partnership", "version", "signed_on", "review_due_on", "is_current"]
    list_filter = ["kind", "is_current"]
    search_fields = ["title", "partnership__name"]
    inlines = [ServiceLevelInline, RoutingRuleInline]


@admin.register(Contact)
class ContactAdmin(SimpleHistoryAdmin):
    list_display = ["name", "function", "organisation", "is_single_point_of_contact", "last_verified_on"]
    list_filter = ["function", "organisation", "is_single_point_of_contact"]
    search_fields = ["name", "email", "organisation__name"]
    raw_id_fields = ["owner", "user"]


@admin.register(Accreditation)
class AccreditationAdmin(SimpleHistoryAdmin):
    list_display = ["officer", "kind", "accrediting_organisation", "trained_on", "expires_on"]
    list_filter = ["kind", "accrediting_organisation"]
    raw_id_fields = ["officer", "agreement"]


@admin.register(ActionPlanItem)
class ActionPlanItemAdmin(SimpleHistoryAdmin):
    list_display = ["action", "partnership", "district", "owner", "milestone_date", "status"]
    list_filter = ["status"]
    raw_id_fields = ["partnership", "owner"]


@admin.register(PartnershipReview)
class PartnershipReviewAdmin(SimpleHistoryAdmin):
    list_display = ["partnership", "kind", "period_start", "period_end", "reviewed_on"]
    list_filter = ["kind"]
    raw_id_fields = ["partnership", "reviewed_by"]
