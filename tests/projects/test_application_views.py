"""The applicant's pages: starting an application, its sections, submitting, withdrawing, reading and printing."""

import datetime
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from portal import audit
from portal.models import AuditEvent
from projects import workflow
from projects.models import Application, ApplicationStatus, ImplementingEnterprise, IndicatorComparison
from tests.factories import (
    CallFactory,
    GroupStandardFactory,
    MinistryFactory,
    ProvincialDepartmentFactory,
    SocialGroupFactory,
    make_application,
    make_credit_code,
    member_of,
    profile_of,
)

pytestmark = pytest.mark.django_db
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}
CONFIRMED = {"pledge_confirmed": "on"}  # the integrity pledge confirmed again on the submission's page


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def group():
    return SocialGroupFactory(province="330000")


@pytest.fixture
def applicant(group):
    return member_of(group)


@pytest.fixture
def department(group):
    return ProvincialDepartmentFactory(province=group.province)


@pytest.fixture
def call():
    return CallFactory()


@pytest.fixture
def draft(call, group, applicant):
    return make_application(call=call, group=group, by=applicant)


@pytest.fixture
def complete(call, group, applicant, department):
    return make_application(call=call, group=group, by=applicant, complete=True, recommender=department)


def edit_url(application, section: str) -> str:
    return reverse("projects:application_edit", kwargs={"pk": application.pk, "section": section})


def url(name: str, application) -> str:
    return reverse(f"projects:{name}", kwargs={"pk": application.pk})


def text_of(response) -> str:
    """The page's text without tags and with collapsed spaces, for assertions on what a person reads."""
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


def past_nine_utc() -> datetime.datetime:
    """Two days ago at 09:00 UTC, which is 17:00 in Beijing."""
    return (timezone.now() - datetime.timedelta(days=2)).replace(hour=9, minute=0, second=0, microsecond=0)


def beijing(moment: datetime.datetime) -> str:
    with translation.override("en"):
        return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def edits_of(application) -> list[str]:
    return list(
        AuditEvent.objects.for_object(application).filter(action="application.edit").values_list("note", flat=True)
    )


# --- start an application ----------------------------------------------------------------------------
def test_create_without_a_call_lists_the_open_calls(client, applicant, call):
    CallFactory(
        opens_at=timezone.now() + datetime.timedelta(days=3), deadline=timezone.now() + datetime.timedelta(days=9)
    )
    client.force_login(applicant)

    response = client.get(reverse("projects:application_create"), **ENGLISH)

    assert [entry.call for entry in response.context["open_calls"]] == [call]
    assert f"?call={call.pk}" in response.content.decode()


def test_create_offers_eligible_standards_and_explains_the_others(client, applicant, group, call):
    profile = profile_of(group)
    good = GroupStandardFactory(issuer=profile, fills_gap=True, title_zh="合格的标准")
    recent = GroupStandardFactory(
        issuer=profile,
        publication_date=timezone.localdate() - datetime.timedelta(days=30),
        implementation_date=timezone.localdate() - datetime.timedelta(days=20),
    )
    client.force_login(applicant)

    response = client.get(reverse("projects:application_create"), {"call": call.pk}, **ENGLISH)

    choices = [value for value, label in response.context["form"].fields["standard"].choices if value]
    assert choices == [good.pk]
    assert [candidate.standard for candidate in response.context["ineligible"]] == [recent]
    page = text_of(response)
    assert f"{recent.display_number} was implemented on {recent.implementation_date.isoformat()}" in page
    assert "six months before the cut-off" in page


def test_create_starts_a_draft_and_opens_the_first_section(client, applicant, group, call):
    standard = GroupStandardFactory(issuer=profile_of(group), fills_gap=True)
    client.force_login(applicant)

    response = client.post(
        f"{reverse('projects:application_create')}?call={call.pk}", {"standard": standard.pk}, **ENGLISH
    )

    application = Application.objects.get()
    assert response["Location"] == edit_url(application, "claim")
    assert (application.group, application.standard, application.status) == (group, standard, "draft")
    assert AuditEvent.objects.for_object(application).get().action == "application.create"


