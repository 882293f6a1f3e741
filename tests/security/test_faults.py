"""An import killed with SIGKILL half-way leaves nothing behind and can be run again to completion."""

import os
import signal
import subprocess
import sys
import time

import duckdb
import pytest

from chitieu.dossiers import store
from chitieu.dossiers.generator import generate
from chitieu.dossiers.models import DossierImport

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_killed_dossier_import_leaves_no_partial_data_and_runs_again(tree, people, tmp_path, settings):
    from django.conf import settings as live

    settings.MEDIA_ROOT = tmp_path / "media"
    path = tmp_path / "lon.csv"
    units = [tree["dept"].code, tree["xa_a"].code, tree["xa_b"].code]
    generate(path, units=units, rows=600_000, year=2025, seed=9)
    db = live.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        url = f"sqlite:///{db['NAME']}"
    else:
        url = f"postgres://{db.get('USER') or 'postgres'}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"
    env = dict(os.environ, DATABASE_URL=url, MEDIA_ROOT=str(tmp_path / "media"))
    cmd = [sys.executable, "-m", "chitieu.cli", "dossiers", "import", str(path), "--user", "root"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # kill it while it is checking the rows
        if DossierImport.objects.filter(status="checking").exists():
            time.sleep(0.3)
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert not store.store_file().exists()  # nothing half-written in the store
    assert DossierImport.objects.get().status in ("checking", "uploaded")
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    n = (
        duckdb.connect()
        .execute(f"SELECT count(*), count(DISTINCT code) FROM read_parquet('{store.store_file()}')")
        .fetchall()[0]
    )
    assert n == (600_000, 600_000)
    assert DossierImport.objects.filter(status="done").count() == 1
