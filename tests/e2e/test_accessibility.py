"""Every main page of the journeys, as each role meets it, on a desk (1280 px) and on a phone (390 px): axe-core
finds no serious or critical violation, and nothing is wider than the screen (issue 10). On a phone the main
navigation folds behind a menu button and list filters behind a "筛选" disclosure; without JavaScript the
navigation stays open; a table wider than the screen is a named region one can scroll from the keyboard.

The pages are reached by URL; the data are what `seed_demo` makes plus three applications of the demo group in
the demo call: a draft being written, one submitted to the demo department and one it recommended.
"""

import re
from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from portal.models import Organisation, User
from projects import workflow
from projects.completeness import SECTIONS
from projects.models import Application, Call
from projects.services.seed import seed_demo_call
from publicity.models import Announcement
from reviews.models import Assignment
from standards.models import GroupStandard
from tests.e2e.axe import serious_violations
from tests.e2e.conftest import PHONE, both_widths, log_in, on_a_desk, on_a_phone
from tests.factories import (
    DEMO_PASSWORD,
    GroupStandardFactory,
    ProvincialDepartmentFactory,
    make_application,
    member_of,
    profile_of,
    submitted_application,
)
from tests.publicity import factories as publicity_factories

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

STANDARD = "T/ZZB 1102—2019"
# When the page is wider than the window: the first elements sticking out past the right edge (outside a
# scrolling table, or positioned out of it), named as a developer would look for them.
OVERFLOW_SCRIPT = """() => {
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= width) return null;
  const name = (element) => element.tagName.toLowerCase() + (element.id ? "#" + element.id : "")
    + [...element.classList].map((c) => "." + c).join("");
  const wide = [...document.body.querySelectorAll("*")]
    .filter((element) => element.getBoundingClientRect().right > width + 1)
    .filter((element) => !element.parentElement.closest(".table-wrap")
      || getComputedStyle(element).position === "absolute")
    .slice(0, 5).map(name);
  return `${document.documentElement.scrollWidth} px wide in ${width} px: ${wide.join(", ")}`;
}"""


@dataclass
class Journey:
    call: Call
    department: Organisation
    draft: Application
    submitted: Application
    recommended: Application


@pytest.fixture
def journey(demo_accounts) -> Journey:
    call = seed_demo_call()
    department = Organisation.objects.get(code="ZJJXT")
    group = Organisation.objects.get(code="ZZB")
    applicant, recommender = User.objects.get(username="applicant"), User.objects.get(username="recommender")

    def application(standard: GroupStandard) -> Application:
        return make_application(
            call=call, group=group, standard=standard, by=applicant, complete=True, recommender=department
        )

    def another_standard() -> GroupStandard:
        return GroupStandardFactory(issuer=profile_of(group), fills_gap=True)

    draft = application(GroupStandard.objects.get(number=STANDARD))
    submitted = workflow.submit(application(another_standard()), by=applicant)
    recommended = workflow.submit(application(another_standard()), by=applicant)
    workflow.recommend(recommended, by=recommender, opinion="该标准实施效果显著，同意推荐。", rank=1)
    return Journey(call, department, draft, submitted, recommended)


def public_pages(journey: Journey) -> list[str]:
    standard = GroupStandard.objects.get(number=STANDARD)
    return [
        reverse("portal:home"),
        reverse("login"),
        reverse("projects:call_list"),
        reverse("projects:call_detail", kwargs={"pk": journey.call.pk}),
        reverse("standards:standard_list"),
        standard.get_absolute_url(),
        reverse("standards:group_list"),
        standard.issuer.get_absolute_url(),
        reverse("portal:register"),
        *publicity_pages(),
    ]


def publicity_pages() -> list[str]:
    """The notices, the register and the objection forms: seed_demo's announced call, and a notice opened now."""
    announced = Announcement.objects.filter(published_at__isnull=False, call__isnull=False).get()
    project = announced.projects.order_by("position").first()
    opened = publicity_factories.open_notice(count=1)
    return [
        reverse("publicity:notice_list"),
        announced.call.notice.get_absolute_url(),
        opened.get_absolute_url(),
        f"{reverse('publicity:objection_create', kwargs={'pk': opened.pk})}?project=1",
        reverse("publicity:objection_status"),
        reverse("publicity:project_list"),
        project.get_absolute_url(),
        announced.get_absolute_url(),
    ]


