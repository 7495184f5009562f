"""The attachments page, its uploads, the checked download and the removal."""

import re

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portal.models import AuditEvent
from projects import workflow
from projects.models import Attachment, AttachmentSlot
from tests.factories import MinistryFactory, SocialGroupFactory, make_application, member_of
from tests.projects.test_files import docx_bytes, jpeg_bytes, pdf_bytes, png_bytes

pytestmark = pytest.mark.django_db
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def group():
    return SocialGroupFactory()


@pytest.fixture
def applicant(group):
    return member_of(group)


@pytest.fixture
def application(group, applicant):
    return make_application(group=group, by=applicant, complete=True)


def page_url(application) -> str:
    return reverse("projects:attachment_upload", kwargs={"pk": application.pk})


def download_url(attachment) -> str:
    return reverse(
        "projects:attachment_download", kwargs={"pk": attachment.application_id, "attachment_pk": attachment.pk}
    )


def delete_url(attachment) -> str:
    return reverse(
        "projects:attachment_delete", kwargs={"pk": attachment.application_id, "attachment_pk": attachment.pk}
    )


def upload(client, application, slot: str, *files: SimpleUploadedFile, follow: bool = False):
    return client.post(page_url(application), {"slot": slot, "file": list(files)}, follow=follow, **ENGLISH)


def names_in(application, slot: str) -> list[str]:
    return list(
        Attachment.objects.filter(application=application, slot=slot)
        .order_by("id")
        .values_list("original_name", flat=True)
    )


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def slot_errors(response) -> dict[str, list[str]]:
    """The error messages shown in each slot's section, for the slots that show any."""
    sections = re.findall(
        r'<section class="card attachment-slot[^"]*" id="upload-(\w+)"(.*?)</section>', text(response)
    )
    found = {}
    for slot, section in sections:
        lists = re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', section)
        if messages := [
            re.sub(r"<[^>]+>", "", item) for found_list in lists for item in re.findall(r"<li>(.*?)</li>", found_list)
        ]:
            found[slot] = messages
    return found


# --- the page ---------------------------------------------------------------------------------------
def test_attachment_page_lists_every_slot_with_its_files_and_the_upload_form(client, application, applicant):
    client.force_login(applicant)

    response = client.get(page_url(application), **ENGLISH)

    body = text(response)
    for slot in AttachmentSlot:
        assert str(slot.label) in body
    assert body.count(">Required</span>") == 4
    assert body.count(">Optional</span>") == 2
    assert "implementation_proof.pdf" in body
    assert body.count(">Delete<") == 4
    # Each slot has its own upload form (issue 10): its slot a hidden field, its file control named after it.
    assert re.findall(r'<input type="hidden" name="slot" value="(\w+)" id="id_\1_slot">', body) == list(
        AttachmentSlot.values
    )
    file_inputs = re.findall(r'<input type="file" name="file"([^>]*) id="id_(\w+)_file">', body)
    assert [(slot, " multiple" in attributes) for attributes, slot in file_inputs] == [
        ("registration_certificate", False),
        ("issuing_document", False),
        ("standard_text", False),
        ("implementation_proof", True),
        ("conversion_proof", False),
        ("other", True),
    ]
    assert [slot for slot in AttachmentSlot.values if f'for="id_{slot}_file"' in body] == list(AttachmentSlot.values)


def test_attachment_page_is_read_only_after_submission(client, application, applicant):
    workflow.submit(application, by=applicant)
    client.force_login(applicant)

    response = client.get(page_url(application), **ENGLISH)

    body = text(response)
    assert response.status_code == 200
    assert "can be changed only while the application is a draft or has been returned" in body
    assert 'id="id_file"' not in body
    assert ">Delete<" not in body
    assert "registration_certificate.pdf" in body


