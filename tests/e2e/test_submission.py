"""Voluntary submission in a real Chromium: the applicant drafts, leaves, comes back, uploads, is refused with
what is missing, completes, confirms what will be sent with the pledge and submits, and keeps the receipt;
another group's staff cannot see the application, nor the secretariat before it is submitted.

Selectors use ids, names and URLs, not labels, so the journey holds in Chinese and in English.
"""

import re

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Page, expect

from portal.models import Organisation
from projects import workflow
from projects.models import Application, ApplicationStatus
from projects.selectors.submission import receipt_number
from projects.services.seed import seed_demo_call
from standards.files import minimal_pdf
from standards.models import GroupStandard
from tests.e2e.conftest import ARTIFACTS, both_widths, log_in
from tests.factories import DEMO_PASSWORD, fill_complete, make_credit_code

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    both_widths,  # a desk's window and a phone's
]

STANDARD = "T/ZZB 1102—2019"  # the applicant group's standard that fills a gap: it supports 创新性
REQUIRED_SLOTS = ["registration_certificate", "issuing_document", "standard_text", "implementation_proof"]


@pytest.fixture
def demo_call(demo_accounts):
    """The demo call of `seed_demo`; seeding it again changes nothing."""
    return seed_demo_call()


def label_in_chinese(label) -> str:
    """A status (by its label) or any lazily translated text, as the Chinese page shows it."""
    with translation.override("zh-hans"):
        return str(getattr(label, "label", label))


def edit(page: Page, application: Application, section: str) -> None:
    page.goto(reverse("projects:application_edit", kwargs={"pk": application.pk, "section": section}))


def save(page: Page) -> None:
    page.locator("main form button[name=save]").click()
    expect(page.locator(".messages .notice-success")).to_be_visible()


def upload(page: Page, slot: str, path) -> None:
    # Each slot has its own upload form (issue 10).
    page.locator(f"#id_{slot}_file").set_input_files(str(path))
    page.locator(f"#upload-{slot}-form button[type=submit]").click()
    expect(page.locator(".messages .notice-success")).to_be_visible()


def test_applicant_drafts_completes_and_submits_an_application(page: Page, demo_call, tmp_path):
    standard = GroupStandard.objects.get(number=STANDARD)
    department = Organisation.objects.get(code="ZJJXT")
    log_in(page, "applicant", DEMO_PASSWORD)

    # Start the application from the list, in the demo call.
    page.goto(reverse("projects:application_list"))
    page.locator(f"main a[href='{reverse('projects:application_create')}']").first.click()
    page.locator(f"main a[href$='?call={demo_call.pk}']").click()
    page.locator("#id_standard").select_option(str(standard.pk))
    page.locator("main form[method=post] button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/applications/\d+/edit/claim/$"))
    application = Application.objects.get(standard=standard, call=demo_call)
    expect(page.locator("#id_claims_advanced")).to_be_disabled()

    # Save an incomplete draft: the claim, and only the contact's name.
    page.locator("#id_claims_innovative").check()
    page.locator("#id_industry_field").select_option("equipment")
    page.locator("#id_recommender").select_option(str(department.pk))
    save(page)
    edit(page, application, "contact")
    page.locator("#id_contact_name").fill("李申报")
    save(page)

    # Leave, and come back to it through the list.
    page.goto("/")
    page.goto(reverse("projects:application_list"))
    page.locator(f"main a[href='{application.get_absolute_url()}']").first.click()
    expect(page.locator("#application-status")).to_contain_text(label_in_chinese(ApplicationStatus.DRAFT))
    expect(page.locator("#section-contact")).to_contain_text("李申报")

    # Upload the four required attachments (small real PDFs).
    page.locator(f"main a[href='{reverse('projects:attachment_upload', kwargs={'pk': application.pk})}']").first.click()
    for slot in REQUIRED_SLOTS:
        path = tmp_path / f"{slot}.pdf"
        path.write_bytes(minimal_pdf(slot))
        upload(page, slot, path)
    assert sorted(application.attachments.values_list("slot", flat=True)) == sorted(REQUIRED_SLOTS)

    # Submitting now is refused, section by section, and nothing is lost: the confirmation page (issue 10) lists
    # what is missing and offers no way to send it.
    submit_url = reverse("projects:application_submit", kwargs={"pk": application.pk})
    page.goto(application.get_absolute_url())
    page.locator(f"main a[href='{submit_url}']").first.click()
    expect(page).to_have_url(re.compile(f"{submit_url}$"))
    refusal = page.locator("#submit-missing")
    expect(refusal).to_be_visible()
    contact_link = reverse("projects:application_edit", kwargs={"pk": application.pk, "section": "contact"})
    expect(refusal.locator(f"a[href='{contact_link}']")).to_have_count(1)
    expect(refusal.locator("a[href$='/attachments/']")).to_have_count(0)  # the uploads count
    expect(page.locator("#submit-confirm-form")).to_have_count(0)
    page.goto(application.get_absolute_url())
    expect(page.locator("#section-contact")).to_contain_text("李申报")
    application.refresh_from_db()
    assert (application.status, application.contact_name) == (ApplicationStatus.DRAFT, "李申报")

    # Complete every section.
    edit(page, application, "advancement")
    page.locator("#id_advancement").fill("回差、传动精度等关键指标填补了国家和行业标准的空白。")
    page.locator("#id_indicators-0-indicator").fill("回差")
    page.locator("#id_indicators-0-this_standard").fill("≤1 arcmin")
    save(page)
    edit(page, application, "implementation")
    page.locator("#id_implementation").fill("在省内 8 家减速器企业实施。")
    page.locator("#id_effect").fill("产品寿命提高 30%。")
    page.locator("#id_enterprises_count").fill("8")
    page.locator("#id_output_value").fill("52000")
    page.locator("#id_enterprises-0-name").fill("浙江双环传动机械股份有限公司")
    page.locator("#id_enterprises-0-credit_code").fill(make_credit_code(3301, "91"))
    page.locator("#id_enterprises-0-province").select_option("330000")
    save(page)
    for section, field, text in [
        ("market", "#id_market_competitiveness", "国内市场占有率提升。"),
        ("influence", "#id_social_influence", "被省级政策采信。"),
        ("patents", "#id_patent_handling", "专利权人承诺以公平、合理、无歧视条件许可。"),
        ("promotion", "#id_promotion_plan", "举办宣贯会并编写实施指南。"),
    ]:
        edit(page, application, section)
        page.locator(field).fill(text)
        save(page)
    edit(page, application, "contact")
    expect(page.locator("#id_contact_name")).to_have_value("李申报")
    page.locator("#id_contact_phone").fill("0571-87654321")
    page.locator("#id_contact_email").fill("li@zzb.example.cn")
    save(page)
    edit(page, application, "pledge")
    page.locator("#id_pledge_accepted").check()
    save(page)

    # Submit through the confirmation page: what will be sent, and the pledge confirmed once more (issue 10).
    page.goto(application.get_absolute_url())
    page.locator(f"main a[href='{submit_url}']").first.click()
    expect(page.locator("#submit-recommender")).to_contain_text(department.name)
    for slot in REQUIRED_SLOTS:
        expect(page.locator("#submit-attachments")).to_contain_text(f"{slot}.pdf")
    confirm = page.locator("#submit-confirm-form")
    confirm.locator("button[type=submit]").click()  # without the pledge ticked: refused, nothing sent
    expect(page.locator("#submit-not-sent")).to_be_visible()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT
    confirm.locator("input[name=pledge_confirmed]").check()
    confirm.locator("button[type=submit]").click()

    # The receipt (回执): its number and time, printable; then the status and the timeline.
    receipt_url = reverse("projects:application_receipt", kwargs={"pk": application.pk, "number": 1})
    expect(page).to_have_url(re.compile(f"{receipt_url}$"))
    expect(page.locator(".messages .notice-success")).to_contain_text(department.name)
    number = receipt_number(application.snapshots.get(number=1))
    expect(page.locator("#receipt-number")).to_have_text(number)
    expect(page.locator("#receipt-recommender")).to_have_text(department.name)
    expect(page.locator(".print-hint button")).to_have_count(1)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"submission-receipt-{page.viewport_size['width']}.png", full_page=True)
    page.goto(application.get_absolute_url())
    expect(page.locator("#application-status")).to_contain_text(label_in_chinese(ApplicationStatus.SUBMITTED))
    timeline = page.locator("ol.timeline > li")
    actions = apps.get_app_config("projects").audit_actions
    expect(timeline.last).to_contain_text(label_in_chinese(actions["application.submit"]))
    expect(timeline.first).to_contain_text(label_in_chinese(actions["application.create"]))
    expect(page.locator("#submit-form")).to_have_count(0)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED

    # The 申报书 prints from its own view; its script adds a print button.
    page.goto(reverse("projects:application_print", kwargs={"pk": application.pk}))
    expect(page.locator(".print-hint button")).to_have_count(1)
    expect(page.locator(".application-cover")).to_contain_text(f"{STANDARD} {standard.title_zh}")
    expect(page.locator(".application-cover")).to_contain_text(department.name)
    page.goto(application.get_absolute_url())  # the journey's screenshot: the status and the timeline


