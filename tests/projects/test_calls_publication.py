"""A call starts as the secretariat's unpublished draft and is published by an audited step (issue 10); removing
one of its attachments asks first."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from portal.exceptions import Conflict
from portal.models import AuditEvent
from projects import rules
from projects.models import Call, CallAttachment
from projects.selectors.calls import call_list, open_calls
from projects.services import calls as services
from projects.services.seed import seed_demo_call
from standards.files import minimal_pdf
from tests.factories import (
    CallFactory,
    ExpertFactory,
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
ROLES = ("anonymous", "applicant", "recommender", "expert", "secretariat")


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def secretariat():
    return member_of(MinistryFactory())


@pytest.fixture
def group():
    group = SocialGroupFactory(name="浙江省品牌建设促进会")
    GroupStandardFactory(issuer=profile_of(group), fills_gap=True)
    return group


@pytest.fixture
def users(secretariat, group):
    return {
        "anonymous": None,
        "applicant": member_of(group),
        "recommender": member_of(ProvincialDepartmentFactory()),
        "expert": ExpertFactory().user,
        "secretariat": secretariat,
    }


@pytest.fixture
def draft():
    """The secretariat's unpublished call, open by its dates, with a template to download."""
    call = CallFactory(unpublished=True, title="草稿批次")
    services.add_call_attachment(call=call, kind="application_template", title="申报书模板", file=_pdf(), by=None)
    return call


def _pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("模板.pdf", minimal_pdf("template"), content_type="application/pdf")


