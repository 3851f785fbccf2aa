from django.urls import path

from timpora.riskmap import views

app_name = "riskmap"
urlpatterns = [
    path("", views.map_page, name="map"),
    path("data/", views.map_data, name="data"),
    path("area/<str:code>/", views.area_profile, name="area"),
    path("export.png", views.export_png, name="export_png"),
    path("export.pdf", views.export_pdf, name="export_pdf"),
    path("factors/", views.factor_list, name="factors"),
    path("factors/new/", views.factor_create, name="factor_create"),
    path("factors/<int:pk>/", views.factor_edit, name="factor_edit"),
    path("factors/<int:pk>/delete/", views.factor_delete, name="factor_delete"),
]
