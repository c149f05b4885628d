"""API keys as a partner and an administrator meet them: created once, sent in X-API-Key, revoked in the admin."""

import re

import pytest
from django.core.management import call_command

from partners import keys
from partners.models import PartnerKey
from tests.admin_forms import post_change_form

pytestmark = pytest.mark.django_db

API = "/api/v1/languages/"


def create_key_by_command(*args):
    from io import StringIO

    out, err = StringIO(), StringIO()
    call_command("create_api_key", *args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue()


def test_the_command_prints_the_key_once_and_stores_only_its_hash():
    raw_key, note = create_key_by_command("Hospital portal", "--limit", "5000")

    stored = PartnerKey.objects.get()
    assert re.fullmatch(r"[A-Za-z0-9]{8}\.[A-Za-z0-9]{32}", raw_key)
    assert stored.name == "Hospital portal" and stored.request_limit == 5000
    assert raw_key not in stored.hashed_key and raw_key not in stored.id
    assert stored.prefix in note and raw_key not in note


def test_a_partner_sending_its_key_gets_its_own_higher_limit(client):
    raw_key, _ = create_key_by_command("Charity app")

    anonymous = client.get(API)
    keyed = client.get(API, HTTP_X_API_KEY=raw_key)

    assert anonymous.status_code == keyed.status_code == 200
    assert anonymous["RateLimit-Policy"] == '"anonymous";q=120;w=60'
    assert keyed["RateLimit-Policy"] == '"key";q=1200;w=60'
    assert re.fullmatch(r'"key";r=1199;t=\d+', keyed["RateLimit"])


def test_a_key_can_have_a_limit_of_its_own(client):
    raw_key, _ = create_key_by_command("Big partner", "--limit", "9000")

    assert client.get(API, HTTP_X_API_KEY=raw_key)["RateLimit-Policy"] == '"key";q=9000;w=60'


@pytest.mark.parametrize("wrong", ["nonsense", "abcdefgh.wrongsecretwrongsecretwrongsecre", "x" * 500, "é.é"])
def test_a_wrong_key_is_refused_in_the_error_shape_not_served_anonymously(client, wrong):
    create_key_by_command("Someone")

    response = client.get(API, HTTP_X_API_KEY=wrong)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'ApiKey header="X-API-Key"'
    assert response.json()["error"]["code"] == "invalid_api_key"
    assert response["RateLimit-Policy"].startswith('"anonymous"')  # counted against the address


def test_the_right_prefix_with_a_wrong_secret_is_refused(client):
    raw_key, _ = create_key_by_command("Someone")
    prefix = raw_key.split(".")[0]

    assert client.get(API, HTTP_X_API_KEY=f"{prefix}.{'0' * 32}").status_code == 401
    assert client.get(API, HTTP_X_API_KEY=raw_key).status_code == 200


def test_the_error_is_in_the_callers_language(client):
    response = client.get(API, HTTP_X_API_KEY="bad.key", HTTP_ACCEPT_LANGUAGE="es")

    assert response.json()["error"]["message"] == "La clave de API es desconocida, ha sido revocada o ha caducado."


def test_a_checked_key_costs_no_query_on_the_next_requests(client, django_assert_max_num_queries):
    raw_key, _ = create_key_by_command("Busy partner")
    client.get(API, HTTP_X_API_KEY=raw_key)  # checked once, against the database; the answer is stored

    with django_assert_max_num_queries(1):  # the stored answer's one query, nothing for the key
        assert client.get(API, HTTP_X_API_KEY=raw_key).status_code == 200


def test_an_admin_creates_a_key_sees_it_once_and_a_partner_can_use_it(admin_client, client):
    response = post_change_form(
        admin_client, "/admin/partners/partnerkey/add/", "partnerkey_form", name="Patient portal", request_limit="3000"
    )
    assert response.status_code == 302
    page = admin_client.get(response["Location"]).content.decode()
    raw_key = re.search(r"The API key for Patient portal is: ([A-Za-z0-9]{8}\.[A-Za-z0-9]{32})", page).group(1)

    assert client.get(API, HTTP_X_API_KEY=raw_key)["RateLimit-Policy"] == '"key";q=3000;w=60'
    change_page = admin_client.get(f"/admin/partners/partnerkey/{PartnerKey.objects.get().pk}/change/").content.decode()
    assert raw_key not in change_page


def test_revoking_in_the_admin_takes_effect_on_the_next_request(admin_client, client):
    raw_key, _ = create_key_by_command("Former partner")
    assert client.get(API, HTTP_X_API_KEY=raw_key).status_code == 200  # the check is now cached
    key = PartnerKey.objects.get()

    response = post_change_form(admin_client, f"/admin/partners/partnerkey/{key.pk}/change/", "partnerkey_form", revoked="on")
    assert response.status_code == 302

    refused = client.get(API, HTTP_X_API_KEY=raw_key)
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "invalid_api_key"


def test_deleting_in_the_admin_takes_effect_on_the_next_request(admin_client, client):
    raw_key, _ = create_key_by_command("Gone partner")
    assert client.get(API, HTTP_X_API_KEY=raw_key).status_code == 200
    key = PartnerKey.objects.get()

    admin_client.post(f"/admin/partners/partnerkey/{key.pk}/delete/", {"post": "yes"})

    assert not PartnerKey.objects.exists()
    assert client.get(API, HTTP_X_API_KEY=raw_key).status_code == 401


def test_revoke_key_forgets_the_cached_check(client):
    partner_key, raw_key = keys.create_key("Via code")
    assert client.get(API, HTTP_X_API_KEY=raw_key).status_code == 200

    keys.revoke_key(partner_key)

    assert client.get(API, HTTP_X_API_KEY=raw_key).status_code == 401


def test_an_expired_key_is_refused(client):
    from datetime import timedelta

    from django.utils import timezone

    partner_key, raw_key = keys.create_key("Trial")
    partner_key.expiry_date = timezone.now() - timedelta(minutes=1)
    partner_key.save()

    assert client.get(API, HTTP_X_API_KEY=raw_key).status_code == 401


def test_the_library_admin_for_its_own_model_is_not_shown(admin_client):
    index = admin_client.get("/admin/").content.decode()

    assert "/admin/partners/partnerkey/" in index
    assert "/admin/rest_framework_api_key/" not in index