def test_create_refuses_a_standard_already_applied_with_and_says_so(client, applicant, group, call, draft):
    client.force_login(applicant)

    response = client.post(
        f"{reverse('projects:application_create')}?call={call.pk}", {"standard": draft.standard.pk}, **ENGLISH
    )

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "standard": [f"{draft.standard.display_number} already has an application in this call."]
    }
    assert Application.objects.count() == 1


def test_create_refuses_after_the_deadline_with_the_dates_in_beijing_time(client, applicant, group):
    deadline = past_nine_utc()
    closed = CallFactory(opens_at=deadline - datetime.timedelta(days=30), deadline=deadline)
    standard = GroupStandardFactory(issuer=profile_of(group), fills_gap=True)
    client.force_login(applicant)

    response = client.post(
        f"{reverse('projects:application_create')}?call={closed.pk}", {"standard": standard.pk}, **ENGLISH
    )

    assert response.status_code == 400
    assert f"closes {beijing(deadline)} (Beijing time)" in text_of(response)
    assert beijing(deadline).endswith("17:00")
    assert Application.objects.count() == 0


def test_create_is_refused_to_users_without_a_social_group(client, call):
    client.force_login(member_of(ProvincialDepartmentFactory()))

    response = client.get(reverse("projects:application_create"), {"call": call.pk}, **ENGLISH)

    assert response.status_code == 403
    assert "403.html" in [template.name for template in response.templates]


# --- read -------------------------------------------------------------------------------------------
def test_detail_lists_what_each_section_lacks_with_links_to_edit(client, applicant, draft):
    client.force_login(applicant)

    response = client.get(url("application_detail", draft), **ENGLISH)

    states = {state.section.key: state for state in response.context["sections"]}
    assert states["contact"].missing == [
        "Give the contact person's name.",
        "Give the contact person's phone number.",
        "Give the contact person's e-mail address.",
    ]
    assert states["contact"].edit_url == edit_url(draft, "contact")
    assert states["attachments"].edit_url == url("attachment_upload", draft)
    page = response.content.decode()
    assert f'href="{edit_url(draft, "pledge")}"' in page
    assert "Accept the integrity pledge." in page
    assert response.context["can_submit"] is True


def test_detail_shows_the_timeline_and_the_recommenders_message(client, applicant, complete):
    client.force_login(applicant)
    workflow.submit(complete, by=applicant)
    recommender = member_of(complete.recommender)
    audit.record(
        action="application.return",
        target=complete,
        actor=recommender,
        from_state="submitted",
        to_state="returned",
        note="请补充实施企业的证明材料。",
    )

    response = client.get(url("application_detail", complete), **ENGLISH)

    assert [event.action for event in response.context["events"]] == [
        "application.create",
        "application.submit",
        "application.return",
    ]
    assert [message["event"].note for message in response.context["applicant_messages"]] == [
        "请补充实施企业的证明材料。"
    ]
    assert "Messages from the recommender and the secretariat" in text_of(response)


def test_detail_is_not_found_for_another_groups_staff(client, draft):
    client.force_login(member_of(SocialGroupFactory()))

    response = client.get(url("application_detail", draft), **ENGLISH)

    assert response.status_code == 404
    assert "404.html" in [template.name for template in response.templates]


def test_detail_for_the_secretariat_offers_no_applicant_action(client, applicant, complete):
    workflow.submit(complete, by=applicant)
    workflow.return_for_revision(complete, by=member_of(complete.recommender), reason="请补充实施证明。")
    client.force_login(member_of(MinistryFactory()))

    response = client.get(url("application_detail", complete), **ENGLISH)

    flags = (response.context["can_edit"], response.context["can_submit"], response.context["can_withdraw"])
    assert flags == (False, False, False)
    assert url("application_submit", complete) not in response.content.decode()


def test_detail_is_visible_to_the_recommender_only_after_submission(client, applicant, complete):
    recommender = member_of(complete.recommender)
    client.force_login(recommender)
    before = client.get(url("application_detail", complete), **ENGLISH)
    workflow.submit(complete, by=applicant)

    after = client.get(url("application_detail", complete), **ENGLISH)

    assert (before.status_code, after.status_code) == (404, 200)
    assert after.context["can_edit"] is False


