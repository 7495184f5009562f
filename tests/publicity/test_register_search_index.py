"""The register's text search is served by the trigram GIN index on PostgreSQL (migration 0002), and the same
query reads the same rows without it (as on SQLite, or when the planner prefers a scan)."""

import pytest
from django.db import connection, transaction

from publicity.filters import search_projects
from publicity.selectors.register import register_projects
from publicity.services import register
from tests.publicity.register_factories import imported_announcement, imported_row, next_number

pytestmark = pytest.mark.django_db

INDEX = "announced_project_search_trgm"
# A test's few rows are cheaper to read in the list's order (announced_project_list_idx) than through any
# other index, so the planner is kept from scans and plain index walks: what is left is a bitmap scan of an
# index that applies to the LIKE, which only the trigram index does.
FORCE_INDEX = ("enable_seqscan = off", "enable_indexscan = off")


@pytest.fixture
def projects():
    imported_announcement(count=30)
    rows = [imported_row(1, group_name="中国光伏行业协会", standard_title="光伏组件 回收利用技术规范")]
    register.record_imported(number=next_number(2020), year=2020, rows=rows, by=None, source="tests")


def _plan_and_names(text: str, *settings: str) -> tuple[str, list[str]]:
    with transaction.atomic(), connection.cursor() as cursor:
        for setting in settings:
            cursor.execute(f"SET LOCAL {setting}")
        queryset = search_projects(register_projects(), text)
        return queryset.explain(), [project.group_name for project in queryset]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigram index exists on PostgreSQL only")
def test_text_search_uses_the_trigram_index(projects):
    plan, names = _plan_and_names("光伏组件", *FORCE_INDEX)

    assert (INDEX in plan, names) == (True, ["中国光伏行业协会"])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigram index exists on PostgreSQL only")
def test_a_lower_case_fragment_uses_the_index_on_the_upper_cased_text(projects):
    plan, names = _plan_and_names("t/cas 101", *FORCE_INDEX)

    assert (INDEX in plan, len(names)) == (True, 2)


def test_the_same_search_without_the_index_reads_the_same_rows(projects):
    plain_settings = ("enable_bitmapscan = off", "enable_indexscan = off") if connection.vendor == "postgresql" else ()

    plan, names = _plan_and_names("光伏组件", *plain_settings)

    assert (INDEX in plan, names) == (False, ["中国光伏行业协会"])
