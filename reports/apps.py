from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """The programme in numbers: the public /statistics/ page and the secretariat's per-call funnel."""

    name = "reports"
    verbose_name = _("Statistics")
