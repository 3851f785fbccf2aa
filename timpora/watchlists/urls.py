"""Watch-list pages under ``/watchlists/`` (immigration office staff only)."""

from django.urls import path

from timpora.watchlists import views

app_name = "watchlists"
urlpatterns = [
    path("", views.watchlist_list, name="watchlist_list"),
    path("new/", views.watchlist_create, name="watchlist_create"),
    path("<int:pk>/", views.watchlist_detail, name="watchlist_detail"),
    path("<int:pk>/edit/", views.watchlist_edit, name="watchlist_edit"),
    path("<int:pk>/import/", views.import_create, name="import_create"),
    path("imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("imports/<int:pk>/errors.csv", views.import_errors, name="import_errors"),
    path("template.<str:fmt>", views.import_template, name="import_template"),
    path("entries/<int:pk>/", views.entry_detail, name="entry_detail"),
    path("hits/", views.hit_list, name="hit_list"),
    path("hits/<int:pk>/", views.hit_detail, name="hit_detail"),
    path("hits/<int:pk>/decide/", views.hit_decide, name="hit_decide"),
    path("screen/", views.screen_now, name="screen_now"),
]
