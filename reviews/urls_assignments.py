"""The review stage's assignments URLs, in the `reviews` namespace (reviews/urls.py adds them)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
