import re

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from guardian.shortcuts import get_perms

from portal.choices import OrganisationKind, Province, SocialGroupType
from portal.models import AuditEvent, Organisation
from portal.validators import credit_code_check_character
from standards.importing import GROUP_COLUMNS, ImportFileError, RowError, RowNote, import_groups, import_standards
from standards.importing.groups import group_type_from_name, province_from_credit_code, provisional_code
from standards.models import GroupStandard, SocialGroup
from tests.factories import GroupProfileFactory, GroupStandardFactory, ProvincialDepartmentFactory, SocialGroupFactory
from tests.standards.conftest import csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db


def credit(first_17: str) -> str:
    return first_17 + credit_code_check_character(first_17)


NATIONAL = credit("51100000MJ0031001")  # registered with the Ministry of Civil Affairs
ZHEJIANG = credit("51330000MJ1234567")  # with Zhejiang's civil-affairs department
NINGBO = credit("51330203MJ7654321")  # with a district of Ningbo, a city designated in the state plan

HEADER_ZH = ["团体名称", "登记证号", "发证机关", "业务范围", "法定代表人", "依托单位", "通讯地址", "邮编", "团体代号"]
HEADER_EN = [
    "Name",
    "Credit code",
    "Registration authority",
    "Business scope",
    "Legal representative",
    "Supporting unit",
    "Address",
    "Postcode",
    "Group code",
]
ROW_NATIONAL = [
    "中国示例纺织品协会",
    NATIONAL,
    "中华人民共和国民政部",
    "纺织品团体标准制定、技术交流。",
    "王建国",
    "中国示例纺织研究院",
    "北京市朝阳区示例路 1 号",
    "100025",
    "CSTA",
]
ROW_ZHEJIANG = [
    "浙江省示例智能制造学会",
    ZHEJIANG,
    "浙江省民政厅",
    "学术交流、团体标准制定。",
    "李华",
    "",
    "浙江省杭州市西湖区示例路 2 号",
    "310012",
    "ZJIM",
]


def _groups() -> list[tuple]:
    """What the registry holds of each social group: the organisation's identity and the whole profile."""
    return list(
        SocialGroup.objects.order_by("organisation__code").values_list(
            "organisation__name",
            "organisation__code",
            "organisation__credit_code",
            "organisation__social_group_type",
            "organisation__province",
            "registration_number",
            "registration_authority",
            "business_scope",
            "legal_representative",
            "supporting_unit",
            "address",
            "postcode",
        )
    )


def _audit() -> list[tuple[str, str, str]]:
    return list(AuditEvent.objects.order_by("id").values_list("action", "target_label", "note"))


# --- reading the file ------------------------------------------------------------------------------------


def test_import_groups_csv_with_chinese_headers_registers_groups():
    report = import_groups(csv_bytes([HEADER_ZH, ROW_NATIONAL, ROW_ZHEJIANG]), filename="groups.csv")

    assert (report.created, report.errors, report.notes) == (
        ["中国示例纺织品协会 (CSTA)", "浙江省示例智能制造学会 (ZJIM)"],
        [],
        [],
    )
    assert _groups() == [
        (
            "中国示例纺织品协会",
            "CSTA",
            NATIONAL,
            SocialGroupType.ASSOCIATION,
            "",
            NATIONAL,
            "中华人民共和国民政部",
            "纺织品团体标准制定、技术交流。",
            "王建国",
            "中国示例纺织研究院",
            "北京市朝阳区示例路 1 号",
            "100025",
        ),
        (
            "浙江省示例智能制造学会",
            "ZJIM",
            ZHEJIANG,
            SocialGroupType.SOCIETY,
            Province.ZHEJIANG,
            ZHEJIANG,
            "浙江省民政厅",
            "学术交流、团体标准制定。",
            "李华",
            "",
            "浙江省杭州市西湖区示例路 2 号",
            "310012",
        ),
    ]
    assert [action for action, _label, _note in _audit()] == [
        "organisation.create",
        "socialgroup.create",
        "organisation.create",
        "socialgroup.create",
    ]


