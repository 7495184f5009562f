"""Maintaining standards, adoptions and evaluations through the pages."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portal.models import AuditEvent
from standards.models import Adoption, Evaluation, GroupStandard
from tests.factories import (
    AdoptionFactory,
    EvaluationFactory,
    GroupStandardFactory,
)
from tests.standards.conftest import pdf_upload

pytestmark = pytest.mark.django_db


def _standard_data(**changes) -> dict:
    return {
        "number_as_typed": "T/CNTAC 8-2018",
        "issuer": "",
        "title_zh": "针织运动服装 吸湿速干性能要求",
        "status": "current",
        "publication_date": "2018-06-01",
        "implementation_date": "2018-07-01",
        "ics": "59.080.30",
        "ccs": "W64",
        "stricter_than": "GB/T 21655.1—2008",
        **changes,
    }


def test_secretariat_adds_a_standard_with_its_full_text(client, secretariat, cntac):
    client.force_login(secretariat)
    data = _standard_data(issuer=cntac.pk, full_text=pdf_upload("全文.pdf"), full_text_public="on")

    response = client.post(reverse("standards:standard_create"), data)

    standard = GroupStandard.objects.get()
    assert response["Location"] == standard.get_absolute_url()
    assert (standard.number, standard.issuer, standard.full_text_public) == ("T/CNTAC 8—2018", cntac, True)
    assert standard.full_text.name.endswith("/全文.pdf")
    assert AuditEvent.objects.for_object(standard).get().actor == secretariat


def test_standard_create_refuses_another_groups_number_and_keeps_what_was_typed(client, group, group_staff):
    client.force_login(group_staff)

    response = client.post(reverse("standards:standard_create"), _standard_data(issuer=group.pk))

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "number_as_typed": [f"The group code CNTAC in this number is not the issuing group's ({group.code})."]
    }
    assert 'value="针织运动服装 吸湿速干性能要求"' in response.content.decode()
    assert GroupStandard.objects.count() == 0


def test_standard_create_refuses_staff_naming_a_group_they_do_not_maintain(client, group_staff, cntac):
    client.force_login(group_staff)

    response = client.post(reverse("standards:standard_create"), _standard_data(issuer=cntac.pk))

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["issuer"]
    assert GroupStandard.objects.count() == 0


def test_standard_create_refuses_a_file_that_is_not_a_pdf(client, secretariat, cntac):
    client.force_login(secretariat)
    fake = SimpleUploadedFile("scan.pdf", b"GIF89a not a pdf", content_type="application/pdf")

    response = client.post(reverse("standards:standard_create"), _standard_data(issuer=cntac.pk, full_text=fake))

    assert response.context["form"].errors == {"full_text": ["This file is not a PDF."]}
    assert GroupStandard.objects.count() == 0


def test_standard_create_refuses_inconsistent_dates_on_the_form(client, secretariat, cntac):
    client.force_login(secretariat)

    response = client.post(
        reverse("standards:standard_create"), _standard_data(issuer=cntac.pk, implementation_date="2018-05-01")
    )

    assert response.context["form"].non_field_errors() == ["The implementation date is before the publication date."]


def test_group_staff_edit_their_standard(client, group_staff, standard):
    client.force_login(group_staff)
    data = _standard_data(issuer=standard.issuer_id, number_as_typed=f"T/{standard.issuer.code} 0001-2020")
    data["title_zh"] = "新名称"

    response = client.post(reverse("standards:standard_edit", args=[standard.pk]), data)

    standard.refresh_from_db()
    assert response["Location"] == standard.get_absolute_url()
    assert (standard.title_zh, standard.number_as_typed, standard.ics) == (
        "新名称",
        f"T/{standard.issuer.code} 0001-2020",
        "59.080.30",
    )


def test_other_groups_staff_cannot_post_an_edit(client, other_staff, standard):
    client.force_login(other_staff)

    response = client.post(
        reverse("standards:standard_edit", args=[standard.pk]), _standard_data(issuer=standard.issuer_id)
    )

    standard.refresh_from_db()
    assert (response.status_code, standard.title_zh) == (403, "旧名称")


def test_edit_marks_a_standard_replaced_by_number_in_any_form(client, secretariat, standard, group):
    successor = GroupStandardFactory(issuer=group, number_as_typed=f"T/{group.code} 1—2023")
    client.force_login(secretariat)
    data = _standard_data(
        issuer=group.pk,
        number_as_typed=standard.number_as_typed,
        status="replaced",
        repeal_date="2023-06-01",
        replaced_by_number=f"t/{group.code.lower()} 001-2023",
    )

    client.post(reverse("standards:standard_edit", args=[standard.pk]), data)

    standard.refresh_from_db()
    assert (standard.status, standard.replaced_by) == ("replaced", successor)


def test_edit_refuses_an_unknown_successor(client, secretariat, standard, group):
    client.force_login(secretariat)
    data = _standard_data(issuer=group.pk, number_as_typed=standard.number_as_typed, replaced_by_number="T/ABC 1—2020")

    response = client.post(reverse("standards:standard_edit", args=[standard.pk]), data)

    assert response.context["form"].errors == {
        "replaced_by_number": ["No standard with this number is in the registry."]
    }


def test_staff_record_and_remove_an_adoption(client, group_staff, standard):
    client.force_login(group_staff)

    client.post(
        reverse("standards:adoption_create", args=[standard.pk]),
        {
            "kind": "industry_standard",
            "title": "FZ/T 73070—2021",
            "date": "2021-04-01",
            "conversion_target": "industry",
            "conversion_status": "published",
        },
    )
    adoption = standard.adoptions.get()
    client.post(reverse("standards:adoption_delete", args=[standard.pk, adoption.pk]))

    assert (adoption.conversion_target, Adoption.objects.count()) == ("industry", 0)


def test_adoption_form_shows_an_incomplete_conversion(client, group_staff, standard):
    client.force_login(group_staff)

    response = client.post(
        reverse("standards:adoption_create", args=[standard.pk]),
        {"kind": "policy", "title": "方案", "date": "2021-04-01", "conversion_target": "national"},
    )

    assert response.context["form"].non_field_errors() == ["A conversion names both the target and its status."]


def test_other_staff_cannot_remove_an_adoption(client, other_staff, standard):
    adoption = AdoptionFactory(standard=standard)
    client.force_login(other_staff)

    response = client.post(reverse("standards:adoption_delete", args=[standard.pk, adoption.pk]))

    assert (response.status_code, Adoption.objects.count()) == (403, 1)


def test_secretariat_records_an_evaluation_with_its_report(client, secretariat, standard):
    client.force_login(secretariat)
    data = {
        "evaluator": "中国标准化研究院",
        "date": "2022-05-10",
        **dict.fromkeys(["legality", "compliance", "advancement", "internationality", "influence"], "good"),
        "advancement_comment": "指标严于国家标准",
        "report": pdf_upload("评价报告.pdf"),
    }

    client.post(reverse("standards:evaluation_create", args=[standard.pk]), data)

    evaluation = standard.evaluations.get()
    assert (evaluation.advancement_comment, evaluation.report.name.endswith("/评价报告.pdf")) == (
        "指标严于国家标准",
        True,
    )


def test_evaluation_delete_by_staff(client, group_staff, standard):
    evaluation = EvaluationFactory(standard=standard)
    client.force_login(group_staff)

    client.post(reverse("standards:evaluation_delete", args=[standard.pk, evaluation.pk]))

    assert Evaluation.objects.count() == 0
