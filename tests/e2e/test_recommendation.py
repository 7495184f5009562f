"""Recommendation in a real Chromium: the recommender returns an application (confirming it on the next page),
the group revises and resubmits, the recommender sees what changed and recommends it with a rank, and the
secretariat admits it in the formal check. Quota and deadline refusals are clear messages; another province's
recommender gets 404. After an admission, an extended deadline reopens the ranks page with the admitted rank fixed.

Selectors use ids, names and URLs, not labels, so the journey holds in Chinese and in English. Time passing
(the recommendation deadline) is arranged by moving the call's dates, as the secretariat would.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import Page, expect

from portal.models import Organisation, User
from projects import workflow
from projects.models import Application, ApplicationStatus, Call, QuotaOverride
from projects.services.calls import extend_recommendation_deadline
from projects.services.seed import seed_demo_call
from standards.models import GroupStandard
from tests.e2e.conftest import both_widths, log_in
from tests.factories import DEMO_PASSWORD, GroupStandardFactory, make_application, member_of, profile_of

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    both_widths,  # a desk's window and a phone's
]
S = ApplicationStatus

STANDARD = "T/ZZB 1102—2019"
RETURN_REASON = "请补充实施企业的产值数据来源。"
REVISED_EFFECT = "产品寿命提高 30%，产值数据来自企业年报。"
OPINION = "该标准填补国内空白，实施效果显著，同意推荐。"


@pytest.fixture
def demo_call(demo_accounts) -> Call:
    return seed_demo_call()


@pytest.fixture
def department() -> Organisation:
    return Organisation.objects.get(code="ZJJXT")


def label_in_chinese(label) -> str:
    with translation.override("zh-hans"):
        return str(getattr(label, "label", label))


def submitted(call: Call, department: Organisation, standard: GroupStandard | None = None) -> Application:
    """The applicant group's complete application naming the demo department, submitted through the workflow."""
    group = Organisation.objects.get(code="ZZB")
    standard = standard or GroupStandard.objects.get(number=STANDARD)
    application = make_application(
        call=call,
        group=group,
        standard=standard,
        by=User.objects.get(username="applicant"),
        complete=True,
        recommender=department,
    )
    return workflow.submit(application, by=application.created_by)


def another_standard() -> GroupStandard:
    group = Organisation.objects.get(code="ZZB")
    return GroupStandardFactory(issuer=profile_of(group), fills_gap=True)


def deadline_passes(call: Call) -> None:
    """The submission and recommendation deadlines are an hour behind us (the secretariat moved them)."""
    now = timezone.now()
    Call.objects.filter(pk=call.pk).update(
        deadline=now - datetime.timedelta(hours=2), recommendation_deadline=now - datetime.timedelta(hours=1)
    )


def switch_to(page: Page, username: str) -> None:
    page.context.clear_cookies()
    log_in(page, username, DEMO_PASSWORD)


def decide(page: Page, decision: str, **fields: str) -> None:
    """Choose the decision, fill its fields and record it; a return or a decline is confirmed on the next page."""
    form = page.locator("#decision-form")
    form.locator(f"input[name=decision][value={decision}]").check()
    for name, value in fields.items():
        form.locator(f"#id_{name}").fill(value)
    form.locator("button[type=submit]").click()
    if decision in ("return", "decline"):
        expect(page.locator("#decision-confirm-reason")).to_contain_text(fields["reason"])
        page.locator("#decision-confirm-form button[name=confirm]").click()


def submit_again(page: Page, application: Application) -> None:
    """From the application page through the confirmation page, with the pledge confirmed once more."""
    page.goto(application.get_absolute_url())
    page.locator("#submit-form a").click()
    page.locator("#submit-confirm-form input[name=pledge_confirmed]").check()
    page.locator("#submit-confirm-form button[type=submit]").click()
    expect(page.locator("#submit-confirm-form")).to_have_count(0)  # on to the receipt: submitted
    page.goto(application.get_absolute_url())


def test_returned_application_is_revised_recommended_and_admitted(page: Page, demo_call, department):
    application = submitted(demo_call, department)

    # The recommender finds it in the inbox and returns it with reasons.
    log_in(page, "recommender", DEMO_PASSWORD)
    page.goto(reverse("projects:recommendation_inbox"))
    page.locator(f"main a[href='{application.get_absolute_url()}']").first.click()
    decide(page, "return", reason=RETURN_REASON)
    expect(page.locator(".messages .notice-success")).to_be_visible()
    expect(page.locator("#application-status")).to_contain_text(label_in_chinese(S.RETURNED))

    # The group reads the reasons, revises the effect and resubmits.
    switch_to(page, "applicant")
    page.goto(application.get_absolute_url())
    expect(page.locator("#applicant-messages")).to_contain_text(RETURN_REASON)
    page.goto(reverse("projects:application_edit", kwargs={"pk": application.pk, "section": "implementation"}))
    page.locator("#id_effect").fill(REVISED_EFFECT)
    page.locator("main form button[name=save]").click()
    expect(page.locator(".messages .notice-success")).to_be_visible()
    submit_again(page, application)
    expect(page.locator("#application-status")).to_contain_text(label_in_chinese(S.SUBMITTED))

    # The recommender sees what changed and recommends it as their first.
    switch_to(page, "recommender")
    page.goto(application.get_absolute_url())
    expect(page.locator("#revision ins").first).to_be_visible()
    expect(page.locator("#revision")).to_contain_text("产值数据来自企业年报")
    decide(page, "recommend", opinion=OPINION, rank="1")
    expect(page.locator("#application-status")).to_contain_text(label_in_chinese(S.RECOMMENDED))

    # The letter lists it with the opinion.
    page.goto(
        f"{reverse('projects:recommendation_letter', kwargs={'call_pk': demo_call.pk})}?organisation={department.pk}"
    )
    expect(page.locator("#letter-rows")).to_contain_text(OPINION)
    expect(page.locator("#letter-rows")).to_contain_text(STANDARD)

    # Once the recommendation deadline has passed, the secretariat admits it in the formal check.
    deadline_passes(demo_call)
    switch_to(page, "secretariat")
    page.goto(reverse("projects:formal_check", kwargs={"pk": demo_call.pk}))
    page.locator(f"#id_applications_{application.pk}").check()
    page.locator("#formal-check-form button[name=decision][value=admit]").click()
    expect(page.locator(".messages .notice-success")).to_be_visible()
    application.refresh_from_db()
    assert application.status == S.UNDER_REVIEW
    page.goto(application.get_absolute_url())
    expect(page.locator("#application-status")).to_contain_text(label_in_chinese(S.UNDER_REVIEW))


