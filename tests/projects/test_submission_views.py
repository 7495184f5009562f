"""Submitting with a confirmation and a receipt (issue 10): the page that lists what will be sent with the pledge
to confirm again, the refusals in order, and the receipt (回执) of each submission with its number.

Pages are asked for in English (`HTTP_ACCEPT_LANGUAGE: en`), so they compare the msgids.
"""

import datetime
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.models import AuditEvent
from projects import workflow
from projects.models import Application, ApplicationStatus, SubmissionSnapshot
from projects.selectors.submission import receipt_number
from tests.factories import (
    CallFactory,
    MinistryFactory,
    ProvincialDepartmentFactory,
    SocialGroupFactory,
    make_application,
    member_of,
)

pytestmark = pytest.mark.django_db
S = ApplicationStatus
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}
CONFIRMED = {"pledge_confirmed": "on"}
SLOTS = [  # the slots fill_complete uploads to, in the order of AttachmentSlot, each with its file and size
    ("Legal-person registration certificate", ["registration_certificate.pdf"]),
    ("Document that issued the standard", ["issuing_document.pdf"]),
    ("Text of the standard", ["standard_text.pdf"]),
    ("Proof of implementation", ["implementation_proof.pdf"]),
]
SECTION_KEYS = [
    "claim",
    "advancement",
    "implementation",
    "market",
    "influence",
    "patents",
    "promotion",
    "contact",
    "pledge",
    "attachments",
]


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def group():
    return SocialGroupFactory(province="330000", code="ZZB")


@pytest.fixture
def applicant(group):
    return member_of(group)


@pytest.fixture
def department(group):
    return ProvincialDepartmentFactory(province=group.province, name="浙江省经济和信息化厅")


@pytest.fixture
def complete(group, applicant, department):
    return make_application(call=CallFactory(), group=group, by=applicant, complete=True, recommender=department)


def submit_url(application: Application) -> str:
    return reverse("projects:application_submit", kwargs={"pk": application.pk})


def receipt_url(application: Application, number: int) -> str:
    return reverse("projects:application_receipt", kwargs={"pk": application.pk, "number": number})


def text_of(markup: str) -> str:
    """What a person reads: no tags, spaces collapsed."""
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", markup))).strip()


def part(response, element_id: str, end: str = "</section>") -> str:
    """The text of the page from the element with `element_id` to the first `end` after it."""
    content = response.content.decode()
    assert f'id="{element_id}"' in content, f"no #{element_id} on the page"
    return text_of(content.split(f'id="{element_id}"', 1)[1].split(end, 1)[0].split(">", 1)[1])


def beijing(moment: datetime.datetime) -> str:
    return timezone.localtime(moment, timezone.get_default_timezone()).strftime("%Y-%m-%d %H:%M")


def submissions(application: Application) -> tuple:
    application.refresh_from_db()
    events = AuditEvent.objects.for_object(application).filter(action="application.submit").count()
    return application.status, events, SubmissionSnapshot.objects.filter(application=application).count()


# --- the confirmation page ----------------------------------------------------------------------------
def test_submit_page_lists_sections_attachments_recommender_and_the_pledge(client, applicant, complete):
    client.force_login(applicant)

    response = client.get(submit_url(complete), **ENGLISH)

    assert response.status_code == 200
    assert [(state.section.key, state.missing) for state in response.context["sections"]] == [
        (key, []) for key in SECTION_KEYS
    ]
    assert [(slot.label, [a.original_name for a in slot.files]) for slot in response.context["slots"]] == SLOTS
    assert part(response, "submit-sections", "</table>").endswith(
        "Contact person Complete Integrity pledge Complete Attachments Complete"
    )
    assert part(response, "submit-attachments", "</table>") == (
        "Kind File Size Legal-person registration certificate registration_certificate.pdf 300 bytes "
        "Document that issued the standard issuing_document.pdf 300 bytes "
        "Text of the standard standard_text.pdf 300 bytes "
        "Proof of implementation implementation_proof.pdf 300 bytes"
    )
    assert part(response, "submit-recommender", "</dd>") == "浙江省经济和信息化厅"
    pledge = part(response, "submit-pledge")
    assert "The group accepts verification of this application" in pledge
    assert "I confirm the integrity pledge above once more and submit the application." in pledge
    assert 'name="pledge_confirmed"' in response.content.decode()
    assert submissions(complete) == (S.DRAFT, 0, 0)


