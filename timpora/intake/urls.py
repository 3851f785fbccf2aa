"""Intake pages under ``/intake/``: registration, reports, receipts, imports, verification.

Field findings and public tips live in ``urls_fieldwork.py`` (another part of the app) and
join this URLconf, in the same ``intake`` namespace, when that module exists.
"""

from django.urls import path

from timpora.intake import views

app_name = "intake"
urlpatterns = [
    # Public: no login.
    path("register/", views.premises_register, name="premises_register"),
    path("register/done/", views.premises_registered, name="premises_registered"),
    path("verify/", views.verify, name="verify"),
    # The immigration office approves registrations.
    path("premises/", views.premises_list, name="premises_list"),
    path("premises/<int:pk>/", views.premises_detail, name="premises_detail"),
    # Reporters (lodging): their own guests.
    path("reports/", views.report_list, name="report_list"),
    path("reports/new/", views.report_create, name="report_create"),
    path("reports/mrz/", views.report_mrz, name="report_mrz"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/check-out/", views.report_check_out, name="report_check_out"),
    path("reports/<int:pk>/receipt.pdf", views.report_receipt, name="report_receipt"),
    # Reporters (companies): their foreign workers.
    path("workers/", views.worker_list, name="worker_list"),
    path("workers/new/", views.employer_report_create, name="employer_report_create"),
    # Team members: reports in their region scope.
    path("office/reports/", views.office_report_list, name="office_report_list"),
    path("office/reports/export/", views.office_report_export, name="office_report_export"),
    path("office/employer-reports/", views.office_employer_list, name="office_employer_list"),
    # File imports.
    path("imports/", views.import_list, name="import_list"),
    path("imports/new/", views.import_create, name="import_create"),
    path("imports/template/<str:kind>.<str:fmt>", views.import_template, name="import_template"),
    path("imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("imports/<int:pk>/progress/", views.import_progress, name="import_progress"),
    path("imports/<int:pk>/errors.csv", views.import_errors, name="import_errors"),
    path("imports/<int:pk>/summary.json", views.import_summary, name="import_summary"),
]

try:
    from timpora.intake.urls_fieldwork import urlpatterns as fieldwork_urlpatterns
except ImportError:  # the field findings and public tips part is not installed (yet)
    fieldwork_urlpatterns = []

urlpatterns += fieldwork_urlpatterns
