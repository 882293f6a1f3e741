"""The review page's schedule box: a person corrects the plan's reporting sentences; the same rules
read them; open reports take the new due days, sent ones keep theirs; unreadable text changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from chitieu.audit.models import ChangeRecord
from chitieu.core.errors import Invalid
from chitieu.orgs.permissions import NotAllowed
from chitieu.reporting.chain import plan_schedule_edit, schedule_text
from chitieu.reporting.models import Compilation, PlanSchedule, Submission, SubmissionStatus

CHAIN = (
    "Định kỳ hằng quý, các đơn vị báo cáo kết quả về Sở Nội vụ trước ngày 10 của tháng cuối quý. "
    "Sở Nội vụ tổng hợp báo cáo UBND tỉnh trước ngày 20 của tháng cuối quý."
)


def test_typed_chain_redates_open_reports_only(active_plan, people, tree):
    subs = Submission.objects.filter(plan=active_plan).order_by("period", "unit_id")
    assert {s.due_date.day for s in subs} == {15}
    sent = subs.filter(period="2024Q1").first()
    Submission.objects.filter(pk=sent.pk).update(
        status=SubmissionStatus.SUBMITTED, submitted_at=timezone.now()
    )
    _, changed = plan_schedule_edit(actor=people["admin"], plan=active_plan, text=CHAIN)
    assert changed == subs.count() - 1
    for s in Submission.objects.filter(plan=active_plan):
        assert s.due_date.day == (15 if s.pk == sent.pk else 10), s
    q3 = Submission.objects.get(plan=active_plan, unit=tree["xa_a"], period="2024Q3")
    assert q3.due_date == dt.date(2024, 9, 10)
    comp = Compilation.objects.filter(plan=active_plan, unit=tree["dept"]).order_by("period")
    assert [c.period for c in comp] == ["2024Q1", "2024Q2", "2024Q3", "2024Q4"]
    assert comp[0].due_date == dt.date(2024, 3, 20)
    assert "Sở Nội vụ tổng hợp" in schedule_text(active_plan)
    rec = ChangeRecord.objects.filter(object_type="reporting.planschedule").latest("id")
    assert rec.after["text"] == CHAIN and rec.after["reports_changed"] == changed
    # back to the default regime: the compiling step goes (not yet sent), due days follow the default
    plan_schedule_edit(actor=people["admin"], plan=active_plan, text="")
    assert PlanSchedule.objects.get(plan=active_plan).regime is None
    assert not Compilation.objects.filter(plan=active_plan).exists()


def test_unreadable_or_forbidden_edit_changes_nothing(active_plan, people):
    sched = PlanSchedule.objects.get(plan=active_plan)
    due = sorted(Submission.objects.filter(plan=active_plan).values_list("pk", "due_date"))
    with pytest.raises(Invalid, match="Không đọc được kỳ và hạn báo cáo"):
        plan_schedule_edit(actor=people["admin"], plan=active_plan, text="Các đơn vị cố gắng hoàn thành.")
    with pytest.raises(NotAllowed):
        plan_schedule_edit(actor=people["reporter"], plan=active_plan, text=CHAIN)
    assert PlanSchedule.objects.get(plan=active_plan).regime_id == sched.regime_id
    assert sorted(Submission.objects.filter(plan=active_plan).values_list("pk", "due_date")) == due


def test_monthly_schedule_from_the_review_page(client, active_plan, people):
    client.force_login(people["admin"])
    resp = client.post(
        f"/ke-hoach/{active_plan.pk}/lich-bao-cao/",
        {"text": "Các đơn vị báo cáo định kỳ hằng tháng trước ngày 20 về Sở Nội vụ."},
    )
    assert resp.status_code == 302
    page = client.get(f"/ke-hoach/{active_plan.pk}/").content.decode()
    assert "hằng tháng" in page and "trước ngày 20" in page
    months = Submission.objects.filter(plan=active_plan, period_kind="month")
    # the department and two communes, every month from the plan's date (2 February 2024)
    assert months.count() == 11 * 3 and not months.filter(period="2024M01").exists()
    assert not Submission.objects.filter(plan=active_plan, period_kind="quarter").exists()
    assert months.get(unit=active_plan.targets.first().lead_unit, period="2024M05").due_date == dt.date(
        2024, 5, 20
    )


def test_calendar_lists_the_compiling_office_step(client, active_plan, people, tree):
    plan_schedule_edit(actor=people["admin"], plan=active_plan, text=CHAIN)
    client.force_login(people["approver"])  # the department's approver sees what the department owes
    page = client.get("/bao-cao/").content.decode()
    assert 'id="compilations"' in page
    row = page[page.index('id="compilations"') :]
    assert "20/03/2024" in row and "0/3" in row  # three reports to compile for Q1, none in yet
    client.force_login(people["other_reporter"])
    assert 'id="compilations"' not in client.get("/bao-cao/").content.decode()
