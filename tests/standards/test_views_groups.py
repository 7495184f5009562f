"""Maintaining a social group's record and documents, and registering a group, through the pages."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from guardian.shortcuts import get_perms

from portal.models import Organisation
from standards import services
from standards.models import GroupDocument, SocialGroup
from tests.factories import (
    make_credit_code,
)
from tests.standards.conftest import pdf_upload

pytestmark = pytest.mark.django_db


def test_group_staff_edit_their_groups_record(client, group, group_staff):
    client.force_login(group_staff)

    response = client.post(
        reverse("standards:group_edit", args=[group.pk]),
        {
            "registration_number": group.registration_number,
            "address": "北京市东城区东长安街 12 号",
            "postcode": "100742",
        },
    )

    group.refresh_from_db()
    assert response["Location"] == group.get_absolute_url()
    assert (group.address, group.postcode) == ("北京市东城区东长安街 12 号", "100742")


def test_group_edit_refuses_a_bad_postcode_and_keeps_the_input(client, group, group_staff):
    client.force_login(group_staff)

    response = client.post(reverse("standards:group_edit", args=[group.pk]), {"address": "新地址", "postcode": "12"})

    assert response.status_code == 400
    assert response.context["form"].errors == {"postcode": ["A postcode has six digits."]}
    assert 'value="新地址"' in response.content.decode()


def test_group_staff_publish_a_procedure(client, group, group_staff):
    client.force_login(group_staff)

    client.post(
        reverse("standards:group_document_create", args=[group.pk]),
        {"kind": "procedure", "version_date": "2023-01-01", "title": "团体标准制定程序", "file": pdf_upload()},
    )

    document = group.documents.get()
    assert (document.kind, document.title, document.uploaded_by) == ("procedure", "团体标准制定程序", group_staff)


def test_group_document_refuses_a_renamed_file(client, group, group_staff):
    client.force_login(group_staff)
    fake = SimpleUploadedFile("policy.pdf", b"<html>not a pdf</html>", content_type="application/pdf")

    response = client.post(
        reverse("standards:group_document_create", args=[group.pk]),
        {"kind": "patent_policy", "version_date": "2023-01-01", "file": fake},
    )

    assert response.context["form"].errors == {"file": ["This file is not a PDF."]}
    assert group.documents.count() == 0


def test_group_document_delete_is_for_maintainers_only(client, group, group_staff, other_staff):
    document = services.publish_group_document(
        group=group, kind=GroupDocument.Kind.PROCEDURE, version_date=datetime.date(2020, 1, 1), file=pdf_upload()
    )
    url = reverse("standards:group_document_delete", args=[group.pk, document.pk])

    client.force_login(other_staff)
    refused = client.post(url)
    client.force_login(group_staff)
    refused_get = client.get(url)
    done = client.post(url)

    assert (refused.status_code, refused_get.status_code, done.status_code) == (403, 405, 302)
    assert group.documents.count() == 0


# --- registering a group ----------------------------------------------------------------------------


def _group_data(**changes) -> dict:
    return {
        "organisation-name": "中国光伏行业协会",
        "organisation-code": "cpia",
        "organisation-social_group_type": "association",
        "organisation-province": "110000",
        "organisation-credit_code": make_credit_code(4242),
        "profile-registration_number": "社证字第5412号",
        "profile-postcode": "100846",
        **changes,
    }


def test_secretariat_registers_a_social_group(client, secretariat):
    client.force_login(secretariat)

    response = client.post(reverse("standards:group_create"), _group_data())

    group = SocialGroup.objects.get(organisation__code="CPIA")
    assert response["Location"] == group.get_absolute_url()
    assert (group.organisation.name, group.registration_number) == ("中国光伏行业协会", "社证字第5412号")
    assert get_perms(group.organisation.group, group) == ["change_socialgroup"]


def test_register_group_refuses_a_wrong_credit_code(client, secretariat):
    client.force_login(secretariat)
    code = make_credit_code(4242)
    wrong = code[:17] + ("0" if code[17] != "0" else "1")

    response = client.post(reverse("standards:group_create"), _group_data(**{"organisation-credit_code": wrong}))

    assert response.status_code == 400
    assert list(response.context["organisation_form"].errors) == ["credit_code"]
    assert not Organisation.objects.filter(code="CPIA").exists()


@pytest.mark.parametrize("actor", ["staff", "recommender", "expert"])
def test_only_the_secretariat_registers_groups(client, users, actor):
    client.force_login(users[actor])

    response = client.post(reverse("standards:group_create"), _group_data())

    assert (response.status_code, SocialGroup.objects.filter(organisation__code="CPIA").exists()) == (403, False)


def test_group_detail_shows_edit_links_only_to_maintainers(client, group, group_staff, other_staff):
    edit = reverse("standards:group_edit", args=[group.pk])

    client.force_login(other_staff)
    other_page = client.get(group.get_absolute_url()).content.decode()
    client.force_login(group_staff)
    staff_page = client.get(group.get_absolute_url()).content.decode()

    assert (edit in other_page, edit in staff_page) == (False, True)
