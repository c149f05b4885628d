"""How each gunicorn worker is set up once it has loaded BoneCare (deploy/gunicorn.conf.py)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

LOADED_WORKER = """
import gc, runpy, django
django.setup()
config = runpy.run_path("deploy/gunicorn.conf.py")
before = gc.get_freeze_count()
config["post_worker_init"](None)
print(before, gc.get_freeze_count(), gc.get_count()[0])
"""


def test_a_worker_leaves_what_it_loaded_out_of_the_collectors_full_passes():
    # A full pass over everything loaded stopped every thread of the worker for about 100 ms.
    done = subprocess.run([sys.executable, "-c", LOADED_WORKER], cwd=ROOT, capture_output=True, text=True, timeout=120)

    assert done.returncode == 0, done.stderr
    before, frozen, young = (int(value) for value in done.stdout.split())
    assert before == 0 and frozen > 50_000  # modules, URL patterns, settings: what a full pass would walk
    assert young < 1_000  # and nothing young left over to be scanned
