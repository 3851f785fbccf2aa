"""Field findings and public tips: joined to ``intake/urls.py`` (namespace ``intake``)."""

from django.urls import path

from timpora.intake import views_fieldwork as views

fieldwork_urlpatterns = [
    # Officers in the field (finding.create), and the team reading them (report.view).
    path("findings/", views.finding_list, name="finding_list"),
    path("findings/new/", views.finding_create, name="finding_create"),
    path("findings/locate/", views.finding_locate, name="finding_locate"),
    path("findings/<int:pk>/", views.finding_detail, name="finding_detail"),
    path("findings/<int:pk>/photos/<int:photo_pk>/", views.finding_photo, name="finding_photo"),
    # Public: no login, nothing about any person is ever shown.
    path("tips/new/", views.tip_create, name="tip_create"),
    path("tips/filed/", views.tip_filed, name="tip_filed"),
    path("tips/status/", views.tip_status, name="tip_status"),
    # The office (tip.view to read, tip.manage to answer).
    path("tips/", views.tip_list, name="tip_list"),
    path("tips/<int:pk>/", views.tip_detail, name="tip_detail"),
    path("tips/<int:pk>/update/", views.tip_update, name="tip_update"),
]

# ``intake/urls.py`` imports this name.
urlpatterns = fieldwork_urlpatterns
