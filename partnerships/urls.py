from django.urls import path

from .views import directory, plans, register

app_name = "partnerships"

urlpatterns = [
    # The register: partnerships, their outcomes and agreements (service levels, routing rules).
    path("", register.partnership_list_view, name="partnership-list"),
    path("new/", register.partnership_create_view, name="partnership-create"),
    path("<int:pk>/", register.partnership_detail_view, name="partnership-detail"),
    path("<int:pk>/edit/", register.partnership_edit_view, name="partnership-edit"),
    path("<int:pk>/outcomes/new/", register.outcome_create_view, name="outcome-create"),
    path("<int:pk>/agreements/new/", register.agreement_create_view, name="agreement-create"),
    path("agreements/<int:pk>/", register.agreement_detail_view, name="agreement-detail"),
    path("agreements/<int:pk>/edit/", register.agreement_edit_view, name="agreement-edit"),
    path("agreements/<int:pk>/document/", register.agreement_document_view, name="agreement-document"),
    path("agreements/<int:pk>/service-levels/", register.service_level_create_view, name="service-level-create"),
    path(
        "agreements/<int:pk>/service-levels/<int:level_pk>/remove/",
        register.service_level_delete_view,
        name="service-level-delete",
    ),
    path("agreements/<int:pk>/routing-rules/", register.routing_rule_set_view, name="routing-rule-set"),
    # The contacts directory and the accreditation register.
    path("contacts/", directory.contact_list_view, name="contact-list"),
    path("contacts/export/", directory.contact_export_view, name="contact-export"),
    path("contacts/new/", directory.contact_create_view, name="contact-create"),
    path("contacts/<int:pk>/", directory.contact_detail_view, name="contact-detail"),
    path("contacts/<int:pk>/edit/", directory.contact_edit_view, name="contact-edit"),
    path("contacts/<int:pk>/verify/", directory.contact_verify_view, name="contact-verify"),
    path("accreditations/", directory.accreditation_list_view, name="accreditation-list"),
    path("accreditations/new/", directory.accreditation_create_view, name="accreditation-create"),
    path("accreditations/<int:pk>/", directory.accreditation_detail_view, name="accreditation-detail"),
    path("accreditations/<int:pk>/edit/", directory.accreditation_edit_view, name="accreditation-edit"),
    # The audit and gap analysis, the local action plan and reviews.
    path("gaps/", plans.gap_analysis_view, name="gap-analysis"),
    path("action-plan/", plans.action_plan_list_view, name="actionplan-list"),
    path("action-plan/new/", plans.action_plan_create_view, name="actionplan-create"),
    path("action-plan/<int:pk>/edit/", plans.action_plan_edit_view, name="actionplan-edit"),
    path("<int:pk>/reviews/new/", plans.review_create_view, name="review-create"),
    path("reviews/<int:pk>/", plans.review_detail_view, name="review-detail"),
]
