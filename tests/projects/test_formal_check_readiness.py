"""The formal check counts and labels what may be checked now apart from what waits for its recommender's deadline
(issue 10): the dashboard, the formal-check page and the application list say the same as `workflow.admit`."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.workdays import local_zone
from projects import workflow
from projects.models import Application, Call
from projects.selectors import oversight
from projects.selectors.dashboard import waiting_for_secretariat
from projects.services import calls as services
from tests.factories import (
    CallFactory,
    GroupStandardFactory,
    MinistryFactory,
    ProvincialDepartmentFactory,
    SocialGroupFactory,
    make_application,
    member_of,
    profile_of,
)

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def secretariat():
    return member_of(MinistryFactory())


@pytest.fixture
def department():
    return ProvincialDepartmentFactory(name="浙江省经济和信息化厅")


def _recommended(call: Call, department, rank: int, group=None) -> Application:
    application = make_application(call=call, group=group, complete=True, recommender=department)
    workflow.submit(application, by=application.created_by)
    return workflow.recommend(application, by=member_of(department), opinion="同意推荐。", rank=rank)


def _direct(call: Call) -> Application:
    """A ministry-managed group's application: recommended on submission, checkable at once."""
    application = make_application(call=call, group=SocialGroupFactory(ministry_managed=True), complete=True)
    return workflow.submit(application, by=application.created_by)


@pytest.fixture
def stage(department):
    """The issue's case: three await the check, one of them (a direct application) ready, two locked until
    their recommender's deadline, which is still ahead."""
    call = CallFactory(default_quota=5)
    ready = _direct(call)
    group = SocialGroupFactory()
    locked = [_recommended(call, department, rank, group) for rank in (1, 2)]
    return {"call": call, "ready": ready, "locked": locked}


def _beijing(moment: datetime.datetime) -> str:
    return moment.astimezone(local_zone()).strftime("%Y-%m-%d %H:%M")


# --- which may be checked now -------------------------------------------------------------------------
def test_check_open_agrees_with_what_admit_accepts(secretariat, department):
    now = timezone.now()
    past = CallFactory(default_quota=5)
    late = ProvincialDepartmentFactory()
    passed, extended = _recommended(past, department, 1), _recommended(past, late, 1)
    Call.objects.filter(pk=past.pk).update(deadline=now - 2 * DAY, recommendation_deadline=now - DAY)
    services.extend_recommendation_deadline(
        call=past, recommender=late, until=now + DAY, reason="延期。", by=secretariat
    )
    ahead = CallFactory(default_quota=5)
    direct, before = _direct(ahead), _recommended(ahead, department, 1)

    open_now = set(Application.objects.filter(oversight.check_open(timezone.now())))
    refused = []
    for application in (passed, extended, direct, before):
        try:
            workflow.admit(Application.objects.get(pk=application.pk), by=secretariat)
        except workflow.TransitionRefused:
            refused.append(application)

    assert open_now == {passed, direct}
    assert refused == [extended, before]


def test_waiting_for_secretariat_counts_ready_and_locked_apart(stage):
    tasks = waiting_for_secretariat()

    assert [(t.call, t.to_check, t.ready, t.locked, t.undecided) for t in tasks] == [(stage["call"], 3, 1, 2, 0)]


def test_waiting_for_secretariat_lists_an_unpublished_call_to_publish():
    draft = CallFactory(unpublished=True)
    CallFactory()  # published, nothing to do

    tasks = waiting_for_secretariat()

    assert [(t.call, t.to_check, t.undecided) for t in tasks] == [(draft, 0, 0)]


def test_check_counts_tell_ready_from_locked(stage):
    counts = oversight.check_counts(stage["call"])

    assert counts == oversight.CheckCounts(awaiting=3, admitted=0, ineligible=0, ready=1, locked=2)


def test_check_counts_once_the_deadline_has_passed_are_all_ready(stage):
    later = stage["call"].recommendation_deadline + datetime.timedelta(minutes=1)

    counts = oversight.check_counts(stage["call"], later)

    assert (counts.ready, counts.locked) == (3, 0)


# --- the pages ---------------------------------------------------------------------------------------
def test_secretariat_dashboard_counts_ready_and_locked_apart(client, secretariat, stage):
    client.force_login(secretariat)

    content = client.get(reverse("portal:dashboard")).content.decode()

    task = content.split(f'id="secretariat-task-{stage["call"].pk}"', 1)[1].split("</li>", 1)[0]
    link = task.split(f'id="formal-check-{stage["call"].pk}">', 1)[1].split("</a>", 1)[0]
    assert link == "Formal check: 1 ready to check · 2 ready after the recommendation deadline"


def test_secretariat_dashboard_links_an_unpublished_call(client, secretariat):
    draft = CallFactory(unpublished=True, title="草稿批次")
    client.force_login(secretariat)

    content = client.get(reverse("portal:dashboard")).content.decode()

    link = content.split(f'id="unpublished-call-{draft.pk}"', 1)[1].split("</a>", 1)[0]
    assert link == ">not published yet: preview and publish it"
    assert f'<a href="{draft.get_absolute_url()}" id="unpublished-call-{draft.pk}">' in content


@pytest.mark.parametrize("calls", [1, 20])
def test_secretariat_dashboard_counts_in_constant_queries(client, django_assert_num_queries, secretariat, calls):
    department = ProvincialDepartmentFactory()
    for _index in range(calls):
        call = CallFactory(default_quota=5)
        _direct(call)
        _recommended(call, department, 1)
    client.force_login(secretariat)

    with django_assert_num_queries(12):  # as tests/projects/test_dashboard_tasks.py: the calls' counts are one
        response = client.get(reverse("portal:dashboard"))

    content = response.content.decode()
    expected = "Formal check: 1 ready to check · 1 ready after the recommendation deadline</a>"
    assert content.count(expected) == calls


