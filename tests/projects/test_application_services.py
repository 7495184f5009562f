"""Saving a draft's sections: any time, incomplete, only while the group may edit, one audit row per save."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from portal.models import AuditEvent
from projects import workflow
from projects.models import ImplementingEnterprise, IndicatorComparison
from projects.services.applications import save_claim, save_section
from standards.models import ApplicationType
from tests.factories import (
    IndustryDelegateFactory,
    MinistryFactory,
    ProvincialDepartmentFactory,
    SocialGroupFactory,
    make_application,
    make_credit_code,
    member_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def group():
    return SocialGroupFactory(province="330000")


@pytest.fixture
def applicant(group):
    return member_of(group)


@pytest.fixture
def draft(group, applicant):
    return make_application(group=group, by=applicant)


def edit_events(application) -> list[tuple[str, str]]:
    events = AuditEvent.objects.for_object(application).filter(action="application.edit")
    return [(event.note, event.actor_label) for event in events]


def test_save_section_writes_its_fields_and_one_audit_row(draft, applicant):
    save_section(
        application=draft,
        by=applicant,
        section="contact",
        fields={"contact_name": "李联系", "contact_phone": "0571-1234567", "contact_email": ""},
    )

    draft.refresh_from_db()
    assert (draft.contact_name, draft.contact_phone, draft.contact_email) == ("李联系", "0571-1234567", "")
    assert edit_events(draft) == [("contact", applicant.get_full_name())]


def test_save_section_refuses_a_field_of_another_section(draft, applicant):
    with pytest.raises(ValueError, match="not in section 'contact'"):
        save_section(application=draft, by=applicant, section="contact", fields={"pledge_accepted": True})

    assert edit_events(draft) == []


def test_save_section_refuses_a_bad_value_by_field(draft, applicant):
    with pytest.raises(ValidationError) as refusal:
        save_section(application=draft, by=applicant, section="contact", fields={"contact_email": "nobody"})

    assert list(refusal.value.error_dict) == ["contact_email"]
    draft.refresh_from_db()
    assert (draft.contact_email, edit_events(draft)) == ("", [])


def test_save_section_replaces_the_table_in_the_given_order(draft, applicant):
    IndicatorComparison.objects.create(application=draft, indicator="旧指标", this_standard="1")
    rows = [
        {"indicator": "热效率", "this_standard": "≥98%", "national_or_industry": "≥96%", "international": ""},
        {"indicator": "噪声", "this_standard": "≤45 dB", "national_or_industry": "", "international": "≤50 dB"},
    ]

    save_section(application=draft, by=applicant, section="advancement", fields={"advancement": "更严。"}, rows=rows)

    saved = IndicatorComparison.objects.filter(application=draft).order_by("position")
    assert [(row.indicator, row.position) for row in saved] == [("热效率", 0), ("噪声", 1)]
    assert edit_events(draft) == [("advancement", applicant.get_full_name())]


def test_save_section_refuses_an_enterprise_with_a_wrong_credit_code_and_keeps_the_old_rows(draft, applicant):
    ImplementingEnterprise.objects.create(
        application=draft, name="原企业", credit_code=make_credit_code(5, "91"), province="330000"
    )
    wrong = make_credit_code(6, "91")[:17] + "0"
    rows = [{"name": "新企业", "credit_code": wrong, "province": "330000"}]

    with pytest.raises(ValidationError, match="Row 1: The check character"):
        save_section(application=draft, by=applicant, section="implementation", fields={}, rows=rows)

    assert list(ImplementingEnterprise.objects.filter(application=draft).values_list("name", flat=True)) == ["原企业"]


def test_save_section_is_refused_once_submitted(group, applicant):
    application = make_application(group=group, by=applicant, complete=True)
    workflow.submit(application, by=applicant)

    with pytest.raises(PermissionDenied):
        save_section(application=application, by=applicant, section="market", fields={"market_competitiveness": "x"})

    application.refresh_from_db()
    assert (application.market_competitiveness, edit_events(application)) == ("产品出口增长。", [])


@pytest.mark.parametrize("who", ["other_group", "secretariat"])
def test_save_section_is_refused_to_anyone_but_the_groups_staff(draft, who):
    user = member_of(SocialGroupFactory()) if who == "other_group" else member_of(MinistryFactory())

    with pytest.raises(PermissionDenied):
        save_section(application=draft, by=user, section="market", fields={"market_competitiveness": "x"})

    assert edit_events(draft) == []


def test_save_claim_saves_types_field_and_an_allowed_recommender(draft, applicant):
    delegate = IndustryDelegateFactory()

    save_claim(
        application=draft,
        by=applicant,
        claims=[ApplicationType.INNOVATIVE],
        industry_field="equipment",
        recommender=delegate,
    )

    draft.refresh_from_db()
    assert (draft.claimed_types, draft.industry_field, draft.recommender) == (["innovative"], "equipment", delegate)
    assert edit_events(draft) == [("claim", applicant.get_full_name())]


def test_save_claim_refuses_a_type_the_standard_does_not_support(draft, applicant):
    with pytest.raises(ValidationError) as refusal:
        save_claim(
            application=draft, by=applicant, claims=[ApplicationType.ADVANCED], industry_field="", recommender=None
        )

    assert refusal.value.message_dict == {
        "claims_advanced": ["The standard's record does not support the claim “Advanced (先进性)”."]
    }
    draft.refresh_from_db()
    assert draft.claims_advanced is False


def test_save_claim_refuses_another_provinces_department(draft, applicant):
    foreign = ProvincialDepartmentFactory(province="440000")

    with pytest.raises(ValidationError) as refusal:
        save_claim(application=draft, by=applicant, claims=[], industry_field="", recommender=foreign)

    assert refusal.value.message_dict == {"recommender": [f"{foreign.name} may not recommend your group."]}


def test_save_claim_refuses_any_recommender_for_a_ministry_managed_group():
    group = SocialGroupFactory(ministry_managed=True)
    staff = member_of(group)
    application = make_application(group=group, by=staff)

    with pytest.raises(ValidationError) as refusal:
        save_claim(
            application=application, by=staff, claims=[], industry_field="", recommender=IndustryDelegateFactory()
        )

    assert list(refusal.value.message_dict) == ["recommender"]


def test_save_claim_refuses_an_unknown_industry_field(draft, applicant):
    with pytest.raises(ValidationError) as refusal:
        save_claim(application=draft, by=applicant, claims=[], industry_field="mining", recommender=None)

    assert list(refusal.value.message_dict) == ["industry_field"]
    assert edit_events(draft) == []
