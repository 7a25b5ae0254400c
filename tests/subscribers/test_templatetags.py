from subscribers.templatetags.onebuh import phone


def test_phone_is_grouped():
    assert phone("+77011234567") == "+7 701 123 45 67"
    assert phone("not a phone") == "not a phone"
