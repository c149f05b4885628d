"""Webhooks call only public addresses in production, checked when saved and again on the address actually dialled.

Report D6: production kept loopback and private endpoints allowed, some IPv6
spellings of 127.0.0.1 passed the check even when they were not, the host
was resolved once to check it and again to connect (DNS rebinding), and the
delivery log showed 1,000 characters of whatever an internal service answered.
"""

import socket

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.management import call_command

from tests.admin_forms import form_fields
from tests.factories import make_article
from tests.production.test_production_switch import run_manage
from tests.webhooks.receiver import Receiver
from webhooks.models import Delivery, Endpoint

pytestmark = pytest.mark.django_db(transaction=True)

PRODUCTION = {"BONECARE_ENV": "production", "DJANGO_SECRET_KEY": "k" * 60, "DJANGO_ALLOWED_HOSTS": "a.example",
              "BONECARE_PUBLIC_URL": "https://a.example"}
PUBLIC_ADDRESS = "93.184.215.14"


@pytest.fixture(autouse=True)
def quick_retries(settings):
    settings.WEBHOOKS_RETRY_SCHEDULE = []
    settings.WEBHOOKS_TIMEOUT = 1


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0", verbosity=0)


def allowed_private(tmp_path, env_extra):
    code = "from django.conf import settings; print(settings.WEBHOOKS_ALLOW_PRIVATE_URLS)"
    return run_manage("shell", "--no-imports", "-c", code, tmp_path=tmp_path, env_extra=env_extra)


def test_production_refuses_private_addresses_and_cannot_be_told_otherwise(tmp_path):
    assert allowed_private(tmp_path, PRODUCTION).stdout.strip().splitlines()[-1] == "False"
    assert allowed_private(tmp_path, {}).stdout.strip().splitlines()[-1] == "True"  # development: local receivers
    refused = allowed_private(tmp_path, {**PRODUCTION, "WEBHOOKS_ALLOW_PRIVATE_URLS": "1"})
    assert refused.returncode != 0
    assert "WEBHOOKS_ALLOW_PRIVATE_URLS" in refused.stderr and "production" in refused.stderr


@pytest.mark.parametrize("url", [
    "http://[::7f00:1]:8503/",  # IPv4-compatible 127.0.0.1
    "http://[64:ff9b::7f00:1]/",  # NAT64 of 127.0.0.1
    "http://[2002:7f00:1::1]/",  # 6to4 of 127.0.0.1
    "http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/",  # Teredo whose client is 127.0.0.1
    "http://[::ffff:10.0.0.1]/", "http://100.64.0.1/", "http://0.0.0.0/", "http://[fe80::1]/", "http://[fd00::1]/",
    "http://192.168.1.1/", "http://224.0.0.1/",
])
def test_every_spelling_of_a_non_public_address_is_refused_in_the_admin(client, settings, url):
    settings.WEBHOOKS_ALLOW_PRIVATE_URLS = False
    client.force_login(User.objects.create_superuser("admin", password="pw-for-tests-only"))
    page = client.get("/admin/webhooks/endpoint/add/").content.decode()
    data = {**form_fields(page, "endpoint_form"), "name": "x", "url": url,
            "events": ["article.published"], "languages": ["en"]}
    response = client.post("/admin/webhooks/endpoint/add/", data)
    assert response.status_code == 200 and not Endpoint.objects.exists()
    assert "loopback or private address" in response.content.decode()


@pytest.fixture
def rebinding_dns(monkeypatch):
    """partner.example resolves to a public address for its first two look-ups, then to 127.0.0.1."""
    real = socket.getaddrinfo
    lookups = []

    def getaddrinfo(host, port, *args, **kwargs):
        if host != "partner.example":
            return real(host, port, *args, **kwargs)
        lookups.append(host)
        address = PUBLIC_ADDRESS if len(lookups) <= 2 else "127.0.0.1"
        return [(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (address, port or 80))]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return lookups


