"""Demo support desk: FAQ articles (the macros come with a migration), the demo subscribers' partner and their
tickets in several states over several channels. Idempotent: keyed by subject and title."""

from django.db import transaction

from subscribers.models import PartnerFirm, Subscriber, User

from .models import (
    Article,
    ArticleSection,
    Category,
    Channel,
    DecisionReason,
    PartnerAssignment,
    Ticket,
)
from .services import (
    QuotaExhausted,
    articles_index,
    ticket_accept,
    ticket_close,
    ticket_defer,
    ticket_note,
    ticket_open,
    ticket_rate,
    ticket_refuse,
    ticket_reply,
)

# The public help (/help/): Markdown, links to the panel's own pages only (a test follows every
# link of every article). Keyed by title; the seed brings the demo's texts up to date.
ARTICLES = [
    (
        "Первые шаги в ONEbuh",
        ArticleSection.GETTING_STARTED,
        "После регистрации на главной странице панели есть список первых шагов:\n\n"
        "1. Выберите тариф в разделе [«Оплата»](/billing/tariffs/) — цены есть на странице "
        "[«Тарифы»](/prices/).\n"
        "2. Добавьте первую базу в разделе [«Приложения 1С»](/apps/) или "
        "[загрузите свою](/apps/upload/).\n"
        "3. Пригласите коллег в разделе [«Пользователи»](/members/) и выдайте им "
        "[доступ к базам](/apps/access/).\n"
        "4. Убедитесь, что создана первая [резервная копия](/apps/backups/).\n\n"
        "Условия оказания услуг — на странице [«Условия сервиса»](/terms/).",
    ),
    (
        "Как добавить пользователя в приложение 1С",
        ArticleSection.ACCESS,
        "Откройте раздел [«Пользователи»](/members/) и пригласите сотрудника по email. Когда он "
        "примет приглашение, выдайте ему доступ к нужной информационной базе в разделе "
        "[«Доступ к базам»](/apps/access/). Пароль 1С по почте не приходит: сотрудник один раз "
        "видит сгенерированный пароль в карточке базы или задаёт свой.",
    ),
    (
        "Как задать или сбросить пароль 1С",
        ArticleSection.ACCESS,
        "Откройте карточку базы в разделе [«Приложения 1С»](/apps/) и нажмите «Пароль 1С: "
        "задать свой или сбросить». Сгенерированный пароль показывается один раз; если срок "
        "показа истёк, сбросьте пароль и задайте новый. Сотрудники оператора пароли не знают "
        "и не сообщают.",
    ),
    (
        "Не открывается база в тонком клиенте",
        ArticleSection.APPLICATIONS,
        "Проверьте версию тонкого клиента «1С:Предприятие»: она должна совпадать с версией "
        "платформы Сервиса. Пока версии не совпадают, работайте в веб-клиенте: его адрес есть "
        "в карточке приложения в разделе [«Приложения 1С»](/apps/), ничего устанавливать не "
        "нужно. Дистрибутив тонкого клиента нужной версии пришлёт служба поддержки — "
        "[откройте обращение](/support/new/?category=technical). Список баз для тонкого "
        "клиента — файл .v8i — скачивается в карточке приложения. Если ошибка повторяется, "
        "приложите снимок экрана к обращению.",
    ),
    (
        "Как получить резервную копию информационной базы",
        ArticleSection.BACKUPS,
        "Резервные копии создаются автоматически каждую ночь. В разделе "
        "[«Резервные копии»](/apps/backups/) выберите копию и нажмите «Скачать» — ссылка "
        "действует один час. Копию можно загрузить в локальную 1С.",
    ),
    (
        "Как перенести локальную базу 1С в облако",
        ArticleSection.BACKUPS,
        "Выгрузите информационную базу в файл .dt (Конфигуратор → Администрирование → "
        "Выгрузить информационную базу) и загрузите его на странице "
        "[«Загрузка базы»](/apps/upload/): файл передаётся частями, а если связь оборвётся, "
        "загрузка продолжится с места остановки. Можно и отправить "
        "[обращение](/support/new/?category=access) категории «Подключение, отключение, "
        "размещение».",
    ),
    (
        "Как оплатить услуги",
        ArticleSection.BILLING,
        "Счета, платежи и остаток на лицевом счёте — в разделе [«Оплата»](/billing/). "
        "Оплатите счёт картой кнопкой «Оплатить» или переводом по реквизитам из счёта (PDF). "
        "Акт выполненных работ появляется у оплаченного счёта.",
    ),
    (
        "Забыли пароль от панели управления",
        ArticleSection.ACCESS,
        "На [странице входа](/accounts/login/) нажмите «Забыли пароль?» или сразу откройте "
        "[восстановление пароля](/accounts/password/reset/) и укажите email: придёт письмо со "
        "ссылкой для смены пароля. Сотрудники оператора пароли не сообщают.",
    ),
    (
        "Сроки реакции службы поддержки",
        ArticleSection.SUPPORT,
        "Технические обращения — до 8 часов круглосуточно; инциденты первого уровня — до 4 "
        "часов круглосуточно; методические — до 8 часов, индивидуальные — до 4 часов в будние "
        "дни с 09:00 до 18:00 (GMT+5). Праздничные дни Казахстана — выходные. Срок реакции "
        "приходит в письме о регистрации обращения; ход работ — в разделе "
        "[«Поддержка»](/support/), состояние Сервиса — на странице [«Статус»](/status/).",
    ),
    (
        "Форма обращения внутри 1С",
        ArticleSection.SUPPORT,
        "Владелец или администратор выпускает токен формы в разделе "
        "[«Форма поддержки в приложении 1С»](/support/1c-form/) и вставляет его в настройки формы обращения в "
        "базе. Обращения из формы приходят в тот же раздел [«Поддержка»](/support/), а "
        "письмо о регистрации — пользователю 1С, если его логин совпадает с email участника.",
    ),
]


