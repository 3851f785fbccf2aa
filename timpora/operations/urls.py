"""Operations, the phone check page, cases and decisions, report and statistics."""

from django.urls import path

from timpora.operations import views

app_name = "operations"
urlpatterns = [
    path("", views.operation_list, name="operation_list"),
    path("new/", views.operation_create, name="operation_create"),
    path("statistics/", views.statistics, name="statistics"),
    path("<int:pk>/", views.operation_detail, name="operation_detail"),
    path("<int:pk>/edit/", views.operation_edit, name="operation_edit"),
    path("<int:pk>/status/", views.operation_status, name="operation_status"),
    path("<int:pk>/targets/", views.operation_targets, name="operation_targets"),
    path("<int:pk>/teams/new/", views.team_create, name="team_create"),
    path("<int:pk>/teams/<int:team_pk>/", views.team_edit, name="team_edit"),
    path("<int:pk>/report.pdf", views.report_pdf, name="report_pdf"),
    path("<int:pk>/report.xlsx", views.report_xlsx, name="report_xlsx"),
    # The phone page and its JSON endpoints (session and CSRF token of the page).
    path("<int:pk>/check/", views.check_page, name="check_page"),
    path("<int:pk>/check/lookup/", views.check_lookup, name="check_lookup"),
    path("<int:pk>/check/submit/", views.check_submit, name="check_submit"),
    path("checks/<int:pk>/", views.check_detail, name="check_detail"),
    path("checks/<int:pk>/photos/<int:photo_pk>/", views.check_photo, name="check_photo"),
    path("checks/<int:pk>/case/", views.case_open, name="case_open"),
    # Cases and decisions (TAK).
    path("cases/", views.case_list, name="case_list"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("cases/<int:pk>/edit/", views.case_edit, name="case_edit"),
    path("cases/<int:pk>/examinations/new/", views.examination_create, name="examination_create"),
    path("cases/<int:pk>/reviews/new/", views.review_create, name="review_create"),
    path("cases/<int:pk>/decisions/new/", views.action_create, name="action_create"),
    path("evidence/<int:pk>/", views.evidence_file, name="evidence_file"),
    path("decisions/<int:pk>/edit/", views.action_edit, name="action_edit"),
    path("decisions/<int:pk>/sign/", views.action_sign, name="action_sign"),
    path("decisions/<int:pk>/follow-up/", views.action_follow_up, name="action_follow_up"),
]
