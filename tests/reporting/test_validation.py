import datetime as dt
from decimal import Decimal as D

import pytest

from chitieu.indicators.services import indicator_create
from chitieu.reporting import selectors, validation, workflow
from chitieu.reporting.errors import WorkflowError
from chitieu.reporting.models import Submission, ValidationRule
from chitieu.reporting.services import value_save


def test_rules_are_data_and_name_the_indicator(tree, people, indicators):
    ValidationRule.objects.create(
        name="trực tuyến ≤ tổng",
        left="#{ONLINE.num}",
        operator="<=",
        right="#{COURSES} * 100",
        importance="error",
        message="Số hồ sơ trực tuyến vượt 100 lần số lớp (ví dụ quy tắc).",
    )
    value_save(
        actor=people["root"],
        indicator=indicators["online"],
        unit=tree["dept"],
        period="2024Q1",
        numerator=300,
        denominator=400,
    )
    values = validation.current_values(tree["dept"], "2024Q1")
    assert validation.check_rules(values) == []  # COURSES missing: the rule does not fire
    value_save(
        actor=people["root"], indicator=indicators["count"], unit=tree["dept"], period="2024Q1", value=2
    )
    out = validation.check_rules(validation.current_values(tree["dept"], "2024Q1"))
    assert [(v.importance, v.message, v.indicator) for v in out] == [
        ("error", "Số hồ sơ trực tuyến vượt 100 lần số lớp (ví dụ quy tắc).", "ONLINE")
    ]


def test_parts_must_not_exceed_their_total(tree, people, indicators):
    total = indicators["count"]
    part_a = indicator_create(
        actor=None, code="COURSES_A", name="Lớp cho cán bộ", kind="count", parent=total, audit=False
    )
    part_b = indicator_create(
        actor=None, code="COURSES_B", name="Lớp cho người dân", kind="count", parent=total, audit=False
    )
    for ind, v in ((total, 5), (part_a, 3), (part_b, 4)):
        value_save(actor=people["root"], indicator=ind, unit=tree["dept"], period="2024Q1", value=v)
    out = validation.check_parts(validation.current_values(tree["dept"], "2024Q1"))
    assert len(out) == 1 and "cộng lại 7 lớn hơn tổng 5" in out[0].message


def test_outlier_needs_a_comment_before_submitting(active_plan, tree, people, indicators):
    for q, (n, d) in enumerate([(80, 100), (82, 100), (79, 100)], 1):
        value_save(
            actor=people["root"],
            indicator=indicators["online"],
            unit=tree["dept"],
            period=f"2023Q{q}",
            numerator=n,
            denominator=d,
        )
    assert validation.outlier(indicators["online"], tree["dept"], "2024Q1", D(81), D(100), None) is None
    v = validation.outlier(indicators["online"], tree["dept"], "2024Q1", D(12), D(100), None)
    assert v is not None and v.importance == "warning" and "khác xa các kỳ trước" in v.message
    s = Submission.objects.get(plan=active_plan, unit=tree["dept"], period="2024Q1")
    value_save(
        actor=people["reporter"],
        indicator=indicators["online"],
        unit=tree["dept"],
        period="2024Q1",
        numerator=12,
        denominator=100,
    )
    value_save(
        actor=people["reporter"], indicator=indicators["count"], unit=tree["dept"], period="2024Q1", value=2
    )
    with pytest.raises(WorkflowError) as exc:
        workflow.submission_submit(actor=people["reporter"], submission=s)
    assert "Bắt buộc ghi chú" in exc.value.message
    value_save(
        actor=people["reporter"],
        indicator=indicators["online"],
        unit=tree["dept"],
        period="2024Q1",
        numerator=12,
        denominator=100,
        comment="Hệ thống một cửa ngừng hoạt động 2 tháng",
        expected_version=1,
    )
    assert workflow.submission_submit(actor=people["reporter"], submission=s).status == "submitted"


def test_reminders_once_a_day_in_app_and_by_mail(active_plan, tree, people, mailoutbox):
    from chitieu.reporting.models import Notification
    from chitieu.reporting.reminders import send_reminders

    people["reporter"].email = "bao-cao@snv.example"
    people["reporter"].save()
    # 13 March 2024: Q1 reports are due "before 15/03" -> last day 14/03, within three days
    counts = send_reminders(today=dt.date(2024, 3, 13))
    assert counts["upcoming"] == 3 and counts["overdue"] == 0
    assert Notification.objects.filter(user=people["reporter"], text__startswith="Nhắc hạn").count() == 1
    assert len(mailoutbox) == 1 and "trước ngày 15/03/2024" in mailoutbox[0].body
    assert send_reminders(today=dt.date(2024, 3, 13))["upcoming"] == 0  # once a day
    # 20 March: overdue, reporters and approvers hear about it
    counts = send_reminders(today=dt.date(2024, 3, 20))
    assert counts["overdue"] == 3
    assert Notification.objects.filter(user=people["approver"], text__startswith="Quá hạn").exists()
    # a report that was sent is no longer chased
    s = Submission.objects.get(plan=active_plan, unit=tree["dept"], period="2024Q1")
    Submission.objects.filter(pk=s.pk).update(status="submitted")
    assert send_reminders(today=dt.date(2024, 3, 21))["overdue"] == 2


def test_task_progress_by_the_lead_unit_only(active_plan, tree, people):
    from chitieu.orgs.permissions import NotAllowed
    from chitieu.plans import services as plan_services
    from chitieu.reporting import task_progress
    from chitieu.reporting.errors import ReportingError

    t = plan_services.task_create(
        actor=people["root"],
        plan=active_plan,
        text="Tổng hợp báo cáo hằng quý",
        lead_unit=tree["dept"],
        recurrence="quarterly",
    )
    period = task_progress.task_period(t, dt.date(2024, 5, 2))
    assert period == "2024Q2"
    rep = task_progress.task_report_save(
        actor=people["reporter"],
        task=t,
        unit=tree["dept"],
        period=period,
        status="done",
        output="Báo cáo số 12/BC-SNV",
    )
    assert rep.version == 1
    with pytest.raises(ReportingError):
        task_progress.task_report_save(
            actor=people["reporter"],
            task=t,
            unit=tree["dept"],
            period=period,
            status="in_progress",
            expected_version=0,
        )
    with pytest.raises(NotAllowed):
        task_progress.task_report_save(
            actor=people["xa_reporter"], task=t, unit=tree["dept"], period=period, status="done"
        )
    rows = task_progress.task_rows(people["reporter"], today=dt.date(2024, 5, 2))
    row = next(r for r in rows if r.task == t)
    assert row.status == "done" and row.report.output == "Báo cáo số 12/BC-SNV"
    _ = selectors
