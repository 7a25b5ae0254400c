"""The service periods of 6.1, 6.3, 6.4 and Kazakhstan's public holidays and transferred working
days for 2024–2030, from the maintained `holidays` library (KZ, with observed and substituted
days and `weekend_workdays`). The library has no Russian names and no decree transfers after
2025: staff add, rename or remove exceptions in the admin."""

import datetime
import re

from django.db import migrations

YEARS = range(2024, 2031)

CALENDARS = [
    # code, name, follows holidays, (weekdays, from, until)
    ("weekdays_10_19", "Будние дни с 10:00 до 19:00 (GMT+5)", True, (range(5), (10, 0), (19, 0))),
    ("weekdays_09_18", "Будние дни с 09:00 до 18:00 (GMT+5)", True, (range(5), (9, 0), (18, 0))),
    ("round_the_clock", "Круглосуточно, 7 дней в неделю", False, (range(7), (0, 0), (0, 0))),
]

RUSSIAN = {
    "New Year's Day": "Новый год",
    "Orthodox Christmas": "Православное Рождество",
    "International Women's Day": "Международный женский день",
    "Nowruz Holiday": "Наурыз мейрамы",
    "Kazakhstan's People Solidarity Holiday": "Праздник единства народа Казахстана",
    "Defender of the Fatherland Day": "День защитника Отечества",
    "Victory Day": "День Победы",
    "Eid al-Adha": "Курбан айт",
    "Capital Day": "День Столицы",
    "Constitution Day": "День Конституции",
    "Republic Day": "День Республики",
    "Independence Day": "День Независимости",
}
SUBSTITUTED = re.compile(r"Day off \(substituted from (\d\d)/(\d\d)/(\d{4})\)")


def russian_name(name: str) -> str:
    match = SUBSTITUTED.fullmatch(name)
    if match:
        month, day, year = match.groups()
        return f"Выходной день (перенесён с {day}.{month}.{year})"
    suffixes = []
    for english, russian in (("(observed)", "перенос"), ("(estimated)", "дата ожидается")):
        if english in name:
            name = name.replace(english, "").strip()
            suffixes.append(russian)
    base = RUSSIAN.get(name, name)
    return f"{base} ({', '.join(suffixes)})" if suffixes else base


def seed(apps, schema_editor):
    import holidays

    Calendar = apps.get_model("support", "Calendar")
    CalendarInterval = apps.get_model("support", "CalendarInterval")
    CalendarException = apps.get_model("support", "CalendarException")
    for code, name, follows, (weekdays, starts, ends) in CALENDARS:
        calendar, created = Calendar.objects.get_or_create(
            code=code,
            defaults={"name": name, "time_zone": "Asia/Almaty", "follows_public_holidays": follows},
        )
        if created:
            CalendarInterval.objects.bulk_create(
                CalendarInterval(
                    calendar=calendar,
                    weekday=weekday,
                    starts=datetime.time(*starts),
                    ends=datetime.time(*ends),
                )
                for weekday in weekdays
            )
    kz = holidays.country_holidays("KZ", years=YEARS, observed=True)
    rows = {
        day: CalendarException(date=day, kind="holiday", name=russian_name(name)[:255])
        for day, name in kz.items()
        if day.year in YEARS
    }
    for day in kz.weekend_workdays:
        if day.year in YEARS:
            rows[day] = CalendarException(
                date=day, kind="workday", name="Рабочий день (перенос по постановлению)"
            )
    CalendarException.objects.bulk_create(rows.values(), ignore_conflicts=True)


def unseed(apps, schema_editor):
    apps.get_model("support", "CalendarException").objects.filter(
        date__year__gte=YEARS.start, date__year__lt=YEARS.stop
    ).delete()
    apps.get_model("support", "Calendar").objects.filter(
        code__in=[code for code, *_rest in CALENDARS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("support", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
