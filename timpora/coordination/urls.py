from django.urls import path

from timpora.coordination import views

app_name = "coordination"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("teams/", views.team_list, name="team_list"),
    path("teams/new/", views.team_create, name="team_create"),
    path("teams/<int:pk>/", views.team_detail, name="team_detail"),
    path("teams/<int:pk>/decrees/new/", views.decree_add, name="decree_add"),
    path("teams/<int:pk>/members/new/", views.member_add, name="member_add"),
    path("teams/<int:pk>/members/<int:member_pk>/end/", views.member_end, name="member_end"),
    path(
        "teams/<int:pk>/members/<int:member_pk>/replace/",
        views.member_replace,
        name="member_replace",
    ),
    path("decrees/<int:pk>/document/", views.decree_document, name="decree_document"),
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("meetings/calendar/", views.meeting_calendar, name="meeting_calendar"),
    path("meetings/new/", views.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/invitation.pdf", views.meeting_invitation, name="meeting_invitation"),
    path("meetings/<int:pk>/check-in/", views.meeting_check_in, name="meeting_check_in"),
    path("meetings/<int:pk>/attendance/", views.meeting_attendance, name="meeting_attendance"),
    path("meetings/<int:pk>/minutes/", views.meeting_minutes, name="meeting_minutes"),
    path("meetings/<int:pk>/attachments/new/", views.attachment_add, name="attachment_add"),
    path(
        "meetings/<int:pk>/attachments/<int:attachment_pk>/",
        views.attachment_download,
        name="attachment_download",
    ),
    path("problems/", views.problem_list, name="problem_list"),
    path("problems/new/", views.problem_create, name="problem_create"),
    path("problems/<int:pk>/", views.problem_detail, name="problem_detail"),
    path("problems/<int:pk>/solutions/new/", views.solution_add, name="solution_add"),
    path("problems/<int:pk>/follow-ups/new/", views.followup_add, name="followup_add"),
    path("problems/<int:pk>/close/", views.problem_close, name="problem_close"),
    path("problems/<int:pk>/reopen/", views.problem_reopen, name="problem_reopen"),
    path("follow-ups/<int:pk>/status/", views.followup_status, name="followup_status"),
    path("evaluation/", views.evaluation, name="evaluation"),
    path("evaluation/report.pdf", views.evaluation_pdf, name="evaluation_pdf"),
    path("evaluation/report.xlsx", views.evaluation_xlsx, name="evaluation_xlsx"),
]
