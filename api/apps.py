from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The public read-only API (/api/v1/): what the public pages show, as JSON, with its OpenAPI schema."""

    name = "api"
    verbose_name = _("Open data API")
