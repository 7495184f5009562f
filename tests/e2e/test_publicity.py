"""The public notice in a real Chromium (issue 13): the secretariat prepares and schedules the notice of a call's
shortlist; the job opens it (time moved); a member of the public objects to one project and reads the objection's
status by its tracking number; the secretariat forwards the grounds to the group, records its answer and upholds
the objection; the job closes the window; the secretariat publishes the announcement; the public finds the
announced projects on /projects/ by a standard number typed with a hyphen, and not the withdrawn one; and the hash
the notice page shows is the SHA-256 of the list it downloads.

Only the starting point is arranged in the database: the demo accounts, and a call whose three applications are
shortlisted. Time is moved with time-machine (the live server runs in this process), and the job is run as beat
runs it, with `publicity.jobs.run`. Selectors use ids, names and URLs, not labels.
"""

import datetime
import hashlib
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import Page, expect

from portal.workdays import local_zone
from projects.models import Application, ApplicationStatus
from publicity import jobs
from publicity.models import Notice, NoticeStatus, Objection, ObjectionStatus
from tests.e2e.conftest import ARTIFACTS, log_in
from tests.factories import DEMO_PASSWORD
from tests.publicity.factories import shortlisted_applications

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
S = ApplicationStatus

FILER = {"name": "周明", "phone": "13912345678", "email": "zhou.ming@example.cn"}
GROUNDS = "据了解，该标准的实施企业数量与申报材料不符，部分企业并未实际采用该标准。"
ANSWER = "经核实，申报材料中有两家企业尚未实施本标准，数据有误。"
FINDING = "经核实，实施企业数量与申报材料不符，异议成立。"
RESPONSE = "您反映的问题经核实属实，该项目已撤回，不列入公布名单。"


def screenshot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"publicity-{name}.png", full_page=True)


def switch_to(page: Page, username: str | None) -> None:
    """Log in afresh as a demo account, or (None) become a member of the public."""
    page.context.clear_cookies()
    if username is not None:
        log_in(page, username, DEMO_PASSWORD)
        expect(page).to_have_url(re.compile(r"/dashboard/$"))


def beijing(moment: datetime.datetime) -> str:
    return timezone.localtime(moment, local_zone()).strftime("%Y-%m-%d %H:%M")


def in_chinese(status) -> str:
    with translation.override("zh-hans"):
        return str(status.label)


