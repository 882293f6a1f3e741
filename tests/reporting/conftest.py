import datetime as dt

import pytest

from chitieu.plans import services as plan_services
from chitieu.reporting.models import ReportingRegime
from chitieu.reporting.obligations import plan_regime_set


@pytest.fixture
def regime(db):
    return ReportingRegime.objects.create(
        name="Quý",
        period_kinds=["quarter"],
        window={"kind": "cutoff", "turn_day": 15},
        deadline_rule={"kind": "day_of_last_month", "day": 15, "exclusive": True},
        approval_levels=1,
    )


@pytest.fixture
def active_plan(tree, people, indicators, regime):
    """The department's plan: two targets for the department (monitored by its office), one for
    every commune of the province."""
    root = people["root"]
    plan = plan_services.plan_create(
        actor=root,
        issuer=tree["dept"],
        title="Kế hoạch thử 2024",
        number_symbol="24/KH-SNV",
        date_text="2024-02-02",
    )
    plan_regime_set(actor=root, plan=plan, regime=regime)
    plan_services.target_create(
        actor=root,
        plan=plan,
        text="Tỷ lệ hồ sơ trực tuyến",
        operator=">",
        threshold=70,
        indicator=indicators["online"],
        lead_unit=tree["dept"],
        monitoring_unit=tree["office"],
        due_date=dt.date(2024, 12, 31),
    )
    plan_services.target_create(
        actor=root,
        plan=plan,
        text="Số lớp tập huấn",
        operator=">=",
        threshold=2,
        unit="count",
        indicator=indicators["count"],
        lead_unit=tree["dept"],
        monitoring_unit=tree["office"],
    )
    plan_services.target_create(
        actor=root,
        plan=plan,
        text="Tỷ lệ hồ sơ trực tuyến cấp xã",
        operator=">=",
        threshold=50,
        indicator=indicators["online"],
        scope="cấp xã",
        scope_kind="commune",
        assignees=[tree["xa_a"], tree["xa_b"]],
        monitoring_unit=tree["dept"],
    )
    plan.issuer = tree[
        "prov"
    ]  # communes sit under the province: the province issues, the department monitors
    plan.save()
    plan_services.plan_activate(actor=root, plan=plan)
    return plan