def test_submit_page_of_a_ministry_managed_group_says_it_applies_directly(client):
    group = SocialGroupFactory(ministry_managed=True)
    applicant = member_of(group)
    application = make_application(group=group, by=applicant, complete=True)
    client.force_login(applicant)

    response = client.get(submit_url(application), **ENGLISH)

    assert part(response, "submit-recommender", "</dd>") == (
        "None: a ministry-managed social group applies directly. The secretariat checks it next."
    )


def test_submit_page_of_an_incomplete_draft_lists_what_is_missing_without_a_form(client, applicant, group):
    draft = make_application(call=CallFactory(), group=group, by=applicant)
    client.force_login(applicant)

    response = client.get(submit_url(draft), **ENGLISH)

    assert response.status_code == 200
    missing = response.content.decode().split('id="submit-missing"')[1].split("</div>")[0]
    contact = reverse("projects:application_edit", kwargs={"pk": draft.pk, "section": "contact"})
    uploads = reverse("projects:attachment_upload", kwargs={"pk": draft.pk})
    assert (f'href="{contact}"' in missing, f'href="{uploads}"' in missing) == (True, True)
    assert "Give the contact person&#x27;s name." in missing
    assert [slot.files for slot in response.context["slots"]] == [[], [], [], []]
    assert "Not uploaded yet (required)" in part(response, "submit-attachments", "</table>")
    assert 'name="pledge_confirmed"' not in response.content.decode()


def test_submit_page_for_a_returned_application_confirms_the_resubmission(client, applicant, complete, department):
    workflow.submit(complete, by=applicant)
    workflow.return_for_revision(complete, by=member_of(department), reason="请补充数据。")
    client.force_login(applicant)

    response = client.get(submit_url(complete), **ENGLISH)

    assert text_of(response.content.decode().split("<h1>", 1)[1].split("</h1>")[0]) == "Confirm the resubmission"
    assert "Confirm and submit again" in part(response, "submit-pledge")


# --- the pledge confirmed again -------------------------------------------------------------------------
def test_submit_without_the_pledge_ticked_is_refused_and_sends_nothing(client, applicant, complete):
    client.force_login(applicant)

    response = client.post(submit_url(complete), {}, **ENGLISH)

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "pledge_confirmed": ["Tick the box to confirm the integrity pledge: the application was not submitted."]
    }
    assert text_of(response.content.decode().split('id="submit-not-sent"')[1].split("</p>")[0].split(">", 1)[1]) == (
        "The application was not submitted: please see below."
    )
    assert part(response, "submit-recommender", "</dd>") == "浙江省经济和信息化厅"  # the page is whole again
    assert submissions(complete) == (S.DRAFT, 0, 0)


def test_submit_refused_after_the_deadline_keeps_the_pledge_ticked(client, applicant, complete):
    call = complete.call
    call.deadline = timezone.now() - datetime.timedelta(hours=1)
    call.opens_at = call.deadline - datetime.timedelta(days=30)
    call.save()
    client.force_login(applicant)

    response = client.post(submit_url(complete), CONFIRMED, **ENGLISH)

    assert response.status_code == 400
    refusal = part(response, "submit-refusal", "</div>")
    assert refusal.startswith("The call is not open for applications:")
    assert refusal.endswith("All deadlines are in Beijing time (UTC+8). Nothing you saved is lost.")
    checkbox = re.search(r'<input[^>]*name="pledge_confirmed"[^>]*>', response.content.decode()).group(0)
    assert " checked" in checkbox
    assert submissions(complete) == (S.DRAFT, 0, 0)


def test_submit_of_an_incomplete_draft_keeps_everything_and_lists_the_missing(client, applicant, group):
    draft = make_application(call=CallFactory(), group=group, by=applicant)
    client.force_login(applicant)

    response = client.post(submit_url(draft), CONFIRMED, **ENGLISH)

    assert (response.status_code, response.context["refusal"]) == (400, "The application is not complete yet.")
    assert sorted(response.context["missing_now"]) == sorted(SECTION_KEYS)
    assert 'id="submit-missing"' not in response.content.decode()  # listed once, in the refusal
    assert submissions(draft) == (S.DRAFT, 0, 0)