def test_import_groups_gives_each_new_group_its_permission_group():
    import_groups(csv_bytes([HEADER_ZH, ROW_NATIONAL]))

    organisation = Organisation.objects.select_related("standards_profile").get(credit_code=NATIONAL)
    assert (organisation.kind, organisation.group.name) == (OrganisationKind.SOCIAL_GROUP, "org:CSTA")
    assert get_perms(organisation.group, organisation.standards_profile) == ["change_socialgroup"]


def test_import_groups_gb18030_csv():
    data = csv_bytes([HEADER_ZH, ROW_ZHEJIANG], encoding="gb18030")

    report = import_groups(data, filename="groups.csv")

    assert report.created == ["浙江省示例智能制造学会 (ZJIM)"]
    assert Organisation.objects.get(credit_code=ZHEJIANG).name == "浙江省示例智能制造学会"


def test_import_groups_xlsx_with_english_headers_and_number_cells():
    # A spreadsheet keeps a postcode typed as a number, and drops its leading zero (010000: Hohhot).
    inner_mongolia = credit("51150000MJ0000123")
    rows = [
        HEADER_EN,
        ["内蒙古示例乳业协会", inner_mongolia, "内蒙古自治区民政厅", "", "", "", "呼和浩特市", 10000, "NMRY"],
    ]

    report = import_groups(xlsx_bytes(rows), filename="groups.xlsx")

    group = SocialGroup.objects.select_related("organisation").get()
    assert report.created == ["内蒙古示例乳业协会 (NMRY)"]
    assert (group.postcode, group.organisation.province) == ("010000", Province.INNER_MONGOLIA)


def test_import_groups_reads_headers_in_any_case_order_and_width():
    header = ["ＣＲＥＤＩＴ　ＣＯＤＥ", "group NAME", "Postal Code*"]
    row = [f" {NATIONAL.lower()} ", "中国示例纺织品协会", "100025"]

    report = import_groups(csv_bytes([header, row]))

    organisation = Organisation.objects.select_related("standards_profile").get()
    assert (report.errors, organisation.credit_code, organisation.standards_profile.postcode) == (
        [],
        NATIONAL,
        "100025",
    )


def test_import_groups_reads_every_column_of_the_template():
    header = [column.chinese for column in GROUP_COLUMNS]
    values = dict(zip(HEADER_ZH, ROW_NATIONAL, strict=True)) | {"团体类型": "联合会", "省份": "北京市"}

    report = import_groups(csv_bytes([header, [values.get(name, "") for name in header]]))

    organisation = Organisation.objects.get()
    assert report.errors == []
    assert (organisation.code, organisation.social_group_type, organisation.province) == (
        "CSTA",
        SocialGroupType.FEDERATION,
        Province.BEIJING,
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty"),
        ("团体名称,邮编\n".encode(), "Required columns are missing: 登记证号 (credit code)."),
        ("团体名称,Name,登记证号\n".encode(), "These columns appear twice: 团体名称."),
    ],
)
def test_import_groups_refuses_a_malformed_file_with_a_clear_error(data, message):
    with pytest.raises(ImportFileError, match=re.escape(message)):
        import_groups(data, filename="groups.csv")


def test_import_groups_refuses_a_zip_bomb_before_unpacking_it(zip_bomb):
    with pytest.raises(ImportFileError) as refused:
        import_groups(zip_bomb, filename="groups.xlsx")

    assert str(refused.value) == (
        "This workbook cannot be read safely. It would unpack to 256.0\xa0MB; at most 200.0\xa0MB is accepted."
    )


# --- refusals: all or nothing ------------------------------------------------------------------------------


