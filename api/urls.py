"""The public read-only API, mounted at /api/v1/."""

app_name = "api"

urlpatterns = []
