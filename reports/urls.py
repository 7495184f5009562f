"""The programme's statistics: public at /statistics/, the secretariat's per call beneath it."""

app_name = "reports"

urlpatterns = []