def test_import_groups_reports_each_bad_row_and_imports_nothing(cntac):
    before, events = _groups(), AuditEvent.objects.count()
    header = ["团体名称", "登记证号", "邮编", "团体代号", "团体类型", "省份"]
    rows = [
        header,
        ["中国示例纺织品协会", NATIONAL, "100025", "CSTA", "", ""],
        ["", credit("51100000MJ0000002"), "", "", "", ""],
        ["中国示例一协会", NATIONAL[:17] + "0", "", "", "", ""],
        ["中国示例二协会", NATIONAL, "", "", "", ""],
        ["中国示例三协会", credit("51100000MJ0000003"), "1000", "", "", ""],
        ["中国示例四协会", credit("51100000MJ0000004"), "", "C-4", "", ""],
        ["中国示例五协会", credit("51100000MJ0000005"), "", "CNTAC", "", ""],
        ["中国示例六协会", credit("51100000MJ0000006"), "", "", "基金会", ""],
        ["中国示例七协会", credit("51100000MJ0000007"), "", "", "", "火星"],
        ["中国示例标准化促进会", credit("51100000MJ0000008"), "", "", "", ""],
        ["中国纺织工业联合会", credit("51100000MJ0000009"), "", "", "", ""],
    ]

    report = import_groups(csv_bytes(rows))

    assert [str(error) for error in report.errors] == [
        "row 3: 团体名称: This field cannot be blank.",
        "row 4: 登记证号: The check character of this unified social credit code is wrong: it should be "
        f"{NATIONAL[17]}.",
        f"row 5: The credit code {NATIONAL} already appears in row 2.",
        "row 6: 邮编: A postcode has six digits.",
        "row 7: 团体代号: Use upper-case letters and digits only, e.g. CNTAC.",
        "row 8: 团体代号: CNTAC is already the code of 中国纺织工业联合会.",
        "row 9: 团体类型: “基金会” is not 学会, 协会, 商会, 联合会 or 产业技术联盟.",
        "row 10: 省份: “火星” is not a province or a city specifically designated in the state plan.",
        "row 11: 团体类型: The name “中国示例标准化促进会” does not tell the type: give 学会, 协会, 商会, 联合会 or "
        "产业技术联盟.",
        "row 12: 团体名称: Organisation with this Name already exists.",
    ]
    assert (_groups(), AuditEvent.objects.count()) == (before, events)


def test_import_groups_refuses_a_credit_code_that_is_not_a_social_groups():
    department = ProvincialDepartmentFactory()
    rows = [HEADER_ZH[:2], [department.name, department.credit_code]]

    report = import_groups(csv_bytes(rows))

    assert report.errors == [
        RowError(2, f"登记证号: This credit code is that of {department.name}, which is not a social group.")
    ]


# --- upsert by credit code --------------------------------------------------------------------------------


def test_reimporting_the_same_group_file_changes_nothing():
    data = csv_bytes([HEADER_ZH, ROW_NATIONAL, [*ROW_ZHEJIANG[:-1], ""]])
    import_groups(data)
    before, events = _groups(), AuditEvent.objects.count()

    report = import_groups(data)

    assert (report.created, report.updated, report.errors, report.notes) == ([], [], [], [])
    assert report.unchanged == ["中国示例纺织品协会 (CSTA)", f"浙江省示例智能制造学会 ({provisional_code(ZHEJIANG)})"]
    assert (_groups(), AuditEvent.objects.count()) == (before, events)


def test_import_groups_updates_a_registered_group_and_keeps_columns_left_out():
    profile = GroupProfileFactory(
        organisation=SocialGroupFactory(name="中国示例协会", code="CSX", credit_code=NATIONAL, province=""),
        legal_representative="张三",
    )
    events = AuditEvent.objects.count()
    rows = [
        ["团体名称", "登记证号", "通讯地址", "邮编", "团体代号"],
        ["中国示例纺织品协会", NATIONAL, "北京市东城区新址 9 号", "100010", ""],
    ]

    report = import_groups(csv_bytes(rows))

    profile.refresh_from_db()
    assert (report.created, report.updated, report.errors) == ([], ["中国示例纺织品协会 (CSX)"], [])
    assert (profile.organisation.name, profile.organisation.code, profile.legal_representative) == (
        "中国示例纺织品协会",
        "CSX",
        "张三",
    )
    assert (profile.address, profile.postcode, profile.registration_number) == (
        "北京市东城区新址 9 号",
        "100010",
        NATIONAL,
    )
    assert _audit()[events:] == [
        ("organisation.rename", "中国示例纺织品协会", "name: 中国示例协会 → 中国示例纺织品协会"),
        ("socialgroup.update", "中国示例纺织品协会", "address, postcode, registration_number"),
    ]