# --- edit the sections ------------------------------------------------------------------------------
def test_claim_page_disables_types_the_standard_does_not_support_and_says_why(client, applicant, draft):
    client.force_login(applicant)

    response = client.get(edit_url(draft, "claim"), **ENGLISH)

    form = response.context["form"]
    assert [
        form.fields[name].disabled for name in ("claims_innovative", "claims_advanced", "claims_international")
    ] == [
        False,
        True,
        True,
    ]
    assert "names no national or industry standard that it is stricter than" in text_of(response)
    assert "The types you claim must follow from the standard's recorded relation" in text_of(response)


def test_claim_saves_types_field_and_recommender(client, applicant, draft, department):
    client.force_login(applicant)
    data = {"claims_innovative": "on", "industry_field": "electronics", "recommender": department.pk}

    response = client.post(edit_url(draft, "claim"), data, **ENGLISH)

    draft.refresh_from_db()
    assert response["Location"] == edit_url(draft, "claim")
    assert (draft.claimed_types, draft.industry_field, draft.recommender) == (["innovative"], "electronics", department)
    assert edits_of(draft) == ["claim"]


def test_claim_ignores_a_posted_type_the_standard_does_not_support(client, applicant, draft):
    client.force_login(applicant)

    client.post(edit_url(draft, "claim"), {"claims_advanced": "on", "claims_innovative": "on"}, **ENGLISH)

    draft.refresh_from_db()
    assert draft.claimed_types == ["innovative"]


def test_claim_refuses_another_provinces_department_and_keeps_the_input(client, applicant, draft):
    client.force_login(applicant)
    foreign = ProvincialDepartmentFactory(province="440000")

    response = client.post(
        edit_url(draft, "claim"),
        {"claims_innovative": "on", "industry_field": "energy_environment", "recommender": foreign.pk},
        **ENGLISH,
    )

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["recommender"]
    assert 'value="energy_environment" selected' in response.content.decode()
    draft.refresh_from_db()
    assert (draft.recommender, draft.industry_field) == (None, "")


def test_claim_of_a_ministry_managed_group_has_no_recommender(client):
    group = SocialGroupFactory(ministry_managed=True)
    staff = member_of(group)
    application = make_application(group=group, by=staff)
    client.force_login(staff)

    response = client.get(edit_url(application, "claim"), **ENGLISH)

    assert "recommender" not in response.context["form"].fields
    assert 'name="recommender"' not in response.content.decode()
    assert "applies directly, without a recommender" in text_of(response)


def test_advancement_saves_the_text_and_the_indicator_rows_in_order(client, applicant, draft):
    client.force_login(applicant)
    data = {
        "advancement": "关键指标严于行业标准。",
        "indicators-TOTAL_FORMS": "3",
        "indicators-INITIAL_FORMS": "0",
        "indicators-0-indicator": "热效率",
        "indicators-0-this_standard": "≥98%",
        "indicators-0-national_or_industry": "≥96%",
        "indicators-1-indicator": "CO 排放",
        "indicators-1-this_standard": "≤0.03%",
    }

    response = client.post(edit_url(draft, "advancement"), data, **ENGLISH)

    assert response.status_code == 302
    rows = IndicatorComparison.objects.filter(application=draft).order_by("position")
    assert [(row.indicator, row.this_standard, row.position) for row in rows] == [
        ("热效率", "≥98%", 0),
        ("CO 排放", "≤0.03%", 1),
    ]
    draft.refresh_from_db()
    assert draft.advancement == "关键指标严于行业标准。"


def test_advancement_removes_a_row_ticked_for_removal(client, applicant, complete):
    client.force_login(applicant)
    data = {
        "advancement": complete.advancement,
        "indicators-TOTAL_FORMS": "1",
        "indicators-INITIAL_FORMS": "1",
        "indicators-0-indicator": "合格率",
        "indicators-0-this_standard": "≥99%",
        "indicators-0-DELETE": "on",
    }

    client.post(edit_url(complete, "advancement"), data, **ENGLISH)

    assert IndicatorComparison.objects.filter(application=complete).count() == 0


