"""The analytics tables follow every write, incrementally, inside the writer's transaction."""

import datetime as dt
from decimal import Decimal as D

import pytest

from chitieu.analytics import refresh
from chitieu.analytics.models import Fact, TargetState
from chitieu.core.evaluation import Status
from chitieu.plans import services as plans
from chitieu.reporting.services import value_save

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(tree, people, indicators):
    root = people["root"]
    p = plans.plan_create(
        actor=root,
        issuer=tree["prov"],
        title="Chuyển đổi số cấp xã",
        number_symbol="5/KH-UBND",
        date_text="2026-01-05",
    )
    t = plans.target_create(
        actor=root,
        plan=p,
        text="Tỷ lệ hồ sơ trực tuyến cấp xã",
        operator=">=",
        threshold=70,
        indicator=indicators["online"],
        scope_kind="commune",
        due_date=dt.date(2026, 12, 31),
    )
    plans.plan_activate(actor=root, plan=p)
    return p, t


def save(people, ind, unit, period, n=None, d=None, v=None):
    return value_save(
        actor=people["root"], indicator=ind, unit=unit, period=period, numerator=n, denominator=d, value=v
    )


def test_fact_carries_hierarchy_and_period_columns(tree, people, indicators):
    save(people, indicators["online"], tree["office"], "2026M05", 3, 4)
    f = Fact.objects.get()
    prov, dept, office = tree["prov"], tree["dept"], tree["office"]
    assert (f.l0, f.l1, f.l2) == (prov.pk, dept.pk, office.pk) and f.l3 is None
    assert (f.month, f.quarter, f.half, f.year) == ("2026M05", "2026Q2", "2026S1", "2026")
    assert f.mapped_unit_id == office.pk and (f.m0, f.m1, f.m2) == (f.l0, f.l1, f.l2)
    # a change rewrites the fact
    save(people, indicators["online"], tree["office"], "2026M05", 4, 4)
    assert Fact.objects.get().numerator == D(4)


def test_total_sums_numerators_and_denominators_never_averages(plan, tree, people, indicators):
    p, t = plan
    save(people, indicators["online"], tree["xa_a"], "2026Q1", 1, 2)  # 50%
    save(people, indicators["online"], tree["xa_b"], "2026Q1", 99, 100)  # 99%
    total = TargetState.objects.get(target=t, unit__isnull=True)
    # 100/102 = 98.04% (met); the average of the rates would be 74.5%
    assert (total.numerator, total.denominator) == (D(100), D(102))
    assert total.status == Status.MET and total.units_reporting == 2 and total.units_total == 2
    a = TargetState.objects.get(target=t, unit=tree["xa_a"])
    assert a.status == Status.NOT_MET and a.series[0]["o"] == pytest.approx(50.0)


def test_incremental_refresh_equals_full_rebuild(plan, tree, people, indicators):
    p, t = plan
    for q, (a, b) in enumerate([((50, 100), (70, 90)), ((60, 100), (75, 90)), ((72, 100), (80, 90))], 1):
        save(people, indicators["online"], tree["xa_a"], f"2026Q{q}", *a)
        save(people, indicators["online"], tree["xa_b"], f"2026Q{q}", *b)
    fields = (
        "target_id",
        "unit_id",
        "period",
        "numerator",
        "denominator",
        "status",
        "plain_status",
        "series",
    )
    before = sorted(TargetState.objects.values_list(*fields), key=str)
    facts_before = sorted(Fact.objects.values_list("data_value_id", "numerator", "denominator", "l1"))
    TargetState.objects.all().delete()
    Fact.objects.all().delete()
    refresh.refresh_all()
    assert sorted(TargetState.objects.values_list(*fields), key=str) == before
    assert sorted(Fact.objects.values_list("data_value_id", "numerator", "denominator", "l1")) == facts_before


def test_at_risk_when_met_today_but_the_trend_misses_by_the_due_date(plan, tree, people, indicators):
    p, t = plan
    for q, n in enumerate([90, 82, 74], 1):  # met (>= 70) but falling 8 points a quarter
        save(people, indicators["online"], tree["xa_a"], f"2026Q{q}", n, 100)
    refresh.refresh_target(t, today=dt.date(2026, 10, 1))
    s = TargetState.objects.get(target=t, unit=tree["xa_a"])
    assert s.plain_status == Status.MET and s.status == Status.AT_RISK
    assert s.projected is not None and s.projected < 70
    # after the due date the plain status stands
    refresh.refresh_target(t, today=dt.date(2027, 1, 10))
    assert TargetState.objects.get(target=t, unit=tree["xa_a"]).status == Status.MET


def test_batch_defers_the_refresh_to_the_end(tree, people, indicators):
    with refresh.batch():
        save(people, indicators["online"], tree["xa_a"], "2026Q1", 1, 2)
        assert not Fact.objects.exists()
    assert Fact.objects.count() == 1


def test_failed_import_leaves_analytics_untouched(plan, tree, people, indicators):
    from chitieu.reporting.excel import build_template, import_values

    save(people, indicators["online"], tree["xa_a"], "2026Q1", 10, 20)
    before = list(Fact.objects.values_list("numerator", "denominator"))
    import io

    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(build_template(people["root"], tree["prov"], "2026Q1", subtree=True)))
    ws = wb.active
    header = [c.value for c in ws[1]]
    rows = list(ws.iter_rows(min_row=2))
    col = {h: i for i, h in enumerate(header)}
    rows[0][col["Tử số"]].value = 15
    rows[0][col["Mẫu số"]].value = 20
    rows[-1][col["Tử số"]].value = "mười"  # one bad cell: nothing is written
    buf = io.BytesIO()
    wb.save(buf)
    rep = import_values(actor=people["root"], data=buf.getvalue(), file_name="so-lieu.xlsx")
    assert rep.errors
    assert list(Fact.objects.values_list("numerator", "denominator")) == before


def test_target_edit_and_draft_plans(plan, tree, people, indicators):
    p, t = plan
    save(people, indicators["online"], tree["xa_a"], "2026Q1", 60, 100)
    assert TargetState.objects.get(target=t, unit=tree["xa_a"]).status == Status.NOT_MET
    plans.target_update(actor=people["root"], target=t, threshold=50)
    assert TargetState.objects.get(target=t, unit=tree["xa_a"]).status == Status.MET
    draft = plans.plan_create(actor=people["root"], issuer=tree["prov"], title="Dự thảo", date_text="2026")
    plans.target_create(
        actor=people["root"], plan=draft, text="x", operator=">=", threshold=1, indicator=indicators["online"]
    )
    assert not TargetState.objects.filter(plan_ref=draft.pk).exists()
