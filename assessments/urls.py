from django.urls import path

from .views import assessments, estimator, letters, rates, uprating

app_name = "assessments"

urlpatterns = [
    path("", assessments.assessment_list_view, name="assessment-list"),
    path("uprating/<int:start_year>/", uprating.uprating_view, name="uprating"),
    path("estimate/", estimator.estimate_view, name="estimate"),
    path("rates/", rates.rates_list_view, name="rates-list"),
    path("rates/start/", rates.rates_start_view, name="rates-start"),
    path("rates/<int:pk>/", rates.rates_detail_view, name="rates-detail"),
    path("rates/<int:pk>/edit/", rates.rates_edit_view, name="rates-edit"),
    path("rates/<int:pk>/confirm/", rates.rates_confirm_view, name="rates-confirm"),
    path("rates/<int:pk>/correct/", rates.rates_correct_view, name="rates-correct"),
    path("<int:client_pk>/new/", assessments.assessment_create_view, name="assessment-create"),
    path("client/<int:client_pk>/", assessments.client_charge_history_view, name="client-charge-history"),
    path("<int:pk>/", assessments.assessment_detail_view, name="assessment-detail"),
    path("<int:pk>/edit/", assessments.assessment_edit_view, name="assessment-edit"),
    path(
        "<int:pk>/lines/<str:kind>/<int:line_id>/remove/", assessments.assessment_line_remove_view, name="line-remove"
    ),
    path("<int:pk>/result/", assessments.assessment_result_view, name="assessment-result"),
    path("<int:pk>/refer/<str:code>/", assessments.benefit_flag_refer_view, name="benefit-refer"),
    path("<int:pk>/complete/", assessments.assessment_complete_view, name="assessment-complete"),
    path("<int:pk>/reassess/", assessments.assessment_reassess_view, name="assessment-reassess"),
    path("<int:pk>/letter/", letters.assessment_letter_view, name="assessment-letter"),
    path("<int:pk>/letter.pdf", letters.assessment_letter_pdf_view, name="assessment-letter-pdf"),
]
