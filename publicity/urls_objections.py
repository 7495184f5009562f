"""The public-notice stage's URLs for objections:
filing and tracking (public), handling (secretariat), answering (group, recommender).

In the `publicity` namespace (publicity/urls.py adds them)."""

from django.urls import path

from publicity.views import objections

urlpatterns: list = [
    path("publicity/<int:pk>/object/", objections.objection_create, name="objection_create"),
]
