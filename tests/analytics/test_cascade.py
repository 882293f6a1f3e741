"""Plan cascade: the tree of plans from the seeds, and checks between a parent and its children."""

import datetime as dt
from decimal import Decimal as D

import pytest

from chitieu.analytics import cascade
from chitieu.core.cascade import CascadeTarget, compare, weaker
from chitieu.core.evaluation import Operator
from chitieu.plans import services as plans
from chitieu.plans.importing import plan_import_document
from chitieu.plans.models import Plan
from tests.conftest import seed_path


def ct(ind, op, th, **kw):
    return CascadeTarget(
        ref=kw.pop("ref", ind), indicator=ind, operator=Operator(op), threshold=D(th), text=ind, **kw
    )


def test_weaker_compares_within_a_direction():
    assert weaker(ct("X", ">", 60), ct("X", ">", 70))
    assert weaker(ct("X", ">=", 70), ct("X", ">", 70))  # "at least 70" asks less than "above 70"
    assert not weaker(ct("X", ">", 75), ct("X", ">=", 70))
    assert weaker(ct("X", "<=", 10), ct("X", "<", 5))  # lower is better: 10 allows more than 5
    assert not weaker(ct("X", "<", 3), ct("X", "<=", 5))
    assert weaker(ct("X", "=", 60), ct("X", ">=", 70)) and not weaker(ct("X", "=", 80), ct("X", ">=", 70))
    assert not weaker(ct("X", ">", 60, unit="count"), ct("X", ">", 70))  # different units: not comparable


def test_compare_finds_weaker_missing_and_later():
    parent = [
        ct("PAY", ">", 70),
        ct("DIG", ">=", 80),
        ct("PAKN", ">=", 100, due=dt.date(2024, 6, 30)),
        ct("COMMUNE_ONLY", ">=", 50, scope_kind="commune"),
    ]
    child = [ct("PAY", ">", 65), ct("PAKN", ">=", 100, due=dt.date(2024, 12, 31)), ct("EXTRA", ">=", 1)]
    found = {(f.code, f.parent_ref) for f in compare(parent, child, child_kind="department")}
    assert found == {("weaker-target", "PAY"), ("missing-target", "DIG"), ("later-deadline", "PAKN")}
    # a clean child: same or stronger targets, same deadlines
    clean = [ct("PAY", ">", 72), ct("DIG", ">=", 80), ct("PAKN", ">=", 100, due=dt.date(2024, 6, 1))]
    assert compare(parent, clean, child_kind="department") == []


@pytest.fixture
def seeds_imported(tree, people, catalog):
    out = {}
    for prefix in ("000", "001", "002", "003", "004"):
        path = seed_path(prefix)
        out[prefix] = plan_import_document(
            actor=people["root"], issuer=tree["dept"], file_name=path.name, data=path.read_bytes()
        )
    return out


def _children(roots, key):
    stack = list(roots)
    while stack:
        n = stack.pop()
        if n.key == key:
            return n
        stack.extend(n.children)
    return None


@pytest.mark.django_db
def test_seeds_form_a_cascade_under_the_plans_they_cite(seeds_imported, people):
    roots = cascade.plan_tree(people["root"], with_checks=False)
    keys = {r.key for r in roots}
    p = seeds_imported
    n199 = _children(roots, "doc:199/KH-UBND|2023")
    n48 = _children(roots, "doc:48/KH-BCĐCĐS|2024")
    assert n199 is not None and n48 is not None and {"doc:199/KH-UBND|2023", "doc:48/KH-BCĐCĐS|2024"} <= keys
    assert {c.plan.pk for c in n199.children} == {
        p["000"].pk,
        p["001"].pk,
    }  # the department's plan and report
    assert {c.plan.pk for c in n48.children} == {p["002"].pk, p["001"].pk}  # the city's plan and the report
    n300 = _children(roots, "doc:300/KH-UBND|2023")
    assert [c.plan.pk for c in n300.children] == [p["004"].pk]


@pytest.mark.django_db
def test_planted_problems_are_found_in_a_seed_child(tree, people, catalog, indicators):
    """The province's 48/KH-BCĐCĐS (our own test version) and the city's real plan (seed 002)."""
    from chitieu.indicators.models import Indicator

    root = people["root"]
    ind = {i.code: i for i in Indicator.objects.all()}
    parent = plans.plan_create(
        actor=root,
        issuer=tree["prov"],
        title="Hoạt động của Ban Chỉ đạo chuyển đổi số tỉnh năm 2024 (bản thử)",
        number_symbol="48/KH-BCĐCĐS",
        date_text="2024-03-01",
    )
    planted = {}
    for code, op, th, due in [
        ("ONLINE_PAYMENT", ">", 70, None),  # the city asks only > 65%: weaker
        ("DVC_ONLINE_DOSSIER", ">=", 70, None),  # the city asks >= 75%: fine
        ("PAKN_ONTIME", ">=", 100, dt.date(2024, 6, 30)),  # the city has the year: later
        ("DIGITIZE_RESULT", ">=", 80, None),  # the city has no such target: missing
        ("SATISFACTION", ">=", 90, None),  # the city asks >= 95%: fine
    ]:
        planted[code] = plans.target_create(
            actor=root,
            plan=parent,
            text=ind[code].name,
            operator=op,
            threshold=th,
            indicator=ind[code],
            due_date=due,
        )
    path = seed_path("002")
    child = plan_import_document(actor=root, issuer=tree["dept"], file_name=path.name, data=path.read_bytes())
    assert child.citations.get().parent_id == parent.pk  # citation resolved to the plan in the system
    findings = cascade.check_plan(child)
    pairs = {(f.code, f.parent_ref) for f in findings if f.parent_ref is not None}
    assert pairs == {
        ("weaker-target", planted["ONLINE_PAYMENT"].pk),
        ("later-deadline", planted["PAKN_ONTIME"].pk),
        ("missing-target", planted["DIGITIZE_RESULT"].pk),
    }
    weak = next(f for f in findings if f.code == "weaker-target")
    assert "trên 65%" in weak.message and "trên 70%" in weak.message
    # the city's lead units are not in this test register: reported, named
    assert any(f.code == "lead-unit-unknown" for f in findings)
    # the child imported first, the parent after: the link is made when the parent arrives
    Plan.objects.filter(pk=parent.pk).update(number_symbol="")
    child.citations.update(parent=None)
    plans.plan_update(actor=root, plan=parent, number_symbol="48/KH-BCĐCĐS")
    assert child.citations.get().parent_id == parent.pk


