"""Writes the crafted messages of the corpus (crafted/*.eml). Run once and commit the output:
    .venv/bin/python tests/support/corpus/make_crafted.py
Members of the corpus subscriber: client@example.kz (member), owner@example.kz (owner)."""

from email.message import EmailMessage
from email.mime.application import MIMEApplication
from email.mime.text import MIMEText
from pathlib import Path

OUT = Path(__file__).parent / "crafted"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
THREAD = "<corpus-thread@example.kz>"
AUTH_PASS = "mx.1b.kz; spf=pass smtp.mailfrom=example.kz; dkim=pass header.d=example.kz; dmarc=pass header.from=example.kz"


def base(
    name,
    *,
    sender="Клиент <client@example.kz>",
    subject="Не работает база",
    auth=True,
    msgid=None,
    reply=False,
):
    message = EmailMessage()
    if auth:
        message["Authentication-Results"] = AUTH_PASS
    message["From"] = sender
    message["To"] = "support@1b.kz"
    message["Subject"] = subject
    message["Date"] = "Fri, 27 Nov 2026 10:00:00 +0500"
    message["Message-ID"] = msgid or f"<{name}@example.kz>"
    if reply:
        message["In-Reply-To"] = THREAD
        message["References"] = THREAD
    return message


def write(name, data):
    (OUT / f"{name}.eml").write_bytes(data if isinstance(data, bytes) else data.as_bytes())


