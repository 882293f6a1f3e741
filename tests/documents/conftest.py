import datetime as dt

import pytest

from chitieu.plans import services as plans
from chitieu.reporting.models import ReportingRegime, TaskReport
from chitieu.reporting.obligations import plan_regime_set
from chitieu.reporting.services import value_save


@pytest.fixture
def report_setup(tree, people, indicators):
    """A province plan for the department and the communes, a quarter of data, tasks."""
    root = people["root"]
    regime = ReportingRegime.objects.create(
        name="Quý",
        period_kinds=["quarter"],
        window={"kind": "cutoff", "turn_day": 15},
        deadline_rule={"kind": "day_of_last_month", "day": 18, "exclusive": True},
    )
    p = plans.plan_create(
        actor=root,
        issuer=tree["prov"],
        title="Chuyển đổi số năm 2026",
        number_symbol="12/KH-UBND",
        date_text="2026-01-09",
    )
    plan_regime_set(actor=root, plan=p, regime=regime)
    online = plans.target_create(
        actor=root,
        plan=p,
        text="Tỷ lệ hồ sơ thủ tục hành chính tiếp nhận trực tuyến",
        operator=">",
        threshold=70,
        indicator=indicators["online"],
        assignees=[tree["dept"], tree["xa_a"], tree["xa_b"]],
        monitoring_unit=tree["office"],
    )
    courses = plans.target_create(
        actor=root,
        plan=p,
        text="Số lớp tập huấn kỹ năng số",
        operator=">=",
        threshold=2,
        unit="count",
        indicator=indicators["count"],
        assignees=[tree["dept"]],
    )
    done = plans.task_create(
        actor=root,
        plan=p,
        text="Rà soát quy trình điện tử",
        lead_unit=tree["dept"],
        deadline=dt.date(2026, 3, 31),
    )
    plans.task_create(
        actor=root,
        plan=p,
        text="Cập nhật hồ sơ công chức",
        lead_unit=tree["dept"],
        deadline=dt.date(2026, 2, 28),
    )
    plans.plan_activate(actor=root, plan=p)
    value_save(
        actor=root,
        indicator=indicators["online"],
        unit=tree["dept"],
        period="2026Q1",
        numerator=56,
        denominator=56,
    )
    value_save(actor=root, indicator=indicators["count"], unit=tree["dept"], period="2026Q1", value=1)
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
        numerator=12,
        denominator=40,
    )
    TaskReport.objects.create(
        task=done, unit=tree["dept"], period="", status="done", output="Quyết định 15/QĐ-SNV"
    )
    return {"plan": p, "online": online, "courses": courses}
