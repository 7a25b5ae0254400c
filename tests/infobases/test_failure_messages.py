"""Issue 18: a failed load showed the subscriber a raw server path. The panel now says what
failed in plain words; the raw error stays in the operation's record for staff."""

from django.urls import reverse

from infobases.models import Operation
from infobases.provisioning.base import ProvisioningError
from infobases.services import infobase_create


class FailingDriver:
    def __getattr__(self, name):
        def fail(**kwargs):
            raise ProvisioningError(
                "ibcmd: /var/lib/1c/srv1cv8/reg_1541/s1_x/1Cv8.1CD: permission denied"
            )

        return fail


def test_a_failed_load_shows_people_words_and_keeps_the_path_for_staff(
    client, owner, subscriber, tariff, solution, run_now, monkeypatch
):
    from infobases.services import operations

    monkeypatch.setattr(operations, "get_driver", lambda: FailingDriver())
    infobase = run_now(
        lambda: infobase_create(
            subscriber=subscriber,
            solution=solution,
            name="Загруженная",
            with_demo_data=False,
            actor=owner,
            restore_from="uploads/1/base.dt",
        )
    )
    infobase.refresh_from_db()
    assert infobase.status == "failed"
    client.force_login(owner)
    page = client.get(reverse("infobases:detail", args=[infobase.pk])).content.decode()
    assert "/var/lib/1c" not in page and "permission denied" not in page
    assert "не удалось загрузить" in page.lower()
    assert "/var/lib/1c" in Operation.objects.get(infobase=infobase).message
    api = client.get(f"/api/v1/infobases/{infobase.pk}/").json()
    assert "/var/lib/1c" not in str(api)