def test_quota_and_deadline_refusals_are_clear_and_keep_what_was_typed(page: Page, demo_call, department):
    QuotaOverride.objects.create(call=demo_call, recommender=department, quota=1)
    first = submitted(demo_call, department)
    second = submitted(demo_call, department, standard=another_standard())
    workflow.recommend(first, by=User.objects.get(username="recommender"), opinion="同意推荐。", rank=1)

    log_in(page, "recommender", DEMO_PASSWORD)
    page.goto(second.get_absolute_url())
    decide(page, "recommend", opinion=OPINION, rank="1")
    refusal = page.locator("#submit-refusal")
    with translation.override("zh-hans"):
        quota_message = workflow._("The quota of %(quota)d recommendations in this call is used up.") % {"quota": 1}
    expect(refusal).to_contain_text(quota_message)
    expect(page.locator("#id_opinion")).to_have_value(OPINION)
    second.refresh_from_db()
    assert second.status == S.SUBMITTED

    deadline_passes(demo_call)
    page.goto(second.get_absolute_url())
    decide(page, "return", reason=RETURN_REASON)
    expect(page.locator("#submit-refusal")).to_contain_text(label_in_chinese(_deadline_words()))
    expect(page.locator("#id_reason")).to_have_value(RETURN_REASON)
    second.refresh_from_db()
    assert second.status == S.SUBMITTED


def _deadline_words() -> str:
    # The refusal names the passed deadline; its fixed words are compared, not the date.
    with translation.override("zh-hans"):
        message = workflow._(
            "The recommendation deadline %(deadline)s (Beijing time) has passed: no decision can be made any more."
        )
    return message.split("%(deadline)s")[-1].strip()


def test_recommender_of_another_province_gets_404(page: Page, demo_call, department):
    application = submitted(demo_call, department)
    member_of(Organisation.objects.get(code="GDGXT"), username="guangdong")

    log_in(page, "guangdong", DEMO_PASSWORD)
    response = page.goto(application.get_absolute_url())

    assert response.status == 404
    page.goto(reverse("projects:recommendation_inbox"))
    expect(page.locator(f"main a[href='{application.get_absolute_url()}']")).to_have_count(0)


def test_ranks_reopened_after_an_admission_keep_the_admitted_rank(page: Page, demo_call, department):
    recommender, secretariat = User.objects.get(username="recommender"), User.objects.get(username="secretariat")
    first = submitted(demo_call, department)
    second = submitted(demo_call, department, standard=another_standard())
    workflow.recommend(first, by=recommender, opinion="同意推荐。", rank=1)
    workflow.recommend(second, by=recommender, opinion=OPINION, rank=2)
    deadline_passes(demo_call)
    workflow.admit(first, by=secretariat, note="材料齐全。")
    extend_recommendation_deadline(
        call=demo_call,
        recommender=department,
        until=timezone.now() + datetime.timedelta(days=2),
        reason="尚有申报书待推荐。",
        by=secretariat,
    )

    # The ranks page lists the admitted one, with its state and no field: its rank stays.
    log_in(page, "recommender", DEMO_PASSWORD)
    page.goto(
        f"{reverse('projects:recommendation_ranks', kwargs={'call_pk': demo_call.pk})}?organisation={department.pk}"
    )
    expect(page.locator("#ranks-fixed")).to_be_visible()
    expect(page.locator("#ranks-form tbody tr").first).to_contain_text(label_in_chinese(S.UNDER_REVIEW))
    expect(page.locator(f"#id_rank_{first.pk}")).to_have_count(0)

    # Taking its rank is refused beside the field, with what was typed kept; a free rank is saved.
    page.locator(f"#id_rank_{second.pk}").fill("1")
    page.locator("#ranks-form button[type=submit]").click()
    expect(page.locator("#ranks-refusal")).to_be_visible()
    expect(page.locator(f"#id_rank_{second.pk}")).to_have_value("1")
    page.locator(f"#id_rank_{second.pk}").fill("3")
    page.locator("#ranks-form button[type=submit]").click()
    expect(page.locator(".messages .notice-success")).to_be_visible()
    ranks = dict(Application.objects.filter(pk__in=[first.pk, second.pk]).values_list("pk", "recommendation_rank"))
    assert ranks == {first.pk: 1, second.pk: 3}
