"""Hostile input on every page: numbers out of any range, non-numbers, huge and NUL-laden text never reach a 500.

A sweep over the (role × URL) matrix: each page the secretariat, the applicant or the recommender may open is
read as a browser would, and its forms are sent back with hostile values. A GET form (and the query parameters
views read themselves) gets every hostile value in every parameter; a POST form gets one field at a time
replaced, the others left as the page filled them. The answer must be a 400 with the portal's page (a form
shown again with its message, or templates/400.html), or a 200 (a filter ignored): never a server error.

To stay within a minute: the matrix's world is built once for the module, in a transaction rolled back at the
end (each test runs in a savepoint of it, so what one submission changes is gone before the next test); a
page's query is swept as the first of its users, each form posting somewhere once; a field holding words gets
the long and the NUL-laden text only (numbers, in a field of words, are words); the rows of a table after the
first are the first row's form again.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse

from projects import workflow
from projects.completeness import SECTIONS
from tests.factories import CallFactory, GroupStandardFactory, MinistryFactory, member_of
from tests.test_url_matrix import APPLICANT, MATRIX, RECOMMENDER, SECRETARIAT, World, world

# "²" and "١" are digits to str.isdigit() but not to int().
NUMBERS = ("99999999999999999999", "-99999999999999999999", "10000", "0", "-1", "1e309", "NaN", "²", "١")
LONG, NUL = "x" * 5000, "1\x00"
HOSTILE = (*NUMBERS, LONG, NUL)
# A POST field the page fills with words gets what breaks words; one that holds a number (an id, a year, a
# rank) gets every value. This bounds the sweep: the standards form alone has some thirty fields.
FOR_WORDS = (LONG, NUL)
ROLES = (SECRETARIAT, APPLICANT, RECOMMENDER)
# Query parameters that views read themselves, besides their forms' fields. On a page without a GET form they
# get the values that break a number read by hand (too big for 64 bits, past year 9999, not finite, NUL).
VIEW_PARAMETERS = ("page", "call", "group", "organisation", "recommender", "slot", "date", "unread", "year", "next")
FOR_PARAMETERS = (NUMBERS[0], NUMBERS[2], NUMBERS[5], NUL)
# Not swept on each page: the logout form (the next request would be anonymous), and the language switch of
# every page's header (swept once, on the home page, below); nor the token Django's CSRF check reads.
SKIPPED_ACTIONS = ("logout", "set_language")
SKIPPED_FIELDS = {"csrfmiddlewaretoken"}
# Pages whose POST form is the same form as another page's (create and edit): swept there.
SAME_FORM_AS = {"standards:standard_create": "standards:standard_edit", "projects:call_create": "projects:call_edit"}
SUBMIT_BUTTONS = {("button", "submit"), ("input", "submit")}
# A table's rows are one form repeated (Django's formsets name them `prefix-0-field`, `prefix-1-field`, ...):
# the first row's fields are swept, the others keep what the page gave them.
LATER_ROW = re.compile(r"-[1-9][0-9]*-")
# What a formset's management form sends for the page's scripts only: read back by nothing.
INFORMATIONAL = re.compile(r"-(MIN|MAX)_NUM_FORMS$")


def swept_elsewhere(name: str) -> bool:
    """Whether a field is left as the page filled it: not the sweep's to change, or the same as one swept."""
    return name in SKIPPED_FIELDS or bool(LATER_ROW.search(name) or INFORMATIONAL.search(name))


@dataclass
class Form:
    action: str
    method: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    numeric: set[str] = field(default_factory=set)
    # Submit buttons other than the one pressed: sent only when swept.
    buttons: list[str] = field(default_factory=list)

    def names(self) -> list[str]:
        names = dict.fromkeys([*(name for name, _value in self.fields), *self.buttons])
        return [name for name in names if not swept_elsewhere(name)]

    def with_value(self, name: str, value: str) -> dict[str, list[str]]:
        data: dict[str, list[str]] = {}
        for key, kept in self.fields:
            data.setdefault(key, []).append(value if key == name else kept)
        if name not in data:
            data[name] = [value]
        return data

    def hostile_values(self, name: str) -> tuple[str, ...]:
        return HOSTILE if name in self.numeric else FOR_WORDS


