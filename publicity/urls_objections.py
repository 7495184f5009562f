"""The public-notice stage's URLs for objections:
filing and tracking (public), handling (secretariat), answering (group, recommender).

In the `publicity` namespace (publicity/urls.py adds them)."""

urlpatterns: list = []
