"""Self-assessment -> appraisal (one change, one return) -> publication, in Debian chromium."""

from decimal import Decimal

import pytest

from chitieu.reporting.services import value_save
from chitieu.scoring import services
from chitieu.scoring.models import Assessment
from tests.browser.conftest import login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FRAMEWORK = """
code: CDS-XA
name: Chỉ số chuyển đổi số cấp xã (thử)
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


def logout(page):
    page.click("button:has-text('Đăng xuất')")
    page.wait_for_url("**/dang-nhap/")


def test_self_assessment_appraisal_return_publication(page, tree, people, indicators):
    root = people["root"]
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
        numerator=50,
        denominator=50,
    )
    fw = services.framework_import(
        actor=root, owner=tree["prov"], file_name="cds-xa.yaml", data=FRAMEWORK.encode()
    )
    a, b = services.framework_open(
        actor=root,
        framework=fw,
        units=[tree["xa_a"], tree["xa_b"]],
        appraisers={tree["xa_a"].pk: [people["approver"]], tree["xa_b"].pk: [people["approver"]]},
    )
    ids = {c.code: c.pk for c in fw.criteria.all()}
    # commune B is scored and appraised without the browser
    services.self_assess_save(
        actor=root, assessment=b, entries={"A.3": {"met": True, "links": ["/x"]}, "B": {"points": "5"}}
    )
    services.appraise_finalize(
        actor=people["approver"], assessment=services.self_assess_submit(actor=root, assessment=b)
    )

    # the commune's reporter self-assesses: computed criteria are filled in, manual ones typed
    login(page, "xa_reporter")
    page.goto(page.base + f"/bo-chi-so/{fw.pk}/danh-gia/{a.pk}/")
    assert "5,63" in page.inner_text("tr[data-code='A.1']")  # 75% of an 80% threshold: 5.625 of 6
    page.fill(f"input[name=c_{ids['B']}]", "7")
    page.check(f"input[name=c_{ids['A.3']}]")
    page.fill(f"textarea[name=c_{ids['A.3']}_links]", "https://motcua.example/quy-che.pdf")
    page.click("button[value=submit]")
    page.wait_for_selector("#assessment-status[data-status=submitted]")
    assert page.inner_text("#self-total").strip() == "16,63"
    logout(page)

    # the appraiser changes one score (with a reason) and returns it for explanation
    login(page, "approver")
    page.goto(page.base + f"/bo-chi-so/{fw.pk}/danh-gia/{a.pk}/")
    page.fill(f"input[name=a_{ids['B']}]", "6")
    page.fill(f"input[name=a_{ids['B']}_reason]", "Thiếu văn bản chỉ đạo quý IV")
    page.click("button[value=appraise]")
    page.wait_for_selector("tr[data-code='B'].changed")
    page.fill("#reason", "Đề nghị bổ sung văn bản chỉ đạo")
    page.click("button[value=return]")
    page.wait_for_selector("#assessment-status[data-status=returned]")
    logout(page)

    # the commune explains and sends it again
    login(page, "xa_reporter")
    page.goto(page.base + f"/bo-chi-so/{fw.pk}/danh-gia/{a.pk}/")
    assert "Đề nghị bổ sung văn bản chỉ đạo" in page.inner_text("#returned-reason")
    page.fill("#explanation", "Đã ban hành Kế hoạch số 5/KH-UBND ngày 02/10/2026")
    page.click("button[value=submit]")
    page.wait_for_selector("#assessment-status[data-status=submitted]")
    logout(page)

    # the appraiser finalises (no second return offered); the province publishes
    login(page, "approver")
    page.goto(page.base + f"/bo-chi-so/{fw.pk}/danh-gia/{a.pk}/")
    assert page.locator("button[value=return]").count() == 0
    page.click("button[value=finalize]")
    page.wait_for_selector("#assessment-status[data-status=appraised]")
    assert page.inner_text("#final-total").strip() == "15,63"  # 16.625 - 1
    shot(page, "scoring-appraisal")
    logout(page)
    login(page, "root")
    page.goto(page.base + f"/bo-chi-so/{fw.pk}/")
    page.click("#publish button[type=submit]")
    page.wait_for_selector("[data-status=published]")
    page.goto(page.base + f"/bo-chi-so/{fw.pk}/ket-qua/")
    page.wait_for_function("document.querySelectorAll('[data-chart][data-ready=\"1\"]').length >= 2")
    rows = page.locator("#results tbody tr")
    # commune B: 100% online -> 6 + 4, evidenced yes 2, manual 5 = 17; commune A: 15.625
    assert [rows.nth(i).get_attribute("data-unit") for i in range(2)] == [
        str(tree["xa_b"].pk),
        str(tree["xa_a"].pk),
    ]
    assert [rows.nth(i).get_attribute("data-rank") for i in range(2)] == ["1", "2"]
    shot(page, "scoring-ranking")
    a.refresh_from_db()
    assert (a.self_total, a.final_total, a.status) == (Decimal("16.625"), Decimal("15.625"), "published")
    assert Assessment.objects.filter(framework=fw, status="published").count() == 2
