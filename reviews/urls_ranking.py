"""The review stage's ranking and shortlist URLs, in the `reviews` namespace (reviews/urls.py adds them)."""

from django.urls import path

from reviews.views import ranking as views

urlpatterns: list = [
    path("calls/<int:pk>/ranking/", views.ranking, name="ranking"),
    path("calls/<int:pk>/ranking.csv", views.ranking_export, {"kind": "csv"}, name="ranking_csv"),
    path("calls/<int:pk>/ranking.xlsx", views.ranking_export, {"kind": "xlsx"}, name="ranking_xlsx"),
    path("calls/<int:pk>/shortlist/", views.shortlist, name="shortlist"),
    path("calls/<int:pk>/shortlist/<str:token>/", views.shortlist_progress, name="shortlist_progress"),
    path("applications/<int:pk>/outcome/", views.application_outcome, name="application_outcome"),
]
