"""The application's and the call's pages in the words their readers use (issue 10): labels for the codes in
the history, one term per thing, Chinese punctuation in Chinese, and a resubmission's tables compared row by
row. Chinese pages are compared with the Chinese text; where a page's English is clearer to pin, with English."""

import datetime
import re

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from portal.workdays import local_zone
from projects import workflow
from projects.models import Application, Attachment, AttachmentSlot
from projects.services.applications import save_claim, save_section
from standards.files import minimal_pdf
from tests.factories import (
    CallFactory,
    MinistryFactory,
    ProvincialDepartmentFactory,
    SocialGroupFactory,
    make_application,
    member_of,
)
from tests.leaks import find_half_width_punctuation, find_leaks

pytestmark = pytest.mark.django_db
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _text(response) -> str:
    return " ".join(response.content.decode().split())


def _timeline(html: str) -> str:
    start = html.index('<ol class="timeline"')
    return html[start : html.index("</ol>", start)]


@pytest.fixture
def department():
    return ProvincialDepartmentFactory(province="330000", name="浙江省经济和信息化厅")


@pytest.fixture
def application(department):
    group = SocialGroupFactory(province=department.province)
    return make_application(call=CallFactory(), group=group, complete=True, recommender=department)


# --- the history -------------------------------------------------------------------------------------------
def test_application_history_names_the_sections_saved_not_their_keys(client, application):
    by = application.created_by
    save_claim(application=application, by=by, claims=["innovative"], industry_field="electronics", recommender=None)
    save_section(application=application, by=by, section="advancement", fields={"advancement": "指标严于行业标准。"})
    client.force_login(by)

    html = client.get(application.get_absolute_url()).content.decode()

    notes = re.findall(r"<p>([^<]*)</p>", _timeline(html))
    assert notes == ["申报类型与推荐单位", "标准情况及先进性"]
    assert find_leaks(html, allowed={by.username}) == []


# --- one word per thing --------------------------------------------------------------------------------------
def test_contact_section_calls_the_contact_persons_name_a_name_of_a_person(client, application):
    client.force_login(application.created_by)

    content = _text(client.get(application.get_absolute_url()))

    assert "<dt>姓名</dt><dd>李联系</dd>" in content


def test_savings_are_called_the_same_in_the_form_and_on_the_application(client, application):
    client.force_login(application.created_by)
    edit_url = reverse("projects:application_edit", kwargs={"pk": application.pk, "section": "implementation"})

    form = _text(client.get(edit_url))
    view = _text(client.get(application.get_absolute_url()))

    assert ('<label for="id_savings">节约成本（万元）：</label>' in form, "<dt>节约成本（万元）</dt>" in view) == (
        True,
        True,
    )
    assert ("节约金额" in form, "节约金额" in view) == (False, False)


def test_pledge_label_ending_in_a_full_stop_gets_no_colon(client, application):
    client.force_login(application.created_by)

    content = _text(
        client.get(reverse("projects:application_edit", kwargs={"pk": application.pk, "section": "pledge"}))
    )

    assert '<label for="id_pledge_accepted">本人代表社会团体，已阅读并同意上述诚信承诺。</label>' in content


def test_print_view_gives_its_title_once_in_chinese_and_the_chinese_title_beside_the_english(client, application):
    client.force_login(application.created_by)
    url = reverse("projects:application_print", kwargs={"pk": application.pk})

    chinese = _text(client.get(url))
    english = _text(client.get(url, **ENGLISH))

    assert (chinese.count("团体标准应用示范项目申报书"), "cover-subtitle" in chinese) == (1, False)
    assert '<p class="cover-subtitle" lang="zh-Hans">（团体标准应用示范项目申报书）</p>' in english


