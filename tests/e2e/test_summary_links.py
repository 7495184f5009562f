"""Finding the summary table (汇总表) in a real Chromium (issue 10): once the demo group has a second application
in the demo call, its dashboard and the call page link the table; the group ranks its applications there, and
the recommender's inbox shows each application's rank in it.

Selectors use ids, names and URLs, not labels, so the journey holds in Chinese and in English.
"""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from portal.models import Organisation
from projects import workflow
from projects.models import Application
from projects.services.seed import seed_demo_call
from standards.models import GroupStandard
from tests.e2e.conftest import both_widths, log_in
from tests.factories import DEMO_PASSWORD, fill_complete

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    both_widths,  # a desk's window and a phone's
]

SECOND = "T/ZZB 1102—2019"  # the demo group's standard it has not applied with yet


def test_summary_table_is_linked_once_the_group_has_two_applications(page: Page, demo_accounts):
    call = seed_demo_call()
    group = Organisation.objects.get(code="ZZB")
    [first] = Application.objects.filter(call=call, group=group)  # seed_demo submitted one already
    summary = f"{reverse('projects:group_summary', kwargs={'pk': call.pk})}?group={group.pk}"
    log_in(page, "applicant", DEMO_PASSWORD)

    # One application: nothing to rank, no link.
    page.goto(reverse("portal:dashboard"))
    expect(page.locator("#applicant-summary-tables")).to_have_count(0)
    page.goto(call.get_absolute_url())
    expect(page.locator(f"#summary-table-{group.pk}")).to_have_count(0)

    # A second one, started as the group's staff would.
    page.goto(f"{reverse('projects:application_create')}?call={call.pk}")
    page.locator("#id_standard").select_option(str(GroupStandard.objects.get(number=SECOND).pk))
    page.locator("main form[method=post] button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/applications/\d+/edit/claim/$"))
    second = Application.objects.get(call=call, standard__number=SECOND)

    # The call page and the dashboard link the table now; the group puts the new one first.
    page.goto(call.get_absolute_url())
    expect(page.locator(f"#summary-table-{group.pk} a[href='{summary}']")).to_have_count(1)
    page.goto(reverse("portal:dashboard"))
    page.locator(f"#applicant-summary-tables a[href='{summary}']").click()
    expect(page).to_have_url(re.compile(re.escape(summary) + "$"))
    page.locator(f"input[name=rank_{second.pk}]").fill("1")
    page.locator(f"input[name=rank_{first.pk}]").fill("2")
    page.locator("main form[method=post] button[type=submit]:not([name=clear])").click()
    expect(page.locator(".messages .notice-success")).to_be_visible()
    assert list(Application.objects.filter(pk__in=[first.pk, second.pk]).order_by("pk").values_list("group_rank")) == [
        (2,),
        (1,),
    ]

    # Submitted, the recommender reads the group's own rank beside each application in the inbox.
    second.refresh_from_db()  # fill_complete saves every field: the rank as now stored too
    fill_complete(second, recommender=first.recommender)
    workflow.submit(second, by=second.created_by)
    page.context.clear_cookies()
    log_in(page, "recommender", DEMO_PASSWORD)
    page.goto(f"{reverse('projects:recommendation_inbox')}?call={call.pk}")
    expect(page.locator(f"#group-rank-{first.pk}")).to_have_text("2")
    expect(page.locator(f"#group-rank-{second.pk}")).to_have_text("1")
