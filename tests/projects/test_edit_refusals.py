"""Editing an application's sections and attachments refuses in order: 404 for who may not see it, 403 for who
may see it but never edit it, 409 for its group once it is no longer a draft (or returned)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from standards.files import minimal_pdf
from tests.factories import ProvincialDepartmentFactory, SocialGroupFactory, member_of, submitted_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def application():
    return submitted_application(recommender=ProvincialDepartmentFactory(), same_province=True)


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def actors(application) -> dict[str, Client]:
    return {
        "other group": client_of(member_of(SocialGroupFactory())),
        "recommender": client_of(member_of(application.recommender)),
        "group": client_of(application.created_by),
    }


def test_editing_a_submitted_section_is_refused_in_order(application):
    url = f"/applications/{application.pk}/edit/implementation/"

    statuses = {name: client.get(url).status_code for name, client in actors(application).items()}
    posted = actors(application)["group"].post(url, {"implementation": "改了"})

    assert statuses == {"other group": 404, "recommender": 403, "group": 409}
    assert posted.status_code == 409
    assert "只有草稿或退回修改的申报书才能修改" in posted.content.decode()
    application.refresh_from_db()
    assert application.implementation == "已在 12 家企业实施。"


def test_uploading_to_a_submitted_application_is_refused_in_order(application):
    url = f"/applications/{application.pk}/attachments/"

    def post(client):
        upload = SimpleUploadedFile("补充.pdf", minimal_pdf("x"), "application/pdf")
        return client.post(url, {"slot": "other", "file": upload})

    responses = {name: post(client) for name, client in actors(application).items()}

    assert {name: response.status_code for name, response in responses.items()} == {
        "other group": 404,
        "recommender": 403,
        "group": 409,
    }
    assert "只有草稿或退回修改的申报书才能修改" in responses["group"].content.decode()
    assert application.attachments.filter(slot="other").exists() is False


def test_removing_an_attachment_of_a_submitted_application_is_refused_in_order(application):
    attachment = application.attachments.first()
    url = f"/applications/{application.pk}/attachments/{attachment.pk}/delete/"

    statuses = {name: client.post(url).status_code for name, client in actors(application).items()}

    assert statuses == {"other group": 404, "recommender": 403, "group": 409}
    assert application.attachments.filter(pk=attachment.pk).exists()
