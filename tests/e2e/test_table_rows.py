"""The 申报书's tables in a real Chromium (issue 10): rows are added and removed in the page (htmx and
static/js/rows.js), a block pasted from a spreadsheet fills them, a credit code pasted with spaces is taken whole,
and at a phone's 390 px each row is a card of labelled fields with nothing running off the screen.

Selectors use ids, names and URLs, not labels, so the journey holds in Chinese and in English.
"""

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from projects.completeness import SECTIONS
from projects.models import ImplementingEnterprise, IndicatorComparison
from tests.e2e.conftest import ARTIFACTS, log_in
from tests.factories import DEMO_PASSWORD, make_application, make_credit_code

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 390, "height": 844}


def edit(page: Page, application, section: str) -> None:
    page.goto(reverse("projects:application_edit", kwargs={"pk": application.pk, "section": section}))


def save(page: Page) -> None:
    page.locator("main form button[name=save]").click()
    expect(page.locator(".messages .notice-success")).to_be_visible()


def rows(page: Page, prefix: str):
    return page.locator(f"#{prefix}-rows > tr[data-row]")


def names_in_row(page: Page, prefix: str, index: int) -> list[str]:
    return rows(page, prefix).nth(index).locator("input, select").evaluate_all("els => els.map(el => el.name)")


def paste(page: Page, selector: str, text: str) -> None:
    """Paste as a person does: the text on the clipboard, Ctrl+V in the field."""
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.evaluate("text => navigator.clipboard.writeText(text)", text)
    page.locator(selector).focus()
    page.keyboard.press("Control+V")


