"""The programme's statistics: public at /statistics/, the secretariat's per call beneath it."""

from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("statistics/", views.statistics, name="statistics"),
    path("statistics/<slug:slug>.csv", views.statistics_csv, name="statistics_csv"),
    path("statistics/calls/<int:pk>/", views.call_statistics, name="call_statistics"),
]
