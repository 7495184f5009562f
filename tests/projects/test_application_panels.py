"""The application page as panels (portal.panels, projects.panels): what each role sees of the recommendation and
the formal check, the decision's fields, the confirmation of a return or a decline, and the page's queries."""

import html
import re
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.models import AuditEvent
from projects import workflow
from projects.models import Application, ApplicationStatus, ImplementingEnterprise, IndicatorComparison
from projects.services.ranking import set_group_ranks
from tests.factories import (
    CallFactory,
    GroupStandardFactory,
    MinistryFactory,
    SocialGroupFactory,
    make_application,
    make_credit_code,
    member_of,
    profile_of,
)

pytestmark = pytest.mark.django_db
S = ApplicationStatus
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}
DECISION, OUTCOME, FORMAL_CHECK = (
    "projects/_panel_decision.html",
    "projects/_panel_recommendation.html",
    "projects/_formal_check.html",
)
REASON = "请补充实施企业的产值数据。\n并附上年报。"
CSRF = "csrfmiddlewaretoken"


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def call():
    return CallFactory(default_quota=3)


@pytest.fixture
def group(department):
    return SocialGroupFactory(province=department.province)


@pytest.fixture
def secretariat():
    return member_of(MinistryFactory())


def _submitted(call, group, department) -> Application:
    application = make_application(call=call, group=group, complete=True, recommender=department)
    return workflow.submit(application, by=application.created_by)


def _panels(client, user, application) -> tuple[list[str], list[str]]:
    """The page's panels as `user` sees them: those in the flow and those beside the content, by template."""
    client.force_login(user)
    response = client.get(application.get_absolute_url(), **ENGLISH)
    return [p.template for p in response.context["panels"]], [p.template for p in response.context["aside_panels"]]


def _decide(client, application, **data):
    return client.post(reverse("projects:application_decide", kwargs={"pk": application.pk}), data, **ENGLISH)


def _state(application: Application) -> tuple:
    row = Application.objects.values_list("status", "updated_at").get(pk=application.pk)
    return row, AuditEvent.objects.count()