def _client(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _upcoming(**fields) -> Call:
    now = timezone.now()
    return CallFactory(
        opens_at=now + 5 * DAY, deadline=now + 30 * DAY, recommendation_deadline=now + 50 * DAY, **fields
    )


def _events(call: Call) -> list[tuple[str, int | None]]:
    return [(event.action, event.actor_id) for event in AuditEvent.objects.for_object(call).order_by("id")]


# --- the service ---------------------------------------------------------------------------------------
def test_create_call_starts_an_unpublished_draft(secretariat):
    now = timezone.now()
    call = services.create_call(
        by=secretariat,
        year=2026,
        title="新批次",
        notice_number="工信厅科函〔2026〕1号",
        opens_at=now - DAY,
        deadline=now + 20 * DAY,
        implementation_cutoff=(now + 20 * DAY).date(),
        recommendation_deadline=now + 40 * DAY,
    )

    assert (Call.objects.get(pk=call.pk).published_at, call.is_published) == (None, False)


def test_publish_call_records_who_and_when(secretariat, draft):
    before = timezone.now()

    services.publish_call(call=draft, by=secretariat)

    stored = Call.objects.get(pk=draft.pk)
    event = AuditEvent.objects.for_object(draft).get(action="call.publish")
    assert (event.actor, event.created_at >= before, stored.published_at >= before) == (secretariat, True, True)
    assert draft.published_at == stored.published_at


def test_publish_call_refuses_a_published_call_and_writes_nothing(secretariat, draft):
    services.publish_call(call=draft, by=secretariat)

    with pytest.raises(Conflict) as refusal:
        services.publish_call(call=draft, by=secretariat)

    published_at = services.beijing(Call.objects.get(pk=draft.pk).published_at)
    assert refusal.value.message == f"The call has been published since {published_at} (Beijing time)."
    assert _events(draft) == [("call.attachment_add", None), ("call.publish", secretariat.pk)]


def test_unpublish_call_before_it_opens_takes_it_back_audited(secretariat):
    call = _upcoming(unpublished=True)
    services.publish_call(call=call, by=secretariat)

    services.unpublish_call(call=call, by=secretariat)

    assert (Call.objects.get(pk=call.pk).published_at, _events(call)) == (
        None,
        [("call.publish", secretariat.pk), ("call.unpublish", secretariat.pk)],
    )


def test_unpublish_call_is_refused_once_the_call_has_opened(secretariat):
    call = CallFactory()

    with pytest.raises(Conflict) as refusal:
        services.unpublish_call(call=call, by=secretariat)

    assert refusal.value.message.startswith(
        f"The call opened for applications on {services.beijing(call.opens_at)} (Beijing time), so it stays published"
    )
    assert (Call.objects.get(pk=call.pk).published_at, _events(call)) == (call.published_at, [])


def test_unpublish_call_is_refused_when_applications_exist_though_its_opening_moved_later(secretariat):
    call = CallFactory()
    make_application(call=call)
    Call.objects.filter(pk=call.pk).update(opens_at=timezone.now() + DAY)

    with pytest.raises(Conflict) as refusal:
        services.unpublish_call(call=Call.objects.get(pk=call.pk), by=secretariat)

    assert refusal.value.message == "Applications have been started in this call, so it stays published."


def test_unpublish_call_refuses_a_draft(secretariat, draft):
    with pytest.raises(Conflict) as refusal:
        services.unpublish_call(call=draft, by=secretariat)

    assert refusal.value.message == "The call is not published."


def test_seeded_demo_call_is_published():
    call = seed_demo_call()

    actions = [event.action for event in AuditEvent.objects.for_object(call)]
    assert (call.is_published, actions.count("call.publish")) == (True, 1)


# --- what decides what is open ---------------------------------------------------------------------------
def test_open_calls_and_rules_ignore_an_unpublished_call(group, draft):
    published = CallFactory(title="公开批次")
    now = timezone.now()

    listed = [entry.call for entry in open_calls(now)]
    for_group = [entry.call for entry in open_calls(now, groups=[group])]

    assert (listed, for_group) == ([published], [published])
    assert (rules.is_open_for(draft, group, now), rules.is_open_for(published, group, now)) == (False, True)


def test_call_list_holds_drafts_for_the_secretariat_only(draft):
    published = CallFactory(title="公开批次")
    now = timezone.now()

    assert (list(call_list(now)), set(call_list(now, unpublished=True))) == ([published], {published, draft})


# --- who sees an unpublished call, page by page --------------------------------------------------------------
@pytest.mark.parametrize("role", ROLES)
def test_unpublished_call_page_and_attachment_are_the_secretariats_alone(users, draft, role):
    client = _client(users[role])
    attachment = draft.attachments.get()

    page = client.get(draft.get_absolute_url())
    download = client.get(reverse("projects:call_attachment", args=[draft.pk, attachment.pk]))

    seen = role == "secretariat"
    assert (page.status_code, download.status_code) == ((200, 200) if seen else (404, 404))
    assert ("草稿批次" in page.content.decode()) is seen


@pytest.mark.parametrize("role", ROLES)
def test_unpublished_call_is_listed_for_the_secretariat_alone(users, draft, role):
    published = CallFactory(title="公开批次")

    response = _client(users[role]).get(reverse("projects:call_list"))

    expected = [published, draft] if role == "secretariat" else [published]
    assert sorted(entry.call.pk for entry in response.context["entries"]) == sorted(call.pk for call in expected)
    assert ("草稿批次" in response.content.decode()) is (role == "secretariat")


@pytest.mark.parametrize("role", ROLES)
def test_unpublished_call_is_on_nobodys_home_page(users, draft, role):
    CallFactory(title="公开批次")

    response = _client(users[role]).get(reverse("portal:home"))

    content = response.content.decode()
    assert ([entry.call.title for entry in response.context["open_calls"]], "草稿批次" in content) == (
        ["公开批次"],
        False,
    )


def test_unpublished_call_is_not_among_the_applicants_open_calls_on_the_dashboard(users, draft):
    CallFactory(title="公开批次")

    response = _client(users["applicant"]).get(reverse("portal:dashboard"))

    assert [entry.call.title for entry in response.context["open_calls"]] == ["公开批次"]
    assert "草稿批次" not in response.content.decode()


def test_unpublished_call_cannot_be_applied_in(users, draft):
    CallFactory(title="公开批次")
    client = _client(users["applicant"])

    start = client.get(reverse("projects:application_create"))
    chosen = client.get(reverse("projects:application_create"), {"call": draft.pk})

    assert [entry.call.title for entry in start.context["open_calls"]] == ["公开批次"]
    assert "草稿批次" not in start.content.decode()
    assert (chosen.status_code, "草稿批次" in chosen.content.decode()) == (404, False)


@pytest.mark.parametrize("role", ["applicant", "recommender", "secretariat"])
def test_unpublished_call_is_no_choice_in_the_application_list_filter(users, draft, role):
    published = CallFactory(title="公开批次")

    response = _client(users[role]).get(reverse("projects:application_list"))

    assert list(response.context["filter"].form.fields["call"].queryset) == [published]


def test_unpublished_call_has_no_summary_table(users, draft):
    response = _client(users["applicant"]).get(reverse("projects:group_summary", args=[draft.pk]))

    assert (response.status_code, "草稿批次" in response.content.decode()) == (404, False)


@pytest.mark.parametrize("name", ["call_edit", "call_quotas", "call_extensions", "formal_check", "call_preview"])
def test_unpublished_call_management_pages_are_404_to_others_and_open_to_the_secretariat(users, draft, name):
    url = reverse(f"projects:{name}", args=[draft.pk])

    statuses = {role: _client(users[role]).get(url).status_code for role in ("applicant", "recommender", "secretariat")}

    assert statuses == {"applicant": 404, "recommender": 404, "secretariat": 200}


@pytest.mark.parametrize("rows", [1, 20])
def test_call_list_of_the_secretariat_with_drafts_runs_the_same_queries(
    client, django_assert_num_queries, secretariat, rows
):
    CallFactory.create_batch(rows, unpublished=True)
    client.force_login(secretariat)

    # the user, their roles (memberships, the expert register), the notifications' count; the paginator's
    # count, the page of calls
    with django_assert_num_queries(6):
        response = client.get(reverse("projects:call_list"))

    badges = response.content.decode().count('class="badge badge-warning" id="unpublished-')
    assert (len(response.context["entries"]), badges) == (rows, rows)


@pytest.mark.parametrize("rows", [1, 20])
def test_call_list_of_the_public_leaves_drafts_out_in_the_same_queries(client, django_assert_num_queries, rows):
    CallFactory.create_batch(rows, unpublished=True)
    published = CallFactory()

    with django_assert_num_queries(2):
        response = client.get(reverse("projects:call_list"))

    assert [entry.call for entry in response.context["entries"]] == [published]


@pytest.mark.parametrize("rows", [1, 20])
def test_home_leaves_drafts_out_in_one_query(client, django_assert_num_queries, rows):
    CallFactory.create_batch(rows, unpublished=True)
    published = CallFactory()

    # The open calls, in one; the open notices and the latest announced projects, one each.
    with django_assert_num_queries(3):
        response = client.get(reverse("portal:home"))

    assert [entry.call for entry in response.context["open_calls"]] == [published]


# --- the call page: banner, preview, publishing ----------------------------------------------------------------
def _id(content: str, element_id: str) -> bool:
    return f'id="{element_id}"' in content


def test_unpublished_call_page_shows_the_secretariat_the_banner_and_the_publish_step(client, secretariat, draft):
    client.force_login(secretariat)

    content = client.get(draft.get_absolute_url()).content.decode()

    banner = content.split('id="call-unpublished"', 1)[1].split("</div>\n</div>", 1)[0]
    assert "Not published yet" in banner
    assert f'action="{reverse("projects:call_publish", args=[draft.pk])}"' in banner
    assert f'href="{reverse("projects:call_preview", args=[draft.pk])}"' in banner
    assert (_id(content, "call-management"), _id(content, "call-published")) == (True, False)


def _public_part(content: str) -> str:
    """The call's dates, notice and attachments: what the public reads on the page."""
    dates_and_notice, attachments = content.split('<section class="card">', 1)[1].split('id="call-attachments"', 1)
    return dates_and_notice + attachments.split("</section>", 1)[0]


def test_call_preview_shows_the_public_page_with_the_banner_and_no_management(client, secretariat, draft):
    client.force_login(secretariat)

    response = client.get(reverse("projects:call_preview", args=[draft.pk]))

    content = response.content.decode()
    services.publish_call(call=draft, by=secretariat)
    public = Client().get(draft.get_absolute_url()).content.decode()
    assert [_id(content, name) for name in ("call-preview", "publish-call", "end-preview")] == [True, True, True]
    assert "This call is not published yet." in content
    edit = reverse("projects:call_edit", args=[draft.pk])
    assert [_id(content, "call-management"), f'href="{edit}"' in content, 'id="remove-attachment-' in content] == [
        False,
        False,
        False,
    ]
    assert _public_part(content) == _public_part(public)
    assert ("申报书模板" in _public_part(content), draft.notice_text in _public_part(content)) == (True, True)


def test_call_preview_of_a_published_call_says_so_without_the_publish_button(client, secretariat):
    call = CallFactory()
    client.force_login(secretariat)

    content = client.get(reverse("projects:call_preview", args=[call.pk])).content.decode()

    assert ("This is the call's page as the public sees it." in content, _id(content, "publish-call")) == (True, False)


def test_call_publish_publishes_and_audits_then_the_public_sees_it(client, secretariat, draft):
    client.force_login(secretariat)

    response = client.post(reverse("projects:call_publish", args=[draft.pk]))
    public = Client().get(draft.get_absolute_url())

    assert response["Location"] == draft.get_absolute_url()
    assert Call.objects.get(pk=draft.pk).is_published is True
    assert _events(draft) == [("call.attachment_add", None), ("call.publish", secretariat.pk)]
    assert (public.status_code, "草稿批次" in public.content.decode()) == (200, True)
    page = client.get(draft.get_absolute_url()).content.decode()
    assert "The call is published: everyone may read it now." in page
    assert (_id(page, "call-published"), _id(page, "call-unpublished")) == (True, False)
    assert "Call published" in page.split('id="call-management"', 1)[1]  # the history names the step


def test_call_publish_of_a_published_call_is_409_with_the_reason(client, secretariat):
    call = CallFactory()
    client.force_login(secretariat)

    response = client.post(reverse("projects:call_publish", args=[call.pk]))

    refusal = response.content.decode().split('id="call-refusal">', 1)[1].split("</p>", 1)[0]
    assert (response.status_code, refusal) == (
        409,
        f"The call has been published since {services.beijing(call.published_at)} (Beijing time).",
    )
    assert _events(call) == []


@pytest.mark.parametrize("role", ["applicant", "recommender", "expert"])
def test_call_publish_is_404_to_others_for_a_draft_and_403_for_a_published_call(users, draft, role):
    published = _upcoming(unpublished=True)
    services.publish_call(call=published, by=users["secretariat"])
    client = _client(users[role])

    on_draft = client.post(reverse("projects:call_publish", args=[draft.pk]))
    on_published = client.post(reverse("projects:call_unpublish", args=[published.pk]))

    assert (on_draft.status_code, on_published.status_code) == (404, 403)
    assert (Call.objects.get(pk=draft.pk).is_published, Call.objects.get(pk=published.pk).is_published) == (
        False,
        True,
    )


def test_call_unpublish_before_opening_takes_the_call_back(client, secretariat):
    call = _upcoming(unpublished=True)
    services.publish_call(call=call, by=secretariat)
    client.force_login(secretariat)
    offered = _id(client.get(call.get_absolute_url()).content.decode(), "unpublish-call")

    response = client.post(reverse("projects:call_unpublish", args=[call.pk]))

    assert (offered, response["Location"], Call.objects.get(pk=call.pk).is_published) == (
        True,
        call.get_absolute_url(),
        False,
    )
    assert Client().get(call.get_absolute_url()).status_code == 404


def test_call_unpublish_after_opening_is_not_offered_and_is_409(client, secretariat):
    call = CallFactory()
    client.force_login(secretariat)
    offered = _id(client.get(call.get_absolute_url()).content.decode(), "unpublish-call")

    response = client.post(reverse("projects:call_unpublish", args=[call.pk]))

    assert (offered, response.status_code, Call.objects.get(pk=call.pk).is_published) == (False, 409, True)
    assert 'id="call-refusal"' in response.content.decode()


def test_call_create_says_the_call_is_a_draft(client, secretariat):
    client.force_login(secretariat)
    data = {
        "year": "2026",
        "title": "新批次",
        "notice_number": "工信厅科函〔2026〕9号",
        "opens_at": "2026-03-01T09:00",
        "deadline": "2026-04-30T17:00",
        "implementation_cutoff": "2026-04-30",
        "recommendation_deadline": "2026-05-29T17:00",
        "default_quota": "5",
        "publicity_working_days": "5",
    }

    response = client.post(reverse("projects:call_create"), data, follow=True)

    call = Call.objects.get()
    assert (call.is_published, _id(response.content.decode(), "call-unpublished")) == (False, True)
    message = "is saved as a draft: only the secretariat sees it until it is published."
    assert f"The call 新批次（工信厅科函〔2026〕9号） {message}" in response.content.decode()


# --- removing an attachment asks first ---------------------------------------------------------------------
def test_call_page_links_each_attachment_to_its_removal_page_not_a_form(client, secretariat):
    call = CallFactory()
    attachment = services.add_call_attachment(call=call, kind="other", title="说明", file=_pdf(), by=None)
    client.force_login(secretariat)

    content = client.get(call.get_absolute_url()).content.decode()

    url = reverse("projects:call_attachment_delete", args=[call.pk, attachment.pk])
    assert (f'href="{url}"' in content, f'action="{url}"' in content) == (True, False)


def test_call_attachment_delete_page_names_the_file_and_asks(client, secretariat):
    call = CallFactory()
    attachment = services.add_call_attachment(call=call, kind="summary_template", title="汇总表", file=_pdf(), by=None)
    client.force_login(secretariat)
    url = reverse("projects:call_attachment_delete", args=[call.pk, attachment.pk])

    response = client.get(url)

    content = response.content.decode()
    card = content.split('id="attachment-to-remove"', 1)[1].split("</section>", 1)[0]
    assert (response.context["file_name"], "汇总表.pdf" in card, "Summary table template (汇总表)" in card) == (
        "汇总表.pdf",
        True,
        True,
    )
    assert f'<form method="post" action="{url}" id="remove-attachment-form">' in card
    assert f'id="keep-attachment" href="{call.get_absolute_url()}#call-attachments"' in card
    assert ("Remove “汇总表”" in card, CallAttachment.objects.filter(pk=attachment.pk).exists()) == (True, True)
    assert [event.action for event in AuditEvent.objects.for_object(call)] == ["call.attachment_add"]


@pytest.mark.parametrize("role", ["anonymous", "applicant", "recommender", "expert"])
def test_call_attachment_delete_page_is_the_secretariats(users, role):
    call = CallFactory()
    attachment = services.add_call_attachment(call=call, kind="other", title="说明", file=_pdf(), by=None)
    url = reverse("projects:call_attachment_delete", args=[call.pk, attachment.pk])

    response = _client(users[role]).get(url)

    expected = f"{reverse('login')}?next={url}" if role == "anonymous" else None
    assert (response.status_code, response.get("Location")) == ((302, expected) if expected else (403, None))


def test_call_attachment_delete_confirmed_removes_it_audited(client, secretariat):
    call = CallFactory()
    attachment = services.add_call_attachment(call=call, kind="other", title="说明", file=_pdf(), by=None)
    client.force_login(secretariat)

    response = client.post(reverse("projects:call_attachment_delete", args=[call.pk, attachment.pk]), follow=True)

    removed = "The attachment 说明 is removed." in response.content.decode()
    assert (CallAttachment.objects.filter(call=call).count(), removed) == (0, True)
    assert [(event.action, event.note) for event in AuditEvent.objects.for_object(call).order_by("id")] == [
        ("call.attachment_add", "说明"),
        ("call.attachment_delete", "说明"),
    ]