@pytest.mark.django_db
def test_clean_cascade_has_no_findings_and_merged_lead_unit_is_flagged(tree, people, indicators):
    from chitieu.orgs import services as orgs
    from chitieu.orgs.models import UnitKind, UnitSuccession

    root = people["root"]
    parent = plans.plan_create(
        actor=root, issuer=tree["prov"], title="Tỉnh", number_symbol="7/KH-UBND", date_text="2026-01-05"
    )
    plans.target_create(
        actor=root,
        plan=parent,
        text="Trực tuyến",
        operator=">=",
        threshold=70,
        indicator=indicators["online"],
    )
    child = plans.plan_create(
        actor=root, issuer=tree["dept"], title="Sở", number_symbol="3/KH-SNV", date_text="2026-01-20"
    )
    plans.citation_add(actor=root, plan=child, number_symbol="7/KH-UBND", date_text="2026-01-05")
    t = plans.target_create(
        actor=root,
        plan=child,
        text="Trực tuyến",
        operator=">=",
        threshold=75,
        indicator=indicators["online"],
        lead_unit=tree["office"],
        lead_unit_text="Văn phòng Sở",
    )
    plans.task_create(actor=root, plan=child, text="Tập huấn", lead_unit_text="Các phòng thuộc Sở")
    assert cascade.check_plan(child) == []
    roots = cascade.plan_tree(root)
    assert cascade.all_findings(roots) == []
    # the office merged away at the end of 2025: the 2026 plan still names it
    merged_into = orgs.unit_create(
        actor=None, code="T1-SNV-VP2", name="Văn phòng Sở mới", kind=UnitKind.OFFICE, parent=tree["dept"]
    )
    tree["office"].valid_to = dt.date(2025, 12, 31)
    tree["office"].save()
    UnitSuccession.objects.create(
        predecessor=tree["office"], successor=merged_into, effective=dt.date(2026, 1, 1)
    )
    findings = cascade.check_plan(child)
    assert [f.code for f in findings] == ["lead-unit-invalid"]
    assert "31/12/2025" in findings[0].message and "nay là Văn phòng Sở mới" in findings[0].message
    assert findings[0].child_ref == f"target:{t.pk}"


@pytest.mark.django_db
def test_citation_ring_does_not_loop(tree, people):
    root = people["root"]
    a = plans.plan_create(
        actor=root, issuer=tree["prov"], title="A", number_symbol="1/KH-A", date_text="2026"
    )
    b = plans.plan_create(
        actor=root, issuer=tree["prov"], title="B", number_symbol="2/KH-B", date_text="2026"
    )
    plans.citation_add(actor=root, plan=a, number_symbol="2/KH-B", date_text="2026")
    plans.citation_add(actor=root, plan=b, number_symbol="1/KH-A", date_text="2026")
    roots = cascade.plan_tree(root)
    assert len(roots) == 1 and len(roots[0].children) == 1 and roots[0].children[0].children == []


@pytest.mark.django_db
def test_cli_cascade_and_refresh(tree, people, indicators, capsys):
    from chitieu.analytics.models import TargetState
    from chitieu.cli import main

    root = people["root"]
    parent = plans.plan_create(
        actor=root, issuer=tree["prov"], title="Tỉnh", number_symbol="7/KH-UBND", date_text="2026-01-05"
    )
    plans.target_create(
        actor=root,
        plan=parent,
        text="Trực tuyến",
        operator=">=",
        threshold=70,
        indicator=indicators["online"],
    )
    child = plans.plan_create(
        actor=root, issuer=tree["dept"], title="Sở", number_symbol="3/KH-SNV", date_text="2026-01-20"
    )
    plans.citation_add(actor=root, plan=child, number_symbol="7/KH-UBND", date_text="2026-01-05")
    plans.target_create(
        actor=root, plan=child, text="Trực tuyến", operator=">=", threshold=60, indicator=indicators["online"]
    )
    assert main(["analytics", "cascade"]) == 1
    out = capsys.readouterr().out
    assert "3/KH-SNV: [weaker-target]" in out and "tối thiểu 60%" in out
    assert main(["analytics", "cascade", "--format", "json", "--user", "other_reporter"]) == 0  # sees no plan
    assert main(["analytics", "cascade", "--user", "nobody-here"]) == 2
    plans.plan_activate(actor=root, plan=parent)
    TargetState.objects.all().delete()
    assert main(["analytics", "refresh"]) == 0
    assert TargetState.objects.filter(target__plan=parent).exists()
    assert main(["analytics", "refresh", "--states-only"]) == 0
    assert "Đã đánh giá lại 1 chỉ tiêu." in capsys.readouterr().out
