"""The leaked-code check itself (tests/leaks.py): what it reports on a page, and what it lets pass."""

from tests.leaks import Leak, find_half_width_punctuation, find_leaks


def _page(body: str, *, lang: str = "zh-hans") -> str:
    return f'<!doctype html><html lang="{lang}"><head><title>测试</title></head><body><main>{body}</main></body></html>'


def _codes(html: str, **kwargs) -> list[tuple[str, str]]:
    return [(leak.code, leak.kind) for leak in find_leaks(html, **kwargs)]


def test_find_leaks_reports_actions_identifiers_choices_fields_and_sections_on_a_chinese_page():
    html = _page(
        "<table><tr><td>application.return_for_revision</td><td>submitted → recommended</td></tr></table>"
        "<p>opens_at, deadline</p><p>holiday</p><p>advancement</p><p>claim</p>"
    )

    assert _codes(html) == [
        ("application.return_for_revision", "action"),
        ("submitted", "choice"),
        ("recommended", "choice"),
        ("opens_at", "identifier"),
        ("deadline", "field"),
        ("holiday", "choice"),
        ("advancement", "field"),
        ("claim", "section"),
    ]


def test_find_leaks_says_where_the_code_is_and_quotes_its_words():
    html = _page('<section id="history"><ol class="timeline"><li><span>call.update</span></li></ol></section>')

    assert find_leaks(html) == [
        Leak("call.update", "action", "main > section#history > ol.timeline > li > span", "call.update")
    ]


def test_find_leaks_on_an_english_page_reports_only_what_no_english_word_is():
    html = _page("<p>The call was submitted. Its deadline: 1 May.</p><p>not_recommended</p>", lang="en")

    assert _codes(html) == [("not_recommended", "identifier")]


def test_find_leaks_passes_words_around_codes_machine_text_and_what_is_hidden():
    html = _page(
        "<p>Technical requirements for sample products — Part 3</p>"  # an English title on a Chinese page
        "<p>contact@example.cn · https://example.cn/standard_text · 实施证明_2.pdf · T/ZZB 128—2021</p>"
        '<code>application.submit</code><kbd>opens_at</kbd><p translate="no">draft</p>'
        '<p hidden>holiday</p><script src="/static/js/a.js"></script><input name="contact_name" value="draft">'
    )

    assert _codes(html) == []


def test_find_leaks_allows_the_given_user_names():
    html = _page("<td>王秘书 (secretariat)</td><td>li_shen</td>")

    assert _codes(html, allowed={"secretariat", "li_shen"}) == []


def test_find_half_width_punctuation_reports_ascii_marks_in_chinese_text_and_doubled_ones():
    html = _page(
        "<label>联系人:</label><p>(3 周后).</p><p>（3 周后）.</p><p>北京市 (100834)</p>"
        "<label>本人同意上述诚信承诺。:</label>"
        "<p>联系人：李联系（3 周后）。T/ZZB 128—2021, 2027-01-13 17:00 实施证明.pdf</p>"
    )

    found = [(leak.code, leak.context) for leak in find_half_width_punctuation(html)]

    assert found == [
        (":", "联系人:"),
        (")", "(3 周后)."),
        (".", "（3 周后）."),
        ("(", "北京市 (100834)"),
        (":", "本人同意上述诚信承诺。:"),
    ]


def test_find_half_width_punctuation_leaves_an_english_page_alone():
    assert find_half_width_punctuation(_page("<p>Society (学会): 3</p>", lang="en")) == []
