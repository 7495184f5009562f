"""Expert review in a real Chromium (issue 12): the secretariat sets the call's reviews per application, imports
experts from a CSV file (checked first, then imported) and the new expert chooses a password from the mail;
the secretariat proposes an assignment by random draw with a seed and confirms it; one expert declares a conflict
from the review page and the secretariat assigns the proposed replacement; three experts score in their queues;
the secretariat reads the ranking, exports it as CSV and shortlists the top one, and sees the outcome.

Only the starting point is arranged in the database: the demo accounts, and a call with two applications admitted
to review. Who the draw picks is read from the proposal page, as the secretariat reads it. Selectors use ids,
names and URLs, not labels, so the journey holds in Chinese and in English.
"""

import csv
import io
import json
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import Page, expect

from portal.models import AuditEvent, User
from projects.models import Application, ApplicationStatus
from reviews.models import Assignment, AssignmentStatus, ReviewStatus
from tests.e2e.conftest import ARTIFACTS, log_in
from tests.factories import DEMO_PASSWORD, CallFactory, admitted_applications

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
S = ApplicationStatus

SEED = "2024"
NEW_EXPERT = ("李明", "li.ming@example.cn")
NEW_PASSWORD = "Lm-Review-2026"
# The file the secretariat uploads: Chinese headers; 李明 reviews electronics (电子信息), the applications' field,
# 王芳 only equipment (装备制造), so the draw never picks her.
EXPERTS_CSV = (
    "姓名,电子邮箱,手机,工作单位,职称,专业领域,省份\r\n"
    f"{NEW_EXPERT[0]},{NEW_EXPERT[1]},13800138000,中国信息通信研究院,高级工程师,电子信息,北京\r\n"
    "王芳,wang.fang@example.cn,,上海交通大学,教授,装备制造,上海\r\n"
)
# Who logs in as which expert, by the name the pages show: the demo experts of the applications' field
# (seed_demo) and the imported one.
ACCOUNTS = {
    "赵专家": ("expert1", DEMO_PASSWORD),
    "钱专家": ("expert2", DEMO_PASSWORD),
    "孙专家": ("expert3", DEMO_PASSWORD),
    NEW_EXPERT[0]: (NEW_EXPERT[1], NEW_PASSWORD),
}
CONFLICT_REASON = "本人曾于两年前在该申报单位任职，申请回避。"
# Per application, the reviews in the order they are submitted: the four criteria's scores (weights 30/30/20/20,
# each of 100), the recommendation and the opinion; the weighted totals computed by hand beside them.
REVIEWS = {
    "first": [
        ((90, 86, 84, 88), "recommend", "技术指标国内领先，实施效果显著。"),  # 27 + 25.8 + 16.8 + 17.6 = 87.20
        ((80, 82, 78, 76), "recommend", "实施数据翔实，同意推荐。"),  # 24 + 24.6 + 15.6 + 15.2 = 79.40
    ],
    "second": [
        ((70, 72, 68, 66), "recommend", "标准有一定创新，推广范围有限。"),  # 21 + 21.6 + 13.6 + 13.2 = 69.40
        ((62, 60, 64, 58), "not_recommend", "应用效果数据不足。"),  # 18.6 + 18 + 12.8 + 11.6 = 61.00
    ],
}
TOTALS = {"first": [Decimal("87.20"), Decimal("79.40")], "second": [Decimal("69.40"), Decimal("61.00")]}


def in_chinese(text) -> str:
    """A status (by its label) or a message id, as the Chinese page shows it."""
    with translation.override("zh-hans"):
        return str(text.label) if hasattr(text, "label") else gettext(text)


def switch_to(page: Page, name: str) -> None:
    """Log in afresh as the person the pages call `name` (an expert), or as a demo account by its user name."""
    username, password = ACCOUNTS.get(name, (name, DEMO_PASSWORD))
    page.context.clear_cookies()
    log_in(page, username, password)
    expect(page).to_have_url(re.compile(r"/dashboard/$"))


def link_in_last_mail(to: str, path: str) -> str:
    """The path of the portal link (e.g. /accounts/reset/…/) in the newest e-mail sent to `to`."""
    message = next(m for m in reversed(mail.outbox) if to in m.to)
    return re.search(rf"https?://[^/\s]+({re.escape(path)}[^\s]+/)", message.body).group(1)


