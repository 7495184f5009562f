"""The review stage's queue URLs, in the `reviews` namespace (reviews/urls.py adds them)."""

from django.urls import path

from reviews.views import queue as views

urlpatterns: list = [
    path("calls/<int:pk>/rubric/", views.rubric, name="rubric"),
    path("reviews/", views.queue, name="queue"),
    path("reviews/<int:pk>/", views.review, name="review"),
    path("reviews/<int:pk>/reopen/", views.review_reopen, name="review_reopen"),
    path("panels/<int:pk>/opinions/<int:application_pk>/", views.panel_opinion, name="panel_opinion"),
]
