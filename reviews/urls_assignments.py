"""The review stage's assignments URLs, in the `reviews` namespace (reviews/urls.py adds them)."""

from django.urls import path

from reviews.views import assignments as views

urlpatterns: list = [
    path("calls/<int:pk>/assignments/", views.assignment_list, name="assignment_list"),
    path("calls/<int:pk>/assignments/proposal/<str:token>/", views.assignment_proposal, name="assignment_proposal"),
    path("applications/<int:pk>/assignments/", views.application_assignments, name="application_assignments"),
    path("assignments/<int:pk>/unassign/", views.assignment_unassign, name="assignment_unassign"),
    path("assignments/<int:pk>/decline/", views.assignment_decline, name="assignment_decline"),
]
