from decimal import Decimal

from subscribers.templatetags.onebuh import phone, tenge


def test_phone_is_grouped():
    assert phone("+77011234567") == "+7 701 123 45 67"
    assert phone("not a phone") == "not a phone"


def test_tenge_groups_thousands_with_no_break_spaces():
    assert tenge(Decimal("1234567.5")) == "1\u00a0234\u00a0567,50\u00a0₸"
    assert tenge(Decimal("0")) == "0,00\u00a0₸"
    assert tenge(Decimal("-15000")) == "−15\u00a0000,00\u00a0₸"
    assert tenge(Decimal("999.994")) == "999,99\u00a0₸"
    assert tenge(Decimal("0.005")) == "0,01\u00a0₸"  # half up, not to even
