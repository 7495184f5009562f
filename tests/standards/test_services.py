import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from guardian.shortcuts import get_perms

from portal.choices import OrganisationKind, SocialGroupType
from portal.models import AuditEvent, Organisation
from standards import services
from standards.models import GroupDocument, GroupStandard, SocialGroup, StandardStatus
from tests.factories import (
    GroupProfileFactory,
    GroupStandardFactory,
    ProvincialDepartmentFactory,
    SocialGroupFactory,
    make_credit_code,
)
from tests.standards.conftest import pdf_upload

pytestmark = pytest.mark.django_db

DATES = {"publication_date": datetime.date(2018, 6, 1), "implementation_date": datetime.date(2018, 7, 1)}


def _actions(obj) -> list[str]:
    return list(AuditEvent.objects.for_object(obj).values_list("action", flat=True))


# --- groups -----------------------------------------------------------------------------------------


def test_create_group_profile_grants_the_organisations_group_the_right_to_maintain_it():
    organisation = SocialGroupFactory()

    group = services.create_group_profile(organisation=organisation, legal_representative="孙瑞哲")

    assert get_perms(organisation.group, group) == ["change_socialgroup"]
    assert _actions(group) == ["socialgroup.create"]


def test_create_group_profile_refuses_an_organisation_that_is_not_a_social_group():
    with pytest.raises(ValidationError):
        services.create_group_profile(organisation=ProvincialDepartmentFactory())

    assert SocialGroup.objects.count() == 0


def test_register_social_group_creates_organisation_and_profile():
    group = services.register_social_group(
        organisation={
            "name": "中国纺织工程学会",
            "code": "CTES",
            "social_group_type": SocialGroupType.SOCIETY,
            "credit_code": make_credit_code(77),
        },
        profile={"postcode": "100025"},
    )

    assert (group.organisation.kind, group.code, group.postcode) == (OrganisationKind.SOCIAL_GROUP, "CTES", "100025")
    assert get_perms(group.organisation.group, group) == ["change_socialgroup"]


def test_register_social_group_with_a_bad_credit_code_creates_nothing():
    with pytest.raises(ValidationError) as raised:
        services.register_social_group(
            organisation={
                "name": "中国纺织工程学会",
                "code": "CTES",
                "social_group_type": SocialGroupType.SOCIETY,
                "credit_code": "51100000500001251X",
            },
            profile={},
        )

    assert list(raised.value.message_dict) == ["credit_code"]
    assert not Organisation.objects.filter(code="CTES").exists()


def test_update_group_profile_saves_and_audits_only_what_changed():
    group = GroupProfileFactory(address="旧地址")

    changed = services.update_group_profile(group=group, address="新地址", postcode=group.postcode)

    group.refresh_from_db()
    assert (changed, group.address) == (["address"], "新地址")
    assert _actions(group) == ["socialgroup.create", "socialgroup.update"]


def test_update_group_profile_without_change_writes_nothing():
    group = GroupProfileFactory()

    assert services.update_group_profile(group=group, address=group.address) == []
    assert _actions(group) == ["socialgroup.create"]


def test_update_group_profile_refuses_a_malformed_postcode():
    group = GroupProfileFactory()

    with pytest.raises(ValidationError) as raised:
        services.update_group_profile(group=group, postcode="1000")

    assert raised.value.message_dict == {"postcode": ["A postcode has six digits."]}


def test_publish_group_document_keeps_earlier_versions(group):
    for day in (datetime.date(2019, 1, 1), datetime.date(2021, 1, 1)):
        services.publish_group_document(
            group=group, kind=GroupDocument.Kind.PROCEDURE, version_date=day, file=pdf_upload()
        )

    versions = list(group.documents.values_list("version_date", flat=True))
    assert versions == [datetime.date(2021, 1, 1), datetime.date(2019, 1, 1)]


def test_withdraw_group_document_removes_row_and_file(group, django_capture_on_commit_callbacks):
    document = services.publish_group_document(
        group=group, kind=GroupDocument.Kind.PATENT_POLICY, version_date=datetime.date(2020, 1, 1), file=pdf_upload()
    )
    name = document.file.name

    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw_group_document(document=document)

    assert (group.documents.count(), default_storage.exists(name)) == (0, False)
    assert _actions(group)[-1] == "groupdocument.withdraw"


# --- standards --------------------------------------------------------------------------------------


def test_create_standard_stores_the_number_as_typed_and_normalised(cntac):
    standard = services.create_standard(
        issuer=cntac, number_as_typed="T/CNTAC 8-2018", title_zh="针织运动服装", **DATES
    )

    assert (standard.number_as_typed, standard.number) == ("T/CNTAC 8-2018", "T/CNTAC 8—2018")
    assert _actions(standard) == ["standard.create"]


def test_create_standard_refuses_a_number_written_differently_but_already_registered(cntac):
    services.create_standard(issuer=cntac, number_as_typed="T/CNTAC 8—2018", title_zh="甲", **DATES)

    with pytest.raises(ValidationError) as raised:
        services.create_standard(issuer=cntac, number_as_typed="t/cntac 008-2018", title_zh="乙", **DATES)

    assert raised.value.message_dict == {"number_as_typed": ["T/CNTAC 8—2018 is already in the registry."]}
    assert GroupStandard.objects.count() == 1


def test_create_standard_refuses_another_groups_code(group):
    with pytest.raises(ValidationError) as raised:
        services.create_standard(issuer=group, number_as_typed="T/CNTAC 8—2018", title_zh="甲", **DATES)

    assert raised.value.message_dict == {
        "number_as_typed": [f"The group code CNTAC in this number is not the issuing group's ({group.code})."]
    }