def own_pages() -> list[str]:
    """What every signed-in person has."""
    return [reverse("portal:dashboard"), reverse("portal:notifications"), reverse("portal:account")]


def applicant_pages(journey: Journey) -> list[str]:
    draft = journey.draft
    return [
        *own_pages(),
        reverse("portal:organisation"),
        reverse("projects:application_list"),
        reverse("projects:application_create"),
        draft.get_absolute_url(),
        *(
            reverse("projects:application_edit", kwargs={"pk": draft.pk, "section": section.key})
            for section in SECTIONS
            if section.key != "attachments"
        ),
        reverse("projects:attachment_upload", kwargs={"pk": draft.pk}),
        reverse("projects:group_summary", kwargs={"pk": journey.call.pk}),
        reverse("publicity:answer_list"),
    ]


def recommender_pages(journey: Journey) -> list[str]:
    per_department = f"?organisation={journey.department.pk}"
    return [
        *own_pages(),
        reverse("portal:organisation"),
        journey.submitted.get_absolute_url(),  # with the decision form
        reverse("projects:recommendation_ranks", kwargs={"call_pk": journey.call.pk}) + per_department,
        reverse("projects:recommendation_letter", kwargs={"call_pk": journey.call.pk}) + per_department,
        reverse("projects:recommendation_inbox"),
    ]


def secretariat_pages(journey: Journey) -> list[str]:
    year = timezone.localdate().year
    return [
        *own_pages(),
        reverse("projects:application_list"),
        journey.recommended.get_absolute_url(),
        reverse("projects:call_create"),
        reverse("projects:call_recommenders", kwargs={"pk": journey.call.pk}),
        reverse("projects:formal_check", kwargs={"pk": journey.call.pk}),
        reverse("portal:audit_list"),
        reverse("portal:calendar"),
        reverse("portal:calendar_year", kwargs={"year": year}),
        reverse("portal:organisation_list"),
        reverse("portal:registration_list"),
        *review_pages_of_the_secretariat(),
        reverse("publicity:notice_prepare", kwargs={"pk": _review_call().pk}),
        reverse("publicity:objection_list"),
        reverse("publicity:register_import"),
        reverse("publicity:announcement_prepare", kwargs={"pk": Announcement.objects.get(imported=False).call_id}),
    ]


def _review_call() -> Call:
    """The demo call in expert review (seed_demo)."""
    return Call.objects.filter(review_settings__isnull=False).get()


def review_pages_of_the_secretariat() -> list[str]:
    call = _review_call()
    # One still under review (the seed shortlists the one with every review in).
    application = call.applications.filter(status="under_review").order_by("pk").first()
    return [
        reverse("reviews:expert_list"),
        reverse("reviews:expert_import"),
        reverse("reviews:panel_list", kwargs={"pk": call.pk}),
        reverse("reviews:rubric", kwargs={"pk": call.pk}),
        reverse("reviews:assignment_list", kwargs={"pk": call.pk}),
        reverse("reviews:application_assignments", kwargs={"pk": application.pk}),
        reverse("reviews:ranking", kwargs={"pk": call.pk}),
        reverse("reviews:shortlist", kwargs={"pk": call.pk}),
        reverse("reviews:application_outcome", kwargs={"pk": application.pk}),
    ]


def expert_pages(journey: Journey) -> list[str]:
    # expert1's queue and a review in draft: the 申报书 beside the scoring form.
    draft = Assignment.objects.filter(expert__user__username="expert1", review__status="draft").get()
    return [*own_pages(), reverse("reviews:queue"), reverse("reviews:review", kwargs={"pk": draft.pk})]


ROLES = {
    "public": public_pages,
    "expert1": expert_pages,
    "secretariat": secretariat_pages,
    "applicant": applicant_pages,
    "recommender": recommender_pages,
}


def problems_of(page: Page, url: str) -> list[str]:
    response = page.goto(url)
    problems = [] if response.ok else [f"HTTP {response.status}"]
    problems.extend(serious_violations(page))
    overflow = page.evaluate(OVERFLOW_SCRIPT)
    if overflow:
        problems.append(f"horizontal overflow: {overflow}")
    return problems