def test_attachment_page_is_read_only_for_the_recommender_once_submitted(client, application, applicant):
    recommender = member_of(application.recommender)
    client.force_login(recommender)

    before = client.get(page_url(application), **ENGLISH)
    workflow.submit(application, by=applicant)
    after = client.get(page_url(application), **ENGLISH)

    assert before.status_code == 404
    assert "standard_text.pdf" in text(after)
    assert 'id="id_file"' not in text(after)


def test_attachment_page_is_read_only_for_the_secretariat_once_submitted(client, application, applicant):
    client.force_login(member_of(MinistryFactory()))

    before = client.get(page_url(application), **ENGLISH)
    workflow.submit(application, by=applicant)
    after = client.get(page_url(application), **ENGLISH)

    assert before.status_code == 404
    assert "standard_text.pdf" not in text(before)
    assert "standard_text.pdf" in text(after)
    assert 'id="id_file"' not in text(after)
    assert ">Delete<" not in text(after)


def test_attachment_page_is_not_found_for_another_group(client, application):
    client.force_login(member_of(SocialGroupFactory()))

    response = client.get(page_url(application), **ENGLISH)

    assert response.status_code == 404
    assert "registration_certificate.pdf" not in text(response)


# --- uploads ----------------------------------------------------------------------------------------
def test_upload_stores_the_file_under_a_random_name_with_its_recognised_type(client, application, applicant):
    client.force_login(applicant)

    response = upload(client, application, "other", SimpleUploadedFile("../../现场 照片.PNG", png_bytes()), follow=True)

    attachment = Attachment.objects.get(application=application, slot="other")
    assert (attachment.original_name, attachment.content_type, attachment.size, attachment.uploaded_by) == (
        "现场_照片.png",
        "image/png",
        len(png_bytes()),
        applicant,
    )
    assert re.fullmatch(rf"applications/{application.pk}/other/[0-9a-f]{{32}}\.png", attachment.file.name)
    assert default_storage.open(attachment.file.name).read() == png_bytes()
    assert "Uploaded: 现场_照片.png." in text(response)


def test_upload_is_audited_on_the_application(client, application, applicant):
    client.force_login(applicant)

    upload(client, application, "other", SimpleUploadedFile("表.docx", docx_bytes()))

    event = AuditEvent.objects.for_object(application).get(action="attachment.add")
    assert (event.actor, event.note) == (applicant, "Other: 表.docx")


def test_upload_takes_several_files_as_proof_of_implementation(client, application, applicant):
    client.force_login(applicant)

    upload(
        client,
        application,
        "implementation_proof",
        SimpleUploadedFile("合同.pdf", pdf_bytes()),
        SimpleUploadedFile("照片.jpg", jpeg_bytes()),
    )

    assert names_in(application, "implementation_proof") == ["implementation_proof.pdf", "合同.pdf", "照片.jpg"]


def test_upload_replaces_the_file_of_a_single_file_slot(
    client, application, applicant, django_capture_on_commit_callbacks
):
    old = Attachment.objects.get(application=application, slot="standard_text")
    client.force_login(applicant)

    with django_capture_on_commit_callbacks(execute=True):
        upload(client, application, "standard_text", SimpleUploadedFile("新版文本.pdf", pdf_bytes()))

    assert names_in(application, "standard_text") == ["新版文本.pdf"]
    assert not default_storage.exists(old.file.name)


def test_upload_refuses_content_not_matching_the_extension_and_keeps_the_files(client, application, applicant):
    before = list(Attachment.objects.order_by("id").values_list("id", "file"))
    client.force_login(applicant)

    response = upload(client, application, "other", SimpleUploadedFile("扫描件.pdf", png_bytes()))

    body = text(response)
    assert response.status_code == 400
    assert "“扫描件.pdf” is named as PDF, but its content is PNG." in body
    assert "Accepted: PDF, OFD, DOCX, XLSX, JPG, PNG, at most 20.0 MB each." in body
    assert "Nothing was uploaded" in body
    # At the slot it was for (issue 10: each slot has its own form, no slot dropdown any more).
    assert slot_errors(response) == {
        "other": [
            "“扫描件.pdf” is named as PDF, but its content is PNG. "
            "Accepted: PDF, OFD, DOCX, XLSX, JPG, PNG, at most 20.0 MB each."
        ]
    }
    assert list(Attachment.objects.order_by("id").values_list("id", "file")) == before


