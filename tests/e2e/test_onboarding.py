"""Getting in, in a real Chromium: a social group registers, confirms its e-mail, is approved by the secretariat,
invites a colleague who accepts and submits an application; a removed colleague is signed out at once.

The links come from the e-mails the portal sent (Django's test mail outbox), as a person would follow them.
Selectors use ids, names and URLs, not labels, so the journey holds in Chinese and in English.
"""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from portal.models import Membership, Organisation, RegistrationRequest, User
from projects.models import Application, ApplicationStatus
from projects.services.seed import seed_demo_call
from standards.files import minimal_pdf
from tests.e2e.conftest import log_in
from tests.factories import DEMO_PASSWORD, GroupStandardFactory, fill_complete, make_credit_code, profile_of

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CREDIT_CODE = make_credit_code(4242, prefix="51")
PASSWORD = "Zj-Onboard-2026"


def link_in_last_mail(to: str, path: str) -> str:
    """The path of the portal link (e.g. /email/confirm/…/) in the newest e-mail sent to `to`."""
    message = next(m for m in reversed(mail.outbox) if to in m.to)
    return re.search(rf"https?://[^/\s]+({re.escape(path)}[^\s]+/)", message.body).group(1)


def new_page(browser: Browser, live_server) -> Page:
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def register(page: Page, tmp_path) -> None:
    certificate = tmp_path / "社会团体法人登记证书.pdf"
    certificate.write_bytes(minimal_pdf("certificate"))
    page.goto(reverse("portal:register"))
    for name, value in {
        "name": "浙江省智能装备产业协会",
        "code": "zjzn",  # typed in lower case: the portal upper-cases it
        "credit_code": " ".join([CREDIT_CODE[:6], CREDIT_CODE[6:12], CREDIT_CODE[12:]]),  # pasted with spaces
        "registration_authority": "浙江省民政厅",
        "legal_representative": "钱法人",
        "contact-name": "孙联络",
        "contact-phone": "139 0571 0000",
        "contact-email": "sun@zjzn.example.cn",
        "contact-username": "sunlianluo",
        "contact-password1": PASSWORD,
        "contact-password2": PASSWORD,
    }.items():
        page.locator(f"[name='{name}']").fill(value)
    page.locator("[name=social_group_type]").select_option("association")
    page.locator("[name=province]").select_option("330000")
    page.locator("[name=certificate]").set_input_files(str(certificate))
    page.locator("main form[enctype] button[type=submit]").click()