def test_import_groups_keeps_a_registered_groups_type_and_province_and_says_so():
    organisation = SocialGroupFactory(credit_code=NATIONAL, province=Province.BEIJING)
    GroupProfileFactory(organisation=organisation, registration_number=NATIONAL)
    rows = [["团体名称", "登记证号", "团体类型", "省份"], [organisation.name, NATIONAL, "学会", "浙江"]]

    report = import_groups(csv_bytes(rows))

    organisation.refresh_from_db()
    assert (organisation.social_group_type, organisation.province) == (SocialGroupType.ASSOCIATION, Province.BEIJING)
    assert (report.unchanged, [str(note) for note in report.notes]) == (
        [f"{organisation.name} ({organisation.code})"],
        [
            f"row 2: 团体类型: {organisation.name} keeps its registered value (Association (协会)); an import "
            "sets it only for a new group.",
            f"row 2: 省份: {organisation.name} keeps its registered value (Beijing); an import sets it only for "
            "a new group.",
        ],
    )


def test_import_groups_adds_a_profile_to_a_social_group_of_the_portal_without_one():
    organisation = SocialGroupFactory(name="中国示例纺织品协会", code="CSTA", credit_code=NATIONAL)

    report = import_groups(csv_bytes([HEADER_ZH, ROW_NATIONAL]))

    assert (report.created, SocialGroup.objects.get().organisation) == (["中国示例纺织品协会 (CSTA)"], organisation)
    assert Organisation.objects.filter(kind=OrganisationKind.SOCIAL_GROUP).count() == 1


def test_import_groups_dry_run_reports_but_writes_nothing():
    events = AuditEvent.objects.count()

    report = import_groups(csv_bytes([HEADER_ZH, ROW_NATIONAL, [*ROW_ZHEJIANG[:-1], ""]]), dry_run=True)

    assert (report.ok, report.saved, report.created) == (
        True,
        False,
        ["中国示例纺织品协会 (CSTA)", f"浙江省示例智能制造学会 ({provisional_code(ZHEJIANG)})"],
    )
    assert len(report.notes) == 1
    assert (_groups(), Organisation.objects.count(), AuditEvent.objects.count()) == ([], 0, events)


# --- the code, the type and the province ------------------------------------------------------------------


def test_provisional_code_is_tmp_and_the_organisation_code_part_of_the_credit_code():
    assert provisional_code(ZHEJIANG) == "TMPMJ1234567"


def test_import_groups_gives_a_new_group_without_a_code_a_provisional_one_and_says_so():
    report = import_groups(csv_bytes([HEADER_ZH[:-1], ROW_ZHEJIANG[:-1]]))

    assert Organisation.objects.get().code == "TMPMJ1234567"
    assert report.notes == [
        RowNote(
            2,
            "浙江省示例智能制造学会 gets the provisional code TMPMJ1234567; import it again with its 团体代号 before "
            "importing its standards.",
        )
    ]


def test_import_groups_corrects_a_provisional_code_so_that_its_standards_import():
    import_groups(csv_bytes([HEADER_ZH[:-1], ROW_ZHEJIANG[:-1]]))
    standards = csv_bytes(
        [
            ["标准编号", "标准名称", "发布日期", "实施日期"],
            ["T/ZJIM 1—2023", "智能工厂评价", "2023-03-01", "2023-04-01"],
        ]
    )
    before = import_standards(standards)

    corrected = import_groups(csv_bytes([HEADER_ZH, ROW_ZHEJIANG]))
    after = import_standards(standards)

    organisation = Organisation.objects.get(credit_code=ZHEJIANG)
    assert [str(error) for error in before.errors] == ["row 2: No social group with the code ZJIM is in the registry."]
    assert (corrected.updated, organisation.code, organisation.group.name) == (
        ["浙江省示例智能制造学会 (ZJIM)"],
        "ZJIM",
        "org:ZJIM",
    )
    assert (after.created, GroupStandard.objects.get().issuer.organisation) == (["T/ZJIM 1—2023"], organisation)
    assert AuditEvent.objects.filter(action="organisation.rename").get().note == "code: TMPMJ1234567 → ZJIM"


