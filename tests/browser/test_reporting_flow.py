"""A commune reporter fills the form (one invalid value first), submits; the monitoring unit returns
it with a reason; the reporter fixes and resubmits; the approver approves; the completeness page
shows it on time. Debian chromium through Playwright."""

import datetime as dt

import pytest
from django.utils import timezone

from chitieu.core.periods import Period, PeriodKind
from chitieu.plans import services as plan_services
from chitieu.reporting.models import ReportingRegime, Submission
from chitieu.reporting.obligations import plan_regime_set
from tests.browser.conftest import login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def logout(page):
    page.click("button:has-text('Đăng xuất')")
    page.wait_for_url("**/dang-nhap/")


def test_commune_report_returned_fixed_approved_on_time(page, tree, people, indicators):
    today = timezone.localdate()
    period = Period.containing(today, PeriodKind.QUARTER)
    regime = ReportingRegime.objects.create(
        name="Quý",
        period_kinds=["quarter"],
        window={"kind": "cutoff", "turn_day": 15},
        deadline_rule={"kind": "working_days_after_cutoff", "working_days": 10, "exclusive": False},
    )
    root = people["root"]
    plan = plan_services.plan_create(
        actor=root,
        issuer=tree["prov"],
        title="Chuyển đổi số cấp xã",
        number_symbol="9/KH-UBND",
        date_text=str(today.year),
    )
    plan_regime_set(actor=root, plan=plan, regime=regime)
    plan_services.target_create(
        actor=root,
        plan=plan,
        text="Tỷ lệ hồ sơ trực tuyến cấp xã",
        operator=">=",
        threshold=50,
        indicator=indicators["online"],
        scope_kind="commune",
        scope="cấp xã",
        assignees=[tree["xa_a"]],
        monitoring_unit=tree["dept"],
    )
    plan_services.plan_activate(actor=root, plan=plan)
    s = Submission.objects.get(plan=plan, unit=tree["xa_a"], period=period.id)
    assert s.due_date >= today  # due after the end of the cut-off window: on time if sent today

    # the commune's reporter: one invalid value first
    login(page, "xa_reporter")
    page.click("text=Lịch báo cáo")
    page.click(f"tr[data-submission='{s.pk}'] a")
    t = plan.targets.get()
    page.fill(f"#num_{t.pk}", "5")
    page.fill(f"#den_{t.pk}", "4")
    page.wait_for_selector(f"#res-{t.pk} >> text=5/4")
    page.click("#submit")
    page.wait_for_selector("#form-errors")
    assert "tử số (5) lớn hơn mẫu số (4)" in page.inner_text("#form-errors")
    assert page.get_attribute(f"#num_{t.pk}", "class") == "invalid"
    shot(page, "report-form-invalid")
    page.fill(f"#num_{t.pk}", "3")
    page.wait_for_selector(f"#res-{t.pk} >> text=3/4 (75%)")
    assert "Đạt" in page.inner_text(f"#res-{t.pk}")
    page.click("#submit")
    page.wait_for_selector("#status[data-status=submitted]")
    logout(page)

    # the monitoring unit returns it with a reason
    login(page, "approver")
    page.click("text=Lịch báo cáo")
    page.click(f"text={tree['xa_a'].name}")
    page.fill("#reason", "Mẫu số chưa gồm hồ sơ nộp qua bưu chính")
    page.click("#return")
    page.wait_for_selector("#status[data-status=returned]")
    logout(page)

    # the reporter sees why, fixes and resubmits
    login(page, "xa_reporter")
    page.goto(page.base + f"/bao-cao/{s.pk}/")
    assert "Mẫu số chưa gồm hồ sơ nộp qua bưu chính" in page.inner_text("main")
    page.fill(f"#den_{t.pk}", "5")
    page.click("#submit")
    page.wait_for_selector("#status[data-status=submitted]")
    logout(page)

    # the approver sees what changed and approves
    login(page, "approver")
    page.goto(page.base + f"/bao-cao/{s.pk}/")
    assert "đã thay đổi sau lần gửi" not in page.inner_text("main")  # resubmitted: snapshot is the new one
    page.click("#approve")
    page.wait_for_selector("#status[data-status=approved]")
    shot(page, "report-approved")

    # completeness: on time
    page.goto(
        page.base + f"/tinh-hinh-bao-cao/?period={period.id}"
    )  # the approver's own unit monitors the commune
    row = page.locator(f"tr[data-unit='{tree['xa_a'].code}']")
    assert row.get_attribute("data-state") == "on_time"
    assert "đúng hạn" in row.inner_text()
    assert page.inner_text("#k-ontime") == "1"
    # the same figures drawn: the chart is ready and its data and text alternative carry them
    page.wait_for_selector("#completeness-chart[data-ready='1'] svg")
    states = page.evaluate("JSON.parse(document.getElementById('chart-data').textContent).states")
    assert [(x["label"], x["n"]) for x in states][:2] == [("Đúng hạn", 1), ("Trễ hạn", 0)]
    assert "Đúng hạn is 1" in page.get_attribute("#completeness-chart", "aria-label")
    shot(page, "completeness")
    s.refresh_from_db()
    assert s.status == "approved" and s.first_submitted_at.date() <= s.last_on_time_day
    _ = dt
