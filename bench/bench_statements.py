"""Bank statement import at scale: a 10,000-line 1CClientBankExchange statement (Windows-1251)
against 10,000 subscribers with their monthly invoices — target < 10 s, and a number of queries
that is a constant per batch of 1,000 lines, not per line.

Lines: 6,000 matched by the payer's БИН/ИИН, 2,500 by the invoice number in the purpose, 800
unknown payers (they wait in the queue), 400 debits and 300 to another account (ignored).
"""

import datetime
import time

from common import analyze, setup, timed

setup()

from django.utils import timezone  # noqa: E402

from billing import load  # noqa: E402
from billing.models import Invoice  # noqa: E402
from billing.services import billing_run, statement_import_file  # noqa: E402
from subscribers.load import generate_subscribers  # noqa: E402
from subscribers.models import Subscriber  # noqa: E402

SUBSCRIBERS = 10_000
OWN = "KZ566010002000012345"


def _statement(ids: list[int], day: datetime.date, run: str) -> bytes:
    taxes = dict(Subscriber.objects.filter(pk__in=ids).values_list("pk", "bin"))
    iins = dict(Subscriber.objects.filter(pk__in=ids).values_list("pk", "iin"))
    invoices = dict(
        Invoice.objects.filter(subscriber_id__in=ids).values_list("subscriber_id", "number")
    )
    lines = [
        "1CClientBankExchange",
        "ВерсияФормата=1.03",
        "Кодировка=Windows",
        f"ДатаНачала={day:%d.%m.%Y}",
        f"ДатаКонца={day:%d.%m.%Y}",
        f"РасчСчет={OWN}",
    ]
    for index in range(10_000):
        pk = ids[index % len(ids)]
        tax, payee, payer_account, purpose = taxes[pk] or iins[pk], OWN, "KZ75125KZT2069100100", ""
        if index < 6_000:
            purpose = "Оплата за облачный сервис 1С"
        elif index < 8_500:
            tax, purpose = "", f"Оплата по счету № {invoices.get(pk, 0):06d}"
        elif index < 9_300:
            tax, purpose = f"99{index:010d}", "Предоплата"
        elif index < 9_700:
            payee, payer_account = "KZ111", OWN
        else:
            payee = "KZ86125KZT5004100100"
        lines += [
            "СекцияДокумент=Платежное поручение",
            f"Номер={run}{index}",
            f"Дата={day:%d.%m.%Y}",
            f"Сумма={1000 + index % 97}.00",
            f"ПлательщикИИК={payer_account}",
            f"Плательщик=Плательщик {index}",
            f"ПлательщикБИН={tax}",
            f"ПолучательИИК={payee}",
            "КНП=859",
            "КБе=17",
            f"ДатаПоступило={day:%d.%m.%Y}",
            f"НазначениеПлатежа={purpose}",
            "КонецДокумента",
        ]
    lines.append("КонецФайла")
    return "\r\n".join(lines).encode("cp1251")


def main() -> None:
    from django.conf import settings

    settings.ONEBUH_OPERATOR_ACCOUNTS = [OWN]
    started = time.perf_counter()
    ids = generate_subscribers(count=SUBSCRIBERS, seed=11)
    load.generate(subscriber_ids=ids, seed=11)
    billing_run(now=timezone.now())
    analyze()
    raw = _statement(ids, timezone.localdate(), run=f"{int(time.time())}-")
    print(
        f"setup: {len(ids)} subscribers, {len(raw) // 1024} KiB statement in "
        f"{time.perf_counter() - started:.1f} s"
    )
    summary = timed(
        "statement preview (dry run), 10,000 lines",
        statement_import_file,
        raw=raw,
        file_name="bench.txt",
        dry_run=True,
    )
    summary = timed(
        "statement import, 10,000 lines", statement_import_file, raw=raw, file_name="bench.txt"
    )
    print(
        f"  credited {summary['credited']}, known {summary['known']}, waiting "
        f"{summary['waiting']}, ignored {summary['ignored']}, rejected {len(summary['rejected'])}"
    )
    summary = timed(
        "the same statement again (all known)", statement_import_file, raw=raw, file_name="b.txt"
    )
    print(f"  credited {summary['credited']}, known {summary['known']}")


if __name__ == "__main__":
    main()
