"""Calls in a real Chromium (issue 10): a new call is the secretariat's draft until it is previewed and published;
removing one of its templates asks first; the formal check tells what may be checked now from what waits for its
recommender's deadline.

Selectors use ids, names and URLs, not labels, so the journeys hold in Chinese and in English; counts and dates
are read from the elements that hold them.
"""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from portal.models import AuditEvent, Organisation, User
from portal.workdays import local_zone
from projects import workflow
from projects.models import Application, Call, CallAttachment
from projects.services.calls import add_call_attachment, create_call, download_name
from projects.services.seed import seed_demo_call
from standards.files import minimal_pdf
from tests.e2e.conftest import ARTIFACTS, log_in
from tests.factories import DEMO_PASSWORD, GroupStandardFactory, make_application, profile_of

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
DAY = datetime.timedelta(days=1)


def switch_to(page: Page, username: str | None) -> None:
    page.context.clear_cookies()
    if username:
        log_in(page, username, DEMO_PASSWORD)


def _keep_screenshot(page: Page, name: str) -> None:
    """A page on the way, besides the one the journey ends on (the `page` fixture keeps that)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)


@pytest.fixture
def draft(demo_accounts) -> Call:
    """A call the secretariat has just created, open by its dates, with a template: not published yet."""
    from django.core.files.base import ContentFile

    now = timezone.now()
    call = create_call(
        by=User.objects.get(username="secretariat"),
        year=now.year,
        title="第二批团体标准应用示范项目",
        notice_number="工信厅科函〔2026〕99号",
        notice_text="请各有关单位按要求组织申报。",
        opens_at=now - DAY,
        deadline=now + 20 * DAY,
        implementation_cutoff=(now + 20 * DAY).date(),
        recommendation_deadline=now + 40 * DAY,
    )
    add_call_attachment(
        call=call,
        kind="application_template",
        title="附件1 申报书模板",
        file=ContentFile(minimal_pdf("template"), name="template.pdf"),
        by=None,
    )
    return call


def test_new_call_is_previewed_and_published_by_the_secretariat(page: Page, draft: Call):
    call_url = draft.get_absolute_url()

    # Nobody else finds the draft: not the public, not a group about to apply.
    switch_to(page, None)
    assert page.goto(call_url).status == 404
    page.goto(reverse("projects:call_list"))
    expect(page.locator(f"main a[href='{call_url}']")).to_have_count(0)
    switch_to(page, "applicant")
    page.goto(reverse("projects:application_create"))
    expect(page.locator(f"main a[href$='?call={draft.pk}']")).to_have_count(0)

    # The secretariat sees it marked as a draft, previews the public page, and publishes it from there.
    switch_to(page, "secretariat")
    page.goto(reverse("projects:call_list"))
    expect(page.locator(f"#unpublished-{draft.pk}")).to_be_visible()
    page.locator(f"main a[href='{call_url}']").click()
    expect(page.locator("#call-unpublished")).to_be_visible()
    page.locator("#preview-call").click()
    expect(page).to_have_url(re.compile(re.escape(reverse("projects:call_preview", args=[draft.pk])) + "$"))
    expect(page.locator("#call-preview")).to_be_visible()
    expect(page.locator("#call-management")).to_have_count(0)
    expect(page.locator("#call-attachments a")).to_have_count(1)
    _keep_screenshot(page, "test_new_call_preview")
    page.locator("#publish-call").click()
    expect(page).to_have_url(re.compile(re.escape(call_url) + "$"))
    expect(page.locator(".messages .notice-success")).to_be_visible()
    expect(page.locator("#call-published")).to_be_visible()
    expect(page.locator("#call-unpublished")).to_have_count(0)
    event = AuditEvent.objects.for_object(draft).get(action="call.publish")
    assert event.actor == User.objects.get(username="secretariat")

    # Now it is a public notice, and open for the group.
    switch_to(page, None)
    assert page.goto(call_url).status == 200
    expect(page.locator("h1")).to_have_text(draft.title)
    switch_to(page, "applicant")
    page.goto(reverse("projects:application_create"))
    expect(page.locator(f"main a[href$='?call={draft.pk}']").first).to_be_visible()


def test_removing_a_call_template_asks_first(page: Page, demo_accounts):
    call = seed_demo_call()
    template = call.attachments.get(kind="application_template")
    dialogs = []
    page.on("dialog", lambda dialog: dialogs.append(dialog.message))

    switch_to(page, "secretariat")
    page.goto(call.get_absolute_url())
    page.locator(f"#remove-attachment-{template.pk}").click()

    # A page names the file and asks; keeping it changes nothing.
    expect(page).to_have_url(
        re.compile(re.escape(reverse("projects:call_attachment_delete", args=[call.pk, template.pk])) + "$")
    )
    expect(page.locator("#attachment-to-remove h2")).to_have_text(template.title)
    expect(page.locator("#attachment-file")).to_have_text(download_name(template))  # the name it downloads as
    _keep_screenshot(page, "test_removing_a_call_template_confirmation")
    page.locator("#keep-attachment").click()
    expect(page.locator(f"#remove-attachment-{template.pk}")).to_be_visible()
    assert CallAttachment.objects.filter(pk=template.pk).exists()

    # Asked again and confirmed, it is removed, and the history says so.
    page.locator(f"#remove-attachment-{template.pk}").click()
    page.locator("#confirm-remove").click()
    expect(page).to_have_url(re.compile(re.escape(call.get_absolute_url()) + "$"))
    expect(page.locator(".messages .notice-success")).to_be_visible()
    expect(page.locator(f"#remove-attachment-{template.pk}")).to_have_count(0)
    assert (CallAttachment.objects.filter(pk=template.pk).exists(), dialogs) == (False, [])
    assert AuditEvent.objects.for_object(call).filter(action="call.attachment_delete").count() == 1


def _recommended(call: Call, standard=None) -> Application:
    group = Organisation.objects.get(code="ZZB")
    application = make_application(
        call=call,
        group=group,
        standard=standard or GroupStandardFactory(issuer=profile_of(group), fills_gap=True),
        by=User.objects.get(username="applicant"),
        complete=True,
        recommender=Organisation.objects.get(code="ZJJXT"),
    )
    workflow.submit(application, by=application.created_by)
    rank = Application.objects.filter(call=call, recommender=application.recommender, status="recommended").count()
    recommender = User.objects.get(username="recommender")
    return workflow.recommend(application, by=recommender, opinion="同意推荐。", rank=rank + 1)


def test_formal_check_tells_what_may_be_checked_now(page: Page, demo_accounts):
    # The demo's ministry-managed application may be checked at once; the department's two recommendations
    # wait for its deadline, three weeks ahead.
    call = seed_demo_call()
    waiting = Application.objects.get(call=call, status="submitted")
    workflow.recommend(waiting, by=User.objects.get(username="recommender"), opinion="同意推荐。", rank=1)
    locked = [waiting, _recommended(call)]
    ready = Application.objects.get(call=call, recommender__isnull=True)
    deadline = call.recommendation_deadline.astimezone(local_zone()).strftime("%Y-%m-%d %H:%M")

    switch_to(page, "secretariat")
    page.goto(reverse("portal:dashboard"))
    expect(page.locator(f"#formal-check-{call.pk}")).to_have_text(re.compile(r"^\D*1\D*·\D*2\D*$"))

    page.locator(f"#formal-check-{call.pk}").click()
    expect(page.locator("#count-awaiting")).to_have_text("3")
    expect(page.locator("#count-ready")).to_have_text(re.compile(r"^\D*1\D*$"))
    expect(page.locator("#count-locked")).to_have_text(re.compile(r"^\D*2\D*$"))
    for application in locked:
        expect(page.locator(f"#id_applications_{application.pk}")).to_be_disabled()
        expect(page.locator(f"#opens-after-{application.pk}")).to_contain_text(deadline)
    expect(page.locator(f"#id_applications_{ready.pk}")).to_be_enabled()
    _keep_screenshot(page, "test_formal_check_page_tells_ready_from_locked")

    page.goto(reverse("projects:application_list"))
    # The next action of a locked one names the deadline; the ready one's is the check itself.
    expect(page.locator(f"main a[href='{locked[0].get_absolute_url()}']").last).to_contain_text(deadline)
    expect(page.locator(f"main a[href='{ready.get_absolute_url()}']").last).not_to_contain_text(deadline)
