from django.urls import path

from . import agreement_views, monitoring_views, reconciliation_views, views

app_name = "directpayments"

urlpatterns = [
    path("", views.agreement_list_view, name="agreement-list"),
    path("agreements/new/", views.agreement_create_view, name="agreement-create"),
    path("agreements/<int:pk>/", views.agreement_detail_view, name="agreement-detail"),
    path("agreements/<int:pk>/activate/", views.agreement_activate_view, name="agreement-activate"),
    path("runs/", views.run_list_view, name="run-list"),
    path("runs/prepare/", views.run_prepare_view, name="run-prepare"),
    path("runs/<int:pk>/", views.run_detail_view, name="run-detail"),
    path("runs/<int:pk>/report/", reconciliation_views.run_report_view, name="run-report"),  # before run-action
    path("runs/<int:pk>/<slug:action>/", views.run_action_view, name="run-action"),
    path("runs/<int:pk>/accounts-payable.csv", views.run_csv_view, name="run-csv"),
    path("runs/<int:pk>/bacs.txt", views.run_bacs_view, name="run-bacs"),
    path("home/", views.finance_home_view, name="finance-home"),
    path("agreements/<int:pk>/adjustments/new/", views.adjustment_create_view, name="adjustment-create"),
    path("balances/import/", views.balance_import_view, name="balance-import"),
    path("balances/surpluses/", views.surplus_list_view, name="surplus-list"),
    path("reviews/overdue/", views.review_overdue_list_view, name="review-overdue-list"),
    path("reviews/<int:pk>/record/", views.review_complete_view, name="review-complete"),
    # agreement changes, personal assistants (agreement_views); reconciliation, run report (reconciliation_views)
    path("agreements/<int:pk>/edit/", agreement_views.agreement_update_view, name="agreement-update"),
    path(
        "agreements/<int:pk>/suspend/",
        agreement_views.agreement_change_view,
        {"action": "suspend"},
        name="agreement-suspend",
    ),
    path(
        "agreements/<int:pk>/resume/",
        agreement_views.agreement_change_view,
        {"action": "resume"},
        name="agreement-resume",
    ),
    path("agreements/<int:pk>/end/", agreement_views.agreement_change_view, {"action": "end"}, name="agreement-end"),
    path("suspensions/<int:pk>/cancel/", agreement_views.suspension_cancel_view, name="suspension-cancel"),
    path("suspensions/<int:pk>/change-end/", agreement_views.suspension_shorten_view, name="suspension-shorten"),
    path("personal-assistants/", agreement_views.personal_assistant_list_view, name="pa-list"),
    path("personal-assistants/new/", agreement_views.personal_assistant_create_view, name="pa-create"),
    path("personal-assistants/<int:pk>/", agreement_views.personal_assistant_update_view, name="pa-update"),
    path("runs/<int:pk>/returns/import/", reconciliation_views.returns_import_view, name="returns-import"),
    path(
        "runs/<int:pk>/returns/<int:agreement_pk>/",
        reconciliation_views.returned_payment_create_view,
        name="returned-payment-create",
    ),
    # surplus notices and quarterly returns (monitoring_views)
    path(
        "agreements/<int:pk>/surplus-notices/new/",
        monitoring_views.surplus_notice_create_view,
        name="surplus-notice-create",
    ),
    path("surplus-notices/", monitoring_views.surplus_notice_list_view, name="surplus-notice-list"),
    path("surplus-notices/<int:pk>/", monitoring_views.surplus_notice_detail_view, name="surplus-notice-detail"),
    path("surplus-notices/<int:pk>/letter.pdf", monitoring_views.surplus_notice_pdf_view, name="surplus-notice-pdf"),
    path(
        "surplus-notices/<int:pk>/schedule/",
        monitoring_views.surplus_notice_schedule_view,
        name="surplus-notice-schedule",
    ),
    path(
        "surplus-notices/<int:pk>/withdraw/",
        monitoring_views.surplus_notice_withdraw_view,
        name="surplus-notice-withdraw",
    ),
    path(
        "agreements/<int:pk>/quarterly-returns/new/",
        monitoring_views.quarterly_return_record_view,
        name="quarterly-return-record",
    ),
    path("quarterly-returns/due/", monitoring_views.quarterly_return_due_list_view, name="quarterly-return-due-list"),
]
