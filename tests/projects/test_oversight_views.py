"""The secretariat's recommenders page, its CSV export and a recommender's deadline extension, through the web."""

import csv
import datetime
import io
import re
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.models import AuditEvent
from projects import workflow
from projects.models import Application, Call, RecommenderExtension
from projects.services import calls as services
from tests.factories import (
    CallFactory,
    MinistryFactory,
    ProvincialDepartmentFactory,
    SocialGroupFactory,
    member_of,
    submitted_application,
)

pytestmark = pytest.mark.django_db
BEIJING = ZoneInfo("Asia/Shanghai")
DAY = datetime.timedelta(days=1)
BOM = b"\xef\xbb\xbf"


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def secretariat():
    return member_of(MinistryFactory())


@pytest.fixture
def department():
    return ProvincialDepartmentFactory(name="浙江省经济和信息化厅")


@pytest.fixture
def call():
    return CallFactory(default_quota=3)


def _submitted(call: Call, recommender, group=None) -> Application:
    return submitted_application(call=call, group=group, recommender=recommender)


def _close_recommendations(call: Call) -> None:
    call.deadline = timezone.now() - datetime.timedelta(hours=2)
    call.recommendation_deadline = timezone.now() - datetime.timedelta(minutes=1)
    call.save(update_fields=["deadline", "recommendation_deadline"])


def _section(content: str, element_id: str) -> str:
    return content.split(f'id="{element_id}"', 1)[1]


def _cells(row_html: str) -> list[str]:
    """The text of a table row's cells (th and td), tags stripped."""
    cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row_html.split("</tr>")[0], flags=re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in cells]


def _url(name: str, call: Call, **kwargs) -> str:
    return reverse(f"projects:{name}", kwargs={"pk": call.pk, **kwargs})


# --- the recommenders page ---------------------------------------------------------------------------
@pytest.fixture
def decided(call, department):
    """`department`: one undecided, one recommended, one returned, one declined; its deadline has passed."""
    staff = member_of(department)
    undecided, recommended, returned, declined = (_submitted(call, department) for _ in range(4))
    workflow.recommend(recommended, by=staff, opinion="同意推荐。", rank=1)
    workflow.return_for_revision(returned, by=staff, reason="补充。")
    workflow.decline(declined, by=staff, reason="不予推荐。")
    _close_recommendations(call)
    return undecided


def test_recommenders_page_shows_each_recommenders_figures_totals_and_the_late_undecided(
    client, secretariat, call, department, decided
):
    client.force_login(secretariat)

    response = client.get(_url("call_recommenders", call))

    content = response.content.decode()
    deadline = timezone.localtime(call.recommendation_deadline, BEIJING).strftime("%Y-%m-%d %H:%M")
    assert _cells(_section(content, f"recommender-{department.pk}")) == [
        "浙江省经济和信息化厅",
        "4",
        "1",
        "1",
        "1",
        "1",
        "3",
        f"{deadline} passed",
        "Extend the deadline 浙江省经济和信息化厅 · Recommendation letter (推荐函) 浙江省经济和信息化厅",
    ]
    assert _cells(_section(content, "recommender-totals")) == ["Total", "4", "1", "1", "1", "1", "3", "", ""]
    late = _section(content, "undecided-late")
    assert (decided.get_absolute_url() in late, decided.standard.display_number in late) == (True, True)
    assert _url("recommender_extension", call, organisation_pk=department.pk) in content
    letter = reverse("projects:recommendation_letter", kwargs={"call_pk": call.pk})
    assert f"{letter}?organisation={department.pk}" in content


def test_recommenders_page_without_submissions_says_so(client, secretariat, call):
    client.force_login(secretariat)

    content = client.get(_url("call_recommenders", call)).content.decode()

    assert "No application naming a recommender has been submitted in this call yet." in content
    assert "No application is left undecided after its recommender's deadline." in content


def test_recommenders_page_shows_an_extended_deadline_and_no_late_list(client, secretariat, call, department, decided):
    until = timezone.now() + DAY
    services.extend_recommendation_deadline(
        call=call, recommender=department, until=until, reason="延期。", by=secretariat
    )
    client.force_login(secretariat)

    response = client.get(_url("call_recommenders", call))

    row = _cells(_section(response.content.decode(), f"recommender-{department.pk}"))
    assert row[7] == f"{timezone.localtime(until, BEIJING):%Y-%m-%d %H:%M} extended"
    assert response.context["overview"].undecided_late == []


def test_call_detail_links_the_secretariat_to_the_recommenders_and_the_formal_check(client, secretariat, call):
    client.force_login(secretariat)

    content = client.get(call.get_absolute_url()).content.decode()

    assert (_url("call_recommenders", call) in content, _url("formal_check", call) in content) == (True, True)


def test_call_detail_hides_those_links_from_a_recommender(client, call, department):
    client.force_login(member_of(department))

    content = client.get(call.get_absolute_url()).content.decode()

    assert (_url("call_recommenders", call) in content, _url("formal_check", call) in content) == (False, False)


@pytest.fixture(params=[1, 20], ids=["1 row", "20 rows"])
def rows(request, call):
    """As many recommenders, each with one application left undecided past its deadline."""
    for _ in range(request.param):
        _submitted(call, ProvincialDepartmentFactory())
    _close_recommendations(call)
    return request.param


def test_recommenders_page_asks_the_same_number_of_queries_for_1_and_20_rows(
    client, secretariat, call, rows, django_assert_num_queries
):
    client.force_login(secretariat)
    url = _url("call_recommenders", call)
    client.get(url)  # warms the content-type cache, as a running server has it

    # session, user, the call, the role (2), the figures, the recommenders, the late undecided
    with django_assert_num_queries(8):
        response = client.get(url)

    overview = response.context["overview"]
    assert (len(overview.rows), len(overview.undecided_late)) == (rows, rows)


