from django.urls import reverse


def test_healthz_answers_ok_without_signing_in_or_touching_the_database(
    client, db, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain")
    assert "no-cache" in response["Cache-Control"]


def test_healthz_only_answers_get(client, db):
    assert client.post(reverse("healthz")).status_code == 405
