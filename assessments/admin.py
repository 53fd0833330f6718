from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from simple_history.admin import SimpleHistoryAdmin

from .models import Assessment, ChargingPolicy, RatesYear
from .services import rates_correct, rates_is_used


@admin.register(RatesYear)
class RatesYearAdmin(SimpleHistoryAdmin):
    """A year's figures; once confirmed, or used by a completed assessment, a version is read-only (add a
    new version with the corrections instead). Finance leads start, check and confirm years on the rates
    pages (/assessments/rates/); confirming happens only there."""

    list_display = (
        "label",
        "version",
        "status",
        "is_demonstration",
        "mig_single_pension_age",
        "capital_lower",
        "capital_upper",
        "created_at",
    )
    list_filter = ("start_year", "status", "is_demonstration")
    actions = ["make_correction"]

    @admin.action(description="Make a correction (copies the figures into a new version to check and confirm)")
    def make_correction(self, request, queryset):
        for rates in queryset.order_by("pk"):
            try:
                corrected = rates_correct(rates=rates, by=request.user)
            except ValidationError as exc:
                self.message_user(request, " ".join(exc.messages), level=messages.ERROR)
            else:
                self.message_user(request, f"Created {corrected}. Change its figures, then confirm it.")

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and (obj.is_confirmed or rates_is_used(rates=obj)):
            return [field.name for field in obj._meta.concrete_fields]
        return ("status", "confirmed_at", "confirmed_by")

    def has_delete_permission(self, request, obj=None):
        return obj is None or not obj.assessments.exists()


@admin.register(ChargingPolicy)
class ChargingPolicyAdmin(SimpleHistoryAdmin):
    list_display = ("effective_from", "taper_percent", "mig_basis", "dre_flat_weekly", "minimum_charge")

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.assessments.exclude(status=Assessment.Status.DRAFT).exists():
            return [field.name for field in obj._meta.concrete_fields]
        return ()


@admin.register(Assessment)
class AssessmentAdmin(SimpleHistoryAdmin):
    """Read-only here: assessments change only through their services."""

    list_display = ("client", "effective_date", "status", "weekly_charge", "organisation")
    list_filter = ("status",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