# --- CSV -----------------------------------------------------------------------------------------------
def test_recommenders_csv_holds_the_same_columns_with_a_bom(client, secretariat, call, department, decided):
    client.force_login(secretariat)

    response = client.get(_url("call_recommenders_csv", call))

    body = b"".join(response) if response.streaming else response.content
    assert body.startswith(BOM)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith(f'attachment; filename="recommenders-{call.pk}-')
    deadline = services.beijing(call.recommendation_deadline)
    assert list(csv.reader(io.StringIO(body.decode("utf-8-sig")))) == [
        [
            "Recommender",
            "Received",
            "Recommended",
            "Returned for revision",
            "Declined",
            "Undecided",
            "Quota",
            "Recommendation deadline (Beijing time)",
            "Deadline passed",
        ],
        ["浙江省经济和信息化厅", "4", "1", "1", "1", "1", "3", deadline, "yes"],
    ]


def test_recommenders_csv_keeps_a_formula_as_text(client, secretariat, call):
    _submitted(call, ProvincialDepartmentFactory(name='=HYPERLINK("http://evil.example")'))
    client.force_login(secretariat)

    body = client.get(_url("call_recommenders_csv", call)).content

    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[1][0] == '\'=HYPERLINK("http://evil.example")'


def test_recommenders_csv_refused_to_a_recommender(client, call, department):
    client.force_login(member_of(department))

    response = client.get(_url("call_recommenders_csv", call))

    assert (response.status_code, response.content.startswith(BOM)) == (403, False)


# --- the extension form ----------------------------------------------------------------------------
def test_extension_form_grants_records_and_goes_back_to_the_recommenders(
    client, secretariat, call, department, decided
):
    client.force_login(secretariat)
    until = timezone.localtime(timezone.now() + 2 * DAY, BEIJING).replace(second=0, microsecond=0)

    response = client.post(
        _url("recommender_extension", call, organisation_pk=department.pk),
        {"until": until.strftime("%Y-%m-%dT%H:%M"), "reason": "省厅系统故障。"},
        follow=True,
    )

    extension = RecommenderExtension.objects.get()
    assert (extension.call, extension.recommender, extension.until, extension.reason) == (
        call,
        department,
        until,
        "省厅系统故障。",
    )
    assert response.redirect_chain == [(_url("call_recommenders", call), 302)]
    assert f"浙江省经济和信息化厅 may decide until {until:%Y-%m-%d %H:%M} (Beijing time)." in response.content.decode()
    assert AuditEvent.objects.filter(action="call.recommender_extension").values_list("note", flat=True).get() == (
        f"浙江省经济和信息化厅: {until:%Y-%m-%d %H:%M}\n省厅系统故障。"
    )


def test_extension_form_is_prefilled_with_the_current_extension(client, secretariat, call, department):
    until = (call.recommendation_deadline + DAY).replace(second=0, microsecond=0)
    services.extend_recommendation_deadline(
        call=call, recommender=department, until=until, reason="省厅系统故障。", by=secretariat
    )
    client.force_login(secretariat)

    content = client.get(_url("recommender_extension", call, organisation_pk=department.pk)).content.decode()

    assert f'value="{timezone.localtime(until, BEIJING):%Y-%m-%dT%H:%M}"' in content
    assert "省厅系统故障。</textarea>" in content
    assert 'id="current-extension"' in content


def test_extension_form_refuses_a_date_before_the_deadline_and_keeps_what_was_typed(
    client, secretariat, call, department
):
    client.force_login(secretariat)
    too_early = timezone.localtime(call.recommendation_deadline - DAY, BEIJING).strftime("%Y-%m-%dT%H:%M")

    response = client.post(
        _url("recommender_extension", call, organisation_pk=department.pk),
        {"until": too_early, "reason": "省厅系统故障影响审核"},
    )

    content = response.content.decode()
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["until"]
    assert (f'value="{too_early}"' in content, "省厅系统故障影响审核" in content) == (True, True)
    assert "An extension ends after the call&#x27;s recommendation deadline" in content
    assert RecommenderExtension.objects.count() == 0


def test_extension_form_for_an_organisation_that_does_not_recommend_is_404(client, secretariat, call):
    client.force_login(secretariat)

    response = client.get(_url("recommender_extension", call, organisation_pk=SocialGroupFactory().pk))

    assert (response.status_code, RecommenderExtension.objects.count()) == (404, 0)


def test_extension_form_post_by_a_recommender_is_403_and_grants_nothing(client, call, department):
    client.force_login(member_of(department))
    until = timezone.localtime(call.recommendation_deadline + DAY, BEIJING).strftime("%Y-%m-%dT%H:%M")

    response = client.post(
        _url("recommender_extension", call, organisation_pk=department.pk), {"until": until, "reason": "自己延期。"}
    )

    assert (response.status_code, RecommenderExtension.objects.count()) == (403, 0)


def test_extended_recommender_sees_the_new_deadline_in_the_application_list(
    client, secretariat, call, department, decided
):
    until = timezone.now() + DAY
    services.extend_recommendation_deadline(
        call=call, recommender=department, until=until, reason="延期。", by=secretariat
    )
    client.force_login(member_of(department))

    response = client.get(reverse("projects:application_list"))

    rows = [row for row in response.context["rows"] if row.application.pk == decided.pk]
    assert [(row.deadline.at, row.deadline.passed) for row in rows] == [(until, False)]
