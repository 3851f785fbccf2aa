from django.urls import path

from timpora.riskmap import views

app_name = "riskmap"
urlpatterns = [
    path("", views.map_page, name="map"),
    path("data/", views.map_data, name="data"),
    path("area/<str:code>/", views.area_profile, name="area"),
    path("export.png", views.export_png, name="export_png"),
    path("export.pdf", views.export_pdf, name="export_pdf"),
]
