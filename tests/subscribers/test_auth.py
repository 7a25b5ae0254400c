import datetime

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core import mail
from django.urls import reverse

from subscribers.models import User


def test_login_page_is_russian(client, db):
    page = client.get(reverse("account_login")).content.decode()
    assert "Войти" in page
    assert 'lang="ru"' in page


def _terms():
    from subscribers.models import TermsVersion

    return TermsVersion.objects.order_by("-published_at").first()


def test_sign_up_shows_the_shipped_terms_and_records_their_explicit_acceptance(client, db):
    from subscribers.models import TermsAcceptance

    terms = _terms()  # published by the migration on a fresh install
    assert terms is not None and "Облачная бухгалтерия 1С" in terms.title
    page = client.get(reverse("account_signup")).content.decode()
    assert terms.get_absolute_url() in page and 'name="accept_terms"' in page
    form = {"email": "new@example.kz", "password1": "Sl0zhnyi-parol!"}
    form["password2"] = form["password1"]
    refused = client.post(reverse("account_signup"), {**form, "terms_version": terms.pk})
    assert refused.status_code == 200
    assert "Прочитайте условия" in refused.content.decode()
    assert not User.objects.filter(email="new@example.kz").exists()
    client.post(
        reverse("account_signup"), {**form, "terms_version": terms.pk, "accept_terms": "on"}
    )
    acceptance = TermsAcceptance.objects.get(user__email="new@example.kz")
    assert acceptance.terms == terms and acceptance.accepted_at_signup is not None


def test_sign_up_refuses_a_form_showing_an_older_version_of_the_terms(client, db):
    from subscribers.services import terms_publish

    shown = _terms()
    terms_publish(version_date=datetime.date(2026, 12, 1), title="Новые", text="…", actor=None)
    response = client.post(
        reverse("account_signup"),
        {
            "email": "late@example.kz",
            "password1": "Sl0zhnyi-parol!",
            "password2": "Sl0zhnyi-parol!",
            "terms_version": shown.pk,
            "accept_terms": "on",
        },
    )
    assert response.status_code == 200
    assert "Опубликованы новые условия" in response.content.decode()
    assert not User.objects.filter(email="late@example.kz").exists()


def test_sign_up_by_email_requires_verification(client, db):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "new@example.kz",
            "password1": "Sl0zhnyi-parol!",
            "password2": "Sl0zhnyi-parol!",
            "terms_version": _terms().pk,
            "accept_terms": "on",
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    user = User.objects.get(email="new@example.kz")
    assert not user.emailaddress_set.get().verified
    assert len(mail.outbox) == 1
    assert "new@example.kz" in mail.outbox[0].to
    # Until verified the panel stays closed: signing in leads back to the verification page.
    client.logout()
    response = client.post(
        reverse("account_login"), {"login": "new@example.kz", "password": "Sl0zhnyi-parol!"}
    )
    assert response.url == reverse("account_email_verification_sent")


def test_verified_person_signs_in_and_is_asked_to_register_a_subscriber(client, db):
    from tests.factories import UserFactory

    UserFactory(email="ok@example.kz", password="Sl0zhnyi-parol!")
    response = client.post(
        reverse("account_login"), {"login": "ok@example.kz", "password": "Sl0zhnyi-parol!"}
    )
    assert response.status_code == 302
    response = client.get(response.url)
    assert response.url == reverse("subscribers:register")


def test_staff_without_a_second_factor_are_kept_out_of_the_admin(client, operator_engineer):
    client.force_login(operator_engineer)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response.url == reverse("mfa_activate_totp")


def test_staff_with_totp_reach_the_admin(staff_client, operator_engineer):
    response = staff_client(operator_engineer).get(reverse("admin:index"))
    assert response.status_code == 200
    assert "Администрирование ONEbuh" in response.content.decode()


def test_staff_login_asks_for_the_totp_code(client, operator_engineer, mfa):
    from allauth.mfa.models import Authenticator

    operator_engineer.set_password("Sl0zhnyi-parol!")
    operator_engineer.save(update_fields=["password"])
    mfa(operator_engineer)
    response = client.post(
        reverse("account_login"),
        {"login": operator_engineer.email, "password": "Sl0zhnyi-parol!"},
    )
    assert response.url == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    secret = Authenticator.objects.get(user=operator_engineer).wrap().instance.data["secret"]
    from allauth.mfa.totp.internal.auth import yield_hotp_counters_from_time
    from allauth.mfa.utils import decrypt

    counter = next(iter(yield_hotp_counters_from_time()))
    code = format_hotp_value(hotp_value(decrypt(secret), counter))
    response = client.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(operator_engineer.pk)
    # Staff land in the admin after the second factor, not on the panel's registration.
    assert response.url == reverse("admin:index")


def test_subscribers_do_not_need_a_second_factor(client, owner):
    client.force_login(owner)
    assert client.get(reverse("subscribers:dashboard")).status_code == 200


def test_members_cannot_open_the_admin(client, owner):
    client.force_login(owner)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert "/admin/login/" in response.url


def test_every_login_and_failed_attempt_is_audited(client, owner, subscriber):
    from subscribers.models import AuditEntry

    owner.set_password("Sl0zhnyi-parol!")
    owner.save(update_fields=["password"])
    client.post(reverse("account_login"), {"login": owner.email, "password": "wrong"})
    failed = AuditEntry.objects.get(action="auth.login_failed")
    assert failed.data == {"login": owner.email}
    assert failed.ip == "127.0.0.1"
    client.post(reverse("account_login"), {"login": owner.email, "password": "Sl0zhnyi-parol!"})
    login = AuditEntry.objects.get(action="auth.login")
    assert (login.actor, login.subscriber) == (owner, subscriber)
