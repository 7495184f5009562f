import re

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.urls import reverse

from tests.factories import DEMO_PASSWORD, SocialGroupFactory, member_of

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Qingdao-2027-biaozhun"
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def applicant():
    return member_of(SocialGroupFactory(), username="lishenbao", name="李申报", email="li@example.cn")


def _login(client, username, password, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def _logged_in_user_id(client):
    return client.session.get("_auth_user_id")


def test_login_page_labels_every_input(client):
    content = client.get(reverse("login")).content.decode()

    assert re.findall(r'<label for="([^"]+)"', content) == ["id_username", "id_password"]
    assert content.count("<h1") == 1


def test_login_through_the_form_lands_on_the_dashboard(client, applicant):
    response = _login(client, "lishenbao", DEMO_PASSWORD)

    assert response.status_code == 302
    assert response.url == reverse("portal:dashboard")
    assert _logged_in_user_id(client) == str(applicant.pk)
    assert "李申报" in client.get(response.url).content.decode()


def test_login_with_wrong_password_says_so_and_keeps_the_username(client, applicant):
    response = _login(client, "lishenbao", "wrong-password", **ENGLISH)

    content = response.content.decode()
    assert response.status_code == 200
    assert "Please enter a correct username and password." in content
    assert 'value="lishenbao"' in content
    assert _logged_in_user_id(client) is None


def test_login_locks_out_after_the_failure_limit_even_with_the_right_password(client, applicant):
    limit = django_settings.AXES_FAILURE_LIMIT
    statuses = [_login(client, "lishenbao", f"wrong-{n}", **ENGLISH).status_code for n in range(limit - 1)]

    locked = _login(client, "lishenbao", "wrong-again", **ENGLISH)
    then_right = _login(client, "lishenbao", DEMO_PASSWORD, **ENGLISH)

    assert statuses == [200] * (limit - 1)
    assert locked.status_code == 429
    # The login view renders its form; axes's middleware then answers with the lockout page instead.
    assert [t.name for t in locked.templates if t.name.startswith("registration/")] == [
        "registration/login.html",
        django_settings.AXES_LOCKOUT_TEMPLATE,
    ]
    assert "this account is locked from your address for 30 minutes" in locked.content.decode()
    assert then_right.status_code == 429
    assert "Account locked for now" in then_right.content.decode()
    assert _logged_in_user_id(client) is None


def test_login_failure_limit_is_five_by_default():
    assert django_settings.AXES_FAILURE_LIMIT == 5
    assert django_settings.AXES_LOCKOUT_TEMPLATE == "registration/locked_out.html"


def test_logout_by_post_ends_the_session(client, applicant):
    client.force_login(applicant)

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert response.url == reverse("portal:home")
    assert _logged_in_user_id(client) is None


def test_logout_by_get_is_refused(client, applicant):
    client.force_login(applicant)

    response = client.get(reverse("logout"))

    assert response.status_code == 405
    assert _logged_in_user_id(client) == str(applicant.pk)


def test_password_change_sets_the_new_password(client, applicant):
    client.force_login(applicant)

    response = client.post(
        reverse("password_change"),
        {"old_password": DEMO_PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    applicant.refresh_from_db()
    assert response.status_code == 302
    assert response.url == reverse("password_change_done")
    assert applicant.check_password(NEW_PASSWORD)
    assert "Your password has been changed." in client.get(response.url, **ENGLISH).content.decode()


def test_password_change_with_wrong_old_password_changes_nothing(client, applicant):
    client.force_login(applicant)

    response = client.post(
        reverse("password_change"),
        {"old_password": "not-it", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        **ENGLISH,
    )

    applicant.refresh_from_db()
    assert response.status_code == 200
    assert "Your old password was entered incorrectly." in response.content.decode()
    assert applicant.check_password(DEMO_PASSWORD)


def test_password_reset_mails_a_link_that_sets_a_new_password(client, applicant, settings):
    settings.PORTAL_URL = "https://portal.example.cn"

    response = client.post(reverse("password_reset"), {"email": "li@example.cn"}, **ENGLISH)

    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["li@example.cn"]
    # The portal's address, not the Host header of the request (testserver).
    assert message.subject == "Reset your password on portal.example.cn"
    assert '"lishenbao" on portal.example.cn' in message.body
    link = re.search(r"^https://portal\.example\.cn(/accounts/reset/\S+/)$", message.body, re.MULTILINE).group(1)

    form_page = client.get(link, follow=True, **ENGLISH)
    assert form_page.context["validlink"] is True
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    applicant.refresh_from_db()
    assert done.url == reverse("password_reset_complete")
    assert applicant.check_password(NEW_PASSWORD)
    assert client.get(link, follow=True).context["validlink"] is False


def test_password_reset_for_unknown_address_sends_nothing_and_says_the_same(client, applicant):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.cn"})

    assert response.url == reverse("password_reset_done")
    assert mail.outbox == []


def test_language_switch_turns_the_page_english_and_back(client):
    to_english = client.post(reverse("set_language"), {"language": "en", "next": reverse("portal:home")})
    english_page = client.get(reverse("portal:home")).content.decode()
    client.post(reverse("set_language"), {"language": "zh-hans", "next": reverse("portal:home")})
    chinese_page = client.get(reverse("portal:home")).content.decode()

    assert to_english.status_code == 302
    assert to_english.url == reverse("portal:home")
    assert client.cookies[django_settings.LANGUAGE_COOKIE_NAME].value == "zh-hans"
    assert '<html lang="en">' in english_page
    assert '<html lang="zh-hans">' in chinese_page


def test_language_switch_marks_the_current_language(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})

    content = client.get(reverse("portal:home")).content.decode()

    assert re.findall(r'value="([^"]+)" lang="[^"]+" class="lang-option" aria-current="true"', content) == ["en"]