def _implementation_data(**changes) -> dict:
    return {
        "implementation": "在省内 12 家企业推广实施。",
        "effect": "合格率提高。",
        "enterprises_count": "12",
        "output_value": "35000.50",
        "savings": "",
        "enterprises-TOTAL_FORMS": "2",
        "enterprises-INITIAL_FORMS": "0",
        "enterprises-0-name": "宁波示例电器有限公司",
        "enterprises-0-credit_code": make_credit_code(4242, "91").lower(),
        "enterprises-0-province": "330200",
        **changes,
    }


def test_implementation_saves_figures_and_enterprises_with_a_normalised_credit_code(client, applicant, draft):
    client.force_login(applicant)

    client.post(edit_url(draft, "implementation"), _implementation_data(), **ENGLISH)

    draft.refresh_from_db()
    assert (draft.enterprises_count, str(draft.output_value), draft.savings) == (12, "35000.50", None)
    enterprise = ImplementingEnterprise.objects.get(application=draft)
    assert (enterprise.credit_code, enterprise.province) == (make_credit_code(4242, "91"), "330200")
    assert edits_of(draft) == ["implementation"]


def test_implementation_refuses_a_wrong_credit_code_and_keeps_everything_typed(client, applicant, draft):
    client.force_login(applicant)
    wrong = make_credit_code(4242, "91")[:17] + "0"

    response = client.post(
        edit_url(draft, "implementation"), _implementation_data(**{"enterprises-0-credit_code": wrong}), **ENGLISH
    )

    assert response.status_code == 400
    errors = response.context["formset"].errors[0]
    assert list(errors) == ["credit_code"]
    assert "The check character of this unified social credit code is wrong" in errors["credit_code"][0]
    page = response.content.decode()
    assert "在省内 12 家企业推广实施。" in page
    assert 'value="宁波示例电器有限公司"' in page
    assert f'value="{wrong}"' in page
    draft.refresh_from_db()
    assert (draft.implementation, ImplementingEnterprise.objects.count(), edits_of(draft)) == ("", 0, [])


def test_contact_saves_an_incomplete_draft(client, applicant, draft):
    client.force_login(applicant)

    response = client.post(edit_url(draft, "contact"), {"contact_name": "李联系"}, follow=True, **ENGLISH)

    draft.refresh_from_db()
    assert (draft.contact_name, draft.contact_phone) == ("李联系", "")
    assert "Saved. A draft may stay incomplete until you submit it." in text_of(response)


def test_contact_refuses_a_malformed_email_and_keeps_the_input(client, applicant, draft):
    client.force_login(applicant)

    response = client.post(
        edit_url(draft, "contact"), {"contact_name": "李联系", "contact_email": "not-an-address"}, **ENGLISH
    )

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["contact_email"]
    assert 'value="李联系"' in response.content.decode()
    states = {state.section.key: state.missing for state in response.context["sections"]}
    assert "Give the contact person's name." in states["contact"]  # what was refused is not shown as saved
    draft.refresh_from_db()
    assert draft.contact_name == ""


def test_save_and_next_goes_to_the_following_section(client, applicant, draft):
    client.force_login(applicant)

    response = client.post(edit_url(draft, "market"), {"market_competitiveness": "出口增长。", "save_next": ""})

    assert response["Location"] == edit_url(draft, "influence")


def test_pledge_page_shows_the_pledge_and_records_acceptance(client, applicant, draft):
    client.force_login(applicant)
    page = text_of(client.get(edit_url(draft, "pledge"), **ENGLISH))

    client.post(edit_url(draft, "pledge"), {"pledge_accepted": "on"}, **ENGLISH)

    draft.refresh_from_db()
    assert draft.pledge_accepted is True
    assert "accepts verification of this application" in page
    assert "the demonstration-project title is revoked" in page


def test_patents_page_shows_the_registrys_patent_declaration(client, applicant, group, call):
    standard = GroupStandardFactory(
        issuer=profile_of(group), fills_gap=True, has_patents=True, patent_declaration="涉及专利 ZL2017。"
    )
    application = make_application(call=call, group=group, standard=standard, by=applicant)
    client.force_login(applicant)

    response = client.get(edit_url(application, "patents"), **ENGLISH)

    assert "涉及专利 ZL2017。" in text_of(response)


