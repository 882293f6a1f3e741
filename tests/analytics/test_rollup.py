"""Roll-up of a ratio over the unit tree: "as units were then" and "mapped to today's units"."""

import datetime as dt
from decimal import Decimal as D

import pytest

from chitieu.analytics import selectors
from chitieu.analytics.refresh import refresh_all
from chitieu.analytics.selectors import plan_lines_by_target
from chitieu.orgs import services as orgs
from chitieu.orgs.models import UnitKind, UnitSuccession
from chitieu.plans import services
from chitieu.reporting.services import value_save

pytestmark = pytest.mark.django_db


@pytest.fixture
def merged(db, people, indicators):
    """A nation with two former provinces (ceased 30/6/2025) merged into one new province."""
    mk = lambda code, name, kind, parent=None, **kw: orgs.unit_create(  # noqa: E731
        actor=None, code=code, name=name, kind=kind, parent=parent, **kw
    )
    nation = mk("VN", "Việt Nam", UnitKind.NATION)
    old_a = mk("LA", "Tỉnh A (cũ)", UnitKind.PROVINCE, nation, valid_to=dt.date(2025, 6, 30))
    old_b = mk("LB", "Tỉnh B (cũ)", UnitKind.PROVINCE, nation, valid_to=dt.date(2025, 6, 30))
    new = mk("PN", "Tỉnh Mới", UnitKind.PROVINCE, nation, valid_from=dt.date(2025, 7, 1))
    xa = mk("XA", "Xã Một", UnitKind.COMMUNE, old_a)
    for old in (old_a, old_b):
        UnitSuccession.objects.create(predecessor=old, successor=new, effective=dt.date(2025, 7, 1))
    ind = indicators["online"]
    root = people["root"]
    value_save(actor=root, indicator=ind, unit=old_a, period="2024", numerator=30, denominator=40)
    value_save(actor=root, indicator=ind, unit=old_b, period="2024", numerator=10, denominator=60)
    value_save(actor=root, indicator=ind, unit=xa, period="2024Q4", numerator=5, denominator=10)
    refresh_all()  # successions were added after the first values
    return {"nation": nation, "a": old_a, "b": old_b, "new": new, "xa": xa, "ind": ind}


def test_as_then_keeps_the_former_provinces(merged):
    r = selectors.rollup(merged["ind"], "2024", merged["nation"], mapped=False)
    by_unit = {row.unit.code: row.measurement for row in r.rows}
    assert set(by_unit) == {"LA", "LB"}
    assert (by_unit["LA"].numerator, by_unit["LA"].denominator) == (D(30), D(40))
    # the nation's figure sums numerators and denominators: 40/100, not the mean of 75% and 16.7%
    assert (r.total.numerator, r.total.denominator) == (D(40), D(100))


def test_mapped_to_today_moves_figures_to_the_successor(merged):
    r = selectors.rollup(merged["ind"], "2024", merged["nation"], mapped=True)
    assert [row.unit.code for row in r.rows] == ["PN"]
    assert (r.rows[0].measurement.numerator, r.rows[0].measurement.denominator) == (D(40), D(100))
    assert r.rows[0].reporting == 2
    # the new province's own roll-up now holds the former provinces' history
    mine = selectors.rollup(merged["ind"], "2024", merged["new"], mapped=True)
    assert (mine.total.numerator, mine.total.denominator) == (D(40), D(100))
    assert selectors.rollup(merged["ind"], "2024", merged["new"], mapped=False).reporting == 0


def test_overlap_is_flagged(merged, people):
    value_save(
        actor=people["root"],
        indicator=merged["ind"],
        unit=merged["a"],
        period="2024Q4",
        numerator=50,
        denominator=50,
    )
    r = selectors.rollup(merged["ind"], "2024Q4", merged["nation"])
    assert [u.code for u in r.overlap] == ["LA"]  # LA has its own figure and its commune has one too


def test_distribution_gives_five_numbers_per_period(merged, people):
    d = selectors.distribution(merged["ind"], merged["nation"], kind="year")
    assert d[0][0] == "2024" and d[0][2] == 2
    lo, q1, med, q3, hi = d[0][1]
    assert (
        lo == pytest.approx(100 / 6)
        and hi == pytest.approx(75.0)
        and med == pytest.approx((75 + 100 / 6) / 2)
    )


def test_plan_lines_aggregate_units_and_evaluate(tree, people, indicators):
    root = people["root"]
    plan = services.plan_create(actor=root, issuer=tree["prov"], title="Kế hoạch tỉnh", status="active")
    t = services.target_create(
        actor=root,
        plan=plan,
        text="Tỷ lệ hồ sơ trực tuyến cấp xã",
        operator=">=",
        threshold=50,
        indicator=indicators["online"],
        scope="cấp xã",
        scope_kind="commune",
    )
    no_ind = services.target_create(
        actor=root, plan=plan, text="Chưa gắn danh mục", operator=">=", threshold=50
    )
    value_save(
        actor=root,
        indicator=indicators["online"],
        unit=tree["xa_a"],
        period="2024Q1",
        numerator=9,
        denominator=10,
    )
    value_save(
        actor=root,
        indicator=indicators["online"],
        unit=tree["xa_b"],
        period="2024Q1",
        numerator=1,
        denominator=90,
    )
    value_save(
        actor=root,
        indicator=indicators["online"],
        unit=tree["xa_a"],
        period="2023Q4",
        numerator=0,
        denominator=10,
    )
    rows = plan_lines_by_target(plan)  # what the plan page shows (derived tables)
    row = rows[t.pk]
    assert row.period == "2024Q1" and row.units == 2
    assert (row.measurement.numerator, row.measurement.denominator) == (D(10), D(100))
    assert row.status == "not_met"  # 10%, not the 45.6% an average of percentages would give
    assert rows[no_ind.pk].status == "no_data"
