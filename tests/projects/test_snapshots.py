"""What an application said at each submission (`projects.snapshots`), and what a resubmission changed."""

import pytest
from django.utils import translation

from projects import snapshots, workflow
from projects.models import Application, SubmissionSnapshot
from projects.snapshots import Difference, Piece, Row
from tests.factories import (
    CallFactory,
    ProvincialDepartmentFactory,
    SocialGroupFactory,
    make_application,
    member_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def department():
    return ProvincialDepartmentFactory(province="330000", name="浙江省经济和信息化厅")


@pytest.fixture
def application(department):
    group = SocialGroupFactory(province=department.province)
    return make_application(call=CallFactory(), group=group, complete=True, recommender=department)


def _resubmit(application: Application, department, **changes) -> Application:
    """Return the application to its group, change `changes` as the group would, and submit it again."""
    workflow.return_for_revision(application, by=member_of(department), reason="请补充实施效果。")
    Application.objects.filter(pk=application.pk).update(**changes)
    return workflow.submit(application, by=application.created_by)


def _capture(**fields) -> dict:
    """A capture with the given fields, and empty tables unless given."""
    tables = {key: fields.pop(key, []) for key in ("enterprises", "indicators", "attachments")}
    return {"fields": dict.fromkeys(snapshots.FIELDS, "") | fields, **tables}


# --- capture -----------------------------------------------------------------------------------------
def test_capture_holds_fields_as_text_and_tables_as_lines(application):
    data = snapshots.capture(application)

    assert data["fields"]["claims_innovative"] == "✓"
    assert data["fields"]["claims_advanced"] == "✗"
    assert data["fields"]["industry_field"] == "Electronic information"
    assert data["fields"]["recommender"] == "浙江省经济和信息化厅"
    assert data["fields"]["effect"] == "产品合格率提高 5%。"
    assert data["fields"]["enterprises_count"] == "12"
    assert list(data["fields"]) == snapshots.FIELDS
    [enterprise] = data["enterprises"]
    assert enterprise.startswith("示例科技有限公司（91")
    assert data["indicators"] == ["合格率 | ≥99% |  | "]
    assert data["attachments"] == [  # in the order of the slots' stored values
        "Proof of implementation: implementation_proof.pdf",
        "Document that issued the standard: issuing_document.pdf",
        "Legal-person registration certificate: registration_certificate.pdf",
        "Text of the standard: standard_text.pdf",
    ]


# --- submit stores a snapshot --------------------------------------------------------------------------
def test_submit_stores_snapshot_number_one_with_the_content(application):
    submitted = workflow.submit(application, by=application.created_by)

    [snapshot] = SubmissionSnapshot.objects.filter(application=application)
    assert (snapshot.number, snapshot.taken_at) == (1, submitted.submitted_at)
    assert snapshot.data == snapshots.capture(submitted)


def test_resubmission_stores_snapshot_number_two_with_the_revision(application, department):
    workflow.submit(application, by=application.created_by)

    _resubmit(application, department, effect="产品合格率提高 8%。")

    numbers = list(SubmissionSnapshot.objects.filter(application=application).values_list("number", flat=True))
    assert numbers == [1, 2]
    effects = [s.data["fields"]["effect"] for s in SubmissionSnapshot.objects.filter(application=application)]
    assert effects == ["产品合格率提高 5%。", "产品合格率提高 8%。"]


# --- differences ---------------------------------------------------------------------------------------
def test_differences_marks_the_changed_characters_of_a_text_field():
    before = _capture(effect="产品合格率提高 5%。")
    after = _capture(effect="产品合格率提高 8%。")

    changes = snapshots.differences(before, after)

    assert changes == [
        Difference(
            label="effect of the implementation",
            before="产品合格率提高 5%。",
            after="产品合格率提高 8%。",
            pieces=[Piece("", "产品合格率提高 "), Piece("del", "5"), Piece("ins", "8"), Piece("", "%。")],
        )
    ]


def test_differences_finds_a_changed_enterprise_table():
    before = _capture(enterprises=["甲公司（91330000000000000A，浙江省）"])
    after = _capture(enterprises=["甲公司（91330000000000000A，浙江省）", "乙公司（91330000000000000B，浙江省）"])

    [change] = snapshots.differences(before, after)

    assert change.label == "Implementing enterprises"
    assert change.after == "甲公司（91330000000000000A，浙江省）\n乙公司（91330000000000000B，浙江省）"
    # Row by row since issue 10: the new enterprise is one added row, not a run of underlined letters.
    assert (change.pieces, change.rows) == (
        [],
        [Row("", "甲公司（91330000000000000A，浙江省）"), Row("added", "乙公司（91330000000000000B，浙江省）")],
    )


def test_differences_compares_attachments_file_by_file():
    before = _capture(
        attachments=["Proof of implementation: 实施证明.pdf", "Text of the standard: 标准文本.pdf", "Other: 说明.pdf"]
    )
    after = _capture(
        attachments=[
            "Proof of implementation: 实施证明.pdf",
            "Proof of implementation: 实施证明2.pdf",
            "Text of the standard: 标准文本（修订）.pdf",
        ]
    )

    [change] = snapshots.differences(before, after)

    assert (change.label, change.pieces, change.rows) == (
        "Attachments",
        [],
        [
            Row("", "Proof of implementation: 实施证明.pdf"),
            Row("added", "Proof of implementation: 实施证明2.pdf"),
            Row("replaced", "Text of the standard: 标准文本（修订）.pdf", "Text of the standard: 标准文本.pdf"),
            Row("removed", "Other: 说明.pdf"),
        ],
    )


def test_differences_replaces_an_indicator_row_by_its_name_and_removes_another():
    before = _capture(indicators=["甲醛含量 | ≤20 mg/kg | ≤75 mg/kg | ", "pH 值 | 4.0～7.5 |  | "])
    after = _capture(indicators=["甲醛含量 | ≤16 mg/kg | ≤75 mg/kg | "])

    [change] = snapshots.differences(before, after)

    assert change.rows == [
        Row("replaced", "甲醛含量 | ≤16 mg/kg | ≤75 mg/kg | ", "甲醛含量 | ≤20 mg/kg | ≤75 mg/kg | "),
        Row("removed", "pH 值 | 4.0～7.5 |  | "),
    ]


def test_differences_of_unchanged_captures_is_empty(application):
    data = snapshots.capture(application)

    assert snapshots.differences(data, snapshots.capture(application)) == []


# --- last_revision -------------------------------------------------------------------------------------
def test_last_revision_is_none_before_a_resubmission(application):
    assert snapshots.last_revision(application) is None
    workflow.submit(application, by=application.created_by)
    application.refresh_from_db()

    assert snapshots.last_revision(application) is None


def test_last_revision_compares_the_two_latest_submissions(application, department):
    workflow.submit(application, by=application.created_by)
    resubmitted = _resubmit(application, department, effect="产品合格率提高 8%。", contact_name="王联系")

    revision = snapshots.last_revision(resubmitted)

    assert (revision.previous.number, revision.latest.number) == (1, 2)
    assert [(change.label, change.before, change.after) for change in revision.changes] == [
        ("effect of the implementation", "产品合格率提高 5%。", "产品合格率提高 8%。"),
        ("contact person", "李联系", "王联系"),
    ]
