import datetime

import time_machine
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from subscribers.models import TermsAcceptance
from subscribers.services import terms_publish

ALMATY = timezone.get_default_timezone()


def _publish(when):
    # on_commit callbacks run as in production: publishing forgets the cached current version.
    with (
        time_machine.travel(when, tick=False),
        TestCase.captureOnCommitCallbacks(execute=True),
    ):
        return terms_publish(
            version_date=when.date(), title="Условия ONEbuh", text="Новый текст", actor=None
        )


def test_first_use_after_publication_is_recorded_once_as_acceptance(client, owner):
    terms = _publish(datetime.datetime(2026, 6, 1, 9, 0, tzinfo=ALMATY))
    client.force_login(owner)
    first = datetime.datetime(2026, 6, 2, 10, 30, tzinfo=ALMATY)
    with time_machine.travel(first, tick=False):
        client.get(reverse("subscribers:dashboard"))
    with time_machine.travel(first + datetime.timedelta(hours=3), tick=False):
        client.get(reverse("subscribers:members"))
    acceptance = TermsAcceptance.objects.get(user=owner, terms=terms)
    assert acceptance.first_acted_at == first
    assert acceptance.path == reverse("subscribers:dashboard")


def test_each_new_version_gets_its_own_acceptance(client, owner):
    client.force_login(owner)
    old = _publish(datetime.datetime(2026, 6, 1, 9, 0, tzinfo=ALMATY))
    with time_machine.travel(datetime.datetime(2026, 6, 2, tzinfo=ALMATY), tick=False):
        client.get(reverse("subscribers:dashboard"))
    new = _publish(datetime.datetime(2026, 7, 1, 9, 0, tzinfo=ALMATY))
    with time_machine.travel(datetime.datetime(2026, 7, 3, tzinfo=ALMATY), tick=False):
        client.force_login(owner)  # the June session has expired by July
        client.get(reverse("subscribers:dashboard"))
    assert list(
        TermsAcceptance.objects.filter(user=owner)
        .order_by("first_acted_at")
        .values_list("terms", flat=True)
    ) == [old.pk, new.pk]


def test_member_who_joined_before_sees_a_dismissible_banner(client, owner):
    owner.date_joined = datetime.datetime(2026, 1, 1, tzinfo=ALMATY)
    owner.save(update_fields=["date_joined"])
    terms = _publish(datetime.datetime(2026, 6, 1, 9, 0, tzinfo=ALMATY))
    client.force_login(owner)
    page = client.get(reverse("subscribers:dashboard")).content.decode()
    assert "Опубликована новая редакция условий" in page
    assert terms.get_absolute_url() in page
    client.post(reverse("subscribers:terms_dismiss", args=[terms.pk]))
    page = client.get(reverse("subscribers:dashboard")).content.decode()
    assert "Опубликована новая редакция условий" not in page
    assert TermsAcceptance.objects.get(user=owner, terms=terms).banner_dismissed_at is not None
    # Dismissal is remembered beyond the session.
    client.logout()
    client.force_login(owner)
    assert (
        "Опубликована новая редакция"
        not in client.get(reverse("subscribers:dashboard")).content.decode()
    )


def test_person_who_joined_after_publication_sees_no_banner(client, owner):
    _publish(datetime.datetime(2026, 6, 1, 9, 0, tzinfo=ALMATY))
    owner.date_joined = datetime.datetime(2026, 6, 5, tzinfo=ALMATY)
    owner.save(update_fields=["date_joined"])
    client.force_login(owner)
    assert (
        "Опубликована новая редакция"
        not in client.get(reverse("subscribers:dashboard")).content.decode()
    )
    assert TermsAcceptance.objects.filter(user=owner).exists()


def test_terms_text_is_public(client, db):
    terms = _publish(datetime.datetime(2026, 6, 1, 9, 0, tzinfo=ALMATY))
    response = client.get(reverse("subscribers:terms_latest"))
    assert response.url == terms.get_absolute_url()
    assert "Новый текст" in client.get(terms.get_absolute_url()).content.decode()


def test_staff_publish_in_admin(client, staff_client, staff_admin):
    staff = staff_client(staff_admin)
    response = staff.post(
        reverse("admin:subscribers_termsversion_add"),
        {"version_date": "2026-12-25", "title": "Условия ONEbuh", "text": "Текст"},
    )
    assert response.status_code == 302
    from subscribers.models import AuditEntry, TermsVersion

    terms = TermsVersion.objects.get(title="Условия ONEbuh")
    assert AuditEntry.objects.filter(action="terms.publish", target_id=str(terms.pk)).exists()


def test_a_fresh_install_publishes_the_shipped_terms_as_a_readable_page(client, db):
    from django.core.management import call_command

    from subscribers.models import TermsVersion

    call_command("seed_demo")  # seeding again changes nothing
    terms = TermsVersion.objects.get()
    response = client.get(reverse("subscribers:terms_latest"), follow=True)
    page = response.content.decode()
    assert response.status_code == 200
    assert "<h2>5. Состав поддержки</h2>" in page
    # Markdown becomes headings and lists, not raw asterisks.
    assert "<strong>Облачная инфраструктура 1С</strong>" in page
    assert "**" not in page
    assert terms.version_date == datetime.date(2026, 5, 25)