@pytest.fixture
def phone(browser: Browser, live_server, request):
    """A phone's window (390 CSS pixels), with the journey's screenshot kept as the `page` fixture keeps it."""
    context = browser.new_context(
        base_url=live_server.url, locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{request.node.name}.png", full_page=True)
    context.close()


def test_table_rows_are_added_and_removed_in_the_page(page: Page):
    application = make_application()
    log_in(page, application.created_by.username, DEMO_PASSWORD)
    edit(page, application, "advancement")
    total = page.locator("#id_indicators-TOTAL_FORMS")
    expect(rows(page, "indicators")).to_have_count(2)

    # Added in the page, named with the next index; the focus goes to its first field.
    page.locator("#indicators-add").click()
    expect(rows(page, "indicators")).to_have_count(3)
    expect(total).to_have_value("3")
    expect(page.locator("#id_indicators-2-indicator")).to_be_focused()
    page.locator("#id_indicators-0-indicator").fill("热效率")
    page.locator("#id_indicators-0-this_standard").fill("≥98%")
    page.locator("#id_indicators-1-indicator").fill("待删除")
    page.locator("#id_indicators-2-indicator").fill("噪声")
    page.locator("#id_indicators-2-this_standard").fill("≤45 dB")

    # An unsaved row leaves at once; the rows below move up, renamed, keeping what was typed.
    rows(page, "indicators").nth(1).locator("[data-row-remove]").click()
    expect(rows(page, "indicators")).to_have_count(2)
    expect(total).to_have_value("2")
    expect(page.locator("#id_indicators-1-indicator")).to_have_value("噪声")
    assert names_in_row(page, "indicators", 1) == [
        "indicators-1-indicator",
        "indicators-1-this_standard",
        "indicators-1-national_or_industry",
        "indicators-1-international",
    ]
    expect(rows(page, "indicators").nth(1).locator(".row-number-plain")).to_have_text("2")
    save(page)
    assert list(IndicatorComparison.objects.filter(application=application).values_list("indicator", flat=True)) == [
        "热效率",
        "噪声",
    ]

    # A saved row is removed on saving, through its box.
    expect(rows(page, "indicators")).to_have_count(4)
    page.locator("#id_indicators-0-DELETE").check()
    save(page)
    assert list(IndicatorComparison.objects.filter(application=application).values_list("indicator", flat=True)) == [
        "噪声"
    ]


def test_table_fills_from_a_block_pasted_from_a_spreadsheet(page: Page):
    application = make_application()
    codes = [make_credit_code(n, "91") for n in (11, 12, 13, 14)]
    # As a spreadsheet copies four rows: name, credit code (as printed, with spaces), province; CR LF at the end.
    block = "\r\n".join(
        f"{name}\t{code[:4]} {code[4:8]} {code[8:12]} {code[12:]}\t{province}"
        for name, code, province in zip(
            ["宁波甲电器有限公司", "杭州乙科技有限公司", "深圳丙电子有限公司", "北京丁设备有限公司"],
            codes,
            ["宁波市", "浙江", "440300", "北京市"],
            strict=True,
        )
    )
    log_in(page, application.created_by.username, DEMO_PASSWORD)
    edit(page, application, "implementation")

    paste(page, "#id_enterprises-0-name", block + "\r\n")

    expect(rows(page, "enterprises")).to_have_count(4)
    expect(page.locator("#id_enterprises-TOTAL_FORMS")).to_have_value("4")
    expect(page.locator("#id_enterprises-3-name")).to_have_value("北京丁设备有限公司")
    expect(page.locator("#id_enterprises-1-province")).to_have_value("330000")
    expect(page.locator("#enterprises-status")).not_to_be_empty()
    save(page)
    saved = ImplementingEnterprise.objects.filter(application=application).order_by("position")
    assert [(e.name, e.credit_code, e.province) for e in saved] == [
        ("宁波甲电器有限公司", codes[0], "330200"),
        ("杭州乙科技有限公司", codes[1], "330000"),
        ("深圳丙电子有限公司", codes[2], "440300"),
        ("北京丁设备有限公司", codes[3], "110000"),
    ]


def test_table_paste_stops_at_the_row_cap(page: Page):
    application = make_application()
    log_in(page, application.created_by.username, DEMO_PASSWORD)
    edit(page, application, "advancement")

    paste(page, "#id_indicators-0-indicator", "\n".join(f"指标{n}\t≥{n}" for n in range(1, 106)))

    expect(rows(page, "indicators")).to_have_count(100)
    expect(page.locator("#id_indicators-TOTAL_FORMS")).to_have_value("100")
    expect(page.locator("#id_indicators-99-indicator")).to_have_value("指标100")
    expect(page.locator("#indicators-add")).to_be_disabled()
    save(page)
    assert IndicatorComparison.objects.filter(application=application).count() == 100


def test_credit_code_typed_with_spaces_is_taken_whole_and_saved_without_them(page: Page):
    application = make_application()
    code = make_credit_code(4242, "91")
    spaced = f"{code[:4]} {code[4:8]} {code[8:12]} {code[12:]}".lower()
    log_in(page, application.created_by.username, DEMO_PASSWORD)
    edit(page, application, "implementation")

    page.locator("#id_enterprises-0-name").fill("宁波示例电器有限公司")
    page.locator("#id_enterprises-0-credit_code").press_sequentially(spaced)
    page.locator("#id_enterprises-0-province").select_option("330200")

    expect(page.locator("#id_enterprises-0-credit_code")).to_have_value(spaced)  # not cut at 18
    save(page)
    assert list(
        ImplementingEnterprise.objects.filter(application=application).values_list("credit_code", flat=True)
    ) == [code]
    expect(page.locator("#id_enterprises-0-credit_code")).to_have_value(code)


def test_edit_pages_at_390_px_have_no_horizontal_overflow_and_rows_are_cards(phone: Page):
    application = make_application(complete=True)
    log_in(phone, application.created_by.username, DEMO_PASSWORD)

    overflowing = {}
    for section in [section.key for section in SECTIONS]:
        edit(phone, application, section)
        widths = phone.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        if widths[0] > widths[1]:
            overflowing[section] = widths
    assert overflowing == {}

    # Each row a card: every field as wide as the card, inside the screen, with a visible label.
    for section, prefix in [("advancement", "indicators"), ("implementation", "enterprises")]:
        edit(phone, application, section)
        fields = phone.locator(f"#{prefix}-rows input:not([type=checkbox]):not([type=hidden]), #{prefix}-rows select")
        boxes = fields.evaluate_all("els => els.map(el => el.getBoundingClientRect().toJSON())")
        assert [box for box in boxes if box["width"] < 300 or box["x"] < 0 or box["right"] > PHONE["width"]] == []
        for field_id in fields.evaluate_all("els => els.map(el => el.id)"):
            expect(phone.locator(f"#{prefix}-rows label[for='{field_id}']")).to_be_visible()