def screenshot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"review-{name}.png", full_page=True)


def import_experts(page: Page, path, *, check_only: bool) -> None:
    page.goto(reverse("reviews:expert_import"))
    form = page.locator("main form[enctype]")
    form.locator("input[name=file]").set_input_files(str(path))
    if check_only:
        form.locator("input[name=dry_run]").check()
    form.locator("button[type=submit]").click()


def proposed_experts(page: Page, numbers: dict[str, str]) -> dict[str, list[tuple[str, int]]]:
    """Per application (its key in `numbers`), the experts the proposal page shows, each with its load."""
    proposed = {}
    for key, number in numbers.items():
        row = page.locator(".proposal-row", has_text=number)
        expect(row).to_have_count(1)
        texts = row.locator(".proposal-expert").all_inner_texts()
        proposed[key] = [
            (name, int(load)) for name, load in (re.fullmatch(r"(.+) \((\d+)\)", t).groups() for t in texts)
        ]
    return proposed


def open_review(page: Page, number: str) -> None:
    """From the expert's queue, the review page of the application with this standard number."""
    page.goto(reverse("reviews:queue"))
    page.locator("#review-queue tbody tr", has_text=number).locator("a").click()
    expect(page.locator("#review-form")).to_be_visible()


def score(page: Page, scores: tuple[int, ...], recommendation: str, opinion: str) -> None:
    criteria = page.locator("#review-form fieldset.criterion")
    expect(criteria).to_have_count(len(scores))
    for n, value in enumerate(scores):
        criteria.nth(n).locator("input[type=number]").fill(str(value))
    page.locator("#id_opinion").fill(opinion)
    page.locator(f"#review-form input[name=recommendation][value={recommendation}]").check()
    page.locator("#review-form button[name=submit]").click()
    expect(page.locator(".messages .notice-success")).to_be_visible()


def ranking_rows(page: Page) -> list[tuple[str, ...]]:
    """The ranking table as the secretariat reads it: rank, standard number, mean, trimmed mean, standard
    deviation, reviews in, experts recommending, status."""
    rows = []
    for row in page.locator("#ranking-table tbody tr.ranking-row").all():
        rank, mean, trimmed, _z, stdev, reviews_in, recommending, status = row.locator("td").all_inner_texts()
        number = row.locator("th a").inner_text()
        rows.append((rank, number, mean, trimmed, stdev, reviews_in, recommending, status))
    return rows