def test_attachments_section_leads_to_the_upload_page(client, applicant, draft):
    client.force_login(applicant)

    response = client.get(edit_url(draft, "attachments"))

    assert response["Location"] == url("attachment_upload", draft)


def test_edit_of_an_unknown_section_is_not_found(client, applicant, draft):
    client.force_login(applicant)

    response = client.get(edit_url(draft, "finances"))

    assert response.status_code == 404
    assert "404.html" in [template.name for template in response.templates]


def test_edit_after_submission_is_a_conflict_and_changes_nothing(client, applicant, complete):
    workflow.submit(complete, by=applicant)
    client.force_login(applicant)

    response = client.post(edit_url(complete, "market"), {"market_competitiveness": "改了"}, **ENGLISH)

    # The group may edit its application, but not in this state: 409, with the reason.
    assert response.status_code == 409
    assert "it can be changed only while it is a draft or returned for revision" in response.content.decode()
    complete.refresh_from_db()
    assert complete.market_competitiveness == "产品出口增长。"


def test_edit_by_another_groups_staff_is_not_found(client, draft):
    client.force_login(member_of(SocialGroupFactory()))

    response = client.get(edit_url(draft, "contact"))

    assert response.status_code == 404
    assert "404.html" in [template.name for template in response.templates]


def test_edit_of_a_draft_by_the_secretariat_is_not_found(client, draft):
    client.force_login(member_of(MinistryFactory()))

    response = client.get(edit_url(draft, "contact"))

    assert response.status_code == 404
    assert "404.html" in [template.name for template in response.templates]


def test_edit_of_a_returned_application_by_the_secretariat_is_forbidden(client, applicant, complete):
    workflow.submit(complete, by=applicant)
    workflow.return_for_revision(complete, by=member_of(complete.recommender), reason="请补充实施证明。")
    client.force_login(member_of(MinistryFactory()))

    response = client.get(edit_url(complete, "contact"))

    assert response.status_code == 403
    assert "403.html" in [template.name for template in response.templates]


# --- submit -----------------------------------------------------------------------------------------
def test_submit_of_an_incomplete_draft_lists_what_is_missing_per_section(client, applicant, draft):
    client.force_login(applicant)
    client.post(edit_url(draft, "market"), {"market_competitiveness": "出口增长。"})

    response = client.post(url("application_submit", draft), CONFIRMED, **ENGLISH)

    assert response.status_code == 400
    assert response.context["refusal"] == "The application is not complete yet."
    assert set(response.context["missing_now"]) == {
        "claim",
        "advancement",
        "implementation",
        "influence",
        "patents",
        "promotion",
        "contact",
        "pledge",
        "attachments",
    }
    refusal = response.content.decode().split('id="submit-refusal"')[1].split("</div>")[0]
    assert "Give the contact person&#x27;s name." in refusal
    assert f'href="{edit_url(draft, "contact")}"' in refusal
    draft.refresh_from_db()
    assert (draft.status, draft.market_competitiveness) == ("draft", "出口增长。")


def test_submit_sends_a_complete_draft_to_the_recommender(client, applicant, complete):
    client.force_login(applicant)

    response = client.post(url("application_submit", complete), CONFIRMED, follow=True, **ENGLISH)

    complete.refresh_from_db()
    assert complete.status == ApplicationStatus.SUBMITTED
    assert f"Submitted to {complete.recommender.name}." in text_of(response)
    # Issue 10: the submission ends on its receipt (回执), no longer on the application's read-only page.
    receipt = reverse("projects:application_receipt", kwargs={"pk": complete.pk, "number": 1})
    assert response.redirect_chain == [(receipt, 302)]


def test_submit_after_the_deadline_says_when_it_closed_in_beijing_time(client, applicant, complete):
    call = complete.call
    call.deadline = past_nine_utc()
    call.opens_at = call.deadline - datetime.timedelta(days=30)
    call.save()
    client.force_login(applicant)

    response = client.post(url("application_submit", complete), CONFIRMED, **ENGLISH)

    assert response.status_code == 400
    assert f"closes {beijing(call.deadline)} (Beijing time)" in text_of(response)
    complete.refresh_from_db()
    assert complete.status == "draft"


