"""Hostile input: numbers beyond 64 bits, NUL bytes, 5,000 characters, in every id, page and filter of every
list. The answer is the API's own 4xx, as JSON with a message, never a server error."""

import django_filters
import pytest
from django.urls import reverse

from api.urls import router

# "²" and "١" are digits to str.isdigit() but not to int().
HUGE, LONG, NUL = "99999999999999999999", "x" * 5000, "1\x00"
ODD_NUMBERS = ("-1", "0", "1e309", "NaN", "²", "١")
LISTS = {basename: viewset for _prefix, viewset, basename in router.registry}


@pytest.fixture(autouse=True)
def _no_throttle(settings):
    settings.API_ANON_RATE = "100000/min"


def _refusal(response) -> tuple[int, bool]:
    """The status, and whether the body is JSON with a message (as every refusal must be)."""
    body = response.json() if response["Content-Type"] == "application/json" else {}
    return response.status_code, isinstance(body.get("detail"), str) and bool(body["detail"])


def _parameters(viewset) -> list[tuple[str, bool]]:
    """Each filter of the list with whether it takes text (a search), besides the pages'."""
    filters = viewset.filterset_class.base_filters.items()
    texts = [(name, type(spec) is django_filters.CharFilter) for name, spec in filters]
    return [*texts, ("page", False), ("page_size", False)]


@pytest.mark.parametrize("basename", list(LISTS))
def test_text_no_filter_can_use_is_refused_with_a_message(world, api, basename):
    url = reverse(f"api:{basename}-list")

    answers = {
        (name, value[:8]): _refusal(api.get(url, {name: value}))
        for name, _text in _parameters(LISTS[basename])
        if name != "page_size"  # a page size is bounded, not refused: 100 at most, 20 for what is not one
        for value in (LONG, NUL)
    }

    assert set(answers.values()) <= {(400, True), (404, True)}
    assert {status for (name, _v), (status, _m) in answers.items() if name != "page"} == {400}


@pytest.mark.parametrize("basename", list(LISTS))
def test_numbers_beyond_any_row_are_refused_where_a_number_is_asked(world, api, basename):
    url = reverse(f"api:{basename}-list")

    answers = {
        (name, value): _refusal(api.get(url, {name: value}))
        for name, text in _parameters(LISTS[basename])
        for value in (HUGE, *ODD_NUMBERS)
    }

    # A number typed into a search is searched for; a page of no rows is 404; anything else not a key is 400.
    assert {answer for answer in answers.values() if answer[0] != 200} <= {(400, True), (404, True)}
    assert answers[("page", HUGE)] == (404, True)
    assert answers[("page_size", HUGE)][0] == 200  # bounded to 100


@pytest.mark.parametrize("basename", list(LISTS))
@pytest.mark.parametrize("key", [HUGE, "-1", "0", "1e3", "x", "%00", LONG, "１"])
def test_an_id_that_names_nothing_is_a_404_with_a_message(world, api, basename, key):
    response = api.get(f"{reverse(f'api:{basename}-list')}{key}/")

    assert _refusal(response) == (404, True)


def test_an_unknown_id_is_a_404_with_a_message(world, api):
    response = api.get(reverse("api:standard-detail", kwargs={"id": 2**62}))

    assert _refusal(response) == (404, True)


def test_a_year_out_of_range_says_why(world, api):
    response = api.get(reverse("api:project-list"), {"year": HUGE}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert response.json() == {
        "detail": "The query is not valid: see the errors given for each parameter.",
        "errors": {"year": ["Ensure this value is less than or equal to 2099."]},
    }
