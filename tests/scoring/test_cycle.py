"""A small framework scored end to end against hand-computed points; the appraisal cycle; imports."""

from decimal import Decimal as D

import pytest

from chitieu.orgs.permissions import NotAllowed
from chitieu.reporting.services import value_save
from chitieu.scoring import selectors, services
from chitieu.scoring.models import Framework
from tests.scoring.conftest import SMALL

pytestmark = pytest.mark.django_db


def open_cycle(people, tree, fw):
    return services.framework_open(
        actor=people["root"],
        framework=fw,
        units=[tree["xa_a"], tree["xa_b"]],
        appraisers={tree["xa_a"].pk: [people["approver"]], tree["xa_b"].pk: [people["approver"]]},
    )


def test_points_of_every_method_match_the_hand_computation(small_framework, people, tree, indicators):
    root = people["root"]
    # commune A: 60/80 = 75% online; commune B: 92/100 = 92%
    value_save(
        actor=root,
        indicator=indicators["online"],
        unit=tree["xa_a"],
        period="2026",
        numerator=60,
        denominator=80,
    )
    value_save(
        actor=root,
        indicator=indicators["online"],
        unit=tree["xa_b"],
        period="2026",
        numerator=92,
        denominator=100,
    )
    a, b = open_cycle(people, tree, small_framework)
    scores = {s.criterion.code: s for s in a.scores.select_related("criterion")}
    # A.1 computed: min(75/80, 1) x 6 = 5.625; A.2 banded: 75% >= 70 -> 2
    assert scores["A.1"].self_points == D("5.625") and scores["A.1"].value == D("75")
    assert scores["A.2"].self_points == D(2)
    assert {s.criterion.code: s.self_points for s in b.scores.select_related("criterion")}["A.1"] == D(
        6
    )  # capped
    xa = people["xa_reporter"]
    # yes/no needs evidence: met without evidence scores 0
    assert (
        services.self_assess_save(
            actor=xa, assessment=a, entries={"A.3": {"met": True}, "B": {"points": "6,5"}}
        )
        == []
    )
    scores = {s.criterion.code: s for s in a.scores.select_related("criterion")}
    assert scores["A.3"].self_points == 0 and scores["B"].self_points == D("6.5")
    services.self_assess_save(
        actor=xa, assessment=a, entries={"A.3": {"met": True, "links": ["/ke-hoach/1/"]}}
    )
    total, parts = services.totals(a, "self")
    # 5.625 + 2 + 2 + 6.5 = 16.125
    assert total == D("16.125") and parts["A"] == D("9.625") and parts["B"] == D("6.5")
    # a manual score above the maximum is refused, nothing saved
    problems = services.self_assess_save(actor=xa, assessment=a, entries={"B": {"points": "9"}})
    assert problems == ["Điểm của tiêu chí B không được vượt 8."]
    assert services.totals(a, "self")[0] == D("16.125")


