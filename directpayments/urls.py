from django.urls import path

from .views import agreements, assistants, home, monitoring, notices, reconciliation, runs

app_name = "directpayments"

urlpatterns = [
    path("", agreements.agreement_list_view, name="agreement-list"),
    path("home/", home.finance_home_view, name="finance-home"),
    # agreements: set up, change, suspend, resume, end; suspensions corrected; one-off payments
    path("agreements/new/", agreements.agreement_create_view, name="agreement-create"),
    path("agreements/<int:pk>/", agreements.agreement_detail_view, name="agreement-detail"),
    path("agreements/<int:pk>/activate/", agreements.agreement_activate_view, name="agreement-activate"),
    path("agreements/<int:pk>/edit/", agreements.agreement_update_view, name="agreement-update"),
    path(
        "agreements/<int:pk>/suspend/",
        agreements.agreement_change_view,
        {"action": "suspend"},
        name="agreement-suspend",
    ),
    path(
        "agreements/<int:pk>/resume/",
        agreements.agreement_change_view,
        {"action": "resume"},
        name="agreement-resume",
    ),
    path("agreements/<int:pk>/end/", agreements.agreement_change_view, {"action": "end"}, name="agreement-end"),
    path("suspensions/<int:pk>/cancel/", agreements.suspension_cancel_view, name="suspension-cancel"),
    path("suspensions/<int:pk>/change-end/", agreements.suspension_shorten_view, name="suspension-shorten"),
    path("agreements/<int:pk>/adjustments/new/", agreements.adjustment_create_view, name="adjustment-create"),
    # payment runs; "report" and "approve" come before the other actions on a run
    path("runs/", runs.run_list_view, name="run-list"),
    path("runs/prepare/", runs.run_prepare_view, name="run-prepare"),
    path("runs/<int:pk>/", runs.run_detail_view, name="run-detail"),
    path("runs/<int:pk>/report/", runs.run_report_view, name="run-report"),
    path("runs/<int:pk>/approve/", runs.payment_run_approve_view, name="run-approve"),
    path("runs/<int:pk>/<slug:action>/", runs.run_action_view, name="run-action"),
    path("runs/<int:pk>/accounts-payable.csv", runs.run_csv_view, name="run-csv"),
    path("runs/<int:pk>/bacs.txt", runs.run_bacs_view, name="run-bacs"),
    # reconciliation of a paid run
    path("runs/<int:pk>/returns/import/", reconciliation.returns_import_view, name="returns-import"),
    path(
        "runs/<int:pk>/returns/<int:agreement_pk>/",
        reconciliation.returned_payment_create_view,
        name="returned-payment-create",
    ),
    # monitoring: card balances, reviews, quarterly returns
    path("balances/import/", monitoring.balance_import_view, name="balance-import"),
    path("balances/surpluses/", monitoring.surplus_list_view, name="surplus-list"),
    path("reviews/overdue/", monitoring.review_overdue_list_view, name="review-overdue-list"),
    path("reviews/<int:pk>/record/", monitoring.review_complete_view, name="review-complete"),
    path(
        "agreements/<int:pk>/quarterly-returns/new/",
        monitoring.quarterly_return_record_view,
        name="quarterly-return-record",
    ),
    path("quarterly-returns/due/", monitoring.quarterly_return_due_list_view, name="quarterly-return-due-list"),
    # surplus notices
    path(
        "agreements/<int:pk>/surplus-notices/new/",
        notices.surplus_notice_create_view,
        name="surplus-notice-create",
    ),
    path("surplus-notices/", notices.surplus_notice_list_view, name="surplus-notice-list"),
    path("surplus-notices/<int:pk>/", notices.surplus_notice_detail_view, name="surplus-notice-detail"),
    path("surplus-notices/<int:pk>/letter.pdf", notices.surplus_notice_pdf_view, name="surplus-notice-pdf"),
    path("surplus-notices/<int:pk>/schedule/", notices.surplus_notice_schedule_view, name="surplus-notice-schedule"),
    path("surplus-notices/<int:pk>/withdraw/", notices.surplus_notice_withdraw_view, name="surplus-notice-withdraw"),
    # the register of personal assistants
    path("personal-assistants/", assistants.personal_assistant_list_view, name="pa-list"),
    path("personal-assistants/new/", assistants.personal_assistant_create_view, name="pa-create"),
    path("personal-assistants/<int:pk>/", assistants.personal_assistant_update_view, name="pa-update"),
]
