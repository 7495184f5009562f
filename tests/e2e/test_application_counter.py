"""The 申报书's text fields in a real Chromium: a counter beside each says how many characters are left, and
counts down as the applicant types (static/js/counter.js), a line break as one, as the server counts."""

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.e2e.conftest import log_in
from tests.factories import DEMO_PASSWORD, make_application

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_text_counter_shows_what_is_left_and_counts_down_while_typing(page: Page, live_server):
    application = make_application()
    # In English: the counter's sentences are new msgids, in the Chinese catalogue once it is merged.
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}])
    log_in(page, application.created_by.username, DEMO_PASSWORD)

    page.goto(reverse("projects:application_edit", kwargs={"pk": application.pk, "section": "market"}))
    field = page.locator("#id_market_competitiveness")
    counter = page.locator("#id_market_competitiveness_counter")
    expect(counter).to_have_text("2,000 characters left")
    expect(field).to_have_attribute("aria-describedby", "id_market_competitiveness_counter")

    field.press_sequentially("团体标准")
    expect(counter).to_have_text("1,996 characters left")
    field.press("Enter")
    field.press_sequentially("示范")
    expect(counter).to_have_text("1,993 characters left")

    # At the limit the browser types no more, and the counter says so.
    field.fill("市" * 1999)
    field.press_sequentially("场场场")
    expect(counter).to_have_text("0 characters left")
    expect(field).to_have_value("市" * 1999 + "场")