def test_create_standard_accepts_a_co_issuers_code(group, cntac):
    standard = services.create_standard(
        issuer=group, co_issuers=[cntac], number_as_typed="T/CNTAC 9—2019", title_zh="联合发布", **DATES
    )

    assert list(standard.co_issuers.all()) == [cntac]


def test_create_standard_drops_the_issuer_from_its_co_issuers(cntac):
    standard = services.create_standard(
        issuer=cntac, co_issuers=[cntac], number_as_typed="T/CNTAC 9—2019", title_zh="甲", **DATES
    )

    assert list(standard.co_issuers.all()) == []


def test_create_standard_refuses_an_unreadable_number(cntac):
    with pytest.raises(ValidationError) as raised:
        services.create_standard(issuer=cntac, number_as_typed="CNTAC 8", title_zh="甲", **DATES)

    assert list(raised.value.message_dict) == ["number_as_typed"]


def test_create_standard_refuses_implementation_before_publication(cntac):
    with pytest.raises(ValidationError) as raised:
        services.create_standard(
            issuer=cntac,
            number_as_typed="T/CNTAC 8—2018",
            title_zh="甲",
            publication_date=datetime.date(2018, 6, 1),
            implementation_date=datetime.date(2018, 5, 1),
        )

    assert raised.value.messages == ["The implementation date is before the publication date."]
    assert GroupStandard.objects.count() == 0


def test_update_standard_changes_and_audits_only_what_changed(cntac):
    standard = GroupStandardFactory(issuer=cntac)

    changed = services.update_standard(standard=standard, title_zh="新名称", ics=standard.ics)

    standard.refresh_from_db()
    assert (changed, standard.title_zh) == (["title_zh"], "新名称")
    event = AuditEvent.objects.for_object(standard).last()
    assert (event.action, event.note) == ("standard.update", "title_zh")


def test_update_standard_without_change_writes_nothing(cntac):
    standard = GroupStandardFactory(issuer=cntac)

    assert services.update_standard(standard=standard, title_zh=standard.title_zh, co_issuers=[]) == []
    assert _actions(standard) == ["standard.create"]


def test_update_standard_renumbering_is_normalised_and_checked(cntac):
    standard = GroupStandardFactory(issuer=cntac)

    services.update_standard(standard=standard, number_as_typed="T/CNTAC 0012-2020")

    standard.refresh_from_db()
    assert standard.number == "T/CNTAC 12—2020"


def test_update_standard_marks_it_replaced(cntac):
    old, new = GroupStandardFactory(issuer=cntac), GroupStandardFactory(issuer=cntac)

    services.update_standard(
        standard=old, status=StandardStatus.REPLACED, replaced_by=new, repeal_date=datetime.date(2021, 1, 1)
    )

    assert list(new.replaces.all()) == [old]


def test_update_standard_replacing_the_full_text_removes_the_old_file(cntac, django_capture_on_commit_callbacks):
    standard = GroupStandardFactory(issuer=cntac, full_text=pdf_upload("old.pdf"))
    old_name = standard.full_text.name

    with django_capture_on_commit_callbacks(execute=True):
        services.update_standard(standard=standard, full_text=pdf_upload("new.pdf"))

    standard.refresh_from_db()
    assert standard.full_text.name.endswith("/new.pdf")
    assert (default_storage.exists(old_name), default_storage.exists(standard.full_text.name)) == (False, True)


def test_update_standard_keeps_the_full_text_when_none_is_given(cntac):
    standard = GroupStandardFactory(issuer=cntac, full_text=pdf_upload())

    assert services.update_standard(standard=standard, full_text=None) == []
    standard.refresh_from_db()
    assert standard.full_text


def test_update_standard_clears_the_full_text(cntac, django_capture_on_commit_callbacks):
    standard = GroupStandardFactory(issuer=cntac, full_text=pdf_upload())
    name = standard.full_text.name

    with django_capture_on_commit_callbacks(execute=True):
        services.update_standard(standard=standard, full_text=False)

    standard.refresh_from_db()
    assert (standard.full_text.name, default_storage.exists(name)) == ("", False)


def test_add_and_remove_adoption_are_audited_on_the_standard(cntac):
    standard = GroupStandardFactory(issuer=cntac)

    adoption = services.add_adoption(standard=standard, kind="policy", title="行动方案", date=datetime.date(2021, 1, 1))
    services.remove_adoption(adoption=adoption)

    assert standard.adoptions.count() == 0
    assert _actions(standard) == ["standard.create", "adoption.create", "adoption.delete"]


def test_add_evaluation_stores_the_report(cntac):
    standard = GroupStandardFactory(issuer=cntac)
    ratings = dict.fromkeys(["legality", "compliance", "advancement", "internationality", "influence"], "good")

    evaluation = services.add_evaluation(
        standard=standard, evaluator="中国标准化研究院", date=datetime.date(2022, 1, 1), report=pdf_upload(), **ratings
    )

    assert default_storage.exists(evaluation.report.name)
    assert _actions(standard)[-1] == "evaluation.create"


def test_add_evaluation_refuses_an_unknown_rating(cntac):
    standard = GroupStandardFactory(issuer=cntac)
    ratings = dict.fromkeys(["legality", "compliance", "advancement", "internationality", "influence"], "good")

    with pytest.raises(ValidationError) as raised:
        services.add_evaluation(
            standard=standard, evaluator="某机构", date=datetime.date(2022, 1, 1), **{**ratings, "influence": "superb"}
        )

    assert list(raised.value.message_dict) == ["influence"]
