import datetime as dt
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import timezone

from chitieu.audit.models import ChangeRecord
from chitieu.orgs.permissions import NotAllowed
from chitieu.reporting import obligations, selectors, workflow
from chitieu.reporting.errors import ValueLocked, WorkflowError
from chitieu.reporting.models import DataValue, Notification, Submission
from chitieu.reporting.services import value_save


def sub(plan, unit, period="2024Q1"):
    return Submission.objects.get(plan=plan, unit=unit, period=period)


def test_activation_derives_who_owes_what(active_plan, tree, people):
    # department + two communes, four quarters each
    assert Submission.objects.filter(plan=active_plan).count() == 12
    s = sub(active_plan, tree["dept"])
    assert (s.due_date, s.due_exclusive) == (dt.date(2024, 3, 15), True)  # "trước ngày 15 của tháng cuối quý"
    assert s.approver_unit == tree["office"]  # the monitoring unit approves
    assert [t.text for t in selectors.submission_targets(s)] == ["Tỷ lệ hồ sơ trực tuyến", "Số lớp tập huấn"]
    xa = sub(active_plan, tree["xa_a"], "2024Q4")
    assert xa.approver_unit == tree["dept"] and xa.due_date == dt.date(2024, 12, 15)
    # idempotent
    assert obligations.obligations_generate(actor=people["root"], plan=active_plan) == 0


def test_form_saves_all_or_nothing_and_keeps_no_data_apart(client, active_plan, tree, people):
    s = sub(active_plan, tree["dept"])
    t_rate, t_count = selectors.submission_targets(s)
    client.force_login(people["reporter"])
    url = reverse("reporting:submission", args=[s.pk])
    bad = {f"num_{t_rate.pk}": "57", f"den_{t_rate.pk}": "56", f"val_{t_count.pk}": "1", "action": "save"}
    r = client.post(url, bad)
    assert r.status_code == 400
    html = r.content.decode()
    assert "tử số (57) lớn hơn mẫu số (56)" in html and 'data-field="num_' in html
    assert not DataValue.objects.exists()  # the valid count row was not written either
    ok = {f"num_{t_rate.pk}": "1.108", f"den_{t_rate.pk}": "1.200", "action": "save"}
    r = client.post(url, ok)
    assert r.status_code == 302
    dv = DataValue.objects.get()
    assert (dv.numerator, dv.denominator) == (
        D(1108),
        D(1200),
    )  # "1.108" is one thousand one hundred and eight
    # the count row was left empty: it has no value at all, not zero
    rows = selectors.form_rows(s)
    assert rows[1].value is None and rows[1].status == "no_data"
    client.post(url, {**ok, f"ver_{t_rate.pk}": "1", f"val_{t_count.pk}": "0", "action": "save"})
    rows = selectors.form_rows(s)
    assert rows[1].value.value == 0 and rows[1].status == "not_met"


def test_numbers_are_typed_and_shown_as_the_interface_language_writes_them(client, active_plan, tree, people):
    s = sub(active_plan, tree["dept"])
    t_rate, _ = selectors.submission_targets(s)
    client.force_login(people["reporter"])
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    url = reverse("reporting:submission", args=[s.pk])
    # "1,160" in English is one thousand one hundred and sixty, not 1.16
    preview = client.post(
        reverse("reporting:preview", args=[s.pk, t_rate.pk]),
        {f"num_{t_rate.pk}": "1,160", f"den_{t_rate.pk}": "1,201"},
    )
    assert "1,160/1,201 (96.59%)" in preview.content.decode()
    r = client.post(url, {f"num_{t_rate.pk}": "1,160", f"den_{t_rate.pk}": "1,201", "action": "save"})
    assert r.status_code == 302
    dv = DataValue.objects.get()
    assert (dv.numerator, dv.denominator) == (D(1160), D(1201))
    # shown back as typed, and saving the form untouched changes nothing
    html = client.get(url).content.decode()
    assert 'value="1,160"' in html and 'value="1,201"' in html
    client.post(
        url,
        {f"num_{t_rate.pk}": "1,160", f"den_{t_rate.pk}": "1,201", f"ver_{t_rate.pk}": "1", "action": "save"},
    )
    dv.refresh_from_db()
    assert (dv.numerator, dv.denominator, dv.version) == (D(1160), D(1201), 1)
    # the Vietnamese interface writes and reads "1.160"
    client.post(reverse("set_language"), {"language": "vi", "next": "/"})
    assert 'value="1.160"' in client.get(url).content.decode()