def test_upload_refuses_all_files_when_one_is_refused(client, application, applicant):
    client.force_login(applicant)

    response = upload(
        client,
        application,
        "other",
        SimpleUploadedFile("好.pdf", pdf_bytes()),
        SimpleUploadedFile("setup.exe", b"MZ\x90\x00"),
    )

    assert response.status_code == 400
    assert "“setup.exe” is not an accepted type of file." in text(response)
    assert names_in(application, "other") == []


def test_upload_refuses_an_empty_file(client, application, applicant):
    client.force_login(applicant)

    response = upload(client, application, "other", SimpleUploadedFile("空.pdf", b""))

    assert response.status_code == 400
    assert "“空.pdf” is empty." in text(response)
    assert names_in(application, "other") == []


def test_upload_refuses_a_file_over_the_limit(client, application, applicant, settings):
    settings.PROJECTS_MAX_UPLOAD_BYTES = 100
    client.force_login(applicant)

    response = upload(client, application, "other", SimpleUploadedFile("大.pdf", pdf_bytes()))

    assert response.status_code == 400
    assert "over the limit. Accepted: PDF, OFD, DOCX, XLSX, JPG, PNG, at most 100 bytes each." in text(response)
    assert names_in(application, "other") == []


def test_upload_refuses_several_files_in_a_single_file_slot(client, application, applicant):
    client.force_login(applicant)

    response = upload(
        client,
        application,
        "conversion_proof",
        SimpleUploadedFile("a.pdf", pdf_bytes()),
        SimpleUploadedFile("b.pdf", pdf_bytes()),
    )

    assert response.status_code == 400
    assert "takes one file." in text(response)
    assert names_in(application, "conversion_proof") == []


def test_upload_without_a_file_or_slot_says_what_to_choose(client, application, applicant):
    client.force_login(applicant)

    response = client.post(page_url(application), {"slot": ""}, **ENGLISH)

    body = text(response)
    assert response.status_code == 400
    assert "Choose a file to upload." in body
    assert "This field is required." in body


def test_upload_after_submission_is_a_conflict(client, application, applicant):
    workflow.submit(application, by=applicant)
    client.force_login(applicant)

    response = upload(client, application, "other", SimpleUploadedFile("晚了.pdf", pdf_bytes()))

    assert response.status_code == 409
    assert 'id="attachments-locked"' in response.content.decode()
    assert names_in(application, "other") == []


def test_upload_to_a_draft_by_the_secretariat_is_not_found(client, application):
    client.force_login(member_of(MinistryFactory()))

    response = upload(client, application, "other", SimpleUploadedFile("x.pdf", pdf_bytes()))

    assert response.status_code == 404
    assert names_in(application, "other") == []


def test_upload_by_the_secretariat_once_returned_is_forbidden(client, application, applicant):
    workflow.submit(application, by=applicant)
    workflow.return_for_revision(application, by=member_of(application.recommender), reason="请补充实施证明。")
    client.force_login(member_of(MinistryFactory()))

    response = upload(client, application, "other", SimpleUploadedFile("x.pdf", pdf_bytes()))

    assert response.status_code == 403
    assert names_in(application, "other") == []


def test_upload_by_another_group_is_not_found(client, application):
    client.force_login(member_of(SocialGroupFactory()))

    response = upload(client, application, "other", SimpleUploadedFile("x.pdf", pdf_bytes()))

    assert response.status_code == 404
    assert names_in(application, "other") == []


# --- downloads --------------------------------------------------------------------------------------
@pytest.fixture
def attachment(application):
    return Attachment.objects.get(application=application, slot="standard_text")