class _Forms(HTMLParser):
    """The page's forms, each with the values a browser would send untouched (the first named button pressed)."""

    TEXT_INPUTS = {"text", "search", "number", "date", "datetime-local", "email", "url", "tel", "hidden", "password"}

    def __init__(self, page_url: str) -> None:
        super().__init__()
        self.page_url = page_url
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._pressed = False
        self._select: tuple[str, list[tuple[str, bool]]] | None = None
        self._option: tuple[str | None, bool] | None = None
        self._option_text = ""
        self._textarea: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {key: value or "" for key, value in attrs}
        name = attributes.get("name", "")
        if tag == "form":
            self._form = Form(action=attributes.get("action") or self.page_url, method=attributes.get("method", "get"))
            self._form.method = self._form.method.lower()
            self._pressed = False
        elif self._form is None:
            return
        elif tag == "option" and self._select is not None:
            self._option = (attributes.get("value"), "selected" in attributes)
            self._option_text = ""
        elif (tag, attributes.get("type", "submit" if tag == "button" else "text").lower()) in SUBMIT_BUTTONS:
            self._press(name, attributes.get("value", ""))
        elif tag == "input" and name:
            self._input(name, attributes)
        elif tag == "select" and name:
            self._select = (name, [])
        elif tag == "textarea" and name:
            self._textarea = (name, [])

    def _input(self, name: str, attributes: dict[str, str]) -> None:
        kind, value = attributes.get("type", "text").lower(), attributes.get("value", "")
        if kind == "number" or value.isdigit():
            self._form.numeric.add(name)
        if kind in self.TEXT_INPUTS:
            self._form.fields.append((name, value))
        elif kind in {"checkbox", "radio"}:
            # An unticked box is swept too: the hostile value goes where a ticked one's would.
            self._form.fields.append((name, (value or "on") if "checked" in attributes else ""))

    def _press(self, name: str, value: str) -> None:
        """The first submit button is the one pressed (as Enter in a field presses it); the others are swept
        as if pressed with a hostile value."""
        if not self._pressed:
            self._pressed = True
            if name:
                self._form.fields.append((name, value))
        elif name:
            self._form.buttons.append(name)

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea[1].append(data)
        if self._option is not None:
            self._option_text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "option" and self._select is not None and self._option is not None:
            value, selected = self._option
            self._select[1].append((self._option_text.strip() if value is None else value, selected))
            self._option = None
        elif tag == "select" and self._select is not None:
            name, options = self._select
            if any(value.isdigit() for value, _selected in options):
                self._form.numeric.add(name)
            chosen = [value for value, selected in options if selected] or [value for value, _s in options[:1]]
            self._form.fields.extend((name, value) for value in chosen or [""])
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            name, text = self._textarea
            self._form.fields.append((name, "".join(text).removeprefix("\n")))
            self._textarea = None
        elif tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None


def page_forms(html: str, page_url: str, *, skipped: tuple[str, ...] = SKIPPED_ACTIONS) -> list[Form]:
    parser = _Forms(page_url)
    parser.feed(html)
    paths = {reverse(name) for name in skipped}
    return [form for form in parser.forms if urlsplit(form.action).path not in paths]


# --- one world for the module ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def _media(tmp_path_factory):
    return tmp_path_factory.mktemp("hostile-media")


@pytest.fixture(autouse=True)
def _private_media(settings, _media):
    # Overrides the conftest's per-test folder, which would not hold the files of the module's world.
    settings.MEDIA_ROOT = _media


@pytest.fixture(scope="module")
def hostile_world(django_db_setup, django_db_blocker, _media) -> Iterator[World]:
    """The matrix's world, built once; each test of the module runs in a savepoint of its transaction."""
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=_media), transaction.atomic():
        # The matrix's fixture called as the function it wraps; where media go is set above, not by it.
        yield world.__wrapped__(db=None, settings=SimpleNamespace(), tmp_path=_media)
        transaction.set_rollback(True)


def _roles(name: str) -> list[str]:
    return [role for role in ROLES if MATRIX[name].expected[role] == 200]


SWEPT = [name for name, row in MATRIX.items() if row.method == "get" and _roles(name)]


# --- what a response amounts to --------------------------------------------------------------------------
def verdict(response) -> str | None:
    """None when the response is an acceptable answer to hostile input; else what is wrong with it."""
    status = response.status_code
    if status >= 500:
        exc_info = getattr(response, "exc_info", None)
        return f"{status} {exc_info[1]!r}"[:200] if exc_info else str(status)
    if status == 400 and "base.html" not in [template.name for template in response.templates]:
        return "400 without the portal's page"
    return None


def rotated(names: list[str], values: tuple[str, ...]) -> Iterator[dict[str, str]]:
    """As many queries as values, each name given each value once: name j gets value i + j of query i."""
    for i in range(len(values)):
        yield {name: values[(i + j) % len(values)] for j, name in enumerate(names)}


def sweep_queries(client: Client, page_url: str, forms: list[Form]) -> dict[str, str]:
    """The page with its GET forms' fields and the views' own parameters, each given every hostile value."""
    fields = [name for form in forms if form.method == "get" for name in form.names()]
    problems = {}
    for query in rotated(list(dict.fromkeys([*fields, *VIEW_PARAMETERS])), HOSTILE if fields else FOR_PARAMETERS):
        if problem := verdict(client.get(page_url, query)):
            problems[f"GET {page_url} {query}"[:200]] = problem
    return problems


