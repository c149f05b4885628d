"""Load and soak: wrk over a mix of endpoints for a long run and a burst, with gunicorn's memory sampled throughout.

    .venv/bin/python bench/soak.py                                  # 10 min at 16 connections, then 1 min at 64
    .venv/bin/python bench/soak.py --duration 60 --burst-duration 20 # a short run to try it

In one run it:

1. builds a throwaway SQLite database with the shipped content (as `make
   setup` does), or uses --database-url (a database you made for this);
2. starts BoneCare under gunicorn exactly as `make run` does, the command
   read from the Makefile's run recipe (bench/servers.py), on a free port of
   127.0.0.1, without the access log;
3. checks each endpoint of the mix once (detail in several languages and
   levels, lists, glossary, a sync delta, a bundle, search if the API has
   it, a filtered list built per request) and keeps those answering 200;
4. runs wrk over the mix, round robin, with `Accept-Encoding: gzip` as apps
   send it: --connections for --duration seconds, then --burst-connections
   for --burst-duration seconds, while a thread reads the resident memory
   (RSS) of gunicorn's master and workers from /proc every --sample-every s;
5. prints, per phase, requests/s, p50/p99/max latency, errors (responses
   other than 2xx/3xx, socket errors and timeouts) and the memory curve
   (start, max, end, slope per minute), each with a verdict, and writes
   --json if asked. It stops gunicorn at the end, on Ctrl-C and on error.

Memory is "flat" when, after the warm-up (the first minute of a phase, or
its first fifth when shorter), the least-squares slope of the total RSS is
below --max-slope MiB per minute (default 1.0) and the end is no more than
--max-growth MiB (default 8) above the RSS at the end of the warm-up.
A worker that was replaced during the run (its pid changed) is reported.

Only 127.0.0.1 is contacted; every loop is bounded by the durations given.
"""

import argparse
import http.client
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time

from servers import (
    HOST, bench_env, free_port, install_signal_handlers, make_run_gunicorn_command, prepare, process_tree_rss,
    start_command, stop,
)

MIB = 1024 * 1024
SLUGS = [
    "metastatic-bone-cancer", "bone-cancer-treatment-options", "saving-the-leg-with-limb-salvage-surgery",
    "surgery-and-limb-salvage", "treating-bone-metastases",
]
LANGUAGES = ["en", "es", "fr", "zh-hans", "ar"]

WRK_SCRIPT = r"""
local paths = {%(paths)s}
local counter = 0
wrk.headers["Accept-Encoding"] = "gzip"
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "SOAK {\"requests\":%%d,\"duration_us\":%%d,\"bytes\":%%d,\"p50_us\":%%.1f,\"p99_us\":%%.1f,\"max_us\":%%.1f,"
    .. "\"non2xx\":%%d,\"connect_errors\":%%d,\"read_errors\":%%d,\"write_errors\":%%d,\"timeouts\":%%d}\n",
    summary.requests, summary.duration, summary.bytes, latency:percentile(50), latency:percentile(99), latency.max,
    e.status, e.connect, e.read, e.write, e.timeout))
end
"""


def get(port, path, timeout=30, gzip=True):
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request("GET", path, headers={"Accept-Encoding": "gzip"} if gzip else {})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def endpoint_mix(port):
    """The paths of the mix that answer 200 here, and notes on those left out."""
    candidates = []
    for number, slug in enumerate(SLUGS):
        for offset, language in enumerate(LANGUAGES):
            level = ("standard", "plain")[(number + offset) % 2]
            candidates.append(f"/api/v1/articles/{slug}/?lang={language}&level={level}")
    candidates += [
        "/api/v1/articles/?lang=en", "/api/v1/articles/?lang=fr&level=plain", "/api/v1/articles/?page_size=50",
        "/api/v1/glossary/?lang=es", "/api/v1/glossary/biopsy/?lang=zh-hans", "/api/v1/topics/?lang=ar",
        "/api/v1/bundle/?lang=ar&level=plain", "/api/v1/search/?q=bone&lang=en", "/api/v1/search/?q=hueso&lang=es",
        "/api/v1/articles/?lang=es&topic=surgery",
    ]
    status, body = get(port, "/api/v1/sync/?lang=en&level=standard", gzip=False)
    notes = []
    if status == 200:
        cursor = json.loads(body)["cursor"]
        candidates.append(f"/api/v1/sync/?lang=en&level=standard&cursor={cursor}")
    else:
        notes.append(f"sync answered {status}: left out of the mix")
    kept = []
    for path in candidates:
        status, _body = get(port, path)
        if status == 200:
            kept.append(path)
        else:
            notes.append(f"{path} answered {status}: left out of the mix")
    return kept, notes


