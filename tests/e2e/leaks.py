"""The leaked-code check (tests/leaks.py) on a page in the browser, for every page an e2e journey visits.

    from tests.e2e.leaks import assert_no_leaks
    assert_no_leaks(page)

It reads the page as it stands (after htmx swaps), fails naming each code, the kind of code, the elements it
was found in and the words around it, and allows the user names of the database's accounts (a person's
chosen name, which may be `applicant`).
"""

from collections.abc import Iterable

import pytest
from playwright.sync_api import Page

from tests.leaks import describe, find_leaks


def user_names() -> set[str]:
    """The accounts' user names, or none when the test may not use the database."""
    from portal.models import User

    try:
        return set(User.objects.values_list("username", flat=True))
    except RuntimeError:  # pytest-django refuses database access to a test not marked for it
        return set()


def assert_no_leaks(page: Page, *, allowed: Iterable[str] | None = None) -> None:
    """Fail when the page's readable text holds an internal code (an action, a snake_case name, a choice value)."""
    names = user_names() if allowed is None else set(allowed)
    leaks = find_leaks(page.content(), allowed=names)
    if leaks:
        pytest.fail(describe(leaks, page=page.url), pytrace=False)