# --- refusals in order: 404, 403, 409 ----------------------------------------------------------------------
@pytest.mark.parametrize("method", ["get", "post"])
def test_submit_page_refuses_in_order(client, method, applicant, complete, department):
    workflow.submit(complete, by=applicant)
    seen = {}
    for who, user in {
        "other group": member_of(SocialGroupFactory()),
        "other department": member_of(ProvincialDepartmentFactory(province="320000")),
        "recommender": member_of(department),
        "secretariat": member_of(MinistryFactory()),
        "group": applicant,
    }.items():
        client.force_login(user)
        response = getattr(client, method)(submit_url(complete), CONFIRMED, **ENGLISH)
        seen[who] = response.status_code

    assert seen == {"other group": 404, "other department": 404, "recommender": 403, "secretariat": 403, "group": 409}
    assert response.context["refusal"] == "An application that is “Submitted” cannot be submitted."
    assert response.context["form"] is None
    latest = response.content.decode().split('id="latest-receipt"')[0].rsplit("<a", 1)[1]
    assert f'href="{receipt_url(complete, 1)}"' in latest
    assert submissions(complete) == (S.SUBMITTED, 1, 1)


def test_submit_page_sends_anonymous_users_to_login(client, complete):
    response = client.get(submit_url(complete))

    assert response["Location"] == f"{reverse('login')}?next={submit_url(complete)}"


# --- the submission and its receipt -------------------------------------------------------------------------
def test_submit_confirmed_submits_and_shows_the_receipt(client, applicant, complete):
    client.force_login(applicant)

    response = client.post(submit_url(complete), CONFIRMED, **ENGLISH)

    assert response["Location"] == receipt_url(complete, 1)
    assert submissions(complete) == (S.SUBMITTED, 1, 1)


def test_receipt_shows_the_number_time_recommender_and_what_was_sent(client, applicant, complete):
    workflow.submit(complete, by=applicant)
    snapshot = SubmissionSnapshot.objects.get(application=complete)
    client.force_login(applicant)

    response = client.get(receipt_url(complete, 1), **ENGLISH)

    page = response.content.decode()
    year = timezone.localtime(snapshot.taken_at, timezone.get_default_timezone()).year
    assert part(response, "receipt-number", "</dd>") == f"{year}-{complete.pk:06d}-1"
    assert part(response, "receipt-time", "</dd>") == f"{beijing(snapshot.taken_at)} (Beijing time)"
    assert part(response, "receipt-recommender", "</dd>") == "浙江省经济和信息化厅"
    assert part(response, "receipt-count", "</dd>") == "First submission"
    assert response.context["receipt"].attachments == [  # as captured, in the order of the slots' stored values
        ("Proof of implementation", "implementation_proof.pdf"),
        ("Document that issued the standard", "issuing_document.pdf"),
        ("Legal-person registration certificate", "registration_certificate.pdf"),
        ("Text of the standard", "standard_text.pdf"),
    ]
    assert part(response, "receipt-attachments", "</table>") == (
        "# Kind File 1 Proof of implementation implementation_proof.pdf "
        "2 Document that issued the standard issuing_document.pdf "
        "3 Legal-person registration certificate registration_certificate.pdf "
        "4 Text of the standard standard_text.pdf"
    )
    assert part(response, "receipt-sections", "</ol>").count("Complete") == len(SECTION_KEYS)
    particulars = text_of(page.split('class="receipt-particulars"')[1].split("</dl>")[0].split(">", 1)[1])
    assert f"Submitted by {applicant.get_full_name()}" in particulars
    assert f"Group standard {complete.standard.display_number} {complete.standard.title_zh}" in particulars
    assert '<link rel="stylesheet" href="/static/css/print.css" media="print">' in page
    assert '<script src="/static/js/print.js" defer></script>' in page
    assert 'id="print-button-slot"' in page


def test_receipt_number_is_the_beijing_year_the_application_and_the_submission():
    # 16:30 UTC on 31 December is half past midnight on 1 January in Beijing: the receipt counts in Beijing's year.
    taken_at = datetime.datetime(2026, 12, 31, 16, 30, tzinfo=datetime.UTC)

    numbers = [receipt_number(SubmissionSnapshot(application_id=123, number=n, taken_at=taken_at)) for n in (1, 2)]

    assert numbers == ["2027-000123-1", "2027-000123-2"]


