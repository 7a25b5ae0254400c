from django.apps import apps
from django.core.management import call_command


def _counts():
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label not in {"sessions", "django_celery_beat", "admin"}
    }


def test_seed_demo_is_idempotent_and_prints_the_logins(db, capsys):
    call_command("seed_demo")
    first = _counts()
    out = capsys.readouterr().out
    assert "admin@onebuh.kz" in out and "owner@demo-astana.kz" in out
    call_command("seed_demo")
    assert _counts() == first
    assert first["subscribers.Subscriber"] == 2
    legal_forms = set(
        apps.get_model("subscribers", "Subscriber").objects.values_list("legal_form", flat=True)
    )
    assert len(legal_forms) == 2


def test_demo_staff_have_their_roles_and_a_second_factor(db):
    from allauth.mfa.utils import is_mfa_enabled

    from subscribers.models import User
    from subscribers.roles import GROUP_NAMES, StaffRole

    call_command("seed_demo")
    for email, role in [
        ("engineer@onebuh.kz", StaffRole.OPERATOR_ENGINEER),
        ("consultant@partner1c.kz", StaffRole.PARTNER_CONSULTANT),
        ("accountant@onebuh.kz", StaffRole.ACCOUNTANT),
        ("admin@onebuh.kz", StaffRole.ADMINISTRATOR),
    ]:
        user = User.objects.get(email=email)
        assert user.groups.filter(name=GROUP_NAMES[role]).exists()
        assert is_mfa_enabled(user)
