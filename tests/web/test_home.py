import re

import pytest
from django.urls import reverse

from chitieu.plans import services
from chitieu.reporting.services import value_save


@pytest.fixture
def plan(tree, people, indicators):
    root = people["root"]
    p = services.plan_create(
        actor=root,
        issuer=tree["dept"],
        title="Chuyển đổi số của Sở năm 2024",
        number_symbol="24/KH-SNV",
        date_text="2024-02-02",
    )
    services.target_create(
        actor=root,
        plan=p,
        text="Tỷ lệ hồ sơ trực tuyến",
        operator=">",
        threshold=70,
        indicator=indicators["online"],
        lead_unit=tree["dept"],
        lead_unit_text="Sở Nội vụ",
    )
    services.target_create(
        actor=root,
        plan=p,
        text="Số lớp tập huấn",
        operator=">=",
        threshold=2,
        unit="count",
        indicator=indicators["count"],
        lead_unit=tree["dept"],
    )
    services.plan_activate(actor=root, plan=p)
    value_save(
        actor=root,
        indicator=indicators["online"],
        unit=tree["dept"],
        period="2024Q1",
        numerator=1108742,
        denominator=1200000,
    )
    return p


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_home_requires_login(client, db):
    r = client.get(reverse("analytics:overview"))
    assert r.status_code == 302 and r["Location"].startswith("/dang-nhap/")


def test_home_shows_targets_latest_value_and_status(client, people, plan):
    client.force_login(people["reporter"])
    r = client.get(reverse("analytics:overview"))
    assert r.status_code == 200
    text = _text(r.content.decode())
    assert "24/KH-SNV" in text and "02/02/2024" in text
    # Vietnamese number formats and status, computed from the fraction (92.39%)
    assert "1.108.742/1.200.000 (92,4%)" in text
    assert "Quý I năm 2024" in text
    assert "trên 70%" in text and "✓ Đạt" in text
    # the count target has no value: "no data", which is not zero
    assert "chưa có số liệu" in text and "Chưa có số liệu" in text


def test_people_outside_the_scope_see_no_plan(client, people, plan):
    client.force_login(people["other_reporter"])
    text = _text(client.get(reverse("analytics:overview")).content.decode())
    assert "24/KH-SNV" not in text and "Chưa có kế hoạch nào" in text


def test_english_interface(client, people, plan):
    client.force_login(people["reporter"])
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    text = _text(client.get(reverse("analytics:overview")).content.decode())
    assert "Plans and targets" in text and "Lead unit" in text and "Q1 2024" in text
    # labels that live in data (a plan's status) follow the language too
    assert "In progress" in text and "Đang thực hiện" not in text
    client.post(reverse("set_language"), {"language": "vi", "next": "/"})
    assert "Đang thực hiện" in _text(client.get(reverse("analytics:overview")).content.decode())


def test_login_page_in_vietnamese_and_wrong_password(client, people):
    r = client.post(reverse("web:login"), {"username": "reporter", "password": "sai"})
    assert r.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in r.content.decode()


def test_healthz(client, db):
    r = client.get("/healthz")
    assert r.status_code == 200 and r.json()["status"] == "ok"
