"""Every dashboard page on the demo data, in Debian chromium: the numbers on screen are the
service layer's, the charts draw, a phone screen works. A screenshot of each page is saved."""

import re

import pytest

from chitieu.analytics import selectors as an
from chitieu.analytics.models import TargetState
from chitieu.indicators.models import Indicator
from chitieu.orgs.models import Unit
from chitieu.plans.models import Plan
from chitieu.ui.templatetags.chitieu import measurement
from tests.browser.conftest import shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(db):
    from django.contrib.auth import get_user_model

    from chitieu.demo import DEMO_PASSWORD, load_demo

    load_demo(say=lambda _: None, all_provinces=False)
    return {"admin": get_user_model().objects.get(username="admin"), "password": DEMO_PASSWORD}


def login_admin(page, demo):
    page.goto(page.base + "/dang-nhap/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", demo["password"])
    page.click("button[type=submit]")
    page.wait_for_url(page.base + "/")


def wait_charts(page, n: int) -> None:
    page.wait_for_function(f"document.querySelectorAll('[data-chart][data-ready=\"1\"]').length >= {n}")


def test_dashboards_show_the_service_layer_figures(page, demo):
    admin = demo["admin"]
    login_admin(page, demo)

    # overview
    ov = an.overview(admin)
    wait_charts(page, 2)
    for status in ("met", "at_risk", "not_met"):
        shown = page.inner_text(f"[data-kpi={status}] .kpi-n")
        assert int(shown) == ov.targets[status], status
    assert int(page.inner_text("[data-kpi=overdue_reports] .kpi-n")) == ov.overdue_report_count
    assert ov.targets_total > 0 and ov.overdue_report_count > 0
    shot(page, "dashboard-overview")

    # plan progress: each target's status and figure
    plan = Plan.objects.get(number_symbol="18/KH-SNV")
    page.goto(page.base + f"/ke-hoach/{plan.pk}/tien-do/")
    for line in an.plan_lines(plan):
        row = page.locator(f"tr[data-target='{line.target.pk}']")
        assert row.get_attribute("data-status") == line.status
        assert row.locator("[data-value]").inner_text().strip() == measurement(line.measurement)
    assert page.locator("svg.spark").count() >= 5
    shot(page, "dashboard-plan")

    # drill-down to the communes of the province's commune target
    t = (
        TargetState.objects.filter(unit__isnull=True, target__scope_kind="commune", units_total__gt=10)
        .first()
        .target
    )
    page.goto(page.base + f"/ke-hoach/{t.plan_id}/chi-tieu/{t.pk}/don-vi/")
    states = an.target_unit_states(admin, t)
    assert page.locator("#unit-states tbody tr").count() == len(states)
    first = page.locator("#unit-states tbody tr").first
    assert first.get_attribute("data-unit") == str(states[0].unit_id)
    total = TargetState.objects.get(target=t, unit__isnull=True)
    assert page.inner_text("#total-value").strip() == measurement(an.TargetLine(t, total).measurement)
    shot(page, "dashboard-target-units")

    # unit scorecard
    snv = Unit.objects.get(code="BN-SNV")
    page.goto(page.base + f"/don-vi/{snv.pk}/")
    wait_charts(page, 1)
    card = an.unit_scorecard(snv)
    for status, n in card.counts.items():
        assert int(page.inner_text(f"#unit-counts [data-count={status}] strong")) == n
    shot(page, "dashboard-unit")

    # indicator: sorted bars, table and distribution, as units were then and mapped to today
    ind = Indicator.objects.get(code="DVC_ONLINE_DOSSIER")
    prov = Unit.objects.get(code="P24")
    page.goto(page.base + f"/chi-tieu/{ind.code}/?don-vi={prov.pk}&ky=2026Q3")
    wait_charts(page, 2)
    ru = an.rollup(ind, "2026Q3", prov)
    assert page.inner_text("#rollup-total").strip() == measurement(ru.total)
    assert page.locator("#rollup-rows tbody tr").count() == len(ru.rows)
    shown = [r.get_attribute("data-unit") for r in page.locator("#rollup-rows tbody tr").all()]
    assert shown == [str(r.unit_id) for r in ru.sorted_rows()]
    shot(page, "dashboard-indicator")
    nation = prov.parent
    page.goto(page.base + f"/chi-tieu/{ind.code}/?don-vi={nation.pk}&ky=2024")
    then = {r.get_attribute("data-unit") for r in page.locator("#rollup-rows tbody tr").all()}
    page.check("input[name=quy-doi][value=hien-nay]")
    page.wait_for_url(re.compile(r".*quy-doi=hien-nay.*"))
    today = {r.get_attribute("data-unit") for r in page.locator("#rollup-rows tbody tr").all()}
    old = {str(u.pk) for u in Unit.objects.filter(code__in=["L24", "L27"])}
    assert then == old and today == {str(prov.pk)}
    shot(page, "dashboard-indicator-mapped")

    # ranking
    page.goto(page.base + "/xep-hang/")
    ranked = an.ranking(admin)
    rows = page.locator("#ranking tbody tr")
    assert rows.count() == len(ranked)
    assert rows.first.get_attribute("data-unit") == str(ranked[0].entry.key)
    assert rows.first.get_attribute("data-rank") == str(ranked[0].rank)
    shot(page, "dashboard-ranking")

    # plan cascade
    page.goto(page.base + "/ke-hoach/so-do/")
    wait_charts(page, 1)
    parent = Plan.objects.get(number_symbol="12/KH-BCĐCĐS")
    child = page.locator(f"#plan-tree li[data-node='plan:{parent.pk}'] li[data-node='plan:{plan.pk}']")
    assert child.count() == 1
    shot(page, "dashboard-cascade")


def test_overview_fits_a_phone_screen(browser, live_server, demo):
    context = browser.new_context(locale="vi-VN", viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    page.base = live_server.url
    login_admin(page, demo)
    wait_charts(page, 2)
    overflow = page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"page is {overflow}px wider than the phone screen"
    # the main menu is one sideways-scrolling row: the page's title shows on the first screen
    header = page.locator("header.topbar").bounding_box()
    assert header["height"] < 160, f"the header takes {header['height']}px of an 844px screen"
    assert page.locator("h1").first.bounding_box()["y"] < 200
    last = page.locator("nav.mainnav a").last
    last.scroll_into_view_if_needed()
    assert last.is_visible()
    # a status chip keeps its sign and its word on one line
    chip = page.locator("[data-kpi=met] .chip").bounding_box()
    assert chip["height"] < 30 and chip["width"] > chip["height"] * 1.5
    # and no status card spills out of its box
    spill = page.evaluate(
        "[...document.querySelectorAll('.kpi')].filter(k => k.scrollWidth > k.clientWidth + 1).length"
    )
    assert spill == 0
    page.evaluate("document.querySelector('nav.mainnav').scrollLeft = 0")
    shot(page, "dashboard-overview-phone")
    context.close()
