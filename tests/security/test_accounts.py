"""Sign-in: Argon2, lockout after repeated failures, the change log, CSP, deploy checks, error pages."""

import os
import subprocess
import sys

import pytest
from django.urls import reverse

from chitieu.audit.models import ChangeRecord

pytestmark = pytest.mark.django_db


def _login(client, username, password):
    return client.post(reverse("web:login"), {"username": username, "password": password})


def test_passwords_are_hashed_with_argon2(settings, django_user_model):
    from django.conf import global_settings  # noqa: F401

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    u = django_user_model.objects.create_user("an", password="mot-mat-khau-dai")
    assert u.password.startswith("argon2$") and u.check_password("mot-mat-khau-dai")


def test_weak_passwords_are_refused():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    for weak in ("12345678901", "password123", "ngan"):
        with pytest.raises(ValidationError):
            validate_password(weak)


def test_lockout_after_five_failures_and_everything_is_logged(client, people):
    for _ in range(5):
        r = _login(client, "reporter", "sai-mat-khau")
        assert r.status_code in (200, 429)
    r = _login(client, "reporter", "x-Passw0rd-long")  # right password, but locked
    assert r.status_code == 429 and "Tạm khóa đăng nhập" in r.content.decode()
    assert ChangeRecord.objects.filter(action="login_failed", actor_name="reporter").count() >= 5
    # another person from the same address is not locked
    assert _login(client, "approver", "x-Passw0rd-long").status_code == 302
    assert ChangeRecord.objects.filter(action="login", actor_name="approver").exists()
    client.post(reverse("web:logout"))
    assert ChangeRecord.objects.filter(action="logout", actor_name="approver").exists()


def test_success_resets_the_count(client, people):
    for _ in range(4):
        _login(client, "viewer", "sai")
    assert _login(client, "viewer", "x-Passw0rd-long").status_code == 302
    client.post(reverse("web:logout"))
    for _ in range(4):
        _login(client, "viewer", "sai")
    assert _login(client, "viewer", "x-Passw0rd-long").status_code == 302


def test_content_security_policy_allows_only_own_assets(client, people):
    client.force_login(people["reporter"])
    r = client.get(reverse("analytics:overview"))
    csp = r["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "object-src 'none'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    html = r.content.decode()
    assert " onchange=" not in html and " onclick=" not in html
    assert r["X-Frame-Options"] == "DENY" and r["X-Content-Type-Options"] == "nosniff"


def test_production_settings_pass_the_deploy_check(tmp_path):
    env = dict(
        os.environ,
        CHITIEU_PRODUCTION="1",
        SECRET_KEY="k" * 20 + "-a-long-random-production-secret-key-for-the-check-0123456789",
        ALLOWED_HOSTS="chitieu.tinh.gov.vn",
        DATABASE_URL=f"sqlite:///{tmp_path}/p.sqlite3",
        DEBUG="0",
        EMAIL_HOST="smtp.tinh.gov.vn",
    )
    r = subprocess.run(
        [sys.executable, "-m", "chitieu.cli", "manage", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0, r.stdout + r.stderr
    assert "no issues" in (r.stdout + r.stderr).lower()


def test_a_lost_database_gives_a_clean_page_not_a_traceback(client, people, monkeypatch):
    from django.db import OperationalError

    from chitieu.analytics import views as views_analytics

    def broken(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(views_analytics.an, "overview", broken)
    client.raise_request_exception = False
    client.force_login(people["reporter"])
    r = client.get(reverse("analytics:overview"))
    assert r.status_code == 503
    body = r.content.decode()
    assert (
        "Tạm thời chưa truy cập được dữ liệu" in body
        and "Traceback" not in body
        and "OperationalError" not in body
    )
