from django.urls import path

from timpora.registry import views

app_name = "registry"
urlpatterns = [
    path("persons/", views.person_list, name="person_list"),
    path("persons/export/", views.person_export, name="person_export"),
    path("persons/new/", views.person_create, name="person_create"),
    path("persons/mrz/", views.mrz_parse, name="mrz_parse"),
    path("persons/<int:pk>/", views.person_detail, name="person_detail"),
    path("persons/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("persons/<int:pk>/unmask/", views.person_unmask, name="person_unmask"),
    path("persons/<int:pk>/photo/", views.person_photo, name="person_photo"),
    path("persons/<int:pk>/documents/new/", views.document_add, name="document_add"),
    path("persons/<int:pk>/permits/new/", views.permit_add, name="permit_add"),
    path(
        "persons/<int:pk>/permits/<int:permit_pk>/extend/",
        views.permit_extend,
        name="permit_extend",
    ),
    path("persons/<int:pk>/stays/new/", views.stay_add, name="stay_add"),
    path("persons/<int:pk>/employment/new/", views.employment_add, name="employment_add"),
    path("persons/<int:pk>/split/", views.person_split, name="person_split"),
    path(
        "persons/<int:pk>/merges/<int:merge_pk>/undo/",
        views.person_merge_undo,
        name="person_merge_undo",
    ),
    path("sponsors/", views.sponsor_list, name="sponsor_list"),
    path("sponsors/new/", views.sponsor_create, name="sponsor_create"),
    path("sponsors/<int:pk>/", views.sponsor_detail, name="sponsor_detail"),
    path("permit-indices/", views.permitindex_list, name="permitindex_list"),
    path("permit-indices/new/", views.permitindex_create, name="permitindex_create"),
    path("permit-indices/<str:code>/edit/", views.permitindex_edit, name="permitindex_edit"),
]
