from django.core.management import call_command

from onebuh.checks import check_almaty_is_utc_plus_5, zone_offset_errors


def test_almaty_is_utc_plus_5_in_the_zone_data_in_use():
    assert check_almaty_is_utc_plus_5() == []


def test_check_fails_for_zone_data_with_another_offset():
    # Asia/Omsk is UTC+6 in April 2024: the same rule applied to it must fail, as it would for
    # Almaty on zone data older than the 2024 change (Almaty was UTC+6 until 2024-03-01).
    errors = zone_offset_errors("Asia/Omsk")
    assert [e.id for e in errors] == ["onebuh.E001"]
    assert "UTC+6" in errors[0].msg


def test_almaty_was_utc_plus_6_before_march_2024():
    from datetime import UTC, datetime

    from onebuh.checks import almaty_offset

    assert almaty_offset(datetime(2024, 2, 15, 7, tzinfo=UTC)).total_seconds() == 6 * 3600


def test_system_check_passes():
    call_command("check", "--fail-level", "ERROR")
