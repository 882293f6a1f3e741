"""Dashboard pages: figures from the analytics tables, exports, scope, bad parameters."""

import csv
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from chitieu.analytics.models import TargetState
from chitieu.plans import services as plans
from chitieu.reporting.services import value_save

pytestmark = pytest.mark.django_db


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def plan(tree, people, indicators):
    root = people["root"]
    p = plans.plan_create(
        actor=root,
        issuer=tree["prov"],
        title="Chuyển đổi số cấp xã 2026",
        number_symbol="5/KH-UBND",
        date_text="2026-01-05",
    )
    t = plans.target_create(
        actor=root,
        plan=p,
        text="Tỷ lệ hồ sơ trực tuyến cấp xã",
        operator=">=",
        threshold=60,
        indicator=indicators["online"],
        scope_kind="commune",
    )
    plans.plan_activate(actor=root, plan=p)
    value_save(
        actor=root,
        indicator=indicators["online"],
        unit=tree["xa_a"],
        period="2026Q1",
        numerator=30,
        denominator=40,
    )
    value_save(
        actor=root,
        indicator=indicators["online"],
        unit=tree["xa_b"],
        period="2026Q1",
        numerator=10,
        denominator=40,
    )
    return p, t


def test_overview_counts_come_from_the_analytics_tables(client, people, plan):
    client.force_login(people["viewer"])
    r = client.get(reverse("analytics:overview"))
    assert r.status_code == 200
    html = r.content.decode()
    # one target, as a whole 40/80 = 50% < 60%: not met; per commune: one met, one not
    assert re.search(r'data-kpi="not_met"><span class="kpi-n">1<', html)
    assert re.search(r'data-kpi="met"><span class="kpi-n">0<', html)
    text = _text(html)
    assert "40/80 (50%)" in text and "Xã Bình An" in text  # the commune below target needs attention


def test_plan_progress_and_drill_down(client, people, plan):
    p, t = plan
    client.force_login(people["viewer"])
    text = _text(client.get(reverse("analytics:plan_progress", args=[p.pk])).content.decode())
    assert "40/80 (50%)" in text and "2/2 đơn vị" in text
    r = client.get(reverse("analytics:target_units", args=[p.pk, t.pk]))
    html = r.content.decode()
    rows = re.findall(r'<tr data-unit="(\d+)" data-status="(\w+)">', html)
    states = {s.unit_id: s.status for s in TargetState.objects.filter(target=t, unit__isnull=False)}
    assert {int(u): s for u, s in rows} == states and len(rows) == 2


def test_exports_xlsx_and_csv(client, people, plan):
    p, t = plan
    client.force_login(people["viewer"])
    url = reverse("analytics:target_units", args=[p.pk, t.pk])
    x = client.get(url + "?format=xlsx")
    assert x.status_code == 200 and x["Content-Type"].startswith("application/vnd.openxml")
    ws = load_workbook(io.BytesIO(x.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "Đơn vị" and {r[0] for r in rows[1:]} == {"Xã An Bình", "Xã Bình An"}
    by_name = {r[0]: r for r in rows[1:]}
    assert by_name["Xã An Bình"][3:5] == (30, 40) and by_name["Xã An Bình"][6] == 75
    c = client.get(url + "?format=csv")
    body = c.content.decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(body)))[0][0] == "Đơn vị"
    bad = client.get(url + "?format=pdf")
    assert bad.status_code == 400 and "xlsx hoặc csv" in bad.content.decode()
    for name in ("analytics:overview", "analytics:ranking", "analytics:plan_cascade"):
        assert client.get(reverse(name) + "?format=csv").status_code == 200


def test_scope_is_enforced(client, people, plan, tree):
    p, t = plan
    client.force_login(people["other_reporter"])
    assert client.get(reverse("analytics:unit_card", args=[tree["xa_a"].pk])).status_code == 403
    assert client.get(reverse("analytics:plan_progress", args=[p.pk])).status_code == 403
    assert (
        client.get(reverse("analytics:indicator", args=["ONLINE"]) + f"?don-vi={tree['prov'].pk}").status_code
        == 403
    )
    ranked = _text(client.get(reverse("analytics:ranking")).content.decode())
    assert "Xã An Bình" not in ranked
    # the commune's own reporter sees its scorecard
    client.force_login(people["xa_reporter"])
    r = client.get(reverse("analytics:unit_card", args=[tree["xa_a"].pk]))
    assert r.status_code == 200 and "30/40 (75%)" in _text(r.content.decode())
    # the province is named above the scorecard, but not linked: its page would refuse this reporter
    html = r.content.decode()
    prov_url = reverse("analytics:unit_card", args=[tree["prov"].pk])
    assert tree["prov"].display_name in _text(html) and f'href="{prov_url}"' not in html
    assert client.get(prov_url).status_code == 403
    client.force_login(people["viewer"])  # who may see the province gets the link
    html = client.get(reverse("analytics:unit_card", args=[tree["xa_a"].pk])).content.decode()
    assert f'href="{prov_url}"' in html


def test_indicator_page_rolls_up_and_rejects_bad_parameters(client, people, plan, tree):
    client.force_login(people["viewer"])
    url = reverse("analytics:indicator", args=["ONLINE"])
    text = _text(client.get(url + f"?don-vi={tree['prov'].pk}&ky=2026Q1").content.decode())
    assert "40/80 (50%)" in text and "2 đơn vị có số liệu" in text
    assert client.get(url + "?don-vi=abc").status_code == 404
    assert client.get(url + "?don-vi=999999").status_code == 404
    assert client.get(reverse("analytics:indicator", args=["NO_SUCH"])).status_code == 404
    assert client.get(url + "?ky=2026Q9").status_code == 200  # an unknown period shows "no data"
    assert client.get(reverse("analytics:ranking") + "?ke-hoach=abc").status_code == 404
    assert client.get(reverse("analytics:ranking") + "?loai=xyz").status_code == 404


def test_statuses_goals_and_digits_follow_the_interface_language(client, people, plan, tree, indicators):
    value_save(
        actor=people["root"],
        indicator=indicators["online"],
        unit=tree["xa_b"],
        period="2026Q2",
        numerator=1160,
        denominator=1201,
    )
    client.force_login(people["viewer"])
    url = reverse("analytics:unit_card", args=[tree["xa_b"].pk])
    vi = _text(client.get(url).content.decode())
    assert "1.160/1.201 (96,59%)" in vi and "tối thiểu 60%" in vi and "Đạt" in vi
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    en = _text(client.get(url).content.decode())
    # a thousands dot would read as a decimal point to an English reader: the separators swap
    assert "1,160/1,201 (96.59%)" in en and "1.160" not in en
    assert "at least 60%" in en and "tối thiểu" not in en
    assert "✓ Met" in en and "Đạt" not in en
    # exports are documents for the office: Vietnamese whatever the interface speaks
    exported = client.get(url + "?format=csv").content.decode("utf-8-sig")
    assert "Đánh giá" in exported and "Đạt" in exported and "Met" not in exported


def test_dashboards_speak_english_too(client, people, plan):
    client.force_login(people["viewer"])
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    text = _text(client.get(reverse("analytics:overview")).content.decode())
    assert "Overview" in text and "Needs attention" in text and "Targets by status (whole plan)" in text
    text = _text(client.get(reverse("analytics:ranking")).content.decode())
    assert "Unit ranking" in text and "Share met" in text
