from django.urls import path

from timpora.detection import views

app_name = "detection"
urlpatterns = [
    path("alerts/", views.alert_list, name="alert_list"),
    path("alerts/export/", views.alert_export, name="alert_export"),
    path("alerts/<int:pk>/", views.alert_detail, name="alert_detail"),
    path("alerts/<int:pk>/status/", views.alert_status, name="alert_status"),
    path("alerts/<int:pk>/assign/", views.alert_assign, name="alert_assign"),
    path("alerts/<int:pk>/comments/", views.alert_comment, name="alert_comment"),
    path("rules/", views.rule_settings, name="rule_settings"),
    path("rules/<str:code>/", views.rule_setting_save, name="rule_setting_save"),
    path("run/", views.run_now, name="run_now"),
    path("notifications/", views.notification_list, name="notification_list"),
    path("notifications/read/", views.notification_read_all, name="notification_read_all"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification_read"),
]