def test_import_groups_refuses_to_change_the_code_of_a_group_with_standards(cntac):
    GroupStandardFactory(issuer=cntac)
    organisation = cntac.organisation
    rows = [[*HEADER_ZH[:2], "团体代号"], [organisation.name, organisation.credit_code, "CTIC"]]

    report = import_groups(csv_bytes(rows))

    assert report.errors == [
        RowError(
            2,
            "团体代号: 中国纺织工业联合会 already has standards numbered with its code CNTAC; the code cannot change.",
        )
    ]
    assert Organisation.objects.get(pk=organisation.pk).code == "CNTAC"


@pytest.mark.parametrize(
    ("name", "group_type"),
    [
        ("中国纺织工程学会", SocialGroupType.SOCIETY),
        ("中国光伏行业协会", SocialGroupType.ASSOCIATION),
        ("温州市鞋革商会", SocialGroupType.CHAMBER),
        ("中国纺织工业联合会", SocialGroupType.FEDERATION),
        ("中关村材料试验技术联盟", SocialGroupType.ALLIANCE),
        ("半导体照明产业技术创新战略联盟", SocialGroupType.ALLIANCE),
        ("浙江省品牌建设促进会", ""),
        ("中国标准化研究会", ""),
    ],
)
def test_group_type_from_name_reads_the_names_ending(name, group_type):
    assert group_type_from_name(name) == group_type


def test_import_groups_takes_the_type_column_over_the_name():
    rows = [
        ["团体名称", "登记证号", "团体类型"],
        ["浙江省品牌建设促进会", ZHEJIANG, "协会"],
        ["中国示例联盟", NATIONAL, "联合会"],
    ]

    report = import_groups(csv_bytes(rows))

    types = dict(Organisation.objects.values_list("name", "social_group_type"))
    assert (report.errors, types) == (
        [],
        {"浙江省品牌建设促进会": SocialGroupType.ASSOCIATION, "中国示例联盟": SocialGroupType.FEDERATION},
    )


@pytest.mark.parametrize(
    ("first_17", "province"),
    [
        ("51100000MJ0031001", ""),  # the Ministry of Civil Affairs: a national group
        ("51110000MJ0000001", Province.BEIJING),
        ("51330000MJ1234567", Province.ZHEJIANG),
        ("51330106MJ1234567", Province.ZHEJIANG),  # a district of Hangzhou
        ("51330203MJ7654321", Province.NINGBO),
        ("51440100MJ0107463", Province.GUANGDONG),  # Guangzhou, not designated in the state plan
        ("51440304MJ0000001", Province.SHENZHEN),
        ("51660000MJ0000001", Province.XPCC),
        ("51710000MJ0000001", ""),  # no province of the portal's
    ],
)
def test_province_from_credit_code_reads_the_registering_authoritys_division(first_17, province):
    assert province_from_credit_code(credit(first_17)) == province


def test_import_groups_derives_the_province_from_the_credit_code():
    rows = [HEADER_ZH[:2], ["宁波市示例模具协会", NINGBO], ["中国示例纺织品协会", NATIONAL]]

    import_groups(csv_bytes(rows))

    assert dict(Organisation.objects.values_list("credit_code", "province")) == {NINGBO: Province.NINGBO, NATIONAL: ""}


def test_import_groups_notes_a_credit_code_whose_division_is_no_province():
    taiwan = credit("51710000MJ0000001")

    report = import_groups(csv_bytes([HEADER_ZH[:2], ["示例协会", taiwan]]))

    assert [str(note) for note in report.notes] == [
        "row 2: 示例协会 gets the provisional code TMPMJ0000001; import it again with its 团体代号 before importing "
        "its standards.",
        "row 2: Characters 3–8 of the credit code (710000) name no province; the province is left blank.",
    ]
    assert Organisation.objects.get().province == ""


