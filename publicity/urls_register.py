"""The public-notice stage's URLs for announcements and the public register:
/projects/, its export and feed, past programmes' import.

In the `publicity` namespace (publicity/urls.py adds them)."""

urlpatterns: list = []
