"""Attachments in a real Chromium, slot by slot (issue 10): each slot uploads on its own, a single file is
replaced (and logged as one replacement), a refused upload is shown at its slot with a summary at the top that
takes the focus, and removing a file is asked first on a page naming it.

Selectors use ids, names and URLs, not labels, so the journey holds in Chinese and in English.
"""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from portal.models import AuditEvent
from projects.models import Attachment
from standards.files import minimal_pdf
from tests.e2e.conftest import ARTIFACTS, log_in
from tests.factories import DEMO_PASSWORD, make_application
from tests.projects.test_files import png_bytes

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def attachments_url(application) -> str:
    return reverse("projects:attachment_upload", kwargs={"pk": application.pk})


def choose(page: Page, slot: str, path) -> None:
    page.locator(f"#id_{slot}_file").set_input_files(str(path))
    page.locator(f"#upload-{slot}-form button[type=submit]").click()


def file_named(tmp_path, name: str, content: bytes):
    path = tmp_path / name
    path.write_bytes(content)
    return path


def actions_of(application) -> list[tuple[str, str]]:
    events = AuditEvent.objects.for_object(application).filter(action__startswith="attachment.").order_by("id")
    return [(event.action, event.note) for event in events]


def test_attachments_upload_per_slot_and_a_refusal_is_shown_at_its_slot_with_the_focus_on_the_summary(
    page: Page, tmp_path
):
    application = make_application()
    log_in(page, application.created_by.username, DEMO_PASSWORD)
    page.goto(attachments_url(application))
    expect(page.locator("#error-summary")).to_have_count(0)

    # Each slot has its own control: the text of the standard goes into its own slot.
    choose(page, "standard_text", file_named(tmp_path, "文本.pdf", minimal_pdf("text")))
    expect(page.locator(".messages .notice-success")).to_be_visible()
    expect(page.locator("#upload-standard_text tbody tr")).to_have_count(1)
    assert list(application.attachments.values_list("slot", "original_name")) == [("standard_text", "文本.pdf")]

    # A PNG named .pdf, in "other": refused at that slot, summarised at the top, the focus moved there.
    choose(page, "other", file_named(tmp_path, "扫描件.pdf", png_bytes()))
    expect(page).to_have_url(re.compile(r"/attachments/#error-summary$"))
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    expect(summary.locator("a")).to_have_count(1)
    expect(summary.locator("a")).to_have_attribute("href", "#id_other_file")
    expect(page.locator("#upload-other .errorlist")).to_contain_text("扫描件.pdf")
    expect(page.locator("#id_other_file")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("section.attachment-slot .errorlist")).to_have_count(1)
    assert application.attachments.filter(slot="other").count() == 0

    # The summary's link takes the applicant to the control to correct.
    summary.locator("a").click()
    expect(page.locator("#id_other_file")).to_be_focused()

    # A single-file slot that holds one replaces it, logged as one replacement.
    choose(page, "standard_text", file_named(tmp_path, "新版文本.pdf", minimal_pdf("new text")))
    expect(page.locator(".messages .notice-success")).to_be_visible()
    expect(page.locator("#error-summary")).to_have_count(0)
    assert list(application.attachments.values_list("slot", "original_name")) == [("standard_text", "新版文本.pdf")]
    assert actions_of(application) == [
        ("attachment.add", "标准文本: 文本.pdf"),
        ("attachment.replace", "标准文本: 文本.pdf → 新版文本.pdf"),
    ]


def test_attachments_refused_upload_without_a_script_opens_at_the_summary(browser: Browser, live_server, tmp_path):
    application = make_application()
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport={"width": 390, "height": 844}, java_script_enabled=False
    )
    page = context.new_page()
    try:
        log_in(page, application.created_by.username, DEMO_PASSWORD)
        page.goto(attachments_url(application))

        # The last slot's form, far down the page: the refused page comes back at its summary.
        choose(page, "other", file_named(tmp_path, "扫描件.pdf", png_bytes()))

        expect(page).to_have_url(re.compile(r"/attachments/#error-summary$"))
        expect(page.locator("#error-summary")).to_be_in_viewport()
        expect(page.locator("#upload-other .errorlist")).to_contain_text("扫描件.pdf")
    finally:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=ARTIFACTS / "test_attachments_refused_upload_without_a_script.png", full_page=True)
        context.close()


def test_attachments_removal_is_asked_first_naming_the_file(page: Page, tmp_path):
    application = make_application()
    log_in(page, application.created_by.username, DEMO_PASSWORD)
    page.goto(attachments_url(application))
    choose(page, "other", file_named(tmp_path, "现场照片.pdf", minimal_pdf("photo")))
    expect(page.locator(".messages .notice-success")).to_be_visible()
    attachment = Attachment.objects.get(application=application)

    # "Delete" asks first, naming the file; keeping it changes nothing.
    page.locator(f"#delete-{attachment.pk}").click()
    expect(page).to_have_url(re.compile(rf"/attachments/{attachment.pk}/delete/$"))
    expect(page.locator("#attachment-name")).to_have_text("现场照片.pdf")
    page.locator("#cancel-delete").click()
    expect(page).to_have_url(re.compile(r"/attachments/#upload-other$"))
    assert Attachment.objects.filter(pk=attachment.pk).exists()

    # Confirmed, it is removed and logged.
    page.locator(f"#delete-{attachment.pk}").click()
    page.locator("#confirm-delete-form button[type=submit]").click()
    expect(page.locator(".messages .notice-success")).to_contain_text("现场照片.pdf")
    expect(page.locator(f"#delete-{attachment.pk}")).to_have_count(0)
    assert application.attachments.count() == 0
    assert actions_of(application) == [
        ("attachment.add", "其他: 现场照片.pdf"),
        ("attachment.delete", "其他: 现场照片.pdf"),
    ]
