from django.urls import path

from . import rates_views, views

app_name = "assessments"

urlpatterns = [
    path("", views.assessment_list_view, name="assessment-list"),
    path("uprating/<int:start_year>/", views.uprating_view, name="uprating"),
    path("estimate/", views.estimate_view, name="estimate"),
    path("rates/", rates_views.rates_list_view, name="rates-list"),
    path("rates/start/", rates_views.rates_start_view, name="rates-start"),
    path("rates/<int:pk>/", rates_views.rates_detail_view, name="rates-detail"),
    path("rates/<int:pk>/edit/", rates_views.rates_edit_view, name="rates-edit"),
    path("rates/<int:pk>/confirm/", rates_views.rates_confirm_view, name="rates-confirm"),
    path("rates/<int:pk>/correct/", rates_views.rates_correct_view, name="rates-correct"),
    path("<int:client_pk>/new/", views.assessment_create_view, name="assessment-create"),
    path("client/<int:client_pk>/", views.client_charge_history_view, name="client-charge-history"),
    path("<int:pk>/", views.assessment_detail_view, name="assessment-detail"),
    path("<int:pk>/edit/", views.assessment_edit_view, name="assessment-edit"),
    path("<int:pk>/lines/<str:kind>/<int:line_id>/remove/", views.assessment_line_remove_view, name="line-remove"),
    path("<int:pk>/result/", views.assessment_result_view, name="assessment-result"),
    path("<int:pk>/refer/<str:code>/", views.benefit_flag_refer_view, name="benefit-refer"),
    path("<int:pk>/complete/", views.assessment_complete_view, name="assessment-complete"),
    path("<int:pk>/reassess/", views.assessment_reassess_view, name="assessment-reassess"),
    path("<int:pk>/letter/", views.assessment_letter_view, name="assessment-letter"),
    path("<int:pk>/letter.pdf", views.assessment_letter_pdf_view, name="assessment-letter-pdf"),
]
