from django.urls import path

from timpora.matching import views

app_name = "matching"
urlpatterns = [
    path("review/", views.review_list, name="review_list"),
    path("review/<int:pk>/", views.pair_detail, name="pair_detail"),
    path("review/<int:pk>/decide/", views.pair_decide, name="pair_decide"),
]
