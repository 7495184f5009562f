"""The ranking page, its exports and their audit; who reads scores (the secretariat alone, and it is logged)."""

import csv
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from portal.models import AuditEvent
from reviews.models import Panel
from reviews.selectors_ranking import ranking
from reviews.services import reviews as services
from reviews.services.rubric import ensure_rubric
from tests.factories import ExpertFactory, MinistryFactory, admitted_applications, member_of
from tests.reviews.test_reviews import assign, full_draft

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def secretariat():
    return member_of(MinistryFactory())


def reviewed(totals: list[list[int]], *, secretariat=None, field="equipment") -> list:
    """One application under review per list of `totals`, each total an expert's review scoring every criterion
    so (the weighted total is then that number); experts are shared across applications, in order."""
    applications = admitted_applications(count=len(totals), secretariat=secretariat)
    call = applications[0].call
    ensure_rubric(call)
    experts = [ExpertFactory(user__name=f"专家{n}") for n in range(max(len(t) for t in totals))]
    for application, row in zip(applications, totals, strict=True):
        application.industry_field = field
        application.save(update_fields=["industry_field"])
        for expert, total in zip(experts, row, strict=False):
            assignment = assign(application, expert, by=secretariat)
            draft = full_draft(call, (total,) * 4, recommendation="recommend" if total >= 80 else "not_recommend")
            services.submit(assignment=assignment, by=expert.user, draft=draft)
    return applications


def test_ranking_orders_by_the_calls_aggregate_with_every_figure(client, secretariat):
    low, high, middle = reviewed([[60, 70, 80], [90, 90, 84], [80, 80, 80]], secretariat=secretariat)
    client.force_login(secretariat)

    response = client.get(reverse("reviews:ranking", kwargs={"pk": low.call_id}))

    rows = [(item["application"], item["row"].rank, item["row"].mean) for item in response.context["rows"]]
    assert rows == [(high, 1, D("88.00")), (middle, 2, D("80.00")), (low, 3, D("70.00"))]
    html = response.content.decode()
    assert "88.00" in html
    assert str(response.context["rules"]["rank_by"]) in html


def test_opening_the_ranking_is_in_the_audit_log(client, secretariat):
    [application] = reviewed([[80]], secretariat=secretariat)
    client.force_login(secretariat)

    client.get(reverse("reviews:ranking", kwargs={"pk": application.call_id}))

    event = AuditEvent.objects.filter(action="review.ranking_read").get()
    assert (event.actor, event.target_id) == (secretariat, str(application.call_id))


def test_ranking_sorts_by_a_column_and_back(client, secretariat):
    # Trimmed mean ranks the first above the second; the spread of the first is larger.
    first, second = reviewed([[95, 80, 80, 80, 40], [78, 78, 78, 78, 78]], secretariat=secretariat)
    client.force_login(secretariat)
    url = reverse("reviews:ranking", kwargs={"pk": first.call_id})

    by_rank = [item["application"] for item in client.get(url).context["rows"]]
    by_mean = [item["application"] for item in client.get(url, {"sort": "mean"}).context["rows"]]
    by_spread = [item["application"] for item in client.get(url, {"sort": "-stdev"}).context["rows"]]

    # trimmed: (80 + 80 + 80) / 3 = 80 > 78; mean: 75 < 78; the second's spread is 0
    assert (by_rank, by_mean, by_spread) == ([first, second], [second, first], [second, first])


def test_a_panels_ranking_holds_its_field_only_and_a_bad_panel_is_400(client, secretariat):
    equipment, electronics = reviewed([[80], [70]], secretariat=secretariat)
    electronics.industry_field = "electronics"
    electronics.save(update_fields=["industry_field"])
    panel = Panel.objects.create(call=equipment.call, field="equipment", name="装备组")
    client.force_login(secretariat)
    url = reverse("reviews:ranking", kwargs={"pk": equipment.call_id})

    shown = [item["application"] for item in client.get(url, {"panel": panel.pk}).context["rows"]]
    refused = client.get(url, {"panel": "99999999999999999999"})

    assert shown == [equipment]
    assert refused.status_code == 400
    assert "panel" in refused.context["filters"].errors


def _queries(client, url: str) -> tuple[int, int]:
    client.get(url)  # what a first request fills once (content types, the site's caches)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return len(queries), len(response.context["rows"])