def test_a_group_registers_is_approved_and_a_colleague_it_invites_submits(
    page: Page, browser: Browser, live_server, demo_accounts, tmp_path
):
    call = seed_demo_call()

    # The contact registers the group: logged in at once, the dashboard shows the request and what comes next.
    register(page, tmp_path)
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    expect(page.locator("#registration-requests")).to_contain_text("浙江省智能装备产业协会")
    expect(page.locator("#email-unconfirmed")).to_be_visible()
    request = RegistrationRequest.objects.get()
    assert (request.code, request.credit_code, request.contact.phone) == ("ZJZN", CREDIT_CODE, "13905710000")
    # Until the decision the contact has no role: the applicant's pages are not theirs.
    assert page.goto(reverse("projects:application_create")).status == 403

    # The confirmation link from the e-mail: a page, then a button.
    page.goto(link_in_last_mail("sun@zjzn.example.cn", "/email/confirm/"))
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#email-unconfirmed")).to_have_count(0)

    # The secretariat approves it from its queue, with the certificate at hand.
    secretariat = new_page(browser, live_server)
    log_in(secretariat, "secretariat", DEMO_PASSWORD)
    secretariat.goto(reverse("portal:registration_list"))
    secretariat.locator(f"main a[href='{reverse('portal:registration_detail', args=[request.pk])}']").click()
    expect(secretariat.locator(f"a[href$='/requests/{request.pk}/certificate/']")).to_have_count(1)
    secretariat.locator(f"form[action$='/requests/{request.pk}/approve/'] button[type=submit]").click()
    expect(secretariat.locator(".messages .notice-success")).to_contain_text("浙江省智能装备产业协会")
    group = Organisation.objects.get(code="ZJZN")
    secretariat.context.close()

    # The contact, now its administrator, sees the applicant's dashboard and invites a colleague.
    page.goto(reverse("portal:dashboard"))
    expect(page.locator("#role-applicant")).to_be_visible()
    page.goto(reverse("portal:organisation"))
    page.locator(f"#members-{group.pk} [name=email]").fill("zhou@zjzn.example.cn")
    page.locator(f"#members-{group.pk} form[action$='/invite/'] button[type=submit]").click()
    expect(page.locator(f"#invitations-{group.pk}")).to_contain_text("zhou@zjzn.example.cn")

    # The colleague follows the invitation in a browser of their own and makes an account.
    colleague = new_page(browser, live_server)
    colleague.goto(link_in_last_mail("zhou@zjzn.example.cn", "/invitations/"))
    for name, value in {
        "name": "周同事",
        "phone": "13800000001",
        "username": "zhoutongshi",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }.items():
        colleague.locator(f"main [name='{name}']").fill(value)
    colleague.locator("main form button[type=submit]").click()
    expect(colleague).to_have_url(re.compile(r"/dashboard/$"))
    expect(colleague.locator("#role-applicant")).to_be_visible()
    zhou = User.objects.get(username="zhoutongshi")
    assert Membership.objects.filter(user=zhou, organisation=group, is_admin=False).exists()

    # The colleague starts an application on the group's standard, and submits it once it is complete.
    standard = GroupStandardFactory(
        issuer=profile_of(group),
        number_as_typed="T/ZJZN 1—2023",
        fills_gap=True,
        publication_date=datetime.date(2023, 1, 5),
        implementation_date=datetime.date(2023, 2, 1),
    )
    colleague.goto(f"{reverse('projects:application_create')}?call={call.pk}")
    colleague.locator("#id_standard").select_option(str(standard.pk))
    colleague.locator("main form[method=post] button[type=submit]").click()
    expect(colleague).to_have_url(re.compile(r"/applications/\d+/edit/claim/$"))
    application = Application.objects.get(group=group, call=call)
    fill_complete(application, recommender=Organisation.objects.get(code="ZJJXT"))  # the sections, as typed
    colleague.goto(application.get_absolute_url())
    # Through the confirmation page, with the pledge confirmed once more (issue 10).
    colleague.locator(f"main a[href='{reverse('projects:application_submit', args=[application.pk])}']").first.click()
    colleague.locator("#submit-confirm-form input[name=pledge_confirmed]").check()
    colleague.locator("#submit-confirm-form button[type=submit]").click()
    expect(colleague.locator(".messages .notice-success")).to_be_visible()
    application.refresh_from_db()
    assert (application.status, application.created_by) == (ApplicationStatus.SUBMITTED, zhou)
    colleague.context.close()


def test_a_removed_colleague_is_signed_out_at_once(page: Page, browser: Browser, live_server, demo_accounts):
    group = Organisation.objects.get(code="ZZB")
    colleague = User.objects.create_user(username="leaving", password=PASSWORD, name="离职者", email="l@example.cn")
    Membership.objects.create(user=colleague, organisation=group)
    colleague.groups.add(group.group)
    theirs = new_page(browser, live_server)
    log_in(theirs, "leaving", PASSWORD)
    expect(theirs).to_have_url(re.compile(r"/dashboard/$"))

    log_in(page, "applicant", DEMO_PASSWORD)  # the demo group's administrator
    page.goto(reverse("portal:organisation"))
    row = page.locator("tr.member-row[data-username=leaving]")
    row.locator("form[action$='/remove/'] button[type=submit]").click()
    expect(page.locator("tr.member-row[data-username=leaving]")).to_have_count(0)

    theirs.goto(reverse("portal:dashboard"))
    expect(theirs).to_have_url(re.compile(r"/accounts/login/\?next=/dashboard/$"))
    colleague.refresh_from_db()
    assert colleague.is_active is False
    theirs.context.close()
