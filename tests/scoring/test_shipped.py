"""The shipped frameworks follow what public sources confirm (../shared/indices.md): 766 as the
portal scores it, DTI 922/QĐ-BTTTT and its successor 405/QĐ-BKHCN, and PAR 876/QĐ-BNV as a
framework to be filled (no even split of points)."""

from decimal import Decimal as D

import pytest
import yaml

from chitieu.core import scoring as core
from chitieu.scoring import definitions, services
from chitieu.scoring.models import Framework


@pytest.mark.django_db
def test_shipped_frameworks_load_once(catalog):
    fws = services.load_shipped(period="2026")
    assert sorted((f.code, f.version, f.max_points) for f in fws) == [
        ("766", "2022-cong-dvcqg", D(100)),
        ("DTI-TINH", "2022", D(1000)),
        ("DTI-TINH", "2025", D(8)),
    ]
    assert [f.pk for f in services.load_shipped(period="2026")] == [f.pk for f in fws]  # idempotent
    f766 = next(f for f in fws if f.code == "766")
    assert f766.criteria.filter(parent__isnull=True).count() == 5
    assert f766.basis.startswith("Quyết định 766/QĐ-TTg ngày 23/6/2022")
    assert f766.criteria.get(code="2.1").indicator.code == "ONTIME"
    assert not f766.criteria.get(code="4b.2").formula_published
    # PAR is not shipped as a framework to use as it stands
    assert not Framework.objects.filter(code__startswith="PAR").exists()


def _def(name: str) -> core.FrameworkDef:
    return core.framework_from_dict(yaml.safe_load((definitions.SHIPPED / name).read_text(encoding="utf-8")))


def test_dti_922_main_indices_components_and_points():
    d = _def("dti-tinh-922-2022.yaml")
    mains = [c for c in d.walk() if c.components is not None]
    assert [(c.name, c.components, c.max_points) for c in mains] == [
        ("Nhận thức số", 10, 100),
        ("Thể chế số", 11, 100),
        ("Hạ tầng số", 7, 100),
        ("Nhân lực số", 13, 100),
        ("An toàn thông tin mạng", 12, 100),
        ("Đô thị thông minh", 3, 0),
        ("Hoạt động chính quyền số", 22, 200),
        ("Hoạt động kinh tế số", 12, 150),
        ("Hoạt động xã hội số", 8, 150),
    ]
    assert sum(c.components for c in mains) == 98 and d.max_points == 1000
    assert next(c for c in mains if c.name == "Đô thị thông minh").method == "tracked"
    # the chính quyền số pillar: the six common indices and its activity index, 78 components, 700 points
    pillar = mains[:7]
    assert sum(c.components for c in pillar) == 78 and sum(c.max_points for c in pillar) == 700
    assert [s["number"] for s in d.successors] == ["405/QĐ-BKHCN"]


def test_dti_405_is_a_second_version_on_a_0_1_scale():
    d = _def("dti-tinh-405-2025.yaml")
    assert (d.code, d.version, d.scale, d.merge) == ("DTI-TINH", "2025", "ratio", "average")
    assert len(d.criteria) == 8 and all(c.max_points == 1 for c in d.criteria)
    assert "Đô thị thông minh" not in {c.name for c in d.criteria}
    assert d.counts == {"main_indices": 8, "components": 47}
    assert all(not c.confirmed for c in d.criteria)  # weights not published


def test_par_876_is_a_template_with_the_confirmed_structure_and_no_points_invented():
    path, raw = definitions.template("PAR-TINH")
    assert path.name == "par-876-tinh.yaml"
    assert [c["name"] for c in raw["criteria"]][:3] == [
        "Công tác chỉ đạo, điều hành cải cách hành chính",
        "Xây dựng và tổ chức thực hiện thể chế tại tỉnh",
        "Cải cách thủ tục hành chính",
    ]
    assert len(raw["criteria"]) == 8
    assert all("max_points" not in c for c in raw["criteria"])  # no 12.5 each: an office fills them
    assert raw["counts"] == {"fields": 8, "criteria": 37, "sub_criteria": 88}
    assert raw["split"] == {"survey": 32, "appraisal": 68} and raw["max_points"] == 100
    assert [s["number"] for s in raw["successors"]] == ["892/QĐ-BNV", "1187/QĐ-BNV"]
    # as it stands it cannot become a framework: every field lacks its criteria and points
    with pytest.raises(core.DefinitionError) as exc:
        core.framework_from_dict(raw)
    assert sum("thiếu điểm tối đa" in p for p in exc.value.problems) == 8
    assert core.parse_classes(raw["classes"], []) == [("A", 90), ("B", 80), ("C", 70)]


def test_classes_and_the_survey_split_are_checked():
    raw = yaml.safe_load((definitions.TEMPLATES / "par-876-tinh.yaml").read_text(encoding="utf-8"))
    for c in raw["criteria"]:
        c["max_points"] = 8.5 if c["code"] != "8" else 40.5
        c["method"] = "manual" if c["code"] != "8" else "survey"
    with pytest.raises(core.DefinitionError) as exc:
        core.framework_from_dict(raw)
    # 7 x 8.5 + 40.5 = 100, but the survey carries 40.5 instead of 32
    assert exc.value.problems == [
        "Điểm điều tra xã hội học 40,5 khác 32 điểm theo quy định.",
        "Điểm thẩm định (tự đánh giá) 59,5 khác 68 điểm theo quy định.",
    ]
    assert core.classify(D("89.99"), D(100), [("A", D(90)), ("B", D(80)), ("C", D(70))]) == "B"
    assert core.classify(D(90), D(100), [("A", D(90)), ("B", D(80))]) == "A"
    assert core.classify(D(69), D(100), [("A", D(90)), ("C", D(70))]) == ""
