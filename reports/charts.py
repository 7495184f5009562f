"""The public page's charts: each a titled table of (label, count) rows, in the request's language.

The table is the truth: the page prints it beneath its chart, its CSV is the same rows, and the chart
(static/js/statistics.js) draws the same rows from the page's JSON.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from portal.choices import Province
from projects.models import IndustryField
from reports.selectors import TOP_GROUPS, RegisterFigures
from standards.models import ApplicationType


@dataclass(frozen=True)
class Chart:
    slug: str
    title: str
    label_header: str
    rows: list[tuple[str, int]]
    # How static/js/statistics.js draws it: "bar" (columns), "hbar" (bars, for long labels) or "pie".
    kind: str
    note: str = ""

    @property
    def data_id(self) -> str:
        return f"chart-{self.slug}-data"

    @property
    def value_header(self) -> str:
        return _("Projects")

    def data(self) -> dict:
        """What the page hands to its script (through json_script)."""
        return {
            "title": self.title,
            "kind": self.kind,
            "series": self.value_header,
            "labels": [label for label, _count in self.rows],
            "values": [count for _label, count in self.rows],
        }


def label_of(key: str, labels: dict[str, str]) -> str:
    """A stored code's label; "Not given" for a blank (an imported list's, a group without a province)."""
    return labels.get(key, key) if key else _("Not given")


def _labelled(rows: list[tuple[str, int]], choices) -> list[tuple[str, int]]:
    """Each key's label, in the rows' order but the rows without a key (an imported list's blanks) last."""
    labels = {key: str(label) for key, label in choices}
    ordered = sorted(rows, key=lambda row: not row[0])
    return [(label_of(key, labels), count) for key, count in ordered]


def _years(figures: RegisterFigures) -> Chart:
    rows = [(str(year), count) for year, count in figures.by_year]
    return Chart("years", _("Announced projects per year"), _("Year"), rows, "bar")


def _provinces(figures: RegisterFigures) -> Chart:
    return Chart(
        "provinces",
        _("Announced projects by province"),
        _("Province"),
        _labelled(figures.by_province, Province.choices),
        "hbar",
        note=_("The province of the social group that applied."),
    )


def _fields(figures: RegisterFigures) -> Chart:
    rows = _labelled(figures.by_field, IndustryField.choices)
    return Chart("fields", _("Announced projects by industry field"), _("Industry field"), rows, "hbar")


def _types(figures: RegisterFigures) -> Chart:
    rows = [(str(kind.label), figures.by_type[kind.value]) for kind in ApplicationType] if figures.total else []
    note = _("A project may claim several types, so these counts may add up to more than the projects.")
    return Chart("types", _("Announced projects by type"), _("Type"), rows, "bar", note=note)


def _groups(figures: RegisterFigures) -> Chart:
    return Chart(
        "groups",
        _("Social groups with the most announced projects"),
        _("Social group"),
        figures.top_groups,
        "hbar",
        note=_("The %(count)d social groups with the most projects, by the name each announcement published.")
        % {"count": TOP_GROUPS},
    )


CHARTS: dict[str, Callable[[RegisterFigures], Chart]] = {
    "years": _years,
    "provinces": _provinces,
    "fields": _fields,
    "types": _types,
    "groups": _groups,
}


def charts(figures: RegisterFigures) -> list[Chart]:
    return [build(figures) for build in CHARTS.values()]