def test_self_assessment_appraisal_return_once_publication(small_framework, people, tree, indicators):
    root, xa, appr = people["root"], people["xa_reporter"], people["approver"]
    value_save(
        actor=root,
        indicator=indicators["online"],
        unit=tree["xa_a"],
        period="2026",
        numerator=60,
        denominator=80,
    )
    a, b = open_cycle(people, tree, small_framework)
    with pytest.raises(NotAllowed):  # a commune reporter cannot score another commune
        services.self_assess_save(actor=xa, assessment=b, entries={"B": {"points": "8"}})
    with pytest.raises(services.ScoringError, match="Còn tiêu chí chưa chấm: A.3, B"):
        services.self_assess_submit(actor=xa, assessment=a)
    services.self_assess_save(
        actor=xa, assessment=a, entries={"A.3": {"met": True, "links": ["https://x"]}, "B": {"points": "8"}}
    )
    a = services.self_assess_submit(actor=xa, assessment=a)
    assert a.self_total == D("17.625")
    # appraisal: one change needs a reason; a return for explanation, once
    assert services.appraise_save(actor=appr, assessment=a, changes={"B": ("6", "")}) == [
        "Tiêu chí B: thay đổi điểm cần ghi lý do."
    ]
    assert (
        services.appraise_save(actor=appr, assessment=a, changes={"B": ("6", "Thiếu văn bản chỉ đạo quý IV")})
        == []
    )
    with pytest.raises(NotAllowed):
        services.appraise_return(actor=people["other_reporter"], assessment=a, reason="x")
    a = services.appraise_return(actor=appr, assessment=a, reason="Giải trình tiêu chí B")
    with pytest.raises(services.ScoringError, match="cần ghi nội dung giải trình"):
        services.self_assess_submit(actor=xa, assessment=a)
    a = services.self_assess_submit(actor=xa, assessment=a, explanation="Văn bản số 12 đã ban hành")
    with pytest.raises(services.ScoringConflict, match="chỉ được trả lại một lần"):
        services.appraise_return(actor=appr, assessment=a, reason="lần hai")
    a = services.appraise_finalize(actor=appr, assessment=a)
    assert (a.self_total, a.final_total) == (D("17.625"), D("15.625"))  # both kept
    with pytest.raises(services.ScoringConflict, match="Còn đơn vị chưa thẩm định xong: Xã Bình An"):
        services.framework_publish(actor=root, framework=small_framework)
    services.self_assess_save(actor=root, assessment=b, entries={"A.3": {"met": False}, "B": {"points": "7"}})
    services.appraise_finalize(actor=appr, assessment=services.self_assess_submit(actor=root, assessment=b))
    assert services.framework_publish(actor=root, framework=small_framework) == 2
    res = selectors.results(small_framework)
    assert [(r.unit.code, r.rank, r.final_total) for r in res.rows] == [
        ("T1-XA", 1, D("15.625")),
        ("T1-XB", 2, D(7)),
    ]
    assert res.rows[0].groups["A"] == D("9.625")


def test_importing_a_framework_with_errors_lists_them_and_changes_nothing(people, tree, indicators):
    bad = SMALL.replace("max_points: 12", "max_points: 11").replace(
        "indicator: ONLINE, method: banded", "indicator: NOPE, method: banded"
    )
    bad = bad.replace('bands: "90:4; 70:2"', 'bands: "90:9; 70:2"').replace(
        "method: manual", "method: tutinh"
    )
    with pytest.raises(services.ScoringError) as exc:
        services.framework_import(
            actor=people["root"], owner=tree["prov"], file_name="loi.yaml", data=bad.encode()
        )
    problems = exc.value.messages
    assert any("tiêu chí 1 (A): điểm tối đa 11 khác tổng tiêu chí con 12" in p for p in problems)
    assert any("mức 90% cho 9 điểm, vượt điểm tối đa" in p for p in problems)
    assert any("cách chấm 'tutinh' không có" in p for p in problems)
    assert not Framework.objects.exists()
    with pytest.raises(services.ScoringError, match="không đọc được YAML"):
        services.framework_import(
            actor=people["root"], owner=tree["prov"], file_name="x.yaml", data=b"a: [1,\n"
        )
    with pytest.raises(NotAllowed):
        services.framework_import(
            actor=people["reporter"], owner=tree["prov"], file_name="t.yaml", data=SMALL.encode()
        )


def test_unknown_indicator_is_named(people, tree, indicators):
    with pytest.raises(services.ScoringError) as exc:
        services.framework_import(
            actor=people["root"],
            owner=tree["prov"],
            file_name="t.yaml",
            data=SMALL.replace(
                "indicator: ONLINE, method: computed", "indicator: NOPE, method: computed"
            ).encode(),
        )
    assert exc.value.messages == [
        "tiêu chí 1 > tiêu chí con 1 (A.1): chỉ tiêu 'NOPE' không có trong danh mục."
    ]


def test_an_unquoted_comma_in_a_name_is_caught(people, tree, indicators):
    text = SMALL.replace('name: "Chỉ đạo điều hành"', "name: Chỉ đạo, điều hành")
    assert text != SMALL
    with pytest.raises(services.ScoringError) as exc:
        services.framework_import(
            actor=people["root"], owner=tree["prov"], file_name="t.yaml", data=text.encode()
        )
    assert any("không hiểu mục 'điều hành'" in p and "ngoặc kép" in p for p in exc.value.messages)
