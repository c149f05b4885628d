"""The shipped nginx configuration in front of the app, as in production: idle clients never delay another one.

Starts Debian's nginx (as a normal user, everything in a temporary folder)
with deploy/nginx/bonecare.conf, its ports, paths and certificate swapped for
throwaway ones, in front of gunicorn started as `make run` starts it, with
BONECARE_ENV=production and a throwaway database holding the shipped content.
Skipped when nginx or openssl is missing, unless BONECARE_REQUIRE_NGINX=1
(set by .ci/run), where that fails.
"""

import getpass
import http.client
import json
import os
import re
import secrets
import shutil
import socket
import ssl
import subprocess
import time
from pathlib import Path

import pytest

from bench.servers import HOST, PYTHON, ROOT, bench_env, free_port, prepare, start_gunicorn, stop, wait_until_up

pytestmark = pytest.mark.nginx

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
SHIPPED = ROOT / "deploy" / "nginx" / "bonecare.conf"
IDLE_CONNECTIONS = 20


def require_nginx():
    missing = [name for name, path in (("nginx", NGINX), ("openssl", shutil.which("openssl"))) if not path or not Path(path).exists()]
    if not missing:
        return
    reason = f"needs {' and '.join(missing)} (apt-get install nginx openssl)"
    if os.environ.get("BONECARE_REQUIRE_NGINX") == "1":
        pytest.fail(f"BONECARE_REQUIRE_NGINX=1 but this is missing: {reason}")
    pytest.skip(reason)


def site_config(folder, app_port, http_port, https_port, static_root):
    """The shipped file with its EDIT lines pointed at this test's ports, folders and certificate."""
    text = SHIPPED.read_text()
    for old, new in (
        ("listen 80;", f"listen {HOST}:{http_port};"),
        ("listen 443 ssl;", f"listen {HOST}:{https_port} ssl;"),
        ("server 127.0.0.1:8000;", f"server {HOST}:{app_port};"),
        ("server_name bonecare.example.org;", "server_name localhost;"),
        ("/srv/bonecare/staticfiles/", f"{static_root}/"),
        ("/srv/bonecare/", f"{ROOT}/"),
        ("/etc/ssl/certs/bonecare.example.org.pem", str(folder / "cert.pem")),
        ("/etc/ssl/private/bonecare.example.org.key", str(folder / "key.pem")),
    ):
        assert old in text, f"{SHIPPED} no longer says {old!r}; update this test"
        text = text.replace(old, new)
    return re.sub(r"^\s*listen \[::\]:\d+.*\n", "", text, flags=re.MULTILINE)  # loopback IPv4 only


