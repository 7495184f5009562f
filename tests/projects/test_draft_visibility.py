"""A draft is its group's own work: the secretariat and the recommender see an application from its first
submission on, on every page and in every list, and keep seeing it once it is returned or withdrawn."""

import csv
import io
import re

import pytest
from django.urls import reverse

from portal.models import AuditEvent
from projects import workflow
from projects.models import Application, Attachment
from projects.selectors.dashboard import waiting_for_secretariat
from tests.factories import CallFactory, MinistryFactory, ProvincialDepartmentFactory, make_application, member_of

pytestmark = pytest.mark.django_db
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}
# Every page of one application: what each shows of it is its standard's number (the PDF and the download are
# files, so only their status and type are compared).
PAGES = {
    "detail": lambda a: reverse("projects:application_detail", kwargs={"pk": a.pk}),
    "print": lambda a: reverse("projects:application_print", kwargs={"pk": a.pk}),
    "pdf": lambda a: reverse("projects:application_pdf", kwargs={"pk": a.pk}),
    "attachments": lambda a: reverse("projects:attachment_upload", kwargs={"pk": a.pk}),
    "download": lambda a: reverse(
        "projects:attachment_download",
        kwargs={"pk": a.pk, "attachment_pk": Attachment.objects.filter(application=a).order_by("pk")[0].pk},
    ),
}
FILES = {"pdf": "application/pdf", "download": "application/pdf"}


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def department():
    return ProvincialDepartmentFactory(name="浙江省经济和信息化厅")


@pytest.fixture
def call():
    return CallFactory()


@pytest.fixture
def secretariat():
    return member_of(MinistryFactory())


@pytest.fixture
def draft(call, department) -> Application:
    return make_application(call=call, complete=True, recommender=department)


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def _seen(response, application: Application, page: str) -> tuple[int, bool]:
    """The status, and whether the response holds the application (its file, or a page naming its standard)."""
    if response.status_code == 200 and page in FILES:
        return 200, response["Content-Type"] == FILES[page]
    shown = application.standard.display_number in response.content.decode()
    if response.status_code == 404:
        shown = shown or "404.html" not in [template.name for template in response.templates]
    return response.status_code, shown


def _pages(client, user, application: Application) -> dict[str, tuple[int, bool]]:
    client.force_login(user)
    return {page: _seen(client.get(url(application), **ENGLISH), application, page) for page, url in PAGES.items()}


NOT_FOUND = dict.fromkeys(PAGES, (404, False))
SEEN = dict.fromkeys(PAGES, (200, True))


# --- one application's pages -------------------------------------------------------------------------
def test_draft_pages_are_not_found_for_the_secretariat_until_it_is_submitted(client, secretariat, draft):
    before = _pages(client, secretariat, draft)
    workflow.submit(draft, by=draft.created_by)

    after = _pages(client, secretariat, draft)

    assert (before, after) == (NOT_FOUND, SEEN)


def test_draft_withdrawn_before_any_submission_stays_its_groups_own(client, secretariat, department, draft):
    workflow.withdraw(draft, by=draft.created_by, reason="暂不申报。")

    seen = {
        who: _pages(client, user, draft)
        for who, user in {
            "group": draft.created_by,
            "secretariat": secretariat,
            "recommender": member_of(department),
        }.items()
    }

    assert seen == {"group": SEEN, "secretariat": NOT_FOUND, "recommender": NOT_FOUND}


def test_returned_and_withdrawn_applications_stay_visible_once_submitted(client, secretariat, department, draft):
    recommender = member_of(department)
    workflow.submit(draft, by=draft.created_by)
    workflow.return_for_revision(draft, by=recommender, reason="请补充实施证明。")
    returned = {"secretariat": _pages(client, secretariat, draft), "recommender": _pages(client, recommender, draft)}
    workflow.withdraw(draft, by=draft.created_by, reason="标准即将修订。")

    withdrawn = {"secretariat": _pages(client, secretariat, draft), "recommender": _pages(client, recommender, draft)}

    assert (returned, withdrawn) == (
        {"secretariat": SEEN, "recommender": SEEN},
        {"secretariat": SEEN, "recommender": SEEN},
    )