def test_formal_check_page_shows_a_disabled_box_with_its_label_for_a_locked_one(client, secretariat, stage):
    call, (first, second) = stage["call"], stage["locked"]
    client.force_login(secretariat)

    content = client.get(reverse("projects:formal_check", kwargs={"pk": call.pk})).content.decode()

    cell = content.split(f'id="check-{first.pk}"', 1)[1].split("</td>", 1)[0]
    at = _beijing(call.recommendation_deadline)
    assert f'<input type="checkbox" id="id_applications_{first.pk}" disabled>' in cell
    label = cell.split(f'<label for="id_applications_{first.pk}"', 1)[1].split("</label>", 1)[0]
    assert label == f' class="muted" id="opens-after-{first.pk}">Ready after the recommendation deadline ({at})'
    ready = content.split(f'id="check-{stage["ready"].pk}"', 1)[1].split("</td>", 1)[0]
    assert f'name="applications" value="{stage["ready"].pk}"' in ready
    assert f'name="applications" value="{second.pk}"' not in content


def test_formal_check_page_figures_tell_ready_from_locked(client, secretariat, stage):
    client.force_login(secretariat)

    content = client.get(reverse("projects:formal_check", kwargs={"pk": stage["call"].pk})).content.decode()

    figures = [content.split(f'id="count-{name}">', 1)[1].split("<", 1)[0] for name in ("awaiting", "ready", "locked")]
    assert figures == ["3", "1 ready to check", "2 ready after the recommendation deadline"]


def test_formal_check_page_says_nothing_is_locked_when_all_are_ready(client, secretariat):
    call = CallFactory(default_quota=5)
    _direct(call)
    client.force_login(secretariat)

    content = client.get(reverse("projects:formal_check", kwargs={"pk": call.pk})).content.decode()

    readiness = content.split('id="count-readiness">', 1)[1].split("</p>", 1)[0]
    assert readiness == '<span id="count-ready">1 ready to check</span>'


def test_application_list_names_the_formal_check_only_when_it_may_be_made(client, secretariat, stage):
    client.force_login(secretariat)

    response = client.get(reverse("projects:application_list"))

    actions = {row.application.pk: row.next_action for row in response.context["rows"]}
    locked = f"Ready after the recommendation deadline ({_beijing(stage['call'].recommendation_deadline)})"
    assert actions == {stage["ready"].pk: "Formal check", **{a.pk: locked for a in stage["locked"]}}


def test_application_list_next_action_follows_the_recommenders_extension(client, secretariat, department):
    call = CallFactory(default_quota=5)
    application = _recommended(call, department, 1)
    now = timezone.now()
    Call.objects.filter(pk=call.pk).update(deadline=now - 2 * DAY, recommendation_deadline=now - DAY)
    until = now + DAY
    services.extend_recommendation_deadline(
        call=call, recommender=department, until=until, reason="延期。", by=secretariat
    )
    client.force_login(secretariat)

    response = client.get(reverse("projects:application_list"))

    rows = [(row.application, row.next_action) for row in response.context["rows"]]
    assert rows == [(application, f"Ready after the recommendation deadline ({_beijing(until)})")]


@pytest.fixture(params=[1, 20])
def locked_rows(request, department):
    call = CallFactory(default_quota=20)
    group = SocialGroupFactory()
    profile = profile_of(group)
    for rank in range(1, request.param + 1):
        standard = GroupStandardFactory(issuer=profile, fills_gap=True)
        application = make_application(call=call, group=group, standard=standard, complete=True, recommender=department)
        workflow.submit(application, by=application.created_by)
        workflow.recommend(application, by=member_of(department), opinion="同意推荐。", rank=rank)
    return request.param


def test_application_list_labels_locked_checks_in_constant_queries(
    client, django_assert_num_queries, secretariat, locked_rows
):
    client.force_login(secretariat)
    client.get(reverse("projects:application_list"))  # warms the content-type cache, as a running server has it

    with django_assert_num_queries(10):  # as tests/projects/test_application_list.py's QUERIES
        response = client.get(reverse("projects:application_list"))

    labels = {row.next_action.split(" (")[0] for row in response.context["rows"]}
    assert (len(response.context["rows"]), labels) == (locked_rows, {"Ready after the recommendation deadline"})


# --- in Chinese, as the issue words it (the strings of /tmp/po/calls.po, merged into the catalogue) -----------
def test_secretariat_dashboard_words_the_counts_as_the_issue_does_in_chinese(client, settings, secretariat, stage):
    settings.LANGUAGE_CODE = "zh-hans"
    client.force_login(secretariat)

    content = client.get(reverse("portal:dashboard"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    link = content.split(f'id="formal-check-{stage["call"].pk}">', 1)[1].split("</a>", 1)[0]
    assert link == "形式审查：可审查 1 · 推荐截止后可审查 2"


def test_formal_check_page_labels_a_locked_one_in_chinese(client, settings, secretariat, stage):
    settings.LANGUAGE_CODE = "zh-hans"
    first = stage["locked"][0]
    client.force_login(secretariat)

    content = client.get(
        reverse("projects:formal_check", kwargs={"pk": stage["call"].pk}), HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()

    label = content.split(f'id="opens-after-{first.pk}">', 1)[1].split("</label>", 1)[0]
    readiness = [content.split(f'id="count-{name}">', 1)[1].split("<", 1)[0] for name in ("ready", "locked")]
    assert label == f"推荐截止（{_beijing(stage['call'].recommendation_deadline)}）后可审查"
    assert readiness == ["可审查 1", "推荐截止后可审查 2"]
