"""The public-notice stage's URLs for the public notices:
the secretariat's preparing and scheduling, the public's /publicity/ pages.

In the `publicity` namespace (publicity/urls.py adds them)."""

from django.urls import path

from publicity.views import notices as views

urlpatterns: list = [
    path("calls/<int:pk>/notice/", views.notice_prepare, name="notice_prepare"),
    path("publicity/", views.notice_list, name="notice_list"),
    path("publicity/<int:pk>/", views.notice_detail, name="notice_detail"),
    path("publicity/<int:pk>/edit/", views.notice_edit, name="notice_edit"),
    path("publicity/<int:pk>/schedule/", views.notice_schedule, name="notice_schedule"),
    path("publicity/<int:pk>/correct/", views.notice_correct, name="notice_correct"),
    path("publicity/<int:pk>/list/v<int:version>.json", views.notice_list_download, name="notice_list_download"),
]