def main_config(folder):
    """nginx's main file for a non-root run: pid, logs and temporary files in the test's folder."""
    temporary = "\n".join(
        f"    {kind}_temp_path {folder / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    # Started by root (CI), nginx would hand its workers to `nobody`, who cannot read this folder.
    user = f"user {getpass.getuser()};\n" if os.geteuid() == 0 else ""
    return f"""{user}worker_processes 1;
daemon off;
pid {folder / 'nginx.pid'};
error_log {folder / 'error.log'} warn;
events {{ worker_connections 512; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
{temporary}
    include {folder / 'bonecare.conf'};
}}
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    require_nginx()
    folder = tmp_path_factory.mktemp("nginx")
    folder.chmod(0o755)
    static_root = folder / "static"
    env = bench_env(
        folder / "db.sqlite3",
        BONECARE_ENV="production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="localhost",
        BONECARE_PUBLIC_URL="https://localhost",
        DJANGO_STATIC_ROOT=str(static_root),
    )
    prepare(env)
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
         "-keyout", str(folder / "key.pem"), "-out", str(folder / "cert.pem")],
        check=True, capture_output=True,
    )
    app_port, http_port, https_port = free_port(), free_port(), free_port()
    (folder / "bonecare.conf").write_text(site_config(folder, app_port, http_port, https_port, static_root))
    (folder / "nginx.conf").write_text(main_config(folder))
    app = start_gunicorn("bonecare.wsgi", app_port, env)
    proxy = None
    try:
        proxy = subprocess.Popen(
            [NGINX, "-p", str(folder), "-c", str(folder / "nginx.conf"), "-e", str(folder / "error.log")],
            start_new_session=True, stderr=subprocess.PIPE, text=True,
        )
        try:
            wait_until_up(https_port, server=proxy)
        except SystemExit as failure:
            pytest.fail(f"{failure}: {proxy.stderr.read() if proxy.poll() is not None else ''}")
        yield {"https_port": https_port, "http_port": http_port, "app_port": app_port, "env": env}
    finally:
        stop(proxy)
        stop(app)


def https_get(port, path, headers=None, timeout=5):
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    connection = http.client.HTTPSConnection(HOST, port, timeout=timeout, context=context)
    try:
        connection.request("GET", path, headers={"Host": "localhost", **(headers or {})})
        response = connection.getresponse()
        return response, response.read()
    finally:
        connection.close()


def half_open_connections(port, count, tls):
    """Connections that send the start of a request line and then nothing, as a slow or stalled client does."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    held = []
    for _ in range(count):
        sock = socket.create_connection((HOST, port), timeout=5)
        if tls:
            sock = context.wrap_socket(sock, server_hostname="localhost")
        sock.sendall(b"GET /api/v1/articles/?la")  # half a request line
        held.append(sock)
    return held


def test_twenty_idle_half_open_connections_do_not_delay_another_client(site):
    warm_up, _body = https_get(site["https_port"], "/api/v1/articles/?lang=es")  # the first answer is rendered
    assert warm_up.status == 200
    idle = half_open_connections(site["https_port"], IDLE_CONNECTIONS, tls=True)
    try:
        time.sleep(0.5)  # nginx has accepted them all and is waiting for the rest
        started = time.monotonic()
        response, body = https_get(site["https_port"], "/api/v1/articles/?lang=es")
        elapsed = time.monotonic() - started
    finally:
        for sock in idle:
            sock.close()

    assert response.status == 200, body[:300]
    assert elapsed < 1.0, f"answered in {elapsed:.2f} s behind {IDLE_CONNECTIONS} idle connections"
    print(f"\nbehind nginx, with {IDLE_CONNECTIONS} idle half-open connections: answered in {elapsed * 1000:.0f} ms")


def test_in_production_behind_nginx_links_say_https_and_the_headers_are_there(site):
    response, body = https_get(site["https_port"], "/api/v1/articles/")
    items = json.loads(body)["results"]
    assert response.status == 200
    assert items and all(item["url"].startswith("https://localhost/") for item in items)
    assert response.getheader("Strict-Transport-Security") == "max-age=31536000; includeSubDomains; preload"
    assert "default-src 'none'" in response.getheader("Content-Security-Policy")
    assert "camera=()" in response.getheader("Permissions-Policy")

    plain = http.client.HTTPConnection(HOST, site["http_port"], timeout=5)
    plain.request("GET", "/api/v1/articles/", headers={"Host": "localhost"})
    redirect = plain.getresponse()
    assert redirect.status == 301 and redirect.getheader("Location") == "https://localhost/api/v1/articles/"


def test_nginx_serves_static_files_itself(site):
    static, _body = https_get(site["https_port"], "/static/admin/css/base.css", {"Accept-Encoding": "gzip"})
    assert static.status == 200
    assert static.getheader("Content-Encoding") == "gzip"  # the .gz collectstatic wrote
    assert static.getheader("Content-Security-Policy") is None, "the app adds one to everything it answers"


def manage(site, *arguments):
    result = subprocess.run([PYTHON, "manage.py", *arguments], cwd=ROOT, env=site["env"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""


def remaining(response):
    """(requests left, seconds to the window's end) from a RateLimit header."""
    left, seconds = re.fullmatch(r'"\w+";r=(\d+);t=(\d+)', response.getheader("RateLimit")).groups()
    return int(left), int(seconds)


def test_every_bundle_request_reaches_the_app_so_keys_limits_and_rate_headers_are_each_callers_own(site):
    """A partner's bundle is never handed to an invalid or revoked key, nor its RateLimit headers to anyone else."""
    partner = manage(site, "create_api_key", "nginx test partner")
    path, gzip = "/api/v1/bundle/?lang=ar&level=plain", {"Accept-Encoding": "gzip"}

    keyed, _body = https_get(site["https_port"], path, {**gzip, "X-API-Key": partner})
    invalid, invalid_body = https_get(site["https_port"], path, {**gzip, "X-API-Key": "AAAAAAAA.notakeyatall00000000000"})
    anonymous = [https_get(site["https_port"], path, gzip)[0] for _ in range(2)]

    assert keyed.status == 200 and keyed.getheader("RateLimit-Policy").startswith('"key"')
    assert invalid.status == 401 and b'"invalid_api_key"' in invalid_body
    for answer in anonymous:
        assert answer.status == 200 and answer.getheader("Content-Encoding") == "gzip"
        assert answer.getheader("RateLimit-Policy").startswith('"anonymous"')
    (first, first_reset), (second, second_reset) = (remaining(answer) for answer in anonymous)
    assert second == first - 1 or second_reset > first_reset, "each anonymous bundle is counted"

    prefix = partner.partition(".")[0]
    manage(site, "shell", "--no-imports", "-c",
           f"from partners import keys; from partners.models import PartnerKey; "
           f"keys.revoke_key(PartnerKey.objects.get(prefix={prefix!r}))")
    revoked, revoked_body = https_get(site["https_port"], path, {**gzip, "X-API-Key": partner})
    assert revoked.status == 401 and b'"invalid_api_key"' in revoked_body


def test_a_body_over_the_limit_is_refused_by_nginx_before_the_app(site):
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    connection = http.client.HTTPSConnection(HOST, site["https_port"], timeout=5, context=context)
    connection.putrequest("POST", "/admin/login/", skip_host=True)
    connection.putheader("Host", "localhost")
    connection.putheader("Content-Length", str(11 * 1024 * 1024))
    connection.endheaders()

    assert connection.getresponse().status == 413
    connection.close()
