"""Bank statement files as the banks export them, written by the tests."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

OWN_ACCOUNT = "KZ566010002000012345"
OTHER_OWN_ACCOUNT = "KZ86125KZT5004100100"


@dataclass
class Doc:
    number: str
    date: datetime.date
    amount: Decimal | str
    payer_tax_id: str = ""
    payer_name: str = "ТОО «Плательщик»"
    payer_account: str = "KZ75125KZT2069100100"
    payee_account: str = OWN_ACCOUNT
    purpose: str = "Оплата за услуги"
    received: bool = True


def onec(
    docs,
    *,
    version="1.03",
    encoding="Windows",
    account=OWN_ACCOUNT,
    start=datetime.date(2026, 11, 1),
    end=datetime.date(2026, 11, 30),
    extra_lines=(),
    codec=None,
) -> bytes:
    """A 1CClientBankExchange file in the Kazakh variant (ИИК, БИН, КНП, КБе, КОд)."""
    lines = [
        "1CClientBankExchange",
        f"ВерсияФормата={version}",
        f"Кодировка={encoding}",
        "Отправитель=Бухгалтерия для Казахстана",
        "Получатель=",
        f"ДатаСоздания={end:%d.%m.%Y}",
        "ВремяСоздания=10:00:00",
        f"ДатаНачала={start:%d.%m.%Y}",
        f"ДатаКонца={end:%d.%m.%Y}",
        f"РасчСчет={account}",
        "СекцияРасчСчет",
        f"ДатаНачала={start:%d.%m.%Y}",
        f"ДатаКонца={end:%d.%m.%Y}",
        f"РасчСчет={account}",
        "НачальныйОстаток=0.00",
        "КонечныйОстаток=0.00",
        "КонецРасчСчет",
    ]
    for doc in docs:
        lines += [
            "СекцияДокумент=Платежное поручение",
            f"Номер={doc.number}",
            f"Дата={doc.date:%d.%m.%Y}",
            f"Сумма={doc.amount}",
            f"ПлательщикИИК={doc.payer_account}",
            f"Плательщик={doc.payer_name}",
            f"ПлательщикБИН={doc.payer_tax_id}",
            "ПлательщикБИК=KCJBKZKX",
            "КОд=17",
            f"ПолучательИИК={doc.payee_account}",
            "Получатель=ТОО «Интернет-компания PS»",
            "ПолучательБИН=000740001307",
            "ПолучательБИК=HSBKKZKX",
            "КБе=17",
            "КНП=859",
            (f"ДатаПоступило={doc.date:%d.%m.%Y}" if doc.received else "ДатаПоступило="),
            f"НазначениеПлатежа={doc.purpose}",
            "КонецДокумента",
        ]
    lines += list(extra_lines)
    lines.append("КонецФайла")
    text = "\r\n".join(lines) + "\r\n"
    return text.encode(codec or ("cp1251" if encoding == "Windows" else "utf-8"))


def mt940(docs, *, account=OWN_ACCOUNT, currency="KZT", codec="cp1251") -> bytes:
    """An MT940 statement: :61: per movement (C credit, D debit), :86: payer and purpose."""
    first = min((d.date for d in docs), default=datetime.date(2026, 11, 25))
    lines = [
        ":20:STMT" + f"{first:%y%m%d}",
        f":25:{account}",
        ":28C:00001/001",
        f":60F:C{first:%y%m%d}{currency}0,00",
    ]
    for doc in docs:
        mark = "C" if doc.payee_account == account else "D"
        amount = str(doc.amount).replace(".", ",")
        lines.append(
            f":61:{doc.date:%y%m%d}{doc.date:%m%d}{mark}{amount}NTRF{doc.number}//B{doc.number}"
        )
        lines.append(f":86:/ORDP/{doc.payer_name}/БИН {doc.payer_tax_id}/REMI/{doc.purpose}")
    lines += [f":62F:C{first:%y%m%d}{currency}0,00", "-"]
    return ("\r\n".join(lines) + "\r\n").encode(codec)
