from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Client, Consent


class ConsentInline(admin.TabularInline):
    model = Consent
    extra = 0
    fields = ["given_on", "method", "given_by", "purposes", "withdrawn_on"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True


@admin.register(Client)
class ClientAdmin(SimpleHistoryAdmin):
    list_display = ["full_name", "date_of_birth", "nino", "postcode", "organisation", "has_safeguarding_concern"]
    list_filter = ["organisation", "has_safeguarding_concern", "living_situation"]
    search_fields = ["first_name", "last_name", "nino", "postcode"]
    list_select_related = ["organisation"]
    raw_id_fields = ["created_by"]
    inlines = [ConsentInline]


@admin.register(Consent)
class ConsentAdmin(SimpleHistoryAdmin):
    list_display = ["client", "given_on", "method", "given_by", "withdrawn_on"]
    list_filter = ["method", "given_by"]
    search_fields = ["client__first_name", "client__last_name"]
    raw_id_fields = ["client", "recorded_by", "withdrawn_by"]
    filter_horizontal = ["organisations"]