def sweep_form(client: Client, form: Form) -> dict[str, str]:
    """The POST form sent back once per field and hostile value, the other fields as the page filled them."""
    problems = {}
    for name in form.names():
        for value in form.hostile_values(name):
            if problem := verdict(client.post(form.action, form.with_value(name, value))):
                problems[f"POST {form.action} {name}={value[:24]!r}"] = problem
    return problems


def logged_in(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def sweep_page(url: str, users: list, *, forms_too: bool = True) -> tuple[list[int], dict[str, str]]:
    """The page as each user (its status), its queries swept as the first, its POST forms once each."""
    statuses, problems, swept = [], {}, set()
    for index, user in enumerate(users):
        client = logged_in(user)
        page = client.get(url)
        statuses.append(page.status_code)
        if not page["Content-Type"].startswith("text/html"):
            break  # a file or a PDF: nothing on it to fill in, for anyone
        forms = page_forms(page.content.decode(), url)
        if index == 0:
            problems |= sweep_queries(client, url, forms)
        for form in (form for form in forms if form.method == "post" and forms_too):
            # A form posting where another user's did is swept once (what one sweep saved may change its fields).
            if (action := urlsplit(form.action).path) not in swept:
                swept.add(action)
                problems |= sweep_form(client, form)
    return statuses, problems


@pytest.mark.parametrize("name", SWEPT)
def test_page_refuses_hostile_input_without_a_server_error(hostile_world, db, name):
    url = reverse(name, kwargs=MATRIX[name].kwargs(hostile_world))

    statuses, problems = sweep_page(
        url, [hostile_world.users[role] for role in _roles(name)], forms_too=name not in SAME_FORM_AS
    )

    assert (statuses, problems) == ([200] * len(statuses), {})


# The matrix opens one section of the 申报书; every other section has forms of its own (tables of rows too).
@pytest.mark.parametrize(
    "section", [section.key for section in SECTIONS if section.key not in {"claim", "attachments"}]
)
def test_application_section_refuses_hostile_input_without_a_server_error(hostile_world, db, section):
    url = reverse("projects:application_edit", kwargs={"pk": hostile_world.draft.pk, "section": section})

    assert sweep_page(url, [hostile_world.users[APPLICANT]]) == ([200], {})


def test_formal_check_refuses_hostile_selections_without_a_server_error(hostile_world, db):
    workflow.recommend(hostile_world.application, by=hostile_world.users[RECOMMENDER], opinion="同意推荐", rank=1)
    url = reverse("projects:formal_check", kwargs={"pk": hostile_world.call.pk})
    client = logged_in(hostile_world.users[SECRETARIAT])
    [form] = [form for form in page_forms(client.get(url).content.decode(), url) if form.method == "post"]
    # A recommended application is offered for selection once its recommender's deadline has passed: as if it had.
    form.fields.append(("applications", str(hostile_world.application.pk)))
    form.numeric.add("applications")

    problems = sweep_form(client, form)

    assert (form.names(), problems) == (["note", "reason", "decision", "applications"], {})


def test_language_switch_refuses_hostile_input_without_a_server_error(hostile_world, db):
    client = logged_in(hostile_world.users[APPLICANT])
    forms = page_forms(client.get("/").content.decode(), "/", skipped=("logout",))
    [form] = [form for form in forms if urlsplit(form.action).path == reverse("set_language")]

    assert sweep_form(client, form) == {}


# --- the inputs the probe found ------------------------------------------------------------------------
def field_errors(body: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", item).strip() for item in re.findall(r'<ul class="errorlist"[^>]*>(.*?)</ul>', body)]


@pytest.mark.parametrize(
    ("year", "error"),
    [
        ("10000", "确保该值小于或等于9999。"),
        ("99999999999999999999", "确保该值小于或等于9999。"),
        ("1e309", "输入整数。"),
    ],
)
def test_standard_list_ignores_a_year_no_date_can_have_and_says_why(client, db, year, error):
    GroupStandardFactory()
    url = reverse("standards:standard_list")
    unfiltered = [standard.number for standard in client.get(url).context["page_obj"]]

    response = client.get(url, {"year": year})

    shown = [standard.number for standard in response.context["page_obj"]]
    assert (response.status_code, shown, field_errors(response.content.decode())) == (200, unfiltered, [error])


def test_call_extensions_with_an_organisation_beyond_64_bits_shows_the_empty_form(client, db):
    call = CallFactory()
    client.force_login(member_of(MinistryFactory()))

    response = client.get(
        reverse("projects:call_extensions", kwargs={"pk": call.pk}), {"organisation": "99999999999999999999"}
    )

    assert (response.status_code, response.context["form"].initial) == (200, {})
