from django.contrib import admin

from .models import EmailDomain, IdentityProvider, SignInEvent, SignInPolicy


@admin.register(IdentityProvider)
class IdentityProviderAdmin(admin.ModelAdmin):
    list_display = ["organisation", "is_enabled", "updated_at"]
    raw_id_fields = ["social_app", "updated_by"]


@admin.register(EmailDomain)
class EmailDomainAdmin(admin.ModelAdmin):
    list_display = ["domain", "organisation"]
    search_fields = ["domain"]


@admin.register(SignInPolicy)
class SignInPolicyAdmin(admin.ModelAdmin):
    list_display = ["organisation", "two_factor_for_everyone"]


@admin.register(SignInEvent)
class SignInEventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "identifier", "organisation", "method", "ip_address"]
    list_filter = ["kind", "method"]
    search_fields = ["identifier", "detail"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
