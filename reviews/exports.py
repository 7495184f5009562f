"""The ranking as a file, so that each decision can be justified: CSV (one row per review, the application's
place and aggregates repeated on each) and XLSX (a sheet of the ranking and a sheet of the reviews).

Every text cell is defused as the portal's other exports are (`portal.csv_export.safe`): a cell that starts like
a formula is kept as text in Excel (and openpyxl would otherwise write it as a formula). Headers are translated
in the request's language; scores are numbers, not text, so that they can be summed.
"""

import io
from collections.abc import Iterator

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from portal import csv_export
from reviews import selectors_ranking as selectors
from reviews.aggregation import Aggregate

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _local(moment) -> str:
    return timezone.localtime(moment, timezone.get_default_timezone()).strftime("%Y-%m-%d %H:%M") if moment else ""


def _number(value):
    return float(value) if value is not None else None


def _ranking_headers() -> list[str]:
    return [
        _("Rank"),
        _("Group standard"),
        _("Title"),
        _("Social group"),
        _("Recommender"),
        _("Industry field"),
        _("Status"),
        _("Reviews in"),
        _("Experts assigned"),
        _("Mean"),
        _("Trimmed mean"),
        _("Normalised (z)"),
        _("Standard deviation"),
        _("Divergent"),
        _("Experts recommending"),
        _("Tied"),
    ]


def _ranking_cells(row: Aggregate, application) -> list[object]:
    return [
        row.rank or None,
        application.standard.display_number,
        application.standard.title_zh,
        application.group.name,
        application.recommender.name if application.recommender_id else "",
        application.get_industry_field_display(),
        application.get_status_display(),
        row.reviews_in,
        row.assigned,
        _number(row.mean),
        _number(row.trimmed_mean),
        _number(row.normalised),
        _number(row.stdev),
        _("Yes") if row.divergent else "",
        row.recommendations,
        _("Yes") if row.tied else "",
    ]


def _review_headers(criteria) -> list[str]:
    headers = [_("Expert"), _("Affiliation")]
    for criterion in criteria:
        headers += [
            _("%(criterion)s (score of %(max)s)") % {"criterion": criterion.name, "max": criterion.max_score},
            _("%(criterion)s (comment)") % {"criterion": criterion.name},
        ]
    return [*headers, _("Weighted total"), _("z-score"), _("Recommendation"), _("Overall opinion"), _("Submitted")]


def _review_cells(detail: selectors.ReviewDetail, criteria, row: Aggregate | None) -> list[object]:
    cells: list[object] = [detail.expert, detail.affiliation]
    for criterion in criteria:
        score, comment = detail.scores.get(criterion.pk, (None, ""))
        cells += [_number(score), comment]
    z = row.z_scores.get(detail.expert_id) if row is not None else None
    return [
        *cells,
        _number(detail.total),
        _number(z),
        detail.recommendation,
        detail.opinion,
        _local(detail.submitted_at),
    ]


def _applications(ranking: selectors.Ranking) -> dict:
    return selectors.page_applications([row.application_id for row in ranking.rows])


def _csv_lines(ranking: selectors.Ranking) -> Iterator[str]:
    criteria = selectors.criteria(ranking.call)
    applications = _applications(ranking)
    rows = {row.application_id: row for row in ranking.rows}
    reviews: dict[int, list[selectors.ReviewDetail]] = {}
    for detail in selectors.review_details(ranking.call, set(rows)):
        reviews.setdefault(detail.application_id, []).append(detail)
    blank = [""] * len(_review_headers(criteria))
    lines = []
    for row in ranking.rows:
        head = _ranking_cells(row, applications[row.application_id])
        details = reviews.get(row.application_id) or [None]
        for detail in details:
            lines.append(head + (_review_cells(detail, criteria, row) if detail else blank))
    yield from csv_export.lines(_ranking_headers() + _review_headers(criteria), lines)


def _xlsx(ranking: selectors.Ranking) -> bytes:
    criteria = selectors.criteria(ranking.call)
    applications = _applications(ranking)
    rows = {row.application_id: row for row in ranking.rows}
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Ranking"))
    sheet.append(csv_export.safe(_ranking_headers()))
    for row in ranking.rows:
        sheet.append(csv_export.safe(_ranking_cells(row, applications[row.application_id])))
    details = book.create_sheet(_("Reviews"))
    details.append(csv_export.safe([_("Rank"), _("Group standard"), *_review_headers(criteria)]))
    for detail in selectors.review_details(ranking.call, set(rows)):
        row = rows[detail.application_id]
        number = applications[detail.application_id].standard.display_number
        details.append(csv_export.safe([row.rank or None, number, *_review_cells(detail, criteria, row)]))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def ranking_response(ranking: selectors.Ranking, kind: str) -> HttpResponse:
    """The ranking as a download (`kind` csv or xlsx), confidential: no copy left in a shared cache."""
    stamp = timezone.localtime(timezone.now(), timezone.get_default_timezone()).strftime("%Y%m%d-%H%M")
    scope = f"panel-{ranking.panel.pk}" if ranking.panel else f"call-{ranking.call.pk}"
    name = f"ranking-{scope}-{stamp}.{kind}"
    if kind == "xlsx":
        response = HttpResponse(_xlsx(ranking), content_type=XLSX_TYPE)
    else:
        # Written now, while the request's language is active (a streamed body would be translated later).
        response = HttpResponse("".join(_csv_lines(ranking)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response
