"""A social group's registration request: filing it, the contact's e-mail, the secretariat's decision."""

import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from portal import registration
from portal.exceptions import Conflict
from portal.models import AuditEvent, Membership, Notification, Organisation, RegistrationRequest
from standards.models import SocialGroup
from tests.factories import (
    MinistryFactory,
    SocialGroupFactory,
    UserFactory,
    admin_of,
    certificate_upload,
    make_registration,
    member_of,
    registration_data,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretariat():
    return member_of(MinistryFactory())


def new_account(n: int = 1) -> registration.Account:
    return registration.Account(
        username=f"newcontact{n}",
        name="周联络",
        phone="13800138000",
        email=f"new{n}@example.cn",
        password="Zj-2026-xyz!",
    )


def file_request(n: int = 1, *, certificate=None, account: int | None = None, **group):
    """A registration with a new account, as an anonymous visitor files it."""
    return registration.register(
        group=registration_data(n, **group),
        certificate=certificate or certificate_upload(),
        account=new_account(account or n),
    )


def audit_actions(obj) -> list[str]:
    return list(AuditEvent.objects.for_object(obj).values_list("action", flat=True))


def link_in(message) -> str:
    return re.search(r"https?://\S+", message.body).group(0)


def test_register_with_a_new_account_files_a_pending_request_and_mails_a_confirmation_link(
    django_capture_on_commit_callbacks, settings
):
    settings.PORTAL_URL = "https://portal.example.cn"

    with django_capture_on_commit_callbacks(execute=True):
        request = registration.register(
            group=registration_data(), certificate=certificate_upload(), account=new_account()
        )

    assert (request.status, request.contact.username, request.contact.email_confirmed_at) == (
        "pending",
        "newcontact1",
        None,
    )
    assert request.contact.check_password("Zj-2026-xyz!")
    assert request.certificate_name == "登记证书.pdf"
    assert request.certificate.name.startswith("registration/certificates/")
    assert [m.to for m in mail.outbox] == [["new1@example.cn"]]
    assert link_in(mail.outbox[0]).startswith("https://portal.example.cn/email/confirm/")
    assert audit_actions(request) == ["registration.submit"]
    assert Organisation.objects.filter(credit_code=request.credit_code).exists() is False


def test_register_of_a_registered_credit_code_names_the_organisation():
    group = SocialGroupFactory()

    with pytest.raises(registration.CreditCodeRegistered) as refused:
        registration.register(
            group=registration_data(credit_code=group.credit_code),
            certificate=certificate_upload(),
            account=new_account(),
        )

    assert refused.value.organisation == group
    assert RegistrationRequest.objects.count() == 0


def test_register_refuses_a_second_pending_request_and_a_code_in_use():
    make_registration(n=1)
    taken = SocialGroupFactory(code="TAKEN")

    with translation.override("en"), pytest.raises(ValidationError) as refused:
        registration.register(
            group=registration_data(1, code=taken.code, name="另一个协会"),
            certificate=certificate_upload(),
            account=new_account(2),
        )

    assert refused.value.message_dict == {
        "credit_code": ["A request to register this credit code is already waiting for the secretariat."],
        "code": ["Another organisation uses the code TAKEN; check it, or choose another."],
    }


def test_register_refuses_a_certificate_that_is_not_a_pdf_or_an_image_by_its_content():
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        file_request(certificate=certificate_upload("证书.pdf", b"PK\x03\x04 not a pdf at all"))

    assert "is named as PDF, but its content is none of the accepted types" in refused.value.messages[0]
    assert RegistrationRequest.objects.count() == 0


def test_register_refuses_a_word_document_as_certificate():
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        registration.register(
            group=registration_data(), certificate=certificate_upload("证书.docx"), account=new_account()
        )

    assert refused.value.messages[0].startswith("“证书.docx” is not an accepted type of file. Accepted: PDF, JPG, PNG")


def test_register_refuses_a_taken_user_name_and_address_per_field():
    UserFactory(username="newcontact1", email="new1@example.cn")

    with translation.override("en"), pytest.raises(ValidationError) as refused:
        file_request()

    assert sorted(refused.value.message_dict) == ["email", "username"]
    assert RegistrationRequest.objects.count() == 0


def test_confirming_the_contact_email_tells_the_secretariat_once(django_capture_on_commit_callbacks, secretariat):
    with django_capture_on_commit_callbacks(execute=True):
        request = registration.register(
            group=registration_data(), certificate=certificate_upload(), account=new_account()
        )
    token = link_in(mail.outbox[0]).rstrip("/").rsplit("/", 1)[1]

    with django_capture_on_commit_callbacks(execute=True):
        registration.confirm_contact_email(token=token)
        registration.confirm_contact_email(token=token)

    request.contact.refresh_from_db()
    assert request.contact.email_confirmed_at is not None
    assert list(Notification.objects.filter(recipient=secretariat).values_list("key", flat=True)) == [
        f"registration:{request.pk}:submitted"
    ]
    assert audit_actions(request.contact) == ["user.create", "user.email_confirm"]


def test_approve_creates_the_active_group_with_its_profile_and_the_contact_as_administrator(
    django_capture_on_commit_callbacks, secretariat
):
    request = make_registration()

    with django_capture_on_commit_callbacks(execute=True):
        organisation = registration.approve(request=request, by=secretariat, ministry_managed=True)

    request.refresh_from_db()
    profile = SocialGroup.objects.get(organisation=organisation)
    assert (request.status, request.organisation, request.decided_by) == ("approved", organisation, secretariat)
    assert (organisation.name, organisation.code, organisation.is_active, organisation.ministry_managed) == (
        "浙江省示例产业协会1",
        "ZJSL1",
        True,
        True,
    )
    assert (profile.registration_authority, profile.legal_representative, profile.registration_number) == (
        "浙江省民政厅",
        "周法人",
        organisation.credit_code,
    )
    membership = Membership.objects.get(organisation=organisation)
    assert (membership.user, membership.is_admin) == (request.contact, True)
    assert request.contact.groups.filter(pk=organisation.group_id).exists()
    assert audit_actions(request) == ["registration.submit", "registration.approve"]
    assert audit_actions(organisation) == ["organisation.create", "membership.add", "membership.admin"]
    assert list(Notification.objects.filter(recipient=request.contact).values_list("key", flat=True)) == [
        f"registration:{request.pk}:approved"
    ]


def test_approve_waits_for_the_contacts_confirmed_email(secretariat):
    request = make_registration(confirmed=False)

    with translation.override("en"), pytest.raises(Conflict) as refused:
        registration.approve(request=request, by=secretariat)

    assert refused.value.message == "The contact has not confirmed the e-mail address yet; approve once they have."
    request.refresh_from_db()
    assert (request.status, Organisation.objects.filter(code="ZJSL1").exists()) == ("pending", False)


def test_approve_refuses_when_the_credit_code_was_registered_meanwhile(secretariat):
    request = make_registration()
    SocialGroupFactory(credit_code=request.credit_code, name="后来者协会")

    with translation.override("en"), pytest.raises(Conflict) as refused:
        registration.approve(request=request, by=secretariat)

    assert refused.value.message == "后来者协会 has this credit code in the portal now; refuse this request."


def test_refuse_needs_a_reason_and_tells_the_contact(django_capture_on_commit_callbacks, secretariat):
    request = make_registration()
    with pytest.raises(ValidationError):
        registration.refuse(request=request, by=secretariat, reason="  ")

    with django_capture_on_commit_callbacks(execute=True):
        registration.refuse(request=request, by=secretariat, reason="登记证书已过期，请上传有效证书。")

    request.refresh_from_db()
    notification = Notification.objects.get(recipient=request.contact)
    assert (request.status, request.refusal_reason) == ("refused", "登记证书已过期，请上传有效证书。")
    assert "登记证书已过期，请上传有效证书。" in notification.body
    assert audit_actions(request) == ["registration.submit", "registration.refuse"]


@pytest.mark.parametrize("decide", ["approve", "refuse"])
def test_only_the_secretariat_decides(decide):
    request = make_registration()
    kwargs = {"reason": "不符合要求"} if decide == "refuse" else {}

    with pytest.raises(PermissionDenied):
        getattr(registration, decide)(request=request, by=request.contact, **kwargs)

    request.refresh_from_db()
    assert request.status == "pending"


@pytest.mark.parametrize("decide", ["approve", "refuse"])
def test_a_decided_request_is_not_decided_again(decide, secretariat):
    request = make_registration()
    registration.refuse(request=request, by=secretariat, reason="证书不清晰")
    kwargs = {"reason": "再次拒绝"} if decide == "refuse" else {}

    with translation.override("en"), pytest.raises(Conflict) as refused:
        getattr(registration, decide)(request=request, by=secretariat, **kwargs)

    assert refused.value.message == "This request was decided already (Refused)."
    assert audit_actions(request) == ["registration.submit", "registration.refuse"]


def test_a_refused_group_may_register_again():
    first = make_registration()
    registration.refuse(request=first, by=member_of(MinistryFactory()), reason="证书不清晰")

    second = make_registration(contact=first.contact)

    assert (second.status, second.credit_code) == ("pending", first.credit_code)


def test_ask_to_join_tells_the_administrators_only(django_capture_on_commit_callbacks):
    group = SocialGroupFactory()
    administrator, colleague = admin_of(group), member_of(group)

    with django_capture_on_commit_callbacks(execute=True):
        told = registration.ask_to_join(organisation=group, name="吴新人", email="wu@example.cn", phone="13900000000")

    assert told == 1
    assert [n.recipient for n in Notification.objects.all()] == [administrator]
    assert "wu@example.cn" in Notification.objects.get().body
    assert Notification.objects.filter(recipient=colleague).exists() is False
    assert audit_actions(group)[-1] == "membership.request"
