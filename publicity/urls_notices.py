"""The public-notice stage's URLs for the public notices:
the secretariat's preparing and scheduling, the public's /publicity/ pages.

In the `publicity` namespace (publicity/urls.py adds them)."""

urlpatterns: list = []