def test_preview_shows_rate_and_status_while_typing(client, active_plan, tree, people):
    s = sub(active_plan, tree["dept"])
    t_rate, _ = selectors.submission_targets(s)
    client.force_login(people["reporter"])
    r = client.post(
        reverse("reporting:preview", args=[s.pk, t_rate.pk]),
        {f"num_{t_rate.pk}": "56", f"den_{t_rate.pk}": "56"},
    )
    assert "56/56 (100%)" in r.content.decode() and "Đạt" in r.content.decode()
    r = client.post(
        reverse("reporting:preview", args=[s.pk, t_rate.pk]),
        {f"num_{t_rate.pk}": "7", f"den_{t_rate.pk}": "10"},
    )
    assert (
        "7/10 (70%)" in r.content.decode() and "Chưa đạt" in r.content.decode()
    )  # "trên 70%": 70% is not above


def _fill(s, user, num=56, den=56, count=2):
    t_rate, t_count = selectors.submission_targets(s)
    value_save(
        actor=user, indicator=t_rate.indicator, unit=s.unit, period=s.period, numerator=num, denominator=den
    )
    value_save(actor=user, indicator=t_count.indicator, unit=s.unit, period=s.period, value=count)


def test_submit_approve_return_reopen(active_plan, tree, people):
    s = sub(active_plan, tree["dept"])
    with pytest.raises(WorkflowError) as exc:
        workflow.submission_submit(actor=people["reporter"], submission=s)
    assert "chưa nhập số liệu" in exc.value.message
    _fill(s, people["reporter"])
    s = workflow.submission_submit(actor=people["reporter"], submission=s)
    assert s.status == "submitted" and s.snapshot
    # submitted values are locked
    with pytest.raises(ValueLocked):
        value_save(
            actor=people["reporter"],
            indicator=selectors.submission_targets(s)[0].indicator,
            unit=s.unit,
            period=s.period,
            numerator=50,
            denominator=56,
            expected_version=1,
        )
    # only the monitoring unit's approver may act; a reason is required to return
    with pytest.raises(NotAllowed):
        workflow.submission_approve(actor=people["reporter"], submission=s)
    with pytest.raises(WorkflowError):
        workflow.submission_return(actor=people["approver"], submission=s, reason="  ")
    s = workflow.submission_return(actor=people["approver"], submission=s, reason="Kiểm tra lại mẫu số")
    assert s.status == "returned" and s.returned_reason == "Kiểm tra lại mẫu số"
    assert Notification.objects.filter(user=people["reporter"], text__contains="Kiểm tra lại mẫu số").exists()
    # the reporter fixes and resubmits; the approver sees what changed since the first submission
    value_save(
        actor=people["reporter"],
        indicator=selectors.submission_targets(s)[0].indicator,
        unit=s.unit,
        period=s.period,
        numerator=52,
        denominator=56,
        expected_version=1,
    )
    changed = [r for r in selectors.form_rows(s) if r.changed_since_submission]
    assert [r.target.text for r in changed] == ["Tỷ lệ hồ sơ trực tuyến"] and changed[0].before[
        "numerator"
    ] == "56"
    s = workflow.submission_submit(actor=people["reporter"], submission=s)
    s = workflow.submission_approve(actor=people["approver"], submission=s)
    assert s.status == "approved"
    with pytest.raises(WorkflowError):
        workflow.submission_reopen(actor=people["approver"], submission=s, reason="")
    s = workflow.submission_reopen(actor=people["approver"], submission=s, reason="Sai số liệu quý")
    assert s.status == "returned"
    actions = list(
        ChangeRecord.objects.filter(object_type="reporting.submission", object_id=str(s.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["submit", "return", "submit", "approve", "reopen"]


def test_approval_walks_up_two_levels(active_plan, tree, people, regime):
    regime.approval_levels = 2
    regime.save()
    Submission.objects.filter(plan=active_plan).delete()
    obligations.obligations_generate(actor=people["root"], plan=active_plan)
    s = sub(active_plan, tree["xa_a"])
    assert s.approval_path == [tree["dept"].pk, tree["prov"].pk]
    value_save(
        actor=people["xa_reporter"],
        indicator=selectors.submission_targets(s)[0].indicator,
        unit=s.unit,
        period=s.period,
        numerator=3,
        denominator=4,
    )
    s = workflow.submission_submit(actor=people["xa_reporter"], submission=s)
    s = workflow.submission_approve(actor=people["approver"], submission=s)  # the department approves first
    assert s.status == "submitted" and s.approver_unit == tree["prov"]
    with pytest.raises(NotAllowed):
        workflow.submission_approve(actor=people["approver"], submission=s)  # not the province's approver
    s = workflow.submission_approve(actor=people["admin"], submission=s)
    assert s.status == "approved"


def test_completeness_counts_on_time_late_missing_and_pending(active_plan, tree, people):
    for unit in (tree["dept"], tree["xa_a"], tree["xa_b"]):
        s = sub(active_plan, unit)
        if unit == tree["xa_b"]:
            continue  # never sent
        t = selectors.submission_targets(s)
        for target in t:
            kw = {"numerator": 1, "denominator": 2} if target.indicator.is_ratio else {"value": 2}
            value_save(actor=people["root"], indicator=target.indicator, unit=unit, period=s.period, **kw)
        workflow.submission_submit(actor=people["root"], submission=s)
    # the department sent on 10 March (on time), commune A on 20 March (late)
    tz = timezone.get_current_timezone()
    Submission.objects.filter(plan=active_plan, unit=tree["dept"], period="2024Q1").update(
        first_submitted_at=dt.datetime(2024, 3, 10, 9, tzinfo=tz)
    )
    Submission.objects.filter(plan=active_plan, unit=tree["xa_a"], period="2024Q1").update(
        first_submitted_at=dt.datetime(2024, 3, 20, 9, tzinfo=tz)
    )
    c = selectors.completeness(people["root"], tree["prov"], "2024Q1", today=dt.date(2024, 4, 1))
    assert (c.expected, c.received, c.on_time, c.late, c.missing, c.pending) == (3, 2, 1, 1, 1, 0)
    assert [s.unit.code for s in c.missing_units] == ["T1-XB"] and [s.unit.code for s in c.late_units] == [
        "T1-XA"
    ]
    early = selectors.completeness(people["root"], tree["prov"], "2024Q2", today=dt.date(2024, 4, 1))
    assert (early.expected, early.pending, early.missing) == (3, 3, 0)


def test_reporters_cannot_post_another_units_form(client, active_plan, tree, people):
    s = sub(active_plan, tree["xa_a"])
    t = selectors.submission_targets(s)[0]
    client.force_login(people["reporter"])  # the department's reporter, not the commune's
    r = client.post(
        reverse("reporting:submission", args=[s.pk]),
        {f"num_{t.pk}": "1", f"den_{t.pk}": "2", "action": "save"},
    )
    assert r.status_code == 403
    assert not DataValue.objects.exists()
    client.force_login(people["other_reporter"])  # another province: cannot even see it
    assert client.get(reverse("reporting:submission", args=[s.pk])).status_code == 403


def test_evidence_is_type_checked_and_served_only_to_allowed_readers(
    client, active_plan, tree, people, settings
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    s = sub(active_plan, tree["dept"])
    client.force_login(people["reporter"])
    url = reverse("reporting:evidence_upload", args=[s.pk])
    client.post(url, {"file": SimpleUploadedFile("bao-cao.exe", b"MZ\x90\x00"), "indicator": ""})
    client.post(url, {"file": SimpleUploadedFile("gia.pdf", b"<html>not a pdf</html>"), "indicator": ""})
    settings.CHITIEU_EVIDENCE_MAX_BYTES = 10
    client.post(url, {"file": SimpleUploadedFile("lon.pdf", b"%PDF-1.4 " + b"x" * 50), "indicator": ""})
    from chitieu.reporting.models import Evidence

    assert not Evidence.objects.exists()
    settings.CHITIEU_EVIDENCE_MAX_BYTES = 10_000
    client.post(url, {"file": SimpleUploadedFile("minh-chung.pdf", b"%PDF-1.4 real"), "indicator": ""})
    ev = Evidence.objects.get()
    r = client.get(reverse("reporting:evidence", args=[ev.pk]))
    assert r.status_code == 200 and r["Content-Disposition"].startswith("attachment")
    assert r["X-Content-Type-Options"] == "nosniff"
    client.force_login(people["other_reporter"])
    assert client.get(reverse("reporting:evidence", args=[ev.pk])).status_code == 403
    client.force_login(people["approver"])
    assert client.get(reverse("reporting:evidence", args=[ev.pk])).status_code == 200
