import pytest
from django.core.management import call_command

from portal.choices import OrganisationKind, SocialGroupType
from portal.models import AuditEvent, User
from standards.models import Adoption, Evaluation, GroupDocument, GroupStandard, SocialGroup
from standards.permissions import can_edit_standard, can_see_full_text
from standards.services import seed_demo_standards

pytestmark = pytest.mark.django_db

ISSUE_EXAMPLES = [
    "T/CNTAC 8—2018",
    "T/CNTAC 5—2018",
    "T/CTES 1046—2021",
    "T/CPIA 28.2—2024",
    "T/GZAEPI 1—2018",
    "T/CAS 290—2017",
]


@pytest.fixture
def seeded():
    call_command("seed_demo", verbosity=0)
    seed_demo_standards()


def _counts() -> tuple[int, ...]:
    models = [SocialGroup, GroupStandard, Adoption, Evaluation, GroupDocument, AuditEvent]
    return tuple(model.objects.count() for model in models)


def test_seed_demo_standards_registers_the_issues_real_examples(seeded):
    numbers = set(GroupStandard.objects.values_list("number", flat=True))

    assert set(ISSUE_EXAMPLES) <= numbers
    assert GroupStandard.objects.get(number="T/CNTAC 8—2018").number_as_typed == "T/CNTAC 8-2018"


def test_seed_demo_standards_gives_the_demo_groups_real_looking_standards(seeded):
    zzb = GroupStandard.objects.filter(issuer__organisation__code="ZZB").values_list("number_as_typed", flat=True)
    ccsa = GroupStandard.objects.filter(issuer__organisation__code="CCSA").count()

    assert "T/ZZB 0001—2019" in set(zzb)
    assert (len(zzb) >= 4, ccsa >= 3) == (True, True)


def test_seed_demo_standards_creates_cntac_as_a_social_group(seeded):
    cntac = SocialGroup.objects.select_related("organisation").get(organisation__code="CNTAC")

    assert (cntac.organisation.name, cntac.organisation.kind, cntac.organisation.social_group_type) == (
        "中国纺织工业联合会",
        OrganisationKind.SOCIAL_GROUP,
        SocialGroupType.FEDERATION,
    )
    assert {d.kind for d in cntac.documents.all()} == {"procedure", "patent_policy"}


def test_seed_demo_standards_makes_the_public_pages_alive(seeded):
    standard = GroupStandard.objects.get(number="T/CNTAC 5—2018")

    assert (standard.adoptions.count(), standard.evaluations.count()) == (1, 1)
    assert standard.evaluations.get().report.read(5) == b"%PDF-"
    assert GroupStandard.objects.get(number="T/ZZB 128—2016").replaced_by.number == "T/ZZB 128—2021"


def test_seed_demo_standards_is_idempotent(seeded):
    before = _counts()

    seed_demo_standards()

    assert _counts() == before


def test_demo_applicant_maintains_zzb_but_not_cntac(seeded):
    applicant, secretariat = User.objects.get(username="applicant"), User.objects.get(username="secretariat")
    zzb = GroupStandard.objects.get(number="T/ZZB 1102—2019")
    cntac = GroupStandard.objects.get(number="T/CNTAC 8—2018")

    assert (can_edit_standard(applicant, zzb), can_edit_standard(applicant, cntac)) == (True, False)
    assert can_edit_standard(secretariat, cntac) is True
    assert (can_see_full_text(applicant, zzb), zzb.full_text_public) == (True, False)
