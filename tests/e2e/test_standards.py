"""The standards registry in a real Chromium: a group maintains its standard, the public finds it.

Selectors use ids and URLs, not button labels, so the journeys hold in Chinese and in English.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from standards.models import GroupStandard
from standards.services import seed_demo_standards
from tests.e2e.conftest import log_in
from tests.factories import DEMO_PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def registry(demo_accounts):
    """seed_demo seeds the registry too; running it again must change nothing."""
    seed_demo_standards()


def _submit(page: Page) -> None:
    page.locator("main form[method=post] button[type=submit]").click()


def test_applicant_edits_a_standard_of_their_own_group(page: Page, registry):
    standard = GroupStandard.objects.get(number="T/ZZB 1102—2019")
    log_in(page, "applicant", DEMO_PASSWORD)

    page.goto(standard.get_absolute_url())
    page.locator(f"a[href='/standards/{standard.pk}/edit/']").click()
    expect(page.locator("#id_number_as_typed")).to_have_value("T/ZZB 1102—2019")
    page.locator("#id_title_en").fill("Precision cycloidal reducers for industrial robots (revised)")
    page.locator("#id_scope").fill("本标准适用于额定输出转矩 50 N·m～5000 N·m 的精密摆线针轮减速器。")
    _submit(page)

    expect(page).to_have_url(re.compile(rf"/standards/{standard.pk}/$"))
    expect(page.locator("main")).to_contain_text("(revised)")
    expect(page.locator("main")).to_contain_text("额定输出转矩 50 N·m～5000 N·m")
    standard.refresh_from_db()
    assert standard.title_en.endswith("(revised)")


def test_applicant_is_refused_another_groups_standard(page: Page, registry):
    cntac = GroupStandard.objects.get(number="T/CNTAC 8—2018")
    log_in(page, "applicant", DEMO_PASSWORD)

    page.goto(cntac.get_absolute_url())
    expect(page.locator(f"a[href='/standards/{cntac.pk}/edit/']")).to_have_count(0)
    response = page.goto(f"/standards/{cntac.pk}/edit/")

    assert response.status == 403


def test_secretariat_records_an_adoption_of_a_cntac_standard(page: Page, registry):
    # CNTAC has no demo account of its own: the secretariat maintains every group's record.
    standard = GroupStandard.objects.get(number="T/CNTAC 8—2018")
    log_in(page, "secretariat", DEMO_PASSWORD)

    page.goto(standard.get_absolute_url())
    page.locator(f"a[href='/standards/{standard.pk}/adoptions/new/']").click()
    page.locator("#id_kind").select_option("industry_standard")
    page.locator("#id_title").fill("FZ/T 73070—2023 针织运动服装")
    page.locator("#id_document_number").fill("工信部公告2023年第12号")
    page.locator("#id_date").fill("2023-06-20")
    page.locator("#id_conversion_target").select_option("industry")
    page.locator("#id_conversion_status").select_option("published")
    _submit(page)

    expect(page).to_have_url(re.compile(rf"/standards/{standard.pk}/$"))
    expect(page.locator("main table")).to_contain_text("FZ/T 73070—2023 针织运动服装")
    assert standard.adoptions.filter(document_number="工信部公告2023年第12号").count() == 1


def test_secretariat_imports_standards_from_a_csv_file(page: Page, registry):
    csv_text = "标准编号,标准名称,发布日期,实施日期\nT/CNTAC 12-2020,纺织品 抗病毒性能的测定,2020-10-01,2020-11-01\n"
    log_in(page, "secretariat", DEMO_PASSWORD)

    page.goto("/standards/import/")
    page.locator("#id_file").set_input_files(
        {"name": "standards.csv", "mimeType": "text/csv", "buffer": csv_text.encode("gb18030")}
    )
    _submit(page)

    expect(page.locator("main .notice-success")).to_contain_text("T/CNTAC 12—2020")
    assert GroupStandard.objects.get(number="T/CNTAC 12—2020").title_zh == "纺织品 抗病毒性能的测定"


def test_public_finds_cntac_8_typed_with_a_hyphen(page: Page, registry):
    page.goto("/standards/")
    page.locator("#id_q").fill("T/CNTAC 8-2018")
    page.locator("#id_q").press("Enter")

    results = page.locator("#results tbody tr")
    expect(results).to_have_count(1)
    expect(results).to_contain_text("针织运动服装 吸湿速干性能要求")
    results.locator("a").first.click()
    expect(page.locator("h1")).to_contain_text("T/CNTAC 8-2018")
    # The number as the group published it, everywhere on the page; the normal form is for look-up (issue 10).
    expect(page.locator("main")).not_to_contain_text("T/CNTAC 8—2018")


def test_public_live_search_narrows_the_list_while_typing(page: Page, registry):
    page.goto("/standards/")
    expect(page.locator("#results tbody tr")).to_have_count(GroupStandard.objects.count())

    page.locator("#id_q").press_sequentially("t/cntac 5－2018", delay=20)

    expect(page.locator("#results tbody tr")).to_have_count(1)
    expect(page.locator("#results")).to_contain_text("纺织品 生态安全技术要求")
    expect(page).to_have_url(re.compile(r"q=t%2Fcntac"))


def test_public_reads_a_groups_procedure_and_patent_policy(page: Page, registry):
    page.goto("/groups/")
    page.get_by_role("link", name="中国纺织工业联合会").click()

    documents = page.locator("main a[href*='/documents/']")
    expect(documents).to_have_count(2)
    with page.expect_download() as download_info:
        documents.first.click()
    assert download_info.value.suggested_filename.endswith(".pdf")
