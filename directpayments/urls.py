from django.urls import path

from . import views

app_name = "directpayments"

urlpatterns = [
    path("", views.agreement_list_view, name="agreement-list"),
    path("agreements/new/", views.agreement_create_view, name="agreement-create"),
    path("agreements/<int:pk>/", views.agreement_detail_view, name="agreement-detail"),
    path("agreements/<int:pk>/activate/", views.agreement_activate_view, name="agreement-activate"),
    path("runs/", views.run_list_view, name="run-list"),
    path("runs/prepare/", views.run_prepare_view, name="run-prepare"),
    path("runs/<int:pk>/", views.run_detail_view, name="run-detail"),
    path("runs/<int:pk>/<slug:action>/", views.run_action_view, name="run-action"),
    path("runs/<int:pk>/accounts-payable.csv", views.run_csv_view, name="run-csv"),
    path("runs/<int:pk>/bacs.txt", views.run_bacs_view, name="run-bacs"),
    path("home/", views.finance_home_view, name="finance-home"),
    path("agreements/<int:pk>/adjustments/new/", views.adjustment_create_view, name="adjustment-create"),
    path("balances/import/", views.balance_import_view, name="balance-import"),
    path("balances/surpluses/", views.surplus_list_view, name="surplus-list"),
    path("reviews/overdue/", views.review_overdue_list_view, name="review-overdue-list"),
    path("reviews/<int:pk>/record/", views.review_complete_view, name="review-complete"),
]