def _ticket(subscriber, subject, **kwargs):
    existing = Ticket.objects.filter(subscriber=subscriber, subject=subject).first()
    if existing is not None:
        return existing, False
    try:
        return ticket_open(subscriber=subscriber, subject=subject, **kwargs), True
    except QuotaExhausted:
        return None, False


@transaction.atomic
def seed(*, log) -> None:
    articles = [
        Article.objects.update_or_create(title=title, defaults={"section": section, "body": body})[
            0
        ]
        for title, section, body in ARTICLES
    ]
    articles_index(articles=articles)
    engineer = User.objects.filter(email="engineer@onebuh.kz").first()
    consultant = User.objects.filter(email="consultant@partner1c.kz").first()
    partner = PartnerFirm.objects.filter(consultants=consultant).first() if consultant else None
    astana = Subscriber.objects.filter(members__user__email="owner@demo-astana.kz").first()
    shymkent = Subscriber.objects.filter(members__user__email="ip@demo-shymkent.kz").first()
    if astana is None or engineer is None:
        log("  support: demo subscribers are missing, skipped")
        return
    if partner is not None:
        PartnerAssignment.objects.get_or_create(
            subscriber=astana, defaults={"partner_firm": partner}
        )
    owner = User.objects.get(email="owner@demo-astana.kz")
    buh = User.objects.filter(email="buh@demo-astana.kz").first() or owner
    web = {"channel": Channel.WEB}

    ticket, new = _ticket(
        astana,
        "Не открывается база «Бухгалтерия» в тонком клиенте",
        opened_by=buh,
        category=Category.INCIDENT_2,
        text="С утра при входе ошибка «Несоответствие версий». Вчера всё работало.",
        **web,
    )
    if new:
        ticket_accept(ticket=ticket, actor=engineer)
        ticket_note(ticket=ticket, author=engineer, text="Проверить версию клиента у пользователя.")
    ticket, new = _ticket(
        astana,
        "Как начислить отпуск сотруднику",
        opened_by=buh,
        category=Category.METHODOLOGICAL,
        text="Нужно начислить отпуск с 1 числа, не получается выбрать вид расчёта.",
        **web,
    )
    if new and consultant is not None:
        ticket_reply(
            ticket=ticket,
            author=consultant,
            text="Откройте документ «Отпуск» в разделе «Зарплата и кадры»; порядок — в статье базы знаний.",
        )
    ticket, new = _ticket(
        astana,
        "Подключить нового сотрудника",
        opened_by=owner,
        category=Category.ACCESS,
        text="Прошу подключить бухгалтера Омарову Г. к базе «Бухгалтерия».",
        **web,
    )
    if new:
        ticket_reply(ticket=ticket, author=engineer, text="Доступ выдан, проверьте, пожалуйста.")
        ticket_close(ticket=ticket, actor=owner)
        ticket_rate(ticket=ticket, actor=owner, rating=5, comment="Быстро, спасибо!")
    ticket, new = _ticket(
        astana,
        "Доработать печатную форму счёта",
        opened_by=owner,
        category=Category.TECHNICAL,
        text="Нужно добавить логотип и изменить порядок колонок в счёте на оплату.",
        **web,
    )
    if new:
        ticket_refuse(
            ticket=ticket,
            actor=engineer,
            reason=DecisionReason.DEVELOPMENT,
            explanation="Доработка конфигураций не входит в поддержку (8.2). Обратитесь к партнёру за платной доработкой.",
        )
    ticket, new = _ticket(
        astana,
        "Ошибка при формировании отчёта",
        opened_by=None,
        channel=Channel.EMAIL,
        category=Category.TECHNICAL,
        text="Отчёт не формируется, появляется окно с ошибкой.",
        sender_email="admin@demo-astana.kz",
        sender_name="Ким Виктор Олегович",
    )
    if new:
        ticket_defer(
            ticket=ticket,
            actor=engineer,
            reason=DecisionReason.INSUFFICIENT_INFO,
            explanation="Пришлите, пожалуйста, снимок экрана с текстом ошибки и название отчёта.",
        )
    _ticket(
        astana,
        "Медленно работает база после обеда",
        opened_by=None,
        channel=Channel.PHONE,
        category=Category.INCIDENT_3,
        text="Звонок: после 14:00 проведение документов занимает по минуте.",
        sender_name="Ахметов Данияр",
        sender_phone="+77011234500",
        actor=engineer,
    )
    if shymkent is not None:
        ip = User.objects.get(email="ip@demo-shymkent.kz")
        _ticket(
            shymkent,
            "Как сменить период в программе",
            opened_by=ip,
            category=Category.METHODOLOGICAL,
            text="Не могу открыть прошлый месяц для исправления документа.",
            **web,
        )
    log(f"  support: {Ticket.objects.count()} tickets, {Article.objects.count()} articles")