def test_a_notice_is_scheduled_opened_objected_to_closed_and_announced(page: Page, demo_accounts):
    applications = shortlisted_applications(count=3)
    call = applications[0].call
    kept, objected, other = sorted(applications, key=lambda a: a.standard.number)
    # Opens tomorrow at nine, Beijing time; five working days on the calendar (Monday to Friday here).
    opens = datetime.datetime.combine(
        timezone.localdate() + datetime.timedelta(days=1), datetime.time(9, 0), tzinfo=local_zone()
    )

    # The secretariat prepares the notice, previews its end, saves it and schedules it.
    switch_to(page, "secretariat")
    page.goto(reverse("publicity:notice_prepare", kwargs={"pk": call.pk}))
    form = page.locator("#notice-form")
    form.locator("[name=title]").fill(f"关于{call.year}年团体标准应用示范项目的公示")
    form.locator("[name=body]").fill("经形式审查、专家评审，现将拟入选项目名单予以公示。")
    form.locator("[name=contact]").fill("科技司标准处，010-68205245")
    form.locator("[name=starts_at]").fill(beijing(opens))
    form.locator("[name=working_days]").fill("5")
    form.locator("button[name=preview]").click()
    expect(page.locator("#preview-end")).to_be_visible()
    page.locator("#notice-form button[name=save]").click()
    notice = Notice.objects.get(call=call)
    expect(page).to_have_url(re.compile(rf"{reverse('publicity:notice_detail', kwargs={'pk': notice.pk})}$"))
    page.locator("#schedule-notice").click()
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.SCHEDULED
    expect(page.locator("#notice-sha256")).to_have_text(notice.lists.get().sha256)
    expect(page.locator("#notice-closes")).to_contain_text(beijing(notice.ends_at))
    screenshot(page, "scheduled")

    # Before it opens the public does not see it.
    switch_to(page, None)
    assert page.goto(notice.get_absolute_url()).status == 404

    with time_machine.travel(opens + datetime.timedelta(minutes=1), tick=True) as traveller:
        # The minute job opens it: every listed application is in public notice.
        assert jobs.run().opened == [notice.pk]
        assert set(Application.objects.filter(call=call).values_list("status", flat=True)) == {S.IN_PUBLICITY}

        # A member of the public reads the notice and checks its hash against the list it downloads.
        page.goto(notice.get_absolute_url())
        shown_hash = page.locator("#notice-sha256").inner_text().strip()
        download = page.request.get(page.locator("#download-list").get_attribute("href"))
        assert (download.status, hashlib.sha256(download.body()).hexdigest()) == (200, shown_hash)
        assert objected.standard.display_number in download.body().decode("utf-8")

        # They object to one project, and get a tracking number.
        row = page.locator("#notice-projects tbody tr", has_text=objected.standard.display_number)
        row.locator("a[href*='/object/']").click()
        form = page.locator("#objection-form")
        form.locator("[name=name]").fill(FILER["name"])
        form.locator("[name=phone]").fill(FILER["phone"])
        form.locator("[name=email]").fill(FILER["email"])
        form.locator("[name=grounds]").fill(GROUNDS)
        form.locator("button[type=submit]").click()
        tracking = page.locator("#tracking-number").inner_text().strip()
        objection = Objection.objects.get(tracking_number=tracking)
        assert (objection.application_id, objection.email) == (objected.pk, FILER["email"])
        screenshot(page, "objection-filed")

        # With the number and their e-mail they read its status.
        page.goto(reverse("publicity:objection_status"))
        status_form = page.locator("#objection-status-form")
        status_form.locator("[name=tracking_number]").fill(tracking)
        status_form.locator("[name=email]").fill(FILER["email"])
        status_form.locator("button[type=submit]").click()
        expect(page.locator("#objection-status-value")).to_have_text(in_chinese(ObjectionStatus(objection.status)))

        # The secretariat forwards the grounds to the group, records the group's answer and upholds the objection.
        switch_to(page, "secretariat")
        page.goto(reverse("publicity:objection_detail", kwargs={"pk": objection.pk}))
        expect(page.locator("#objection-filer")).to_contain_text(FILER["name"])
        forward = page.locator("#forward-form")
        forward.locator(f"[name=forward-organisations][value='{objected.group_id}']").check()
        expect(forward.locator("[name=forward-question]")).to_have_value(GROUNDS)
        forward.locator("button[type=submit]").click()
        forwarded = objection.forwards.get()
        assert forwarded.organisation_id == objected.group_id
        answer = page.locator(f"#forward-{forwarded.pk} form")
        answer.locator("textarea").fill(ANSWER)
        answer.locator("button[type=submit]").click()
        expect(page.locator(f"#forward-{forwarded.pk}")).to_contain_text(ANSWER)
        decision = page.locator("#decision-form")
        decision.locator("[name=decide-decision][value=uphold]").check()
        decision.locator("[name=decide-finding]").fill(FINDING)
        decision.locator("[name=decide-response]").fill(RESPONSE)
        decision.locator("button[type=submit]").click()
        expect(page.locator("#objection-decision")).to_contain_text(FINDING)
        objected.refresh_from_db()
        assert objected.status == S.WITHDRAWN
        screenshot(page, "objection-upheld")

        # The filer reads the decision and the response.
        switch_to(page, None)
        page.goto(reverse("publicity:objection_status"))
        status_form.locator("[name=tracking_number]").fill(tracking)
        status_form.locator("[name=email]").fill(FILER["email"])
        status_form.locator("button[type=submit]").click()
        objection.refresh_from_db()
        expect(page.locator("#objection-status-value")).to_have_text(in_chinese(ObjectionStatus(objection.status)))
        expect(page.locator("#objection-response")).to_contain_text(RESPONSE)

        # The window closes: the job announces the other two.
        traveller.move_to(notice.ends_at + datetime.timedelta(minutes=1))
        assert jobs.run().closed == [notice.pk]
        statuses = dict(Application.objects.filter(call=call).values_list("pk", "status"))
        assert statuses == {kept.pk: S.ANNOUNCED, objected.pk: S.WITHDRAWN, other.pk: S.ANNOUNCED}

        # The secretariat publishes the announcement.
        switch_to(page, "secretariat")
        page.goto(reverse("publicity:announcement_prepare", kwargs={"pk": call.pk}))
        draft = page.locator("main form[action$='/announcement/']")
        draft.locator("[name=number]").fill(f"工信部科函〔{call.year}〕333号")
        if not draft.locator("[name=title]").input_value():
            draft.locator("[name=title]").fill(f"{call.year}年团体标准应用示范项目名单")
        draft.locator("[name=body]").fill("现将名单予以公布。")
        draft.locator("button[type=submit]").click()
        page.locator("main form[action$='/publish/'] button[type=submit]").click()
        announcement = call.__class__.objects.get(pk=call.pk).announcement
        assert announcement.published_at is not None
        expect(page).to_have_url(re.compile(rf"{announcement.get_absolute_url()}$"))
        screenshot(page, "announced")

        # The public finds the announced projects by a number typed with a hyphen, and not the withdrawn one.
        switch_to(page, None)
        for application, found in ((kept, True), (other, True), (objected, False)):
            typed = application.standard.display_number.replace("—", "-")
            page.goto(f"{reverse('publicity:project_list')}?q={typed}")
            results = page.locator("#results")
            if found:
                expect(results.locator("a", has_text=application.standard.title_zh)).to_have_count(1)
            else:
                expect(results).not_to_contain_text(application.standard.display_number)
        screenshot(page, "register")

        # The announcement's hash is the SHA-256 of its list too.
        page.goto(announcement.get_absolute_url())
        shown = page.locator("main code.hash").first.inner_text().strip()
        href = page.locator("main a[href$='.json']").first.get_attribute("href")
        assert hashlib.sha256(page.request.get(href).body()).hexdigest() == shown