def test_dns_rebinding_between_the_check_and_the_connection_reaches_nothing_internal(settings, monkeypatch, rebinding_dns):
    settings.WEBHOOKS_ALLOW_PRIVATE_URLS = False
    dialled = []
    real_connect = socket.socket.connect

    def connect(sock, address):
        if address[0] == PUBLIC_ADDRESS:  # stands in for the partner's server; nothing leaves this machine
            dialled.append(address)
            raise ConnectionRefusedError("refused by the test")
        return real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    with Receiver() as receiver:
        url = receiver.url.replace("127.0.0.1", "partner.example")
        hook = Endpoint(name="Partner", url=url)
        hook.full_clean()  # look-up 1: public, accepted
        hook.save()
        make_article("a")
        run_worker()  # look-up 2 is checked; the connection must go to that address, not look the name up again
    assert receiver.requests == []
    assert dialled == [(PUBLIC_ADDRESS, receiver.server.server_port)]
    assert len(rebinding_dns) == 2
    assert Delivery.objects.get().status == Delivery.Status.FAILED


def test_a_name_that_now_points_inside_is_refused_when_sending(settings, monkeypatch):
    settings.WEBHOOKS_ALLOW_PRIVATE_URLS = False
    real = socket.getaddrinfo
    monkeypatch.setattr(socket, "getaddrinfo", lambda host, port, *a, **k: real(
        "127.0.0.1" if host == "partner.example" else host, port, *a, **k))
    with Receiver() as receiver:
        Endpoint.objects.create(name="Partner", url=receiver.url.replace("127.0.0.1", "partner.example"))
        make_article("a")
        run_worker()
    assert receiver.requests == []
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.FAILED and "loopback or private address" in delivery.last_error


def test_the_delivery_log_keeps_a_short_safe_summary_of_the_answer_not_the_page(client):
    internal_page = b"<!doctype html><title>Router admin</title><p>SECRET-CONFIG password=hunter2</p>" * 10
    with Receiver(statuses=[500], body=internal_page, content_type="text/html") as receiver:
        Endpoint.objects.create(name="Partner", url=receiver.url)
        make_article("a")
        run_worker()
    delivery = Delivery.objects.get()
    client.force_login(User.objects.create_superuser("admin", password="pw-for-tests-only"))
    page = client.get(f"/admin/webhooks/delivery/{delivery.pk}/change/").content.decode()
    assert "SECRET-CONFIG" not in page and "hunter2" not in page
    assert delivery.last_status_code == 500
    assert delivery.last_response == f"({len(internal_page)} bytes of text/html, not kept)"


def test_a_plain_text_answer_is_kept_short_and_on_one_line():
    with Receiver(statuses=[400], body=("bad signature\r\n\x1b" + "x" * 2000).encode()) as receiver:
        Endpoint.objects.create(name="Partner", url=receiver.url)
        make_article("a")
        run_worker()
    summary = Delivery.objects.get().last_response
    assert summary.startswith("bad signature x") and len(summary) <= 201 and "\x1b" not in summary


@pytest.fixture
def tls_receiver(tmp_path, monkeypatch):
    """A Receiver speaking HTTPS with a certificate for partner.example, which the sender is told to trust."""
    import shutil
    import ssl
    import subprocess

    if not shutil.which("openssl"):
        pytest.skip("openssl is needed to make a test certificate")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1",
         "-subj", "/CN=partner.example", "-addext", "subjectAltName=DNS:partner.example"],
        check=True, capture_output=True,
    )
    server_side = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_side.load_cert_chain(cert, key)
    make_context = ssl.create_default_context
    monkeypatch.setattr(ssl, "create_default_context", lambda *args, **kwargs: make_context(cafile=cert))
    real = socket.getaddrinfo
    monkeypatch.setattr(socket, "getaddrinfo", lambda host, port, *a, **k: real(
        "127.0.0.1" if host.endswith(".example") else host, port, *a, **k))
    with Receiver() as receiver:
        receiver.server.socket = server_side.wrap_socket(receiver.server.socket, server_side=True)
        yield receiver


def test_https_is_verified_against_the_url_s_host_name_while_the_checked_address_is_dialled(tls_receiver):
    port = tls_receiver.server.server_port
    Endpoint.objects.create(name="Right name", url=f"https://partner.example:{port}/hooks/")
    Endpoint.objects.create(name="Wrong name", url=f"https://impostor.example:{port}/hooks/")
    make_article("a")
    run_worker()
    outcomes = {d.endpoint.name: d for d in Delivery.objects.select_related("endpoint")}
    assert outcomes["Right name"].status == Delivery.Status.SUCCEEDED, outcomes["Right name"].last_error
    assert outcomes["Wrong name"].status == Delivery.Status.FAILED
    assert "certificate" in outcomes["Wrong name"].last_error.lower()
    assert len(tls_receiver.requests) == 1