def test_download_gives_the_group_the_file_as_an_attachment(client, applicant, attachment):
    client.force_login(applicant)

    response = client.get(download_url(attachment))

    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="standard_text.pdf"'


def test_download_uses_the_sanitised_original_name(client, application, applicant):
    client.force_login(applicant)
    upload(client, application, "other", SimpleUploadedFile("C:\\temp\\证明 材料.pdf", pdf_bytes()))
    attachment = Attachment.objects.get(application=application, slot="other")

    response = client.get(download_url(attachment))

    assert response["Content-Disposition"] == ("attachment; filename*=utf-8''%E8%AF%81%E6%98%8E_%E6%9D%90%E6%96%99.pdf")


def test_download_is_audited(client, applicant, attachment):
    client.force_login(applicant)

    client.get(download_url(attachment))

    event = AuditEvent.objects.for_object(attachment).get()
    assert (event.action, event.actor, event.target_label) == ("attachment.download", applicant, "standard_text.pdf")


def test_download_by_another_group_is_not_found_and_not_audited(client, attachment):
    client.force_login(member_of(SocialGroupFactory()))

    response = client.get(download_url(attachment))

    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="attachment.download").exists()


def test_download_by_the_recommender_only_once_submitted(client, application, applicant, attachment):
    recommender = member_of(application.recommender)
    client.force_login(recommender)

    before = client.get(download_url(attachment))
    workflow.submit(application, by=applicant)
    after = client.get(download_url(attachment))

    assert (before.status_code, after.status_code) == (404, 200)
    assert b"".join(after.streaming_content).startswith(b"%PDF-")


def test_download_by_the_secretariat_only_once_submitted(client, application, applicant, attachment):
    secretariat = member_of(MinistryFactory())
    client.force_login(secretariat)

    before = client.get(download_url(attachment))
    workflow.submit(application, by=applicant)
    response = client.get(download_url(attachment))

    assert (before.status_code, response.status_code) == (404, 200)
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert list(AuditEvent.objects.filter(action="attachment.download").values_list("actor", flat=True)) == [
        secretariat.pk
    ]


def test_download_anonymous_is_sent_to_log_in(client, attachment):
    response = client.get(download_url(attachment))

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={download_url(attachment)}"


def test_download_of_another_applications_attachment_is_not_found(client, group, applicant, attachment):
    mine = make_application(group=group, by=applicant)
    client.force_login(applicant)

    response = client.get(
        reverse("projects:attachment_download", kwargs={"pk": mine.pk, "attachment_pk": attachment.pk})
    )

    assert response.status_code == 404


def test_download_of_a_missing_file_is_not_found(client, applicant, attachment):
    default_storage.delete(attachment.file.name)
    client.force_login(applicant)

    response = client.get(download_url(attachment))

    assert response.status_code == 404


# --- removal ----------------------------------------------------------------------------------------
def test_delete_removes_the_attachment_and_its_file(client, applicant, attachment, django_capture_on_commit_callbacks):
    client.force_login(applicant)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(delete_url(attachment), follow=True, **ENGLISH)

    assert not Attachment.objects.filter(pk=attachment.pk).exists()
    assert not default_storage.exists(attachment.file.name)
    assert "Removed: standard_text.pdf." in text(response)
    event = AuditEvent.objects.for_object(attachment.application).get(action="attachment.delete")
    assert (event.actor, event.note) == (applicant, "Text of the standard: standard_text.pdf")


def test_delete_needs_post(client, applicant, attachment):
    client.force_login(applicant)

    response = client.get(delete_url(attachment))

    # A GET asks first (issue 10: removal acts at once, so it is confirmed); only the POST removes.
    assert response.status_code == 200
    assert 'id="confirm-delete-form"' in response.content.decode()
    assert Attachment.objects.filter(pk=attachment.pk).exists()