def test_receipt_of_a_resubmission_is_the_second_and_the_first_stays(client, applicant, complete, department):
    workflow.submit(complete, by=applicant)
    workflow.return_for_revision(complete, by=member_of(department), reason="请补充数据。")
    workflow.submit(complete, by=applicant)
    client.force_login(applicant)

    first, second = (client.get(receipt_url(complete, n), **ENGLISH) for n in (1, 2))

    assert [part(r, "receipt-number", "</dd>") for r in (first, second)] == [
        receipt_number(snapshot) for snapshot in SubmissionSnapshot.objects.filter(application=complete)
    ]
    assert [part(r, "receipt-count", "</dd>") for r in (first, second)] == [
        "First submission",
        "Submission 2, after a return for revision",
    ]


def test_receipt_of_a_ministry_managed_group_says_it_applied_directly(client):
    group = SocialGroupFactory(ministry_managed=True)
    applicant = member_of(group)
    application = workflow.submit(make_application(group=group, by=applicant, complete=True), by=applicant)
    client.force_login(applicant)

    response = client.get(receipt_url(application, 1), **ENGLISH)

    assert part(response, "receipt-recommender", "</dd>") == "None: a ministry-managed social group applies directly."


def test_receipt_is_seen_by_whoever_sees_the_application(client, applicant, complete, department):
    workflow.submit(complete, by=applicant)
    seen = {}
    for who, user in {
        "group": applicant,
        "recommender": member_of(department),
        "secretariat": member_of(MinistryFactory()),
        "other group": member_of(SocialGroupFactory()),
        "other department": member_of(ProvincialDepartmentFactory(province="320000")),
    }.items():
        client.force_login(user)
        response = client.get(receipt_url(complete, 1), **ENGLISH)
        seen[who] = (response.status_code, response.context["receipt"].number if response.status_code == 200 else None)

    number = receipt_number(SubmissionSnapshot.objects.get(application=complete))
    assert seen == {
        "group": (200, number),
        "recommender": (200, number),
        "secretariat": (200, number),
        "other group": (404, None),
        "other department": (404, None),
    }


@pytest.mark.parametrize("number", [0, 2])
def test_receipt_of_a_submission_that_never_was_is_not_found(client, applicant, complete, number):
    workflow.submit(complete, by=applicant)
    client.force_login(applicant)

    response = client.get(receipt_url(complete, number))

    assert (response.status_code, "404.html" in [t.name for t in response.templates]) == (404, True)


# --- what the pages cost ----------------------------------------------------------------------------------
def _more_attachments(application: Application, count: int) -> None:
    from django.core.files.base import ContentFile

    from projects.models import Attachment, AttachmentSlot
    from standards.files import minimal_pdf

    for n in range(count):
        Attachment.objects.create(
            application=application,
            slot=AttachmentSlot.IMPLEMENTATION_PROOF,
            file=ContentFile(minimal_pdf(f"proof {n}"), name=f"proof-{n}.pdf"),
            original_name=f"实施证明{n}.pdf",
            size=300,
            content_type="application/pdf",
            uploaded_by=application.created_by,
        )


def _queries(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, **ENGLISH).status_code == 200
    return len(queries)


def test_submit_page_and_receipt_query_counts_do_not_grow_with_the_attachments(client, applicant, complete):
    client.force_login(applicant)
    submitted = make_application(
        call=complete.call, group=complete.group, by=applicant, complete=True, recommender=complete.recommender
    )
    workflow.submit(submitted, by=applicant)
    few = (_queries(client, submit_url(complete)), _queries(client, receipt_url(submitted, 1)))
    _more_attachments(complete, 8)
    resubmitted = make_application(
        call=complete.call, group=complete.group, by=applicant, complete=True, recommender=complete.recommender
    )
    _more_attachments(resubmitted, 8)
    workflow.submit(resubmitted, by=applicant)

    many = (_queries(client, submit_url(complete)), _queries(client, receipt_url(resubmitted, 1)))

    assert many == few
    assert max(many) <= 15
