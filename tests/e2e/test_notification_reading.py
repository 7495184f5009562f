"""A notification is read once its user opens what it is about, however they got there (issue 10): the
applicant whose application was returned opens it from the applications list, and the navigation's count drops.

Selectors use ids, names and URLs, not labels, so the journey holds in Chinese and in English.
"""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from portal.models import Notification, User
from projects import workflow
from projects.models import Application, ApplicationStatus
from tests.e2e.conftest import log_in
from tests.factories import DEMO_PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _badge(page: Page):
    return page.locator('a[href="/notifications/"] .badge')


def test_applicant_opening_the_returned_application_reads_its_notification(page: Page, demo_accounts):
    applicant = User.objects.get(username="applicant")
    Notification.objects.filter(recipient=applicant).update(read_at=timezone.now())  # what came before is read
    application = Application.objects.get(group__code="ZZB", status=ApplicationStatus.SUBMITTED)
    workflow.return_for_revision(
        application, by=User.objects.get(username="recommender"), reason="请补充实施企业的产值数据来源。"
    )
    log_in(page, "applicant", DEMO_PASSWORD)
    expect(_badge(page)).to_contain_text("1")

    page.goto("/applications/")
    page.locator(f'main a[href="{application.get_absolute_url()}"]').first.click()

    expect(page).to_have_url(re.compile(rf"{application.get_absolute_url()}$"))
    expect(_badge(page)).to_have_count(0)
    returned = Notification.objects.get(recipient=applicant, key__contains=":returned:")
    unread = Notification.objects.filter(recipient=applicant, read_at=None).count()
    assert (returned.url, returned.is_unread, unread) == (application.get_absolute_url(), False, 0)