def _text(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


class _Hidden(HTMLParser):
    """The hidden inputs of the form `form_id` but the CSRF token: name → value (None when it has no value)."""

    def __init__(self, form_id: str) -> None:
        super().__init__()
        self.form_id = form_id
        self.inside = False
        self.fields: dict[str, str | None] = {}

    def handle_starttag(self, tag, attrs) -> None:
        attributes = dict(attrs)
        if tag == "form":
            self.inside = attributes.get("id") == self.form_id
        elif self.inside and tag == "input" and attributes.get("type") == "hidden" and attributes["name"] != CSRF:
            self.fields[attributes["name"]] = attributes.get("value")


def _hidden_fields(response) -> dict[str, str | None]:
    """What the confirmation page posts back."""
    parser = _Hidden("decision-confirm-form")
    parser.feed(response.content.decode())
    return parser.fields


# --- who sees which panel ------------------------------------------------------------------------------
def test_panels_while_submitted_only_the_recommender_decides_beside_the_content(
    client, call, group, department, recommender, secretariat
):
    application = _submitted(call, group, department)

    seen = {
        "recommender": _panels(client, recommender, application),
        "group": _panels(client, application.created_by, application),
        "secretariat": _panels(client, secretariat, application),
    }

    assert seen == {"recommender": ([], [DECISION]), "group": ([], []), "secretariat": ([], [])}


def test_panels_once_recommended_show_the_outcome_and_the_secretariats_formal_check(
    client, call, group, department, recommender, secretariat
):
    application = _submitted(call, group, department)
    workflow.recommend(application, by=recommender, opinion="同意推荐。", rank=1)

    seen = {
        "recommender": _panels(client, recommender, application),
        "group": _panels(client, application.created_by, application),
        "secretariat": _panels(client, secretariat, application),
    }

    assert seen == {
        "recommender": ([OUTCOME], []),
        "group": ([OUTCOME], []),
        "secretariat": ([OUTCOME], [FORMAL_CHECK]),
    }


def test_panels_after_a_return_show_no_decision_to_the_recommender(client, call, group, department, recommender):
    application = _submitted(call, group, department)
    workflow.return_for_revision(application, by=recommender, reason="补充数据。")

    assert _panels(client, recommender, application) == ([], [])


def test_panels_of_a_ministry_managed_groups_application_have_no_recommendation(client, secretariat):
    application = make_application(call=CallFactory(), group=SocialGroupFactory(ministry_managed=True), complete=True)
    workflow.submit(application, by=application.created_by)

    seen = {
        "group": _panels(client, application.created_by, application),
        "secretariat": _panels(client, secretariat, application),
    }

    assert seen == {"group": ([], []), "secretariat": ([], [FORMAL_CHECK])}


def test_recommendation_outcome_gives_the_rank_to_all_but_the_group(
    client, call, group, department, recommender, secretariat
):
    application = _submitted(call, group, department)
    workflow.recommend(application, by=recommender, opinion="该标准填补空白，同意推荐。", rank=2)

    shown = {}
    for who, user in {"group": application.created_by, "secretariat": secretariat, "recommender": recommender}.items():
        client.force_login(user)
        content = client.get(application.get_absolute_url(), **ENGLISH).content.decode()
        start = content.index('id="recommendation"')
        section = content[start : content.index("</section>", start)]
        rank = re.search(r'id="recommendation-rank">([^<]*)<', section)
        shown[who] = ("该标准填补空白，同意推荐。" in section, department.name in section, rank and rank.group(1))

    assert shown == {
        "group": (True, True, None),
        "secretariat": (True, True, "2"),
        "recommender": (True, True, "2"),
    }


# --- the decision panel --------------------------------------------------------------------------------
def test_decision_panel_shows_the_groups_own_rank_the_quota_and_the_deadline(
    client, call, group, department, recommender
):
    first = make_application(call=call, group=group, complete=True, recommender=department)
    second = make_application(
        call=call,
        group=group,
        standard=GroupStandardFactory(issuer=profile_of(group), fills_gap=True),
        complete=True,
        recommender=department,
    )
    set_group_ranks(call=call, group=group, ranks={first.pk: 2, second.pk: 1}, by=first.created_by)
    for application in (first, second):
        workflow.submit(application, by=application.created_by)
    workflow.recommend(second, by=recommender, opinion="同意推荐。", rank=1)
    client.force_login(recommender)

    response = client.get(first.get_absolute_url(), **ENGLISH)

    content = response.content.decode()
    facts = {
        name: re.search(rf'id="decision-{name}">\s*([^<]*?)\s*<', content).group(1) for name in ("group-rank", "quota")
    }
    assert facts == {"group-rank": "2", "quota": "1 of 3 used, 2 left"}
    assert "Recommendation deadline" in content.split('id="decision"', 1)[1].split("</dl>", 1)[0]


def test_decision_panel_without_a_group_rank_shows_a_dash(client, call, group, department, recommender):
    application = _submitted(call, group, department)
    client.force_login(recommender)

    content = client.get(application.get_absolute_url(), **ENGLISH).content.decode()

    assert re.search(r'id="decision-group-rank">([^<]*)<', content).group(1) == "—"


def test_decision_panel_marks_which_fields_each_decision_needs(client, call, group, department, recommender):
    application = _submitted(call, group, department)
    client.force_login(recommender)

    content = client.get(application.get_absolute_url(), **ENGLISH).content.decode()

    form = content.split('id="decision-form"', 1)[1].split("</form>", 1)[0]
    fields = re.findall(r'data-shown-for="([^"]+)"[^>]*>\s*<label for="id_(\w+)"', form)
    assert fields == [("recommend", "opinion"), ("recommend", "rank"), ("return decline", "reason")]
    assert 'data-choice="decision"' in content
    assert reverse("projects:application_submit", kwargs={"pk": application.pk}) not in content


# --- a return or a decline is confirmed ----------------------------------------------------------------
@pytest.mark.parametrize("decision", ["return", "decline"])
def test_decide_negative_without_confirmation_shows_the_confirmation_and_changes_nothing(
    client, call, group, department, recommender, decision
):
    application = _submitted(call, group, department)
    before = _state(application)
    client.force_login(recommender)

    response = _decide(client, application, decision=decision, reason=REASON, opinion="留着的意见", rank="")

    assert (response.status_code, response.templates[0].name) == (
        200,
        "projects/application_decision_confirm.html",
    )
    quoted = response.content.decode().split('id="decision-confirm-reason">', 1)[1].split("</blockquote>", 1)[0]
    assert quoted == "<p>请补充实施企业的产值数据。<br>并附上年报。</p>"
    assert _hidden_fields(response) == {"decision": decision, "reason": REASON, "opinion": "留着的意见", "rank": None}
    assert _state(application) == before


def test_confirmation_of_a_return_says_the_group_may_resubmit_before_the_deadline(
    client, call, group, department, recommender
):
    application = _submitted(call, group, department)
    client.force_login(recommender)

    response = _decide(client, application, decision="return", reason=REASON)

    text = _text(response)
    assert "Return the application for revision?" in text
    assert f"The application goes back to {group.name} with your reasons." in text


def test_confirmation_of_a_decline_says_it_cannot_be_undone(client, call, group, department, recommender):
    application = _submitted(call, group, department)
    client.force_login(recommender)

    response = _decide(client, application, decision="decline", reason=REASON)

    text = _text(response)
    assert "Decline to recommend the application?" in text
    assert "The application will not be recommended, and this cannot be undone" in text


@pytest.mark.parametrize(
    ("decision", "status", "action"),
    [("return", S.RETURNED, "application.return_for_revision"), ("decline", S.NOT_RECOMMENDED, "application.decline")],
)
def test_decide_negative_confirmed_moves_and_writes_one_audit_row(
    client, call, group, department, recommender, decision, status, action
):
    application = _submitted(call, group, department)
    last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
    client.force_login(recommender)

    response = _decide(client, application, decision=decision, reason=REASON, confirm="yes")

    application.refresh_from_db()
    events = AuditEvent.objects.filter(id__gt=last).exclude(action__startswith="notification")
    assert (response.status_code, response["Location"]) == (302, application.get_absolute_url())
    assert application.status == status
    assert list(events.values_list("action", "note")) == [(action, REASON.strip())]


def test_decide_change_from_the_confirmation_shows_the_form_as_typed(client, call, group, department, recommender):
    application = _submitted(call, group, department)
    before = _state(application)
    client.force_login(recommender)

    response = _decide(client, application, decision="decline", reason=REASON, opinion="留着的意见", change="yes")

    [panel] = response.context["aside_panels"]
    form = panel.context["form"]
    assert (response.status_code, panel.template) == (200, DECISION)
    assert (form.data["decision"], form.data["reason"], form.data["opinion"], form.errors) == (
        "decline",
        REASON,
        "留着的意见",
        {},
    )
    assert f"{html.escape(REASON)}</textarea>" in response.content.decode()
    assert _state(application) == before


def test_decide_recommend_needs_no_confirmation(client, call, group, department, recommender):
    application = _submitted(call, group, department)
    client.force_login(recommender)

    response = _decide(client, application, decision="recommend", opinion="同意推荐。", rank="1")

    application.refresh_from_db()
    assert (response.status_code, application.status, application.recommendation_rank) == (302, S.RECOMMENDED, 1)


def test_decide_negative_refused_before_confirmation_when_already_decided(client, call, group, department, recommender):
    application = _submitted(call, group, department)
    workflow.decline(application, by=recommender, reason="范围不足。")
    before = _state(application)
    client.force_login(recommender)

    response = _decide(client, application, decision="return", reason=REASON)

    assert (response.status_code, response.context["refusal"]) == (
        409,
        "An application that is “Not recommended” cannot be returned for revision.",
    )
    assert _state(application) == before


# --- the page's queries --------------------------------------------------------------------------------
def _with_rows(application: Application, count: int) -> None:
    """`count` indicator rows and implementing enterprises in all (the complete application has one of each)."""
    for position in range(1, count):
        IndicatorComparison.objects.create(
            application=application, indicator=f"指标{position}", this_standard="≥99%", position=position
        )
        ImplementingEnterprise.objects.create(
            application=application,
            name=f"示例企业{position}",
            credit_code=make_credit_code(position, "91"),
            province="330000",
            position=position,
        )


def _queries(client, user, application) -> int:
    client.force_login(user)
    client.get(application.get_absolute_url())  # warms the content-type cache, as a running server has it
    with CaptureQueriesContext(connection) as queries:
        response = client.get(application.get_absolute_url())
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("who", ["recommender", "group", "secretariat"])
def test_application_page_asks_the_same_number_of_queries_for_1_and_20_rows(
    client, call, department, recommender, secretariat, who
):
    counts = {}
    for rows in (1, 20):
        group = SocialGroupFactory(province=department.province)
        application = make_application(call=call, group=group, complete=True, recommender=department)
        _with_rows(application, rows)
        workflow.submit(application, by=application.created_by)
        if who != "recommender":  # the outcome for the group, the outcome and the formal check for the secretariat
            workflow.recommend(application, by=recommender, opinion="同意推荐。", rank={1: 1, 20: 2}[rows])
        user = {"recommender": recommender, "group": application.created_by, "secretariat": secretariat}[who]
        counts[rows] = _queries(client, user, application)

    assert counts[20] == counts[1]