@both_widths
def test_main_pages_of_every_role_have_no_serious_violation_and_fit_the_screen(page: Page, journey):
    problems = {}
    for username, pages in ROLES.items():
        page.context.clear_cookies()
        if username != "public":
            log_in(page, username, DEMO_PASSWORD)
        problems.update({f"{username} {url}": found for url in pages(journey) if (found := problems_of(page, url))})

    assert problems == {}  # the screenshot at this width: the recommender's inbox, the last page visited


@pytest.fixture
def recommender() -> User:
    """A provincial department's staff member, with one application submitted to it."""
    department = ProvincialDepartmentFactory()
    submitted_application(recommender=department, same_province=True)
    return member_of(department)


@on_a_phone
def test_inbox_on_a_phone_folds_navigation_and_filters_and_lets_its_table_scroll(page: Page, recommender):
    log_in(page, recommender.username, DEMO_PASSWORD)
    page.goto(reverse("projects:recommendation_inbox"))
    menu, links = page.locator("#nav-toggle"), page.locator("#nav-list")

    # Folded: the button names the page the person is on.
    current = page.locator("#nav-list a[aria-current=page]")
    expect(current).to_have_attribute("href", reverse("projects:recommendation_inbox"))
    expect(links).to_be_hidden()
    expect(page.locator("#nav-toggle-current")).to_have_text(current.text_content().strip())
    expect(menu).to_have_attribute("aria-expanded", "false")
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(current).to_be_visible()
    page.keyboard.press("Escape")
    expect(links).to_be_hidden()
    expect(menu).to_be_focused()

    # The filters wait behind their summary, and open by themselves once one is applied.
    filters = page.locator("#filters")
    expect(page.locator("#id_status")).to_be_hidden()
    filters.locator("summary").click()
    expect(page.locator("#id_status")).to_be_visible()
    page.locator("#id_status").select_option("submitted")
    page.locator("#filters form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"[?&]status=submitted"))
    expect(filters).to_have_attribute("open", "")
    expect(filters.locator("summary .badge")).to_have_count(1)

    # The table is wider than the phone: a region named by its caption, reached by Tab and scrolled by keys.
    table = page.locator("#results .table-wrap")
    caption = page.locator("#results .table-wrap caption").text_content().strip()
    expect(table).to_have_attribute("tabindex", "0")
    expect(table).to_have_attribute("role", "region")
    expect(table).to_have_attribute("aria-label", caption)
    expect(table).to_have_class(re.compile(r"(^|\s)has-more-right(\s|$)"))
    table.focus()
    page.keyboard.press("ArrowRight")
    expect(table).to_have_class(re.compile(r"(^|\s)has-more-left(\s|$)"))
    assert serious_violations(page) == []


@pytest.mark.parametrize("window", [{**PHONE, "java_script_enabled": False}], ids=["390-no-js"], indirect=True)
def test_navigation_on_a_phone_without_javascript_stays_open(page: Page):
    page.goto(reverse("standards:standard_list"))

    expect(page.locator("#nav-toggle")).to_be_hidden()
    expect(page.locator("#nav-list a[aria-current=page]")).to_be_visible()
    expect(page.locator("#nav-list a")).to_have_count(7)  # home, calls, notices, projects, standards, groups, stats
    expect(page.locator("#filters summary")).to_be_visible()  # a <details> needs no script


@on_a_desk
def test_desk_shows_the_navigation_the_filters_and_the_current_section_without_folding(page: Page):
    application = make_application()
    log_in(page, application.created_by.username, DEMO_PASSWORD)
    page.goto(reverse("projects:application_list"))

    expect(page.locator("#nav-toggle")).to_be_hidden()
    expect(page.locator("#nav-list a[aria-current=page]")).to_be_visible()
    expect(page.locator("#filters summary")).to_be_hidden()
    expect(page.locator("#filters form")).to_be_visible()

    # The section being edited stands out from the others, not only to a screen reader.
    page.goto(reverse("projects:application_edit", kwargs={"pk": application.pk, "section": "market"}))
    styles = page.locator(".section-nav a").evaluate_all(
        "links => links.map((link) => [link.getAttribute('aria-current'), getComputedStyle(link).fontWeight,"
        " getComputedStyle(link).borderLeftStyle])"
    )
    assert {tuple(style) for style in styles} == {(None, "400", "none"), ("page", "700", "solid")}