def test_ranking_queries_do_not_grow_with_the_rows(client, secretariat):
    client.force_login(secretariat)
    [one] = reviewed([[80, 70]], secretariat=secretariat)
    twenty = reviewed([[80, 70]] * 20, secretariat=secretariat)
    few = _queries(client, reverse("reviews:ranking", kwargs={"pk": one.call_id}))
    many = _queries(client, reverse("reviews:ranking", kwargs={"pk": twenty[0].call_id}))
    assert (few[0], few[1], many[1]) == (many[0], 1, 20)


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_csv_export_has_a_row_per_review_with_its_scores_and_is_audited(client, secretariat):
    [application] = reviewed([[90, 70]], secretariat=secretariat)
    client.force_login(secretariat)

    response = client.get(reverse("reviews:ranking_csv", kwargs={"pk": application.call_id}))

    rows = _csv(response)
    assert response["Content-Disposition"].startswith('attachment; filename="ranking-call-')
    assert (response["Cache-Control"], len(rows)) == ("private, no-store", 3)
    headers, first, second = rows
    total = headers.index("Weighted total") if "Weighted total" in headers else headers.index("加权总分")
    assert sorted([first[total], second[total]]) == ["70.0", "90.0"]
    assert first[1] == application.standard.display_number
    assert AuditEvent.objects.filter(action="review.ranking_export", actor=secretariat).count() == 1


def test_csv_export_defuses_a_formula_typed_in_an_opinion(client, secretariat):
    [application] = reviewed([[80]], secretariat=secretariat)
    from reviews.models import Review

    Review.objects.update(opinion="=HYPERLINK(1)")
    client.force_login(secretariat)

    rows = _csv(client.get(reverse("reviews:ranking_csv", kwargs={"pk": application.call_id})))

    assert "'=HYPERLINK(1)" in rows[1]


def test_xlsx_export_has_the_ranking_and_the_reviews(client, secretariat):
    first, second = reviewed([[90, 80], [70]], secretariat=secretariat)
    client.force_login(secretariat)

    response = client.get(reverse("reviews:ranking_xlsx", kwargs={"pk": first.call_id}), HTTP_ACCEPT_LANGUAGE="en")

    book = load_workbook(io.BytesIO(response.content), read_only=True)
    ranking_sheet, reviews_sheet = (list(sheet.values) for sheet in book.worksheets)
    assert [row[:2] for row in ranking_sheet[1:]] == [
        (1, first.standard.display_number),
        (2, second.standard.display_number),
    ]
    assert len(reviews_sheet) == 1 + 3
    assert reviews_sheet[0][-5:] == ("Weighted total", "z-score", "Recommendation", "Overall opinion", "Submitted")


def test_secretariat_reading_a_submitted_review_is_in_the_audit_log(client, secretariat):
    [application] = reviewed([[80]], secretariat=secretariat)
    assignment = application.assignments.get()
    client.force_login(secretariat)

    response = client.get(reverse("reviews:review", kwargs={"pk": assignment.pk}))

    assert response.status_code == 200
    event = AuditEvent.objects.filter(action="review.read").get()
    assert (event.actor, event.target_id) == (secretariat, str(assignment.review.pk))


def test_the_expert_reading_their_own_review_is_not_logged(client, secretariat):
    [application] = reviewed([[80]], secretariat=secretariat)
    assignment = application.assignments.get()
    client.force_login(assignment.expert.user)

    client.get(reverse("reviews:review", kwargs={"pk": assignment.pk}))

    assert not AuditEvent.objects.filter(action="review.read").exists()


def test_the_applicant_never_reaches_a_score(client, secretariat):
    [application] = reviewed([[87.5]], secretariat=secretariat)
    client.force_login(application.created_by)

    page = client.get(application.get_absolute_url()).content.decode()
    ranking_page = client.get(reverse("reviews:ranking", kwargs={"pk": application.call_id}))
    export = client.get(reverse("reviews:ranking_csv", kwargs={"pk": application.call_id}))

    assert "87.5" not in page
    assert "专家0" not in page
    assert (ranking_page.status_code, export.status_code) == (403, 403)


def test_ranking_counts_only_active_assignments_reviews(secretariat):
    [application] = reviewed([[90, 50]], secretariat=secretariat)
    application.assignments.filter(expert__user__name="专家1").update(status="removed")

    [row] = ranking(application.call).rows

    assert (row.mean, row.reviews_in, row.assigned) == (D("90.00"), 1, 1)


def test_a_review_submitted_or_reopened_shows_on_the_ranking_at_once(client, secretariat):
    # The ranking page reads through the shared cache: its key changes with what the figures rest on.
    [application] = reviewed([[80]], secretariat=secretariat)
    late = assign(application, ExpertFactory(), by=secretariat)
    client.force_login(secretariat)
    url = reverse("reviews:ranking", kwargs={"pk": application.call_id})

    before = client.get(url).context["rows"][0]["row"]
    review = services.submit(assignment=late, by=late.expert.user, draft=full_draft(application.call, (60,) * 4))
    after = client.get(url).context["rows"][0]["row"]
    services.reopen(review=review, by=secretariat, reason="请核对评分。")
    reopened = client.get(url).context["rows"][0]["row"]

    assert [(row.mean, row.reviews_in) for row in (before, after, reopened)] == [
        (D("80.00"), 1),
        (D("70.00"), 2),
        (D("80.00"), 1),
    ]