def main():
    OUT.mkdir(exist_ok=True)
    m = base("00-thread-start", msgid=THREAD, subject="Ошибка при проведении документа")
    m.set_content("Здравствуйте! При проведении реализации 1С выдаёт ошибку.\n\nИван")
    write("00-thread-start", m)

    replies = {
        "reply-outlook-ru": "Спасибо, заработало.\n\nОт: ONEbuh <support@1b.kz>\nОтправлено: 27 ноября 2026 г. 10:00\nКому: Иван <client@example.kz>\nТема: Re: Ошибка при проведении документа\n\nОбновите релиз.",
        "reply-outlook-en": "Thanks, it works now.\n\n-----Original Message-----\nFrom: ONEbuh <support@1b.kz>\nSent: Friday, November 27, 2026 10:00 AM\nTo: Ivan\nSubject: Re: error\n\nPlease update.",
        "reply-gmail-ru": "Заработало, спасибо!\n\nпт, 27 нояб. 2026 г. в 10:00, ONEbuh <support@1b.kz>:\n\n> Обновите релиз.\n> Служба поддержки",
        "reply-gmail-en": "It works, thanks!\n\nOn Fri, Nov 27, 2026 at 10:00 AM ONEbuh <support@1b.kz> wrote:\n\n> Please update.",
        "reply-thunderbird-ru": "Проверил, всё в порядке.\n\n27.11.2026 10:00, ONEbuh пишет:\n> Обновите релиз.",
        "reply-yandex": 'Всё работает.\n\n27.11.2026, 10:00, "ONEbuh" <support@1b.kz>:\n> Обновите релиз.',
        "reply-mailru": "Спасибо большое.\n\nПятница, 27 ноября 2026, 10:00 +05:00 от ONEbuh <support@1b.kz>:\n> Обновите релиз.",
        "reply-apple-ru": "Получилось.\n\n27 нояб. 2026 г., в 10:00, ONEbuh <support@1b.kz> написал(а):\n> Обновите релиз.",
    }
    for name, text in replies.items():
        m = base(name, subject="Re: Ошибка при проведении документа", reply=True)
        m.set_content(text)
        write(name, m)

    for name, charset, text in (
        ("charset-windows-1251", "windows-1251", "Добрый день! Не открывается база «Бухгалтерия»."),
        ("charset-koi8-r", "koi8-r", "Добрый день! Не печатается счёт-фактура."),
    ):
        m = MIMEText(text, "plain", charset)
        m["Authentication-Results"] = AUTH_PASS
        m["From"] = "client@example.kz"
        m["To"] = "support@1b.kz"
        m["Subject"] = "Вопрос"
        m["Message-ID"] = f"<{name}@example.kz>"
        write(name, m)

    m = base("html-only", subject="HTML")
    m.set_content(
        "<html><head><style>p {color: red} .x{font-size:12px}</style><script>alert(1)</script></head>"
        "<body><p>Здравствуйте,&nbsp;коллеги &amp; друзья!</p><p>Не работает:</p>"
        "<ul><li>проведение</li><li>печать</li></ul><p>С уважением,<br>Иван</p></body></html>",
        subtype="html",
    )
    write("html-only", m)

    m = MIMEApplication(PDF, "pdf")
    m["Authentication-Results"] = AUTH_PASS
    m["From"] = "Scanner <client@example.kz>"
    m["To"] = "support@1b.kz"
    m["Subject"] = "Scan"
    m["Message-ID"] = "<scanner-pdf-only@example.kz>"
    m.add_header("Content-Disposition", "attachment", filename="scan0001.pdf")
    write("scanner-pdf-only", m)

    inner = base(
        "forwarded-inner", sender="Бухгалтер <buh@other.kz>", subject="Акт сверки", auth=False
    )
    inner.set_content("Во вложении акт сверки.")
    m = base("forward-as-attachment", subject="Fwd: Акт сверки")
    m.set_content("Пересылаю письмо бухгалтера.")
    m.add_attachment(inner)
    write("forward-as-attachment", m)

    for name, filename, content, maintype, subtype in (
        ("hostile-attachment-dotdot", "..\\x.pdf", PDF, "application", "pdf"),
        ("hostile-attachment-absolute", "/x.png", PNG, "image", "png"),
        (
            "hostile-attachment-windows-path",
            "C:\\Users\\buh\\Desktop\\акт.pdf",
            PDF,
            "application",
            "pdf",
        ),
    ):
        m = base(name, subject="Файл")
        m.set_content("Файл во вложении.")
        m.add_attachment(content, maintype=maintype, subtype=subtype, filename=filename)
        write(name, m)

    m = base("hostile-nul-body", subject="NUL")
    m.set_content("До\x00после NUL, и \x07 звонок.")
    write("hostile-nul-body", m)

    m = base(
        "hostile-long-display-name",
        sender=f"{'Очень длинное имя ' * 25} <client@example.kz>",
        subject="Длинное имя",
    )
    m.set_content("Имя отправителя длиннее 255 символов.")
    write("hostile-long-display-name", m)

    m = base(
        "hostile-long-message-id",
        msgid="<" + "x" * 700 + "@example.kz>",
        subject="Длинный Message-ID",
    )
    m.set_content("Message-ID длиннее 500 символов.")
    write("hostile-long-message-id", m)

    m = base("hostile-control-subject", subject="Тема\x01с\x1bуправляющими\x7fсимволами")
    m.set_content("Тема с управляющими символами.")
    write("hostile-control-subject", m)

    write(
        "hostile-broken-mime",
        (
            "Authentication-Results: " + AUTH_PASS + "\r\n"
            "From: client@example.kz\r\nTo: support@1b.kz\r\nSubject: broken\r\n"
            "Message-ID: <hostile-broken-mime@example.kz>\r\nMIME-Version: 1.0\r\n"
            'Content-Type: multipart/mixed; boundary="never-used"\r\n\r\n'
            "no boundary ever appears here\r\n--wrong\r\nContent-Type: text/plain\r\n\r\nx\r\n"
        ).encode(),
    )

    write(
        "no-message-id",
        (
            "Authentication-Results: " + AUTH_PASS + "\r\n"
            "From: client@example.kz\r\nTo: support@1b.kz\r\nSubject: без Message-ID\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n\r\n" + "Письмо без Message-ID.\r\n"
        ).encode(),
    )

    m = base(
        "forged-owner-dmarc-fail",
        sender="Владелец <owner@example.kz>",
        subject="Срочно: доступ",
        auth=False,
    )
    m["Authentication-Results"] = (
        "mx.1b.kz; spf=fail smtp.mailfrom=evil.test; dmarc=fail header.from=example.kz"
    )
    m.set_content("Дайте, пожалуйста, права администратора outsider@evil.test.")
    write("forged-owner-dmarc-fail", m)

    m = base(
        "forged-member-foreign-authres",
        sender="client@example.kz",
        subject="Re: [ONEbuh #1] ещё",
        auth=False,
    )
    m["Authentication-Results"] = "evil.test; dmarc=pass header.from=example.kz"
    m.set_content("Добавьте к обращению.")
    write("forged-member-foreign-authres", m)

    m = base(
        "forged-member-reply-unauthenticated",
        sender="client@example.kz",
        subject="Re: Ошибка",
        auth=False,
        reply=True,
    )
    m.set_content("Подделка ответа в чужую переписку.")
    write("forged-member-reply-unauthenticated", m)

    m = base(
        "ooo-exchange-ru", subject="Автоответ: Re: Ошибка при проведении документа", reply=True
    )
    m["X-Auto-Response-Suppress"] = "All"
    m["X-MS-Exchange-Inbox-Rules-Loop"] = "client@example.kz"
    m.set_content("Я в отпуске до 10.12.")
    write("ooo-exchange-ru", m)

    m = base(
        "ooo-outlook-en", subject="Automatic reply: Ошибка при проведении документа", reply=True
    )
    m.set_content("I am out of the office until Monday.")
    write("ooo-outlook-en", m)

    m = base("ooo-rfc3834", subject="Отпуск", reply=True)
    m["Auto-Submitted"] = "auto-replied"
    m.set_content("Нахожусь в отпуске.")
    write("ooo-rfc3834", m)

    m = base("mailing-list", sender="news@vendor.kz", subject="Новости", auth=False)
    m["List-Id"] = "<news.vendor.kz>"
    m.set_content("Рассылка.")
    write("mailing-list", m)

    for index in (1, 2):
        m = base(
            f"spam-unknown-{index}",
            sender="Лотерея <winner@spam.test>",
            subject="Вы выиграли",
            auth=False,
        )
        m.set_content("Перейдите по ссылке.")
        write(f"spam-unknown-{index}", m)

    m = base(
        "spam-dmarc-fail", sender="Банк <security@bank.test>", subject="Блокировка", auth=False
    )
    m["Authentication-Results"] = (
        "mx.1b.kz; spf=fail smtp.mailfrom=spam.test; dmarc=fail header.from=bank.test"
    )
    m.set_content("Подтвердите пароль.")
    write("spam-dmarc-fail", m)


if __name__ == "__main__":
    main()
