"""Worker memory when a large translation file is uploaded to the admin or given to the command.

    .venv/bin/python bench/upload_memory.py [--sizes 25 50]

For each size (MB) and format (XLIFF, PO) it builds a real exchange file by
repeating the units of an export of the shipped content, then:
- starts gunicorn (1 sync worker) on a throwaway SQLite database, logs in as a
  throwaway superuser, uploads the file to the admin's import page and reads
  the worker's peak resident memory (VmHWM) and the answer;
- runs `manage.py import_translations FILE` and reads its peak memory.
Run it on a branch without the limit to see the cost it prevents. Only
127.0.0.1 is contacted; every server it starts it stops.
"""

import argparse
import http.client
import http.cookiejar
import re
import subprocess
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

from servers import HOST, PYTHON, ROOT, bench_env, free_port, prepare, start_gunicorn, stop

MB = 1024 * 1024


def export(env, language, file_format, output):
    subprocess.run(
        [PYTHON, "manage.py", "export_translations", "--lang", language, "--format", file_format, "--output", output],
        cwd=ROOT, env=env, check=True, capture_output=True,
    )
    return Path(output).read_bytes()


def grown(data, file_format, size):
    """The export with its units repeated (ids made unique) until the file is `size` bytes or more."""
    text = data.decode()
    if file_format == "xliff":
        start, end = text.index("<trans-unit"), text.rindex("</trans-unit>") + len("</trans-unit>")
    else:
        start, end = text.index("#. bonecare"), len(text)
    head, units, tail = text[:start], text[start:end], text[end:]
    parts, total, copy = [head], len(head) + len(tail), 0
    while total < size:
        copy += 1
        block = re.sub(r'((?:id="|msgctxt ")[^/"]+)', rf"\1-copy{copy}", units) + "\n"
        parts.append(block)
        total += len(block.encode())
    parts.append(tail)
    return "".join(parts).encode()


def worker_peak_kb(master_pid):
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    peaks = []
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        peaks.append(int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)))
    return max(peaks)


def upload(port, path, username, password):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    base = f"http://{HOST}:{port}"
    login = opener.open(f"{base}/admin/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login).group(1)
    form = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": username, "password": password,
                                   "next": "/admin/"}).encode()
    opener.open(urllib.request.Request(f"{base}/admin/login/", form, headers={"Referer": base + "/admin/login/"}))
    page = opener.open(f"{base}/admin/content/article/import-translations/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    boundary = uuid.uuid4().hex
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrfmiddlewaretoken\"\r\n\r\n{token}\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{path.name}\"\r\n"
            "Content-Type: application/octet-stream\r\n\r\n").encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    body = head + path.read_bytes() + tail
    cookies = "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar)
    connection = http.client.HTTPConnection(HOST, port, timeout=600)
    started = time.perf_counter()
    connection.request("POST", "/admin/content/article/import-translations/", body, {
        "Content-Type": f"multipart/form-data; boundary={boundary}", "Cookie": cookies,
        "Referer": f"{base}/admin/content/article/import-translations/",
    })
    response = connection.getresponse()
    answer = response.read().decode(errors="replace")
    elapsed = time.perf_counter() - started
    refused = re.search(r"files of at most [0-9.]+ MB can be imported", answer)
    outcome = refused.group(0) if refused else re.sub(r"\s+", " ", re.search(
        r"<h2>.*?</h2>", answer, re.S).group(0)) if "<h2>" in answer else f"HTTP {response.status}"
    return response.status, elapsed, outcome


def command_peak(env, path):
    started = time.perf_counter()
    result = subprocess.run(
        ["/usr/bin/time", "-f", "%M", PYTHON, "manage.py", "import_translations", str(path), "--dry-run"],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )
    peak_kb = int(result.stderr.strip().splitlines()[-1])
    first_error = next((line for line in result.stderr.splitlines() if "error" in line.lower() or "imported" in line),
                       result.stdout.strip()[:100])
    return peak_kb, time.perf_counter() - started, first_error.strip()[:110]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[25, 50], help="file sizes in MB")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = bench_env(f"{tmp}/bench.sqlite3", DJANGO_DEBUG="0")
        prepare(env, collectstatic=False)
        username, password = "bench-admin", uuid.uuid4().hex
        subprocess.run([PYTHON, "manage.py", "shell", "--no-imports", "-c",
                        "from django.contrib.auth.models import User; "
                        f"User.objects.create_superuser('{username}', '', '{password}')"],
                       cwd=ROOT, env=env, check=True)
        print(f"{'file':<12} {'admin worker peak':>18} {'admin time':>10} {'command peak':>13} {'cmd time':>9}  answer")
        for file_format in ("xliff", "po"):
            data = export(env, "fr", file_format, f"{tmp}/export.{file_format}")
            for size in args.sizes:
                path = Path(tmp) / f"fr-{size}mb.{'xlf' if file_format == 'xliff' else 'po'}"
                path.write_bytes(grown(data, file_format, size * MB))
                port = free_port()
                server = start_gunicorn("bonecare.wsgi", port, env, workers=1, extra=["--timeout", "600"])
                try:
                    # The baseline is a worker that has served the admin and the API once.
                    for warm_up in ("/admin/login/", "/api/v1/articles/"):
                        urllib.request.urlopen(f"http://{HOST}:{port}{warm_up}").read()
                    baseline = worker_peak_kb(server.pid)
                    status, elapsed, outcome = upload(port, path, username, password)
                    peak = worker_peak_kb(server.pid)
                finally:
                    stop(server)
                command_kb, command_time, command_answer = command_peak(env, path)
                print(f"{path.name:<12} {baseline / 1024:>6.0f} -> {peak / 1024:>5.0f} MB {elapsed:>9.1f}s "
                      f"{command_kb / 1024:>10.0f} MB {command_time:>8.1f}s  {status}: {outcome}; "
                      f"command: {command_answer}", flush=True)


if __name__ == "__main__":
    main()
