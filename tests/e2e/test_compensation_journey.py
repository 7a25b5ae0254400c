"""Journey 5: a downtime claim is approved in the admin and the bonus appears on the billing
page (9.1–9.3); the operator's accountant downloads the month's compensation report PDF."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from billing.models import LedgerEntry, LedgerKind
from billing.templatetags.billing_tags import kzt
from operations.models import ClaimStatus, CompensationClaim
from subscribers.models import Subscriber
from tests.billing.factories import SubscriptionFactory, TariffFactory
from tests.conftest import at
from tests.operations.factories import IncidentFactory

from .helpers import E2E, sign_in, staff_sign_in, staff_with_totp, submit

JOURNEY = "5-compensation"
FEE = Decimal("24900.00")

pytestmark = E2E


@pytest.fixture
def outage(time_machine, subscriber):
    """Today 15:00 (Almaty): the subscriber, registered last month, is on a 24 900 ₸ tariff, and
    the operator recorded a full outage by its own fault from 09:00 to 12:00 today."""
    today = timezone.localdate()
    time_machine.move_to(at(today, 15))
    Subscriber.objects.filter(pk=subscriber.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=40)
    )
    SubscriptionFactory(
        subscriber=subscriber, tariff=TariffFactory(name="Стандарт", monthly_fee=FEE)
    )
    return IncidentFactory(
        title="Недоступность кластера 1С", starts_at=at(today, 9), ends_at=at(today, 12)
    )


def test_approved_claim_becomes_a_bonus_and_the_accountant_gets_the_months_report(
    open_page, shot, subscriber, owner, staff_accountant, outage
):
    today = timezone.localdate()
    page = open_page()
    sign_in(page, owner.email)
    page.get_by_role("link", name="Компенсации").click()
    page.get_by_role("link", name="Заявить о компенсации").click()
    page.get_by_label("Дата простоя").fill(today.isoformat())
    page.get_by_label("Часы").fill("3")
    page.get_by_label("Минуты").fill("0")
    page.get_by_label("Что не работало").fill("С 9 до 12 часов 1С не открывалась ни у кого.")
    shot(page, "claim-form")
    submit(page)
    claim = CompensationClaim.objects.get(subscriber=subscriber)
    page.wait_for_url(re.compile(rf"/compensation/claims/{claim.pk}/$"))
    assert claim.operator_downtime_on_date == datetime.timedelta(hours=3)
    shot(page, "claim-filed")

    # The accountant compares the claim with the operator's data and approves it.
    staff_with_totp(staff_accountant)
    staff = open_page()
    staff_sign_in(staff, staff_accountant)
    staff.goto("/admin/")
    staff.get_by_role("link", name="Заявки на компенсацию").click()
    staff.get_by_role("link", name=str(claim)).first.click()
    staff.get_by_role("link", name="Сверить и решить").click()
    assert staff.get_by_label("Одобрить").is_checked()
    shot(staff, "admin-decide")
    staff.get_by_role("button", name="Сохранить решение").click()
    staff.wait_for_url(re.compile(rf"/admin/operations/compensationclaim/{claim.pk}/change/$"))
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.APPROVED
    shot(staff, "admin-approved")

    # 9.3: 1% of the month's fee per full hour — 3 hours of 24 900 ₸ is 747 ₸, as bonuses.
    bonus = LedgerEntry.objects.get(subscriber=subscriber, kind=LedgerKind.BONUS_CREDIT).bonus
    assert bonus == FEE * 3 / 100 == Decimal("747.00")
    page.get_by_role("link", name="Оплата").first.click()
    bonuses = page.locator("section.card", has=page.get_by_role("heading", name="Бонусы"))
    assert kzt(bonus) in bonuses.first.inner_text()
    assert kzt(bonus) in bonuses.last.inner_text()
    shot(page, "bonus-on-billing-page")

    # The accountant asks for this month's report (the month of crediting) and downloads it.
    staff.goto("/admin/")
    staff.get_by_role("link", name="Отчёты о компенсациях").click()
    staff.locator(".object-tools").get_by_role("link", name=re.compile("Добавить")).click()
    staff.get_by_label("Месяц").fill(today.strftime("%d.%m.%Y"))
    staff.get_by_label("Формат").select_option("pdf")
    shot(staff, "admin-report-request")
    staff.get_by_role("button", name="Сохранить", exact=True).click()
    download_link = staff.get_by_role("link", name="Скачать")
    download_link.wait_for()
    shot(staff, "admin-report-ready")
    with staff.expect_download() as info:
        download_link.click()
    download = info.value
    assert download.suggested_filename == f"compensation-{today:%Y-%m}.pdf"
    content = download.path().read_bytes()
    assert content.startswith(b"%PDF-") and len(content) > 1000
