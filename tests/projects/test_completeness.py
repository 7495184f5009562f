"""What an application still lacks, section by section; a complete one lacks nothing."""

import pytest
from django.utils import translation

from portal.choices import Province
from projects.completeness import SECTIONS, missing_items
from projects.models import Application, AttachmentSlot
from standards.models import ApplicationType
from tests.factories import (
    GroupStandardFactory,
    IndustryDelegateFactory,
    ProvincialDepartmentFactory,
    SocialGroupFactory,
    make_application,
    profile_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def complete():
    return make_application(complete=True)


def _missing(application: Application) -> dict[str, list[str]]:
    # A fresh instance: nothing cached from before the change under test.
    return missing_items(Application.objects.get(pk=application.pk))


def _change(application: Application, **fields) -> dict[str, list[str]]:
    Application.objects.filter(pk=application.pk).update(**fields)
    return _missing(application)


def test_complete_application_lacks_nothing(complete):
    assert _missing(complete) == {}


def test_empty_draft_lacks_every_section_in_order():
    missing = _missing(make_application())

    assert list(missing) == [section.key for section in SECTIONS]
    assert missing["contact"] == [
        "Give the contact person's name.",
        "Give the contact person's phone number.",
        "Give the contact person's e-mail address.",
    ]


def test_sections_each_have_a_title_and_guidance():
    assert [(bool(str(s.title)), bool(str(s.guidance))) for s in SECTIONS] == [(True, True)] * len(SECTIONS)


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"claims_innovative": False}, {"claim": ["Claim at least one type: innovative, advanced or international."]}),
        ({"industry_field": ""}, {"claim": ["Choose the industry field."]}),
        (
            {"recommender": None},
            {"claim": ["Choose the recommender: your province's department or an industry delegate."]},
        ),
        ({"advancement": " "}, {"advancement": ["Describe how the standard compares with other standards."]}),
        ({"implementation": ""}, {"implementation": ["Describe how the standard was implemented."]}),
        ({"effect": "\n"}, {"implementation": ["Describe the effect of the implementation."]}),
        ({"enterprises_count": None}, {"implementation": ["Give the number of implementing enterprises."]}),
        ({"output_value": None}, {"implementation": ["Give the output value."]}),
        ({"market_competitiveness": ""}, {"market": ["Describe the market competitiveness."]}),
        ({"social_influence": ""}, {"influence": ["Describe the social influence."]}),
        ({"patent_handling": ""}, {"patents": ["Describe how patents were handled (or state none)."]}),
        ({"promotion_plan": ""}, {"promotion": ["Describe the promotion plan."]}),
        ({"contact_name": ""}, {"contact": ["Give the contact person's name."]}),
        ({"contact_phone": ""}, {"contact": ["Give the contact person's phone number."]}),
        ({"contact_email": ""}, {"contact": ["Give the contact person's e-mail address."]}),
        ({"pledge_accepted": False}, {"pledge": ["Accept the integrity pledge."]}),
    ],
    ids=lambda fields_or_sections: "-".join(fields_or_sections),
)
def test_missing_field_is_named_in_its_section(complete, fields, expected):
    assert _change(complete, **fields) == expected


def test_savings_are_optional(complete):
    assert _change(complete, savings=None) == {}


def test_no_indicator_is_named_in_advancement(complete):
    complete.indicators.all().delete()

    assert _missing(complete) == {"advancement": ["Add at least one indicator to the comparison table."]}


def test_no_enterprise_is_named_in_implementation(complete):
    complete.enterprises.all().delete()

    assert _missing(complete) == {"implementation": ["Add at least one implementing enterprise."]}


@pytest.mark.parametrize(
    ("slot", "label"),
    [
        (AttachmentSlot.REGISTRATION_CERTIFICATE, "Legal-person registration certificate"),
        (AttachmentSlot.ISSUING_DOCUMENT, "Document that issued the standard"),
        (AttachmentSlot.STANDARD_TEXT, "Text of the standard"),
        (AttachmentSlot.IMPLEMENTATION_PROOF, "Proof of implementation"),
    ],
)
def test_missing_required_attachment_is_named(complete, slot, label):
    complete.attachments.filter(slot=slot).delete()

    assert _missing(complete) == {"attachments": [f"Upload: {label}."]}


def test_optional_attachment_slots_are_not_required(complete):
    assert sorted(complete.attachments.values_list("slot", flat=True)) == sorted(
        [
            AttachmentSlot.IMPLEMENTATION_PROOF,
            AttachmentSlot.ISSUING_DOCUMENT,
            AttachmentSlot.REGISTRATION_CERTIFICATE,
            AttachmentSlot.STANDARD_TEXT,
        ]
    )
    assert _missing(complete) == {}


# --- claimed types against the standard's record -----------------------------------------------------
@pytest.mark.parametrize(
    ("claim", "label"),
    [("claims_advanced", "Advanced (先进性)"), ("claims_international", "International (国际性)")],
)
def test_claim_not_supported_by_the_standard_is_named(complete, claim, label):
    # The standard only fills a gap: it supports the innovative claim and nothing else.
    assert complete.standard.eligible_types == [ApplicationType.INNOVATIVE]

    assert _change(complete, **{claim: True}) == {
        "claim": [f"The standard's record does not support the claim “{label}”; correct the claim or the record."]
    }


def test_every_claim_supported_by_the_standard_lacks_nothing():
    group = SocialGroupFactory()
    standard = GroupStandardFactory(
        issuer=profile_of(group),
        fills_gap=True,
        stricter_than="GB 18401—2010",
        international_standard="ISO 14184-1:2011",
    )
    application = make_application(group=group, standard=standard, complete=True)

    assert _change(application, claims_advanced=True, claims_international=True) == {}


# --- the recommender ---------------------------------------------------------------------------------
def test_recommender_of_another_province_is_refused():
    group = SocialGroupFactory(province=Province.ZHEJIANG)
    application = make_application(
        group=group, complete=True, recommender=ProvincialDepartmentFactory(province=Province.JIANGSU)
    )

    assert _missing(application) == {"claim": ["The chosen recommender may not recommend your group; choose another."]}


def test_industry_delegate_may_recommend_any_group():
    application = make_application(complete=True, recommender=IndustryDelegateFactory())

    assert _missing(application) == {}


def test_inactive_department_may_not_recommend():
    group = SocialGroupFactory()
    department = ProvincialDepartmentFactory(province=group.province, is_active=False)
    application = make_application(group=group, complete=True, recommender=department)

    assert _missing(application) == {"claim": ["The chosen recommender may not recommend your group; choose another."]}


def test_ministry_managed_group_needs_no_recommender():
    application = make_application(group=SocialGroupFactory(ministry_managed=True), complete=True)

    assert (application.recommender, _missing(application)) == (None, {})


def test_ministry_managed_group_with_a_recommender_is_told_to_remove_it():
    group = SocialGroupFactory(ministry_managed=True)
    application = make_application(group=group, complete=True)

    missing = _change(application, recommender=ProvincialDepartmentFactory(province=group.province))

    assert missing == {"claim": ["A ministry-managed group applies directly: remove the recommender."]}
