"""The statistics pages in a real Chromium (issue 14): the public page's charts drawn by ECharts from the demo
register, their numbers read back from the rendered charts (ECharts' aria description, the SVG's text) and
compared with what `seed_demo` announced; no Content Security Policy violation, even with a tooltip open; no
serious or critical axe-core violation, nothing wider than a phone; a chart's CSV downloaded; and the
secretariat's funnel of the demo call announced two years ago.

The expected numbers are the demo's (publicity/services/seed.py: three projects of two groups, one of each type
and field), not read from the database; the labels are the portal's own words in Chinese.
"""

import csv
import io
import re

import pytest
from django.utils import timezone, translation
from playwright.sync_api import Page, expect

from portal.choices import Province
from portal.workdays import local_zone
from projects.models import Call, IndustryField
from reports.views import stage_labels
from standards.models import ApplicationType
from tests.e2e.axe import serious_violations
from tests.e2e.conftest import both_widths, log_in
from tests.e2e.test_accessibility import OVERFLOW_SCRIPT
from tests.factories import DEMO_PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# Kept from the first moment of each page, by a script the page's own policy does not govern.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective}: ${event.blockedURI || "inline"} ${event.sample || ""}`);
});
"""
CHARTS = ("years", "provinces", "fields", "types", "groups")


def chinese(label) -> str:
    """A lazy label, or a msgid, in the portal's Chinese."""
    with translation.override("zh-hans"):
        return translation.gettext(label) if isinstance(label, str) else str(label)


def demo_register() -> dict[str, dict[str, int]]:
    """What seed_demo announced: the call of two years ago, its three projects."""
    year = timezone.now().astimezone(local_zone()).year - 2
    return {
        "years": {str(year): 3},
        "provinces": {chinese(Province.ZHEJIANG.label): 2, chinese(Province.BEIJING.label): 1},
        "fields": {
            chinese(IndustryField.EQUIPMENT.label): 1,
            chinese(IndustryField.CONSUMER_GOODS.label): 1,
            chinese(IndustryField.COMMUNICATIONS.label): 1,
        },
        "types": {chinese(kind.label): 1 for kind in ApplicationType},
        "groups": {"浙江省品牌建设促进会": 2, "中国通信标准化协会": 1},
    }


def described(page: Page, selector: str) -> dict[str, int]:
    """The numbers in ECharts' aria description of a chart: "……其数据是——浙江省的数据是2，北京市的数据是1。"."""
    drawing = page.locator(selector)
    expect(drawing.locator("svg")).to_be_visible()
    expect(drawing).to_have_attribute("aria-label", re.compile("的数据是"))
    description = drawing.get_attribute("aria-label")
    data = description.split("——", 1)[1].rstrip("。")
    pairs = (item.rsplit("的数据是", 1) for item in data.split("，"))
    return {label: int(value) for label, value in pairs}


def drawn_text(page: Page, selector: str) -> list[str]:
    return page.locator(f"{selector} svg text").all_text_contents()


def table(page: Page, selector: str) -> dict[str, int]:
    rows = page.locator(f"{selector} tbody tr")
    return {row.locator("th").inner_text(): int(row.locator("td").first.inner_text()) for row in rows.all()}


def watch_console(page: Page) -> list[str]:
    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text))
    page.add_init_script(RECORD_VIOLATIONS)
    return messages


def csp_refusals(page: Page, messages: list[str]) -> list[str]:
    refused = [text for text in messages if "Content Security Policy" in text or text.startswith("Refused to")]
    return refused + page.evaluate("window.__cspViolations")


@both_widths
def test_public_statistics_draw_the_demo_register_within_the_policy(page: Page, demo_accounts):
    messages = watch_console(page)
    expected = demo_register()

    page.goto("/statistics/")

    for slug in CHARTS:
        drawing = f"#chart-{slug}-drawing"
        assert described(page, drawing) == expected[slug], slug
        assert set(expected[slug]) <= set(drawn_text(page, drawing)), slug
        assert table(page, f"#chart-{slug}-table") == expected[slug], slug
    # The bars carry their numbers: the year's column reads 3.
    assert "3" in drawn_text(page, "#chart-years-drawing")
    # A tooltip, as a pointer opens it: rich text inside the SVG, no HTML with inline styles.
    bar = page.locator("#chart-provinces-drawing svg path[fill='#1d4f91']").first
    bar.hover()
    page.wait_for_timeout(300)
    assert csp_refusals(page, messages) == []
    assert serious_violations(page) == []
    assert page.evaluate(OVERFLOW_SCRIPT) is None


def test_a_charts_csv_downloads_its_table(page: Page, demo_accounts):
    page.goto("/statistics/")

    with page.expect_download() as download:
        page.locator("#chart-provinces-csv").click()

    assert download.value.suggested_filename == "statistics-provinces.csv"
    text = download.value.path().read_bytes().decode("utf-8")
    assert text.startswith("\ufeff")
    header, *rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert header == [chinese("Province"), chinese("Projects")]
    assert {label: int(count) for label, count in rows} == demo_register()["provinces"]


def test_the_secretariat_reads_the_announced_calls_funnel(page: Page, demo_accounts):
    messages = watch_console(page)
    year = timezone.now().astimezone(local_zone()).year - 2
    call = Call.objects.get(year=year)
    log_in(page, "secretariat", DEMO_PASSWORD)
    expect(page).to_have_url(re.compile(r"/dashboard/$"))

    page.goto("/statistics/")
    page.locator(f"#call-statistics-{call.pk}").click()

    expect(page).to_have_url(re.compile(rf"/statistics/calls/{call.pk}/$"))
    with translation.override("zh-hans"):
        stages = list(stage_labels().values())
    # Three applications, submitted, recommended, admitted, shortlisted and announced: three at every stage.
    assert described(page, "#funnel-drawing") == dict.fromkeys(stages, 3)
    assert [f"{stage}: 3" for stage in stages] == [text for text in drawn_text(page, "#funnel-drawing") if ": " in text]
    assert table(page, "#funnel-provinces-table") == {
        chinese(Province.ZHEJIANG.label): 2,  # the first stage's column
        chinese(Province.BEIJING.label): 1,
    }
    assert page.locator("#objection-counts dd").all_inner_texts() == ["0", "0", "0", "0"]
    assert csp_refusals(page, messages) == []
    assert serious_violations(page) == []
