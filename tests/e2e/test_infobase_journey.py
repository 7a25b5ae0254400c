"""Journey 2: order a tariff, add an infobase from the catalog, give a member access, make a
backup and download it."""

import re
import zipfile

import pytest
from django.core import mail

from billing.demo import TARIFFS
from billing.models import Invoice, Subscription, Tariff
from infobases.models import Backup, BackupStatus, Infobase, InfobaseAccess, InfobaseStatus
from tests.infobases.factories import ReleaseFactory, SolutionFactory

from .helpers import E2E, sign_in, submit

JOURNEY = "2-infobase"

pytestmark = E2E


@pytest.fixture
def catalog(db):
    for spec in TARIFFS:
        Tariff.objects.create(**spec)
    solution = SolutionFactory(
        code="bk-kz",
        name="Бухгалтерия для Казахстана",
        description="Бухгалтерский и налоговый учёт по законодательству РК.",
    )
    ReleaseFactory(solution=solution, version="3.0.45.1")
    return solution


def test_owner_orders_adds_an_infobase_grants_access_and_downloads_a_backup(
    open_page, shot, catalog, owner, subscriber, member
):
    page = open_page()
    sign_in(page, owner.email)
    page.wait_for_url(re.compile(r"/$"))

    # Order the service: the first invoice is shown before it is confirmed.
    page.get_by_role("link", name="Оплата").first.click()
    page.get_by_role("link", name="Заказать услугу").click()
    shot(page, "tariffs")
    page.get_by_label(re.compile("Стандарт")).check()
    submit(page, "main section.narrow-card form")
    assert page.get_by_role("heading", name="Ваш первый счёт").is_visible()
    shot(page, "first-invoice-preview")
    page.get_by_role("button", name="Подтвердить заказ").click()
    page.wait_for_url(re.compile(r"/billing/$"))
    subscription = Subscription.objects.get(subscriber=subscriber)
    assert subscription.tariff.name == "Стандарт"
    invoice = Invoice.objects.get(subscriber=subscriber)
    assert invoice.display_number in page.locator("main").inner_text()
    shot(page, "ordered")

    # Add an infobase from the catalog; the local driver creates it during the request.
    page.get_by_role("link", name="Приложения 1С").click()
    page.get_by_role("link", name="Добавить базу").click()
    page.get_by_label("Решение").select_option(label="Бухгалтерия для Казахстана")
    page.get_by_label("Название").fill("Бухгалтерия ТОО")
    shot(page, "add-infobase")
    submit(page)
    infobase = Infobase.objects.get(subscriber=subscriber)
    page.wait_for_url(re.compile(rf"/apps/{infobase.pk}/$"))
    infobase.refresh_from_db()
    assert infobase.status == InfobaseStatus.READY, infobase.status_message
    assert page.locator("h1").inner_text() == "Бухгалтерия ТОО"
    shot(page, "infobase-ready")

    # Give the plain member access with the user role.
    page.get_by_role("link", name="Приложения 1С").click()
    page.get_by_role("link", name="Пользователи и доступ").click()
    row = page.locator("tr", has_text=member.display_name)
    row.locator("select[name=role]").select_option("user")
    row.get_by_role("button", name="Дать доступ").click()
    page.wait_for_load_state()
    grant = InfobaseAccess.objects.get(infobase=infobase, membership__user=member)
    assert grant.role == "user"
    assert any(member.email in message.to for message in mail.outbox), "the 1C login is mailed"
    shot(page, "access-granted")

    # Back up now (the confirm dialog is accepted), then download the copy.
    page.goto(infobase.get_absolute_url())
    page.get_by_role("button", name="Сделать копию сейчас").click()
    page.wait_for_load_state()
    backup = Backup.objects.get(infobase=infobase)
    assert backup.status == BackupStatus.DONE
    shot(page, "backup-made")
    page.get_by_role("link", name="Резервные копии").first.click()
    shot(page, "backups")
    with page.expect_download() as info:
        page.locator("tr", has_text="Бухгалтерия ТОО").get_by_role("link", name="Скачать").click()
    download = info.value
    assert download.suggested_filename.endswith(".dt")
    path = download.path()
    assert path.stat().st_size == backup.size_bytes > 0
    assert zipfile.is_zipfile(path), "the local driver's dump is a real archive"
