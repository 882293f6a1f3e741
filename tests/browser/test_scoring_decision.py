"""A province's own index in Debian chromium: upload its decision, fix the row whose points do not
add up, activate it, and self-assess against it."""

from pathlib import Path

import pytest

from chitieu.scoring.models import Assessment, Framework
from tests.browser.conftest import login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DECISION = Path(__file__).resolve().parents[1] / "scoring" / "decisions" / "qd-990-cong-diem-sai.docx"


def logout(page):
    page.click("button:has-text('Đăng xuất')")
    page.wait_for_url("**/dang-nhap/")


def test_upload_a_decision_fix_a_row_activate_and_self_assess(page, tree, people):
    login(page, "unit_admin")
    page.goto(page.base + "/bo-chi-so/")
    page.click("#upload-decision")
    page.set_input_files("#id_file", str(DECISION))
    page.select_option("#id_owner", str(tree["prov"].pk))
    page.click("#decision-form button[type=submit]")
    page.wait_for_selector("#draft-rows")
    # criterion 1 says 10 points, its sub-criteria 4 + 4: the row is marked, activation is off
    assert page.get_attribute("#r-1", "data-problem") == "1"
    assert "điểm tối đa 10 khác tổng tiêu chí con 8" in page.inner_text("#check-problems")
    assert page.is_disabled("#activate")
    page.hover("#r-1\\.1")
    assert page.locator("#source li.active").count() == 1  # its line in the decision lights up
    shot(page, "scoring-decision-review")
    page.click("[data-edit='1.1']")
    page.wait_for_selector("#row-form")
    page.fill("#id_max_points", "6")
    page.fill("#id_reason", "Đối chiếu bản ký: 6 điểm")
    page.click("#save-row")
    page.wait_for_selector("#check-ok")
    assert page.locator("[data-problem='1']").count() == 0
    page.click("#activate")
    page.wait_for_selector("#criteria")
    fw = Framework.objects.get(code="990/QĐ-UBND")
    assert page.url.endswith(f"/bo-chi-so/{fw.pk}/")
    assert fw.criteria.get(code="1.1").max_points == 6
    # open the cycle for the communes
    page.fill("#root", str(tree["prov"].pk))
    page.select_option("#kind", "commune")
    page.click("#open-cycle button[type=submit]")
    page.wait_for_selector("#assessments")
    logout(page)

    # the commune's reporter opens its self-assessment against the new index
    a = Assessment.objects.get(framework=fw, unit=tree["xa_a"])
    ids = {c.code: c.pk for c in fw.criteria.all()}
    login(page, "xa_reporter")
    page.goto(page.base + f"/bo-chi-so/{fw.pk}/danh-gia/{a.pk}/")
    assert "Ban hành kế hoạch năm" in page.inner_text("tr[data-code='1.1']")
    page.check(f"input[name=c_{ids['1.1']}]")  # yes / no
    page.fill(f"input[name=c_{ids['1.2']}]", "1")  # one late report: 4 - 1
    page.fill(f"input[name=c_{ids['2.1']}]", "100")  # 100 % on time: 10
    page.check(f"input[name=c_{ids['2.2']}]")
    page.fill(f"input[name=c_{ids['3.1']}]", "75")  # 75 % of 40
    page.click("button[value=save]")
    page.wait_for_selector(".msg-success, .messages")
    assert "3" in page.inner_text("tr[data-code='1.2']")
    assert "30" in page.inner_text("tr[data-code='3.1']")
    shot(page, "scoring-decision-self-assessment")
    s = {x.criterion.code: x.self_points for x in a.scores.select_related("criterion")}
    assert [str(s[c]) for c in ("1.1", "1.2", "2.1", "2.2", "3.1")] == [
        "6.0000",
        "3.0000",
        "10.0000",
        "10.0000",
        "30.0000",
    ]