def test_draft_edit_and_withdraw_are_not_found_for_the_secretariat(client, secretariat, draft):
    client.force_login(secretariat)
    before = AuditEvent.objects.count()

    edit = client.post(
        reverse("projects:application_edit", kwargs={"pk": draft.pk, "section": "contact"}), {"contact_name": "秘书处"}
    )
    withdraw = client.post(reverse("projects:application_withdraw", kwargs={"pk": draft.pk}), {"reason": "代为撤回。"})

    draft.refresh_from_db()
    assert (edit.status_code, withdraw.status_code, draft.status, draft.contact_name) == (404, 404, "draft", "李联系")
    assert AuditEvent.objects.count() == before


# --- lists ---------------------------------------------------------------------------------------------
def _listed(client, user) -> list[int]:
    client.force_login(user)
    response = client.get(reverse("projects:application_list"), **ENGLISH)
    return sorted(row.application.pk for row in response.context["rows"])


def test_application_list_of_the_secretariat_holds_what_was_submitted_once(client, secretariat, call, department):
    recommender = member_of(department)
    draft, withdrawn_draft, submitted, returned, withdrawn = (
        make_application(call=call, complete=True, recommender=department) for _ in range(5)
    )
    workflow.withdraw(withdrawn_draft, by=withdrawn_draft.created_by, reason="暂不申报。")
    for application in (submitted, returned, withdrawn):
        workflow.submit(application, by=application.created_by)
    workflow.return_for_revision(returned, by=recommender, reason="请补充。")
    workflow.withdraw(withdrawn, by=withdrawn.created_by, reason="标准即将修订。")
    before = _listed(client, secretariat)
    workflow.submit(draft, by=draft.created_by)

    after = _listed(client, secretariat)

    assert (before, after) == (
        sorted([submitted.pk, returned.pk, withdrawn.pk]),
        sorted([draft.pk, submitted.pk, returned.pk, withdrawn.pk]),
    )


def test_call_counts_leave_out_what_was_never_submitted(client, secretariat, call, department):
    make_application(call=call)
    withdrawn_draft = make_application(call=call)
    workflow.withdraw(withdrawn_draft, by=withdrawn_draft.created_by, reason="暂不申报。")
    submitted = make_application(call=call, complete=True, recommender=department)
    workflow.submit(submitted, by=submitted.created_by)
    client.force_login(secretariat)

    response = client.get(reverse("projects:call_detail", kwargs={"pk": call.pk}), **ENGLISH)

    assert [(row.status.value, row.count) for row in response.context["counts"]] == [("submitted", 1)]
    counts = _text(response).split('id="application-counts"')[1].split("</table>")[0]
    assert "Draft" not in counts


def test_secretariat_dashboard_has_nothing_to_do_with_drafts(call, department):
    make_application(call=call, complete=True, recommender=department)

    assert waiting_for_secretariat() == []


def test_recommenders_page_and_csv_count_a_draft_only_once_submitted(client, secretariat, call, department, draft):
    client.force_login(secretariat)
    page_url = reverse("projects:call_recommenders", kwargs={"pk": call.pk})
    csv_url = reverse("projects:call_recommenders_csv", kwargs={"pk": call.pk})

    def csv_rows() -> list[list[str]]:
        body = client.get(csv_url, **ENGLISH).content.decode("utf-8-sig")
        return [row[:2] for row in csv.reader(io.StringIO(body))][1:]

    before = (client.get(page_url, **ENGLISH).context["overview"].rows, csv_rows())
    workflow.submit(draft, by=draft.created_by)
    rows = client.get(page_url, **ENGLISH).context["overview"].rows

    assert before == ([], [])
    assert ([(row.recommender, row.received) for row in rows], csv_rows()) == (
        [(department, 1)],
        [["浙江省经济和信息化厅", "1"]],
    )


def test_formal_check_does_not_offer_a_draft_nor_name_it(client, secretariat, call):
    client.force_login(secretariat)

    response = client.post(
        reverse("projects:formal_check", kwargs={"pk": call.pk}),
        {"applications": [make_application(call=call).pk], "decision": "admit"},
        **ENGLISH,
    )

    assert (response.status_code, list(response.context["form"].errors)) == (400, ["applications"])
    assert response.context["outcome"] is None
    assert Application.objects.filter(call=call).values_list("status", flat=True).get() == "draft"


def test_recommendation_inbox_holds_a_draft_only_once_submitted(client, department, draft):
    recommender = member_of(department)
    client.force_login(recommender)
    inbox = reverse("projects:recommendation_inbox")

    before = client.get(inbox, **ENGLISH).context["calls"]
    workflow.submit(draft, by=draft.created_by)
    after = client.get(inbox, {"call": draft.call_id}, **ENGLISH)

    assert (before, [a.pk for a in after.context["page_obj"]]) == ([], [draft.pk])
