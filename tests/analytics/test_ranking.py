from decimal import Decimal as D

import pytest

from chitieu.analytics import selectors
from chitieu.core.ranking import Entry, rank
from chitieu.plans import services as plans
from chitieu.reporting.services import value_save


def test_competition_ranking_with_ties_explained():
    out = rank(
        [
            Entry(1, "Xã A", 3, 4, D(3), D(4)),
            Entry(2, "Xã B", 3, 4, D(3), D(4)),
            Entry(3, "Xã C", 1, 2, D(1), D(2)),
            Entry(4, "Xã D", 4, 4, D(4), D(4)),
            Entry(5, "Xã E", 0, 0),
        ]
    )
    assert [(r.entry.name, r.rank) for r in out] == [
        ("Xã D", 1),
        ("Xã A", 2),
        ("Xã B", 2),
        ("Xã C", 4),
        ("Xã E", None),
    ]
    a = out[1]
    assert a.tied_with == ["Xã B"] and "Đồng hạng 2 với Xã B" in a.explanation and "75%" in a.explanation
    assert out[3].explanation.startswith("Hạng 4: 50%")
    assert "Không xếp hạng" in out[4].explanation


def test_equal_share_from_different_counts_is_a_tie_and_says_so():
    out = rank([Entry(1, "A", 2, 4, D(2), D(4)), Entry(2, "B", 1, 2, D(1), D(2))])
    assert out[0].rank == out[1].rank == 1
    assert "khác số chỉ tiêu nhưng cùng tỷ lệ" in out[0].explanation


def test_large_ties_name_three_units_and_count_the_rest():
    out = rank([Entry(i, f"Xã {i:02d}", 1, 1, D(1), D(1)) for i in range(10)])
    assert "và 6 đơn vị khác" in out[0].explanation


@pytest.mark.django_db
def test_ranking_by_weights_changes_the_order(tree, people, indicators):
    root = people["root"]
    p = plans.plan_create(actor=root, issuer=tree["prov"], title="Xếp hạng", date_text="2026")
    heavy = plans.target_create(
        actor=root,
        plan=p,
        text="Trực tuyến",
        operator=">=",
        threshold=50,
        indicator=indicators["online"],
        assignees=[tree["xa_a"], tree["xa_b"]],
        weight=3,
    )
    light = plans.target_create(
        actor=root,
        plan=p,
        text="Tập huấn",
        operator=">=",
        threshold=2,
        unit="count",
        indicator=indicators["count"],
        assignees=[tree["xa_a"], tree["xa_b"]],
        weight=1,
    )
    plans.plan_activate(actor=root, plan=p)
    assert heavy.weight == 3 and light.weight == 1
    value_save(
        actor=root,
        indicator=indicators["online"],
        unit=tree["xa_a"],
        period="2026Q1",
        numerator=6,
        denominator=10,
    )
    value_save(actor=root, indicator=indicators["count"], unit=tree["xa_a"], period="2026Q1", value=0)
    value_save(
        actor=root,
        indicator=indicators["online"],
        unit=tree["xa_b"],
        period="2026Q1",
        numerator=4,
        denominator=10,
    )
    value_save(actor=root, indicator=indicators["count"], unit=tree["xa_b"], period="2026Q1", value=3)
    plain = selectors.ranking(root, plan=p)
    assert [r.rank for r in plain] == [1, 1]  # one target each: a tie
    weighted = selectors.ranking(root, plan=p, weighted=True)
    assert [(r.entry.name, r.rank) for r in weighted] == [("Xã An Bình", 1), ("Xã Bình An", 2)]
    assert weighted[0].entry.met_weight == D(3) and weighted[1].entry.met_weight == D(1)
    # a commune reporter sees only their own unit ranked
    assert [r.entry.name for r in selectors.ranking(people["xa_reporter"], plan=p)] == ["Xã An Bình"]
