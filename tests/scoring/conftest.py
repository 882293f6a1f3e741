import pytest

SMALL = """
code: THU
name: Bộ chỉ số thử của tỉnh
version: "2026"
period: "2026"
max_points: 20
criteria:
  - code: "A"
    name: Dịch vụ công
    max_points: 12
    criteria:
      - {code: "A.1", name: "Hồ sơ trực tuyến", indicator: ONLINE, method: computed, threshold: 80, max_points: 6}
      - {code: "A.2", name: "Hồ sơ trực tuyến (theo mức)", indicator: ONLINE, method: banded, bands: "90:4; 70:2", max_points: 4}
      - {code: "A.3", name: "Có quy chế một cửa điện tử", method: yesno, evidence_required: true, max_points: 2}
  - {code: "B", name: "Chỉ đạo điều hành", method: manual, max_points: 8}
"""


@pytest.fixture
def small_framework(db, people, tree, indicators):
    from chitieu.scoring.services import framework_import

    return framework_import(
        actor=people["root"], owner=tree["prov"], file_name="thu.yaml", data=SMALL.encode()
    )