def test_delete_after_submission_is_a_conflict(client, application, applicant, attachment):
    workflow.submit(application, by=applicant)
    client.force_login(applicant)

    response = client.post(delete_url(attachment))

    assert response.status_code == 409
    assert 'id="attachments-locked"' in response.content.decode()
    assert Attachment.objects.filter(pk=attachment.pk).exists()


def test_delete_by_another_group_is_not_found(client, attachment):
    client.force_login(member_of(SocialGroupFactory()))

    response = client.post(delete_url(attachment))

    assert response.status_code == 404
    assert Attachment.objects.filter(pk=attachment.pk).exists()


# --- one upload per slot, a refusal at its slot, replacement, removal asked first (issue 10) ---------------
def summary_of(response) -> list[tuple[str, str]]:
    """The error summary at the top of the page: each message with the fragment it links to ("" for none)."""
    found = re.search(r'<section class="error-summary" id="error-summary"(.*?)</section>', text(response))
    if found is None:
        return []
    items = re.findall(r"<li>(.*?)</li>", found.group(1))
    linked = [re.fullmatch(r'<a href="([^"]*)">(.*)</a>', item) for item in items]
    return [
        (match.group(2), match.group(1)) if match else (item, "") for item, match in zip(items, linked, strict=True)
    ]


def buttons_of(response) -> dict[str, str]:
    """Each slot's upload button, by slot: what it says (without the slot named for screen readers)."""
    forms = re.findall(r'id="upload-(\w+)-form".*?<button type="submit"[^>]*>(.*?)<span', text(response))
    return dict(forms)


def test_attachment_page_offers_replace_where_a_single_file_slot_holds_one(client, group, applicant):
    application = make_application(group=group, by=applicant)
    client.force_login(applicant)
    upload(client, application, "standard_text", SimpleUploadedFile("文本.pdf", pdf_bytes()))
    upload(client, application, "other", SimpleUploadedFile("其他.pdf", pdf_bytes()))

    response = client.get(page_url(application), **ENGLISH)

    assert buttons_of(response) == {
        "registration_certificate": "Upload",
        "issuing_document": "Upload",
        "standard_text": "Replace",
        "implementation_proof": "Upload",
        "conversion_proof": "Upload",
        "other": "Upload",
    }
    assert "The new file replaces “文本.pdf”." in text(response)
    assert summary_of(response) == []


def test_upload_refused_is_shown_at_its_slot_with_a_summary_linking_to_it(client, application, applicant):
    client.force_login(applicant)

    response = upload(client, application, "standard_text", SimpleUploadedFile("setup.exe", b"MZ\x90\x00"))

    message = (
        "“setup.exe” is not an accepted type of file. Accepted: PDF, OFD, DOCX, XLSX, JPG, PNG, at most 20.0 MB each."
    )
    assert response.status_code == 400
    assert summary_of(response) == [(message, "#id_standard_text_file")]
    assert slot_errors(response) == {"standard_text": [message]}
    assert 'class="card attachment-slot attachment-slot-refused" id="upload-standard_text"' in text(response)
    # Without a script the refused page opens at the summary: every upload form posts to it.
    actions = re.findall(r'<form method="post" enctype="multipart/form-data" action="([^"]*)"', text(response))
    assert actions == [f"{page_url(application)}#error-summary"] * len(AttachmentSlot)


def test_upload_without_a_slot_is_summarised_without_a_link(client, application, applicant):
    client.force_login(applicant)

    response = client.post(
        page_url(application), {"slot": "nonsense", "file": SimpleUploadedFile("a.pdf", pdf_bytes())}, **ENGLISH
    )

    assert response.status_code == 400
    assert summary_of(response) == [("Select a valid choice. nonsense is not one of the available choices.", "")]
    assert slot_errors(response) == {}


