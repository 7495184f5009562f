"""The public-notice stage's URLs for announcements and the public register:
/projects/, its export and feed, past programmes' import.

In the `publicity` namespace (publicity/urls.py adds them)."""

from django.urls import path

from publicity.views import announcements, register

urlpatterns: list = [
    path("projects/", register.project_list, name="project_list"),
    path("projects/export.csv", register.project_export, name="project_export"),
    path("projects/feed/", register.project_feed, name="project_feed"),
    path("projects/import/", register.register_import, name="register_import"),
    path("projects/import/template.csv", register.register_import_template, name="register_import_template"),
    path("projects/<int:pk>/", register.project_detail, name="project_detail"),
    path("publicity/announcements/<int:pk>/", announcements.announcement_detail, name="announcement_detail"),
    path(
        "publicity/announcements/<int:pk>/list/v<int:version>.json",
        announcements.announcement_list_download,
        name="announcement_list_download",
    ),
    path("publicity/announcements/<int:pk>/publish/", announcements.announcement_publish, name="announcement_publish"),
    path("publicity/announcements/<int:pk>/correct/", announcements.announcement_correct, name="announcement_correct"),
    path("calls/<int:pk>/announcement/", announcements.announcement_prepare, name="announcement_prepare"),
]
