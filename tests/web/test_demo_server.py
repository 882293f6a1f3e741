"""`make demo` serves the page: load the demo into a fresh SQLite file, start the real server, fetch."""

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_demo_serves_plans_page(tmp_path: Path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        "CHITIEU_VAR_DIR": str(tmp_path),
    }
    chitieu = [sys.executable, "-m", "chitieu.cli"]
    load = subprocess.run([*chitieu, "demo", "--small"], env=env, capture_output=True, text=True, timeout=300)
    assert load.returncode == 0, load.stderr
    assert "admin / chitieu-demo-2026" in load.stdout
    again = subprocess.run(
        [*chitieu, "demo", "--small"], env=env, capture_output=True, text=True, timeout=300
    )
    assert "đã có sẵn" in again.stdout  # idempotent

    port = _free_port()
    server = subprocess.Popen(
        [*chitieu, "serve", "--port", str(port)], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    try:
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        for _ in range(100):
            try:
                login = opener.open(f"{base}/dang-nhap/", timeout=5).read().decode()
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("server did not start")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login).group(1)
        data = urllib.parse.urlencode(
            {"username": "admin", "password": "chitieu-demo-2026", "csrfmiddlewaretoken": token, "next": "/"}
        ).encode()
        req = urllib.request.Request(
            f"{base}/dang-nhap/", data=data, headers={"Referer": f"{base}/dang-nhap/"}
        )
        page = opener.open(req, timeout=10).read().decode()
        text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
        assert "Kế hoạch và chỉ tiêu" in text
        assert "18/KH-SNV" in text and "12/KH-BCĐCĐS" in text
        assert "960/1.201 (79,93%)" in text  # the department's online-dossier rate in Q3
        assert "Quý III năm 2026" in text and "✓ Đạt" in text and "✗ Chưa đạt" in text
        css = opener.open(f"{base}/static/web/app.css", timeout=5)
        assert css.status == 200
    finally:
        server.terminate()
        server.wait(timeout=10)