def test_experts_are_imported_drawn_score_one_is_replaced_and_the_top_is_shortlisted(
    page: Page, demo_accounts, tmp_path
):
    secretariat = User.objects.get(username="secretariat")
    call = CallFactory()
    first, second = admitted_applications(call=call, count=2, secretariat=secretariat)
    numbers = {"first": first.standard.display_number, "second": second.standard.display_number}

    # The secretariat asks for two reviews per application on the call's rubric page.
    switch_to(page, "secretariat")
    page.goto(reverse("reviews:rubric", kwargs={"pk": call.pk}))
    page.locator("#id_reviews_per_application").fill("2")
    page.locator("#rubric-form button[type=submit]").click()
    expect(page.locator(".messages .notice-success")).to_be_visible()
    expect(page.locator("#id_reviews_per_application")).to_have_value("2")

    # It checks the experts' file first (nothing imported), then imports it.
    upload = tmp_path / "评审专家.csv"
    upload.write_bytes(EXPERTS_CSV.encode("utf-8-sig"))
    import_experts(page, upload, check_only=True)
    expect(page.locator("main .notice-info[role=status]")).to_contain_text(NEW_EXPERT[1])
    assert not User.objects.filter(email=NEW_EXPERT[1]).exists()
    import_experts(page, upload, check_only=False)
    report = page.locator("main .notice-success[role=status]")
    expect(report).to_contain_text(NEW_EXPERT[1])
    expect(report).to_contain_text("wang.fang@example.cn")
    page.goto(reverse("reviews:expert_list"))
    expect(page.locator("main")).to_contain_text(NEW_EXPERT[0])

    # The new expert chooses a password through the link in the mail.
    page.context.clear_cookies()
    page.goto(link_in_last_mail(NEW_EXPERT[1], "/accounts/reset/"))
    page.locator("main [name=new_password1]").fill(NEW_PASSWORD)
    page.locator("main [name=new_password2]").fill(NEW_PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/accounts/reset/done/$"))

    # The secretariat proposes an assignment of the whole call by random draw, with a seed.
    switch_to(page, "secretariat")
    assignments_url = reverse("reviews:assignment_list", kwargs={"pk": call.pk})
    page.goto(assignments_url)
    page.locator("main form[method=post] input[name=draw]").check()
    page.locator("main form[method=post] input[name=seed]").fill(SEED)
    page.locator("main form[method=post] button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/assignments/proposal/\w+/$"))
    expect(page.locator(".page-header")).to_contain_text(SEED)

    # Four experts of the field for four places: each gets one, 王芳 (another field) none.
    proposed = proposed_experts(page, numbers)
    drawn = sorted(name for experts in proposed.values() for name, _load in experts)
    assert drawn == sorted(ACCOUNTS)
    assert {load for experts in proposed.values() for _name, load in experts} == {1}
    screenshot(page, "proposal")
    page.locator("main form[method=post] button[type=submit]").click()
    expect(page).to_have_url(re.compile(f"{assignments_url}$"))
    expect(page.locator(".messages .notice-success")).to_contain_text("4")
    for number in numbers.values():
        expect(page.locator(".assignment-row", has_text=number).locator("td.num")).to_have_text("2/2")

    # The first expert of the first application finds a conflict on its review page and declines it.
    declining, staying = (name for name, _load in proposed["first"])
    switch_to(page, declining)
    open_review(page, numbers["first"])
    page.locator("#review-decline a").click()
    page.locator("main form[method=post] [name=reason]").fill(CONFLICT_REASON)
    page.locator("main form[method=post] button[type=submit]").click()
    expect(page.locator(".messages .notice-success")).to_be_visible()
    page.goto(reverse("reviews:queue"))
    expect(page.locator("main")).not_to_contain_text(numbers["first"])

    # The secretariat sees the decline with its reason and assigns the replacement the portal proposes.
    switch_to(page, "secretariat")
    page.goto(assignments_url)
    expect(page.locator(".assignment-row", has_text=numbers["first"]).locator("td.num")).to_have_text("1/2")
    page.locator(f"main a[href='{reverse('reviews:application_assignments', kwargs={'pk': first.pk})}']").click()
    expect(page.locator(".assignment-row", has_text=declining)).to_contain_text(CONFLICT_REASON)
    replacements = page.locator(".replacement-list li")
    expect(replacements).to_have_count(1)
    replacement = replacements.locator(".replacement-expert").inner_text().split("（")[0]
    assert replacement in [name for name, _load in proposed["second"]]  # the only ones free to take it
    replacements.locator("button[type=submit]").click()
    expect(page.locator(".messages .notice-success")).to_contain_text(replacement)
    expect(page.locator(".assignment-row", has_text=replacement)).to_have_count(1)

    # Three experts score what their queues hold of the call; the replacement scores both applications.
    reviewers = {"first": [staying, replacement], "second": [name for name, _load in proposed["second"]]}
    assert len({*reviewers["first"], *reviewers["second"]}) == 3
    totals = {}
    for expert in dict.fromkeys([staying, replacement, *reviewers["second"]]):
        switch_to(page, expert)
        for key in ("first", "second"):
            if expert not in reviewers[key]:
                continue
            n = len([pair for pair in totals if pair[0] == key])
            open_review(page, numbers[key])
            score(page, *REVIEWS[key][n])
            totals[key, expert] = TOTALS[key][n]
            expect(
                page.locator("#review-queue tbody tr", has_text=numbers[key]).locator(".badge-success")
            ).to_be_visible()

    # The secretariat reads the ranking: the first application ahead, by the figures computed by hand.
    switch_to(page, "secretariat")
    page.goto(reverse("reviews:ranking", kwargs={"pk": call.pk}))
    expect(page.locator("#ranking-incomplete")).to_have_count(0)
    under_review = in_chinese(S.UNDER_REVIEW)
    assert ranking_rows(page) == [
        ("1", numbers["first"], "83.30", "83.30", "5.52", "2/2", "2", under_review),
        ("2", numbers["second"], "65.20", "65.20", "5.94", "2/2", "1", under_review),
    ]
    screenshot(page, "ranking")

    # It exports the ranking as CSV: a row per review, each with its expert, total and the application's place.
    with page.expect_download() as download:
        page.locator(f"#ranking-actions a[href='{reverse('reviews:ranking_csv', kwargs={'pk': call.pk})}']").click()
    assert re.fullmatch(rf"ranking-call-{call.pk}-\d{{8}}-\d{{4}}\.csv", download.value.suggested_filename)
    text = download.value.path().read_bytes().decode("utf-8")
    assert text.startswith("\ufeff")
    header = {key: in_chinese(key) for key in ("Rank", "Group standard", "Expert", "Weighted total", "Mean")}
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    exported = sorted(
        (
            row[header["Rank"]],
            row[header["Group standard"]],
            row[header["Expert"]],
            Decimal(row[header["Weighted total"]]),
        )
        for row in rows
    )
    rank = {"first": "1", "second": "2"}
    assert exported == sorted((rank[key], numbers[key], expert, total) for (key, expert), total in totals.items())
    means = {row[header["Group standard"]]: Decimal(row[header["Mean"]]) for row in rows}
    assert means == {numbers["first"]: Decimal("83.30"), numbers["second"]: Decimal("65.20")}

    # It shortlists the top one: first what the choice does, then the decision.
    page.locator(f"#ranking-actions a[href='{reverse('reviews:shortlist', kwargs={'pk': call.pk})}']").click()
    form = page.locator("#shortlist-form")
    form.locator("input[name=mode][value=top_n]").check()
    form.locator("input[name=count]").fill("1")
    form.locator("button[name=preview]").click()
    expect(page.locator("#plan-counts")).to_have_text(
        in_chinese("%(chosen)s shortlisted, %(rest)s not selected.") % {"chosen": 1, "rest": 1}
    )
    expect(page.locator("#plan-chosen tbody")).to_contain_text(numbers["first"])
    expect(page.locator("#plan-chosen tbody")).not_to_contain_text(numbers["second"])
    expect(page.locator("#plan-departures")).to_have_count(0)
    page.locator("#shortlist-confirm").click()

    # Back on the ranking, each application shows its outcome.
    expect(page).to_have_url(re.compile(f"{reverse('reviews:ranking', kwargs={'pk': call.pk})}$"))
    expect(page.locator(".messages .notice-success")).to_be_visible()
    statuses = [(row[1], row[-1]) for row in ranking_rows(page)]
    assert statuses == [(numbers["first"], in_chinese(S.SHORTLISTED)), (numbers["second"], in_chinese(S.NOT_SELECTED))]

    # What the database keeps: the outcomes, the declined assignment, every review submitted, and the audit log.
    assert dict(Application.objects.filter(call=call).values_list("pk", "status")) == {
        first.pk: S.SHORTLISTED,
        second.pk: S.NOT_SELECTED,
    }
    declined = Assignment.objects.get(application=first, status=AssignmentStatus.DECLINED)
    assert (declined.expert.user.get_full_name(), declined.end_reason) == (declining, CONFLICT_REASON)
    active = Assignment.objects.filter(application__call=call, status=AssignmentStatus.ACTIVE)
    assert sorted(active.values_list("review__status", flat=True)) == [ReviewStatus.SUBMITTED] * 4
    log = AuditEvent.objects.for_object(call)
    [confirmed] = log.filter(action="assignment.confirm").values_list("note", flat=True)
    assert json.loads(confirmed)["seed"] == int(SEED)
    assert log.filter(action="review.ranking_read", actor=secretariat).count() == 2
    assert list(log.filter(action="review.ranking_export").values_list("actor__username", "note")) == [
        ("secretariat", "CSV")
    ]
    assert list(log.filter(action="review.shortlist").values_list("actor__username", flat=True)) == ["secretariat"]