@pytest.mark.parametrize(
    ("text", "province"),
    [
        ("浙江省", Province.ZHEJIANG),
        ("浙江", Province.ZHEJIANG),
        ("330000", Province.ZHEJIANG),
        ("Zhejiang", Province.ZHEJIANG),
        ("宁波市", Province.NINGBO),
        ("新疆维吾尔自治区", Province.XINJIANG),
        ("广西壮族自治区", Province.GUANGXI),
        ("新疆生产建设兵团", Province.XPCC),
    ],
)
def test_import_groups_reads_the_province_column_by_name_or_code(text, province):
    rows = [["团体名称", "登记证号", "省份"], ["中国示例纺织品协会", NATIONAL, text]]

    report = import_groups(csv_bytes(rows))

    assert (report.errors, Organisation.objects.get().province) == ([], province)


# --- with the standards import ----------------------------------------------------------------------------


def test_standards_import_succeeds_for_groups_loaded_by_the_group_import():
    import_groups(csv_bytes([HEADER_ZH, ROW_NATIONAL, ROW_ZHEJIANG]))
    rows = [
        ["标准编号", "标准名称", "发布日期", "实施日期", "联合发布团体代号"],
        ["T/CSTA 8-2022", "针织运动服装 吸湿速干性能要求", "2022-06-01", "2022-07-01", "ZJIM"],
    ]

    report = import_standards(csv_bytes(rows))

    standard = GroupStandard.objects.get()
    assert (report.created, report.errors) == (["T/CSTA 8—2022"], [])
    assert (standard.issuer.code, [group.code for group in standard.co_issuers.all()]) == ("CSTA", ["ZJIM"])


# --- queries ------------------------------------------------------------------------------------------------


def _unchanged_file(count: int) -> bytes:
    rows = [[*HEADER_ZH[:2], "邮编"]]
    for n in range(count):
        credit_code = credit(f"51330000MJ{n:07d}")
        rows.append([f"浙江省示例第{n}协会", credit_code, "310012"])
    return csv_bytes(rows)


@pytest.mark.parametrize("count", [1, 20])
def test_import_groups_matches_registered_groups_in_a_fixed_number_of_queries(count):
    data = _unchanged_file(count)
    import_groups(data)

    with CaptureQueriesContext(connection) as queries:
        report = import_groups(data)

    assert (len(report.unchanged), len(queries)) == (count, 4)


# --- the command --------------------------------------------------------------------------------------------


def test_import_groups_command_imports_and_reports_provisional_codes(tmp_path, capsys):
    path = tmp_path / "groups.csv"
    path.write_bytes(csv_bytes([HEADER_ZH, ROW_NATIONAL, [*ROW_ZHEJIANG[:-1], ""]]))

    call_command("import_groups", str(path))

    assert capsys.readouterr().out == (
        "row 3: 浙江省示例智能制造学会 gets the provisional code TMPMJ1234567; import it again with its 团体代号 "
        "before importing its standards.\n"
        "Imported groups.csv: 2 new, 0 updated, 0 unchanged.\n"
    )
    assert Organisation.objects.count() == 2


def test_import_groups_command_dry_run_writes_nothing(tmp_path, capsys):
    path = tmp_path / "groups.csv"
    path.write_bytes(csv_bytes([HEADER_ZH, ROW_NATIONAL]))

    call_command("import_groups", str(path), "--dry-run")

    assert capsys.readouterr().out == "Would import groups.csv: 1 new, 0 updated, 0 unchanged.\n"
    assert Organisation.objects.count() == 0


def test_import_groups_command_fails_with_the_row_errors(tmp_path):
    path = tmp_path / "groups.csv"
    path.write_bytes(csv_bytes([HEADER_ZH[:2], ["浙江省品牌建设促进会", ZHEJIANG]]))

    with pytest.raises(CommandError) as failed:
        call_command("import_groups", str(path))

    assert str(failed.value) == (
        "Nothing was imported.\nrow 2: 团体类型: The name “浙江省品牌建设促进会” does not tell the type: give 学会, "
        "协会, 商会, 联合会 or 产业技术联盟."
    )