# --- the changes of a resubmission -----------------------------------------------------------------------
def test_resubmission_lists_an_added_and_a_replaced_file_as_rows(client, application, department):
    workflow.submit(application, by=application.created_by)
    recommender = member_of(department)
    workflow.return_for_revision(application, by=recommender, reason="请补充实施证明。")
    Attachment.objects.filter(application=application, slot=AttachmentSlot.STANDARD_TEXT).update(
        original_name="标准文本（修订）.pdf"
    )
    Attachment.objects.create(
        application=application,
        slot=AttachmentSlot.IMPLEMENTATION_PROOF,
        file=ContentFile(minimal_pdf("proof"), name="proof2.pdf"),
        original_name="实施证明2.pdf",
        size=300,
        content_type="application/pdf",
        uploaded_by=application.created_by,
    )
    workflow.submit(Application.objects.get(pk=application.pk), by=application.created_by)
    client.force_login(recommender)

    content = _text(client.get(application.get_absolute_url(), **ENGLISH))

    section = content[content.index('id="revision"') : content.index("</section>", content.index('id="revision"'))]
    rows = re.findall(r'<li class="revision-row-(\w+)">(.*?)</li>', section)
    shown = [(op, re.sub(r"<[^>]+>", "", row).strip()) for op, row in rows if op != "unchanged"]
    assert shown == [
        ("added", "Added Proof of implementation: 实施证明2.pdf"),
        ("replaced", "Replaced Text of the standard: standard_text.pdf →by Text of the standard: 标准文本（修订）.pdf"),
    ]
    assert "<ins>Proof of implementation: 实施证明2.pdf</ins>" in section


# --- the call's pages ---------------------------------------------------------------------------------------
def test_call_form_names_the_year_and_says_what_each_date_must_be(client):
    client.force_login(member_of(MinistryFactory()))

    english = _text(client.get(reverse("projects:call_create"), **ENGLISH))
    chinese = _text(client.get(reverse("projects:call_create")))

    helps = dict(re.findall(r'<div class="helptext" id="id_(\w+)_helptext">(.*?)</div>', english))
    assert '<label for="id_year">Year of the call:</label>' in english
    assert (helps["implementation_cutoff"], helps["publicity_opens_on"]) == (
        "A standard must have been implemented at least six months before this date. It is no later than the "
        "submission deadline's date.",
        "The first day of the shortlist's public notice. It is after the recommendation deadline's "
        "date; leave it empty until the notice is scheduled.",
    )
    assert '<label for="id_year">批次年度：</label>' in chinese


def test_call_form_refusals_use_the_dates_names_of_the_form(client):
    client.force_login(member_of(MinistryFactory()))
    moment = datetime.datetime(2027, 2, 26, 17, 0, tzinfo=local_zone())
    data = {
        "year": 2027,
        "title": "2027年团体标准应用示范项目",
        "notice_number": "工信厅科函〔2027〕1号",
        "opens_at": "2027-01-04T09:00",
        "deadline": f"{moment:%Y-%m-%dT%H:%M}",
        "implementation_cutoff": "2027-03-01",
        "recommendation_deadline": "2027-03-19T17:00",
        "default_quota": 5,
        "publicity_working_days": 5,
        "publicity_opens_on": "2027-03-19",
    }

    errors = client.post(reverse("projects:call_create"), data).context["form"].errors

    assert (errors["implementation_cutoff"], errors["publicity_opens_on"]) == (
        ["实施截止日期不得晚于申报截止时间所在日期（2027-02-26）。"],
        ["公示开始日期须晚于推荐截止时间所在日期（2027-03-19）。"],
    )


def test_call_page_writes_the_time_left_in_the_readers_punctuation(client):
    call = CallFactory()

    chinese = _text(client.get(call.get_absolute_url()))
    english = _text(client.get(call.get_absolute_url(), **ENGLISH))

    time_left = r'<p class="notice notice-success" id="time-left">(.*?)</p>'
    assert re.search(r"（\d+ 周，\d+ 日后）。", re.search(time_left, chinese).group(1))
    assert re.search(r"\(in \d+ weeks, \d+ days\)\.", re.search(time_left, english).group(1))
    assert find_half_width_punctuation(chinese) == []