class MemorySampler(threading.Thread):
    """Reads the RSS of gunicorn's master and workers every `every` seconds until stopped."""

    def __init__(self, pid, every):
        super().__init__(daemon=True)
        self.pid, self.every = pid, every
        self.samples = []  # (seconds since start, total RSS bytes, pids)
        self.stopped = threading.Event()
        self.started_at = time.monotonic()

    def run(self):
        while not self.stopped.is_set():
            sizes = process_tree_rss(self.pid)
            self.samples.append((time.monotonic() - self.started_at, sum(sizes.values()), sorted(sizes)))
            self.stopped.wait(self.every)

    def stop(self):
        self.stopped.set()
        self.join()


def run_wrk(port, paths, connections, duration, timeout, script_path):
    with open(script_path, "w") as script:
        script.write(WRK_SCRIPT % {"paths": ", ".join(json.dumps(path) for path in paths)})
    threads = min(2, connections)
    command = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{duration}s", "--timeout", f"{timeout}s",
               "-s", script_path, f"http://{HOST}:{port}/"]
    completed = subprocess.run(command, capture_output=True, text=True, timeout=duration + 120)
    if completed.returncode != 0:
        raise RuntimeError(f"wrk failed: {completed.stderr.strip() or completed.stdout.strip()}")
    line = next((l for l in completed.stdout.splitlines() if l.startswith("SOAK ")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no result line:\n{completed.stdout}")
    figures = json.loads(line[len("SOAK "):])
    seconds = figures["duration_us"] / 1e6
    return {
        "connections": connections,
        "duration_s": round(seconds, 1),
        "requests": figures["requests"],
        "rps": figures["requests"] / seconds if seconds else 0.0,
        "p50_ms": figures["p50_us"] / 1000,
        "p99_ms": figures["p99_us"] / 1000,
        "max_ms": figures["max_us"] / 1000,
        "non2xx": figures["non2xx"],
        "socket_errors": {k: figures[k] for k in ("connect_errors", "read_errors", "write_errors", "timeouts")},
    }


def slope_per_minute(points):
    """Least-squares slope of (seconds, bytes) in MiB per minute."""
    if len(points) < 2:
        return 0.0
    n = len(points)
    mean_t = sum(t for t, _ in points) / n
    mean_v = sum(v for _, v in points) / n
    var = sum((t - mean_t) ** 2 for t, _ in points)
    if var == 0:
        return 0.0
    return sum((t - mean_t) * (v - mean_v) for t, v in points) / var * 60 / MIB


def memory_verdict(samples, started, ended, max_slope, max_growth):
    """The memory curve of one phase (samples between `started` and `ended` s) and whether it is flat."""
    phase = [(t, rss) for t, rss, _pids in samples if started <= t <= ended]
    if len(phase) < 3:
        return {"flat": None, "reason": "too few samples"}
    warm_up = min(60.0, (ended - started) / 5)
    settled = [(t, rss) for t, rss in phase if t >= started + warm_up] or phase
    slope = slope_per_minute(settled)
    growth = (settled[-1][1] - settled[0][1]) / MIB
    reasons = []
    if slope >= max_slope:
        reasons.append(f"slope {slope:.2f} MiB/min >= {max_slope}")
    if growth > max_growth:
        reasons.append(f"grew {growth:.1f} MiB after warm-up > {max_growth}")
    return {
        "start_mib": phase[0][1] / MIB,
        "after_warm_up_mib": settled[0][1] / MIB,
        "max_mib": max(rss for _t, rss in phase) / MIB,
        "end_mib": phase[-1][1] / MIB,
        "slope_mib_per_min": slope,
        "growth_after_warm_up_mib": growth,
        "warm_up_s": warm_up,
        "samples": len(phase),
        "flat": not reasons,
        "reasons": reasons,
    }


def print_report(phases, samples, notes, command, paths):
    print()
    print("gunicorn: " + " ".join(command[2:]))
    kinds = sorted({path.split("?")[0].split("/")[3] for path in paths})
    print(f"mix: {len(paths)} paths, round robin ({', '.join(kinds)})")
    header = (f"{'phase':18} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} {'max ms':>7} {'errors':>7}  "
              f"{'RSS start':>9} {'max':>6} {'end':>6} {'MiB/min':>8}  verdict")
    print(header)
    print("-" * len(header))
    for phase in phases:
        memory = phase["memory"]
        errors = phase["non2xx"] + sum(phase["socket_errors"].values())
        verdicts = ["no errors" if errors == 0 else f"ERRORS {phase['non2xx']} non-2xx/3xx {phase['socket_errors']}"]
        why = "; ".join(memory.get("reasons", [])) or memory.get("reason")
        verdicts.append("memory flat" if memory.get("flat") else f"memory NOT flat ({why})")
        print(
            f"{phase['name']:18} {phase['rps']:7.0f} {phase['p50_ms']:7.1f} {phase['p99_ms']:7.1f} "
            f"{phase['max_ms']:7.0f} {errors:7d}  {memory.get('start_mib', 0):8.1f}M {memory.get('max_mib', 0):5.1f}M "
            f"{memory.get('end_mib', 0):5.1f}M {memory.get('slope_mib_per_min', 0):8.2f}  {', '.join(verdicts)}"
        )
    print("memory curve (s: MiB, master + workers):")
    step = max(1, len(samples) // 24)
    print("  " + "  ".join(f"{t:.0f}:{rss / MIB:.1f}" for t, rss, _pids in samples[::step]))
    workers = {tuple(pids) for _t, _rss, pids in samples}
    if len(workers) > 1:
        print(f"note: gunicorn's processes changed during the run ({len(workers)} different sets): a worker was replaced")
    for note in notes:
        print(f"note: {note}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    option = parser.add_argument
    option("--duration", type=int, default=600, help="seconds of the long run (default %(default)s)")
    option("--connections", type=int, default=16, help="connections in the long run (default %(default)s)")
    option("--burst-duration", type=int, default=60, help="seconds of the burst, 0 for none (default %(default)s)")
    option("--burst-connections", type=int, default=64, help="connections in the burst (default %(default)s)")
    option("--sample-every", type=float, default=5.0, help="seconds between RSS samples (default %(default)s)")
    option("--timeout", type=int, default=5, help="wrk's per-request timeout in seconds (default %(default)s)")
    option("--max-slope", type=float, default=1.0, help="MiB per minute allowed after warm-up (default %(default)s)")
    option("--max-growth", type=float, default=8.0, help="MiB allowed after warm-up (default %(default)s)")
    option("--database-url", help="serve this (migrated, loaded) database instead of a throwaway SQLite one")
    parser.add_argument("--json", metavar="PATH", help="also write the results as JSON to PATH")
    args = parser.parse_args()
    if not 1 <= args.duration <= 3600 or not 0 <= args.burst_duration <= 3600:
        parser.error("durations must be between 1 (0 for the burst) and 3600 seconds")
    if shutil.which("wrk") is None:
        sys.exit("wrk is not on PATH. Install it first, e.g. on Debian/Ubuntu: apt-get install -y wrk")
    install_signal_handlers()

    server = None
    with tempfile.TemporaryDirectory(prefix="bonecare-soak-") as tmp:
        if args.database_url:
            env = {**bench_env(os.path.join(tmp, "unused.sqlite3")), "DATABASE_URL": args.database_url}
        else:
            env = bench_env(os.path.join(tmp, "soak.sqlite3"))
            print("preparing a throwaway database with the shipped content...", flush=True)
            prepare(env)
        port = free_port()
        command = make_run_gunicorn_command(port)
        try:
            print(f"starting gunicorn as make run does on {HOST}:{port}", flush=True)
            server = start_command(command, port, env)
            paths, notes = endpoint_mix(port)
            for path in paths:  # every worker renders and stores before the clock starts
                get(port, path)
            # At least six samples in the shortest phase, whatever --sample-every says.
            shortest = min(d for d in (args.duration, args.burst_duration) if d)
            sampler = MemorySampler(server.pid, min(args.sample_every, shortest / 6))
            sampler.start()
            phases = []
            plan = [("long", args.connections, args.duration)]
            if args.burst_duration:
                plan.append(("burst", args.burst_connections, args.burst_duration))
            for name, connections, duration in plan:
                print(f"wrk: {connections} connections for {duration} s over {len(paths)} paths...", flush=True)
                started = time.monotonic() - sampler.started_at
                result = run_wrk(port, paths, connections, duration, args.timeout, os.path.join(tmp, "mix.lua"))
                time.sleep(sampler.every)  # one more sample of the phase's end
                ended = time.monotonic() - sampler.started_at
                result["name"] = f"{name} ({connections} conn)"
                result["memory"] = memory_verdict(sampler.samples, started, ended, args.max_slope, args.max_growth)
                phases.append(result)
            sampler.stop()
            if server.poll() is not None:
                notes.append(f"gunicorn exited during the run (status {server.returncode})")
        finally:
            stop(server)

    samples = [(t, rss, pids) for t, rss, pids in sampler.samples]
    print_report(phases, samples, notes, command, paths)
    ok = all(p["non2xx"] == 0 and not any(p["socket_errors"].values()) and p["memory"].get("flat") for p in phases)
    print(f"\n{'no errors and flat memory in every phase' if ok else 'FAILED: see the verdicts above'}")
    if args.json:
        with open(args.json, "w") as output:
            json.dump({"gunicorn": command[2:], "paths": paths, "phases": phases, "notes": notes, "ok": ok,
                       "samples": [{"s": round(t, 1), "rss_mib": round(rss / MIB, 2), "pids": pids}
                                   for t, rss, pids in samples]}, output, indent=2)
        print(f"results written to {args.json}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit("interrupted; gunicorn stopped")
