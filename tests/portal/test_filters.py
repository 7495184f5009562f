"""The portal's filters: what a list's query string cannot use is left out of the query, never sent to the database."""

import datetime
import importlib
import pkgutil

import django_filters
import pytest
from django.utils import translation

import portal
import projects
import standards
from portal import filters
from projects.models import Application, Call
from standards.filters import StandardFilter
from standards.models import GroupStandard
from tests.factories import CallFactory, GroupStandardFactory

pytestmark = pytest.mark.django_db

PROJECT_PACKAGES = (portal, projects, standards)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


class CallFilter(filters.FilterSet):
    year = filters.IntegerFilter(field_name="year")

    class Meta:
        model = Call
        fields = ["year"]


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("99999999999999999999", "Ensure this value is less than or equal to 9223372036854775807."),
        ("-99999999999999999999", "Ensure this value is greater than or equal to -9223372036854775808."),
        ("1e309", "Enter a whole number."),
        ("NaN", "Enter a whole number."),
        ("1\x00", "Enter a whole number."),
    ],
)
def test_integer_filter_ignores_what_is_no_64_bit_whole_number(typed, error):
    call = CallFactory()

    search = CallFilter({"year": typed}, queryset=Call.objects.all())

    assert (list(search.qs), search.errors) == ([call], {"year": [error]})


def test_integer_filter_filters_by_a_whole_number():
    call = CallFactory(year=2024)
    CallFactory(year=2023)

    search = CallFilter({"year": "2024"}, queryset=Call.objects.all())

    assert (list(search.qs), search.errors) == ([call], {})


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("10000", "Ensure this value is less than or equal to 9999."),
        ("99999999999999999999", "Ensure this value is less than or equal to 9999."),
        ("1979", "Ensure this value is greater than or equal to 1980."),
        ("2020.5", "Enter a whole number."),
    ],
)
def test_standard_filter_ignores_a_year_no_date_can_have(typed, error):
    standard = GroupStandardFactory()

    search = StandardFilter({"year": typed}, queryset=GroupStandard.objects.all())

    assert (list(search.qs), search.errors) == ([standard], {"year": [error]})


def test_standard_filter_finds_the_standards_published_in_a_year():
    published_2020 = GroupStandardFactory(publication_date=datetime.date(2020, 3, 1))
    GroupStandardFactory(publication_date=datetime.date(2021, 3, 1), implementation_date=datetime.date(2021, 4, 1))

    search = StandardFilter({"year": "2020"}, queryset=GroupStandard.objects.all())

    assert (list(search.qs), search.errors) == ([published_2020], {})


@pytest.mark.parametrize("typed", ["99999999999999999999", "-99999999999999999999", "1e309", "²", "1\x00", "x" * 5000])
def test_model_choice_filter_refuses_a_key_no_row_can_have_without_a_query(typed, django_assert_num_queries):
    class ByIssuer(filters.FilterSet):
        class Meta:
            model = GroupStandard
            fields = ["issuer"]

    standard = GroupStandardFactory()
    search = ByIssuer({"issuer": typed}, queryset=GroupStandard.objects.all())

    with django_assert_num_queries(0):
        errors = search.errors

    assert (errors, list(search.qs)) == (
        {"issuer": ["Select a valid choice. That choice is not one of the available choices."]},
        [standard],
    )


def test_filterset_makes_the_bounded_filters_for_a_models_fields():
    class ApplicationFields(filters.FilterSet):
        class Meta:
            model = Application
            fields = ["call", "recommender", "enterprises_count", "group_rank"]

    made = {name: type(made_filter) for name, made_filter in ApplicationFields.base_filters.items()}

    assert made == {
        "call": filters.ModelChoiceFilter,
        "recommender": filters.ModelChoiceFilter,
        "enterprises_count": filters.IntegerFilter,
        "group_rank": filters.IntegerFilter,
    }


# django-filter's own would let a number beyond 64 bits, or a year past 9999, reach the database.
UNBOUNDED = (django_filters.NumberFilter, django_filters.ModelChoiceFilter, django_filters.ModelMultipleChoiceFilter)
BOUNDED = (filters.IntegerFilter, filters.ModelChoiceFilter, filters.ModelMultipleChoiceFilter)
KNOWN_FILTERSETS = {
    "portal.filters.AuditEventFilter",
    "projects.selectors.applications.ApplicationFilter",
    "projects.selectors.recommendation.InboxFilter",
    "standards.filters.GroupFilter",
    "standards.filters.StandardFilter",
}


def import_project_modules() -> None:
    for package in PROJECT_PACKAGES:
        for module in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
            if ".migrations" not in module.name and ".management" not in module.name:
                importlib.import_module(module.name)


def project_subclasses(base: type) -> dict[str, type]:
    """Every subclass of `base` defined in the project's packages, by dotted name (all modules imported first)."""
    import_project_modules()
    names = {package.__name__ for package in PROJECT_PACKAGES}
    found, pending = {}, [base]
    while pending:
        for subclass in pending.pop().__subclasses__():
            pending.append(subclass)
            if subclass.__module__.split(".")[0] in names:
                found[f"{subclass.__module__}.{subclass.__qualname__}"] = subclass
    return found


def unbounded_filters(filterset: type) -> list[str]:
    made = filterset.base_filters.items()
    return sorted(name for name, each in made if isinstance(each, UNBOUNDED) and not isinstance(each, BOUNDED))


def test_every_filterset_of_the_project_is_the_portals_and_made_of_its_filters():
    filtersets = project_subclasses(django_filters.FilterSet)

    wrong = {
        name: (issubclass(filterset, filters.FilterSet), unbounded_filters(filterset))
        for name, filterset in filtersets.items()
        if not issubclass(filterset, filters.FilterSet) or unbounded_filters(filterset)
    }

    assert (KNOWN_FILTERSETS & set(filtersets), wrong) == (KNOWN_FILTERSETS, {})