def test_another_groups_staff_cannot_see_the_application(page: Page, demo_call):
    standard = GroupStandard.objects.get(number=STANDARD)
    log_in(page, "applicant", DEMO_PASSWORD)
    page.goto(f"{reverse('projects:application_create')}?call={demo_call.pk}")
    page.locator("#id_standard").select_option(str(standard.pk))
    page.locator("main form[method=post] button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/edit/claim/$"))
    application = Application.objects.get(standard=standard, call=demo_call)
    page.context.clear_cookies()

    log_in(page, "applicant2", DEMO_PASSWORD)
    response = page.goto(application.get_absolute_url())

    assert response.status == 404
    page.goto(reverse("projects:application_list"))
    expect(page.locator(f"main a[href='{application.get_absolute_url()}']")).to_have_count(0)


def test_secretariat_sees_a_draft_only_once_it_is_submitted(page: Page, demo_call):
    standard = GroupStandard.objects.get(number=STANDARD)
    log_in(page, "applicant", DEMO_PASSWORD)
    page.goto(f"{reverse('projects:application_create')}?call={demo_call.pk}")
    page.locator("#id_standard").select_option(str(standard.pk))
    page.locator("main form[method=post] button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/edit/claim/$"))
    application = Application.objects.get(standard=standard, call=demo_call)
    page.context.clear_cookies()

    # The draft is the group's own: not found, and not listed.
    log_in(page, "secretariat", DEMO_PASSWORD)
    response = page.goto(application.get_absolute_url())
    assert response.status == 404
    page.goto(reverse("projects:application_list"))
    expect(page.locator(f"main a[href='{application.get_absolute_url()}']")).to_have_count(0)

    # Once submitted, the secretariat finds it in its list and opens it.
    fill_complete(application, recommender=Organisation.objects.get(code="ZJJXT"))
    workflow.submit(application, by=application.created_by)
    page.goto(reverse("projects:application_list"))
    page.locator(f"main a[href='{application.get_absolute_url()}']").first.click()
    expect(page.locator("#application-status")).to_contain_text(label_in_chinese(ApplicationStatus.SUBMITTED))