def test_upload_replacing_a_single_file_is_audited_as_one_replacement(client, application, applicant):
    client.force_login(applicant)
    before = AuditEvent.objects.count()

    response = upload(
        client, application, "standard_text", SimpleUploadedFile("新版文本.pdf", pdf_bytes()), follow=True
    )

    events = AuditEvent.objects.order_by("id")[before:]
    assert [(event.action, event.actor, event.note) for event in events] == [
        ("attachment.replace", applicant, "Text of the standard: standard_text.pdf → 新版文本.pdf")
    ]
    assert "Replaced standard_text.pdf with 新版文本.pdf." in text(response)
    assert names_in(application, "standard_text") == ["新版文本.pdf"]


def test_upload_to_an_empty_single_file_slot_is_audited_as_an_upload(client, application, applicant):
    client.force_login(applicant)
    before = AuditEvent.objects.count()

    upload(client, application, "conversion_proof", SimpleUploadedFile("转化.pdf", pdf_bytes()))

    events = AuditEvent.objects.order_by("id")[before:]
    assert [(event.action, event.note) for event in events] == [
        ("attachment.add", "Proof of conversion to an international, national or industry standard: 转化.pdf")
    ]


def test_replacement_is_labelled_on_the_timeline(client, application, applicant):
    client.force_login(applicant)
    upload(client, application, "standard_text", SimpleUploadedFile("新版文本.pdf", pdf_bytes()))

    response = client.get(reverse("projects:application_detail", kwargs={"pk": application.pk}), **ENGLISH)

    assert "Attachment replaced" in text(response)
    assert "attachment.replace" not in text(response)


def test_delete_link_asks_first_on_a_page_naming_the_file(client, application, applicant, attachment):
    client.force_login(applicant)

    response = client.get(delete_url(attachment), **ENGLISH)

    body = text(response)
    assert response.status_code == 200
    assert re.findall(r"<h1>(.*?)</h1>", body) == ["Delete this attachment?"]
    assert '<h2 id="attachment-name">standard_text.pdf</h2>' in body
    assert re.findall(r'<form method="post" action="([^"]*)" id="confirm-delete-form">', body) == [
        delete_url(attachment)
    ]
    assert "Delete “standard_text.pdf”" in body
    assert f'href="{page_url(application)}#upload-standard_text">Keep it</a>' in body
    assert Attachment.objects.filter(pk=attachment.pk).exists()


def test_delete_link_on_the_attachments_page_leads_to_the_question(client, application, applicant, attachment):
    client.force_login(applicant)

    response = client.get(page_url(application), **ENGLISH)

    assert re.findall(rf'id="delete-{attachment.pk}" href="([^"]*)"', text(response)) == [delete_url(attachment)]
    assert f'action="{delete_url(attachment)}"' not in text(response)


def test_delete_question_after_submission_is_a_conflict_without_the_form(client, application, applicant, attachment):
    workflow.submit(application, by=applicant)
    client.force_login(applicant)

    response = client.get(delete_url(attachment), **ENGLISH)

    assert response.status_code == 409
    assert 'id="attachments-locked"' in text(response)
    assert 'id="confirm-delete-form"' not in text(response)


def test_delete_question_is_refused_in_order(client, application, applicant, attachment):
    workflow.submit(application, by=applicant)
    statuses = {}
    for name, user in {
        "other group": member_of(SocialGroupFactory()),
        "recommender": member_of(application.recommender),
        "group": applicant,
    }.items():
        client.force_login(user)
        statuses[name] = client.get(delete_url(attachment)).status_code

    assert statuses == {"other group": 404, "recommender": 403, "group": 409}


def test_delete_question_of_another_applications_attachment_is_not_found(client, group, applicant, attachment):
    mine = make_application(group=group, by=applicant)
    client.force_login(applicant)

    response = client.get(reverse("projects:attachment_delete", kwargs={"pk": mine.pk, "attachment_pk": attachment.pk}))

    assert response.status_code == 404
    assert Attachment.objects.filter(pk=attachment.pk).exists()