def test_submit_twice_is_a_conflict(client, applicant, complete):
    client.force_login(applicant)
    client.post(url("application_submit", complete), CONFIRMED)

    response = client.post(url("application_submit", complete), CONFIRMED, **ENGLISH)

    assert response.status_code == 409
    assert "cannot be submitted" in response.context["refusal"]
    assert AuditEvent.objects.for_object(complete).filter(action="application.submit").count() == 1


def test_submit_answers_other_methods_with_method_not_allowed(client, applicant, complete):
    # Issue 10: GET is the confirmation page now (tests/projects/test_submission_views.py), POST submits from it.
    client.force_login(applicant)

    response = client.put(url("application_submit", complete))

    assert (response.status_code, response["Allow"]) == (405, "GET, POST")


# --- withdraw ---------------------------------------------------------------------------------------
def test_withdraw_asks_for_a_reason(client, applicant, draft):
    client.force_login(applicant)

    response = client.post(url("application_withdraw", draft), {"reason": "  "}, **ENGLISH)

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["reason"]
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_withdraw_with_a_reason_is_recorded(client, applicant, complete):
    workflow.submit(complete, by=applicant)
    client.force_login(applicant)

    response = client.post(url("application_withdraw", complete), {"reason": "标准正在修订。"}, **ENGLISH)

    complete.refresh_from_db()
    assert response["Location"] == complete.get_absolute_url()
    assert complete.status == ApplicationStatus.WITHDRAWN
    event = AuditEvent.objects.for_object(complete).get(action="application.withdraw")
    assert (event.note, event.from_state) == ("标准正在修订。", "submitted")


def test_withdraw_is_forbidden_to_the_secretariat(client, applicant, complete):
    workflow.submit(complete, by=applicant)
    client.force_login(member_of(MinistryFactory()))

    response = client.get(url("application_withdraw", complete))

    assert response.status_code == 403
    assert "403.html" in [template.name for template in response.templates]


def test_withdraw_of_a_draft_is_not_found_for_the_secretariat(client, draft):
    client.force_login(member_of(MinistryFactory()))

    response = client.post(url("application_withdraw", draft), {"reason": "代为撤回。"})

    draft.refresh_from_db()
    assert (response.status_code, draft.status) == (404, "draft")
    assert "404.html" in [template.name for template in response.templates]


def test_withdraw_once_past_withdrawing_is_a_conflict_for_the_group(client, applicant, complete):
    workflow.submit(complete, by=applicant)
    workflow.decline(complete, by=member_of(complete.recommender), reason="不符合推荐条件。")
    client.force_login(applicant)

    page = client.get(url("application_withdraw", complete), **ENGLISH)
    posted = client.post(url("application_withdraw", complete), {"reason": "撤回。"}, **ENGLISH)

    refusal = "An application that is “Not recommended” cannot be withdrawn."
    assert [(r.status_code, r.context["refusal"], r.context["form"]) for r in (page, posted)] == [
        (409, refusal, None),
        (409, refusal, None),
    ]
    assert 'name="reason"' not in page.content.decode()
    complete.refresh_from_db()
    assert complete.status == ApplicationStatus.NOT_RECOMMENDED


# --- print ------------------------------------------------------------------------------------------
def test_print_view_holds_the_whole_form_with_its_print_stylesheet(client, applicant, complete):
    workflow.submit(complete, by=applicant)
    complete.refresh_from_db()
    client.force_login(applicant)

    response = client.get(url("application_print", complete), **ENGLISH)

    page = response.content.decode()
    text = text_of(response)
    assert re.search(r'<link rel="stylesheet" href="/static/css/print\.css" media="print">', page)
    expected = [
        f"Submission date {timezone.localtime(complete.submitted_at):%Y-%m-%d}",
        f"{complete.standard.display_number} {complete.standard.title_zh}",
        complete.group.name,
        complete.call.notice_number,
        "示例科技有限公司",  # the enterprises table
        "合格率",  # the indicators table
        "Proof of implementation",  # the list of attachments
        "accepts verification of this application",
        "Legal representative (signature)",
        "Seal of the social group",
        "Use your browser's print command",
    ]
    assert [item for item in expected if item not in text] == []
