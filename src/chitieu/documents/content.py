"""What a report says, gathered from plans, values, tasks and submissions (no rendering here).

:func:`unit_content` is a unit's periodic report; :func:`aggregate_content` is the report of a
province (or any unit) over every unit that reports to its plans, with a per-unit table.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import asdict, dataclass, field

from django.db.models import Q

from chitieu.core import numbers, phrasing, vntext
from chitieu.core.errors import Invalid
from chitieu.core.evaluation import Measurement, Status, aggregate, evaluate
from chitieu.core.periods import Period
from chitieu.orgs.models import Unit, UnitKind
from chitieu.plans.models import Plan, Target, Task
from chitieu.plans.selectors import scope_root, target_spec, target_units
from chitieu.reporting.models import DataValue, Submission, SubmissionStatus, TaskReport

NARRATIVE_KEYS = ("difficulties", "proposals", "next_priorities")
NARRATIVE_HEADINGS = {
    "difficulties": "KHÓ KHĂN, VƯỚNG MẮC",
    "proposals": "KIẾN NGHỊ, ĐỀ XUẤT",
    "next_priorities": "NHIỆM VỤ TRỌNG TÂM KỲ TỚI",
}
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]


class ReportError(Invalid):
    """A report cannot be made as asked; the message is Vietnamese and names what is missing."""


@dataclass
class Section:
    heading: str
    paragraphs: list[str] = field(default_factory=list)


@dataclass
class Content:
    parent_body: str
    agency: str
    number_line: str
    date_line: str
    kind_title: str
    title: str
    sections: list[Section]
    signer_lines: list[str]
    signer_name: str
    recipients: list[str]
    unit_rows: list[dict] = field(default_factory=list)
    target_rows: list[dict] = field(default_factory=list)
    figures: dict = field(default_factory=dict)

    def context(self) -> dict:
        """The docxtpl context (plain data)."""
        return asdict(self)


# --- header parts -------------------------------------------------------------------------------
_TERRITORIAL = {UnitKind.PROVINCE, UnitKind.COMMUNE, UnitKind.DISTRICT, UnitKind.NATION}


def _upper(text: str) -> str:
    return vntext.nfc(text).upper()


def parent_body(unit: Unit) -> str:
    """The superior body printed above the agency ("UBND TỈNH BẮC NINH" above a department)."""
    if unit.kind in _TERRITORIAL or unit.parent_id is None:
        return ""
    parent = unit.parent
    if parent.kind == UnitKind.PROVINCE:
        return _upper(
            f"Ủy ban nhân dân {parent.name.replace('Tỉnh ', 'tỉnh ').replace('Thành phố ', 'thành phố ')}"
        )
    if parent.kind == UnitKind.COMMUNE:
        return _upper(f"Ủy ban nhân dân {parent.name}")
    return _upper(parent.name)


def agency_name(unit: Unit) -> str:
    if unit.kind == UnitKind.COMMUNE:
        return _upper(f"Ủy ban nhân dân {unit.name}")
    return _upper(unit.name)


def agency_abbr(unit: Unit) -> str:
    if unit.abbreviation:
        return unit.abbreviation
    if unit.kind == UnitKind.COMMUNE:
        return "UBND"
    words = [w for w in vntext.nfc(unit.display_name).split() if w[:1].isalpha()]
    return "".join(w[0].upper() for w in words)[:10] or "VP"


def default_signer(unit: Unit) -> list[str]:
    return {
        UnitKind.DEPARTMENT: ["GIÁM ĐỐC"],
        UnitKind.COMMUNE: ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"],
        UnitKind.PROVINCE: ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"],
        UnitKind.BOARD: ["TM. BAN CHỈ ĐẠO", "TRƯỞNG BAN"],
        UnitKind.OFFICE: ["TRƯỞNG PHÒNG"],
    }.get(unit.kind, ["THỦ TRƯỞNG ĐƠN VỊ"])


def default_place(unit: Unit) -> str:
    root = scope_root(unit) if unit.kind not in _TERRITORIAL else unit
    prov = root if root.kind == UnitKind.PROVINCE else (root.parent if root.parent_id else root)
    name = prov.short_name or prov.name
    for prefix in ("Tỉnh ", "Thành phố ", "TP. "):
        if name.startswith(prefix):
            name = name[len(prefix) :]
    return name


def topic(plans: list[Plan]) -> str:
    keys = " ".join(vntext.fold(p.title) for p in plans)
    cds, cchc = "chuyen doi so" in keys, "cai cach hanh chinh" in keys
    if cds and cchc:
        return "nhiệm vụ chuyển đổi số, cải cách hành chính"
    if cds:
        return "nhiệm vụ chuyển đổi số"
    if cchc:
        return "nhiệm vụ cải cách hành chính"
    return "kế hoạch"


def default_title(plans: list[Plan], period: Period) -> str:
    return f"Kết quả thực hiện {topic(plans)} {period.label_vi}"


def _plan_ref(p: Plan) -> str:
    number = f"số {p.number_symbol}" if p.number_symbol and p.number_symbol[:1].isdigit() else ""
    when = f"ngày {phrasing.date_vi(p.issued_on)}" if p.issued_on else ""
    who = p.issuer_name or (p.issuer.name if p.issuer else "")
    parts = [
        x
        for x in (
            f"{p.get_doc_kind_display()} {number}".strip(),
            when,
            f"của {phrasing.in_sentence(who)}" if who else "",
        )
        if x
    ]
    return " ".join(parts) + f" về {p.title[:1].lower()}{p.title[1:]}"


# --- a unit's report ---------------------------------------------------------------------------
def _value_map(unit: Unit, period: str) -> dict[int, DataValue]:
    return {dv.indicator_id: dv for dv in DataValue.objects.filter(unit=unit, period=period)}


def _measure(dv: DataValue | None) -> Measurement:
    return Measurement(dv.numerator, dv.denominator, dv.value) if dv else Measurement()


def _submissions(unit: Unit, period: str):
    return list(
        Submission.objects.filter(unit=unit, period=period)
        .select_related("plan__issuer", "approver_unit")
        .order_by("plan__issued_on", "plan_id")
    )


def _task_lines(unit: Unit, plans: list[Plan], period: Period, today: dt.date) -> list[str]:
    tasks = (
        Task.objects.filter(plan__in=plans)
        .filter(Q(lead_unit__path__startswith=unit.path))
        .select_related("lead_unit")
        .order_by("plan_id", "position")
    )
    reports = {
        (r.task_id, r.period): r
        for r in TaskReport.objects.filter(task__in=tasks, unit__path__startswith=unit.path)
    }
    groups: dict[str, list[str]] = {"done": [], "in_progress": [], "not_started": []}
    for t in tasks:
        r = reports.get((t.pk, period.id)) or reports.get((t.pk, ""))
        status = r.status if r else "not_started"
        line = phrasing.one_line(t.text).rstrip(".;")
        if r and r.output:
            line += f" (sản phẩm: {phrasing.one_line(r.output).rstrip('.;')})"
        if status != "done" and t.deadline and t.deadline < today:
            line += f" — quá hạn ({phrasing.date_vi(t.deadline)})"
        groups[status].append(line)
    out = []
    labels = {"done": "Đã hoàn thành", "in_progress": "Đang thực hiện", "not_started": "Chưa thực hiện"}
    for key, label in labels.items():
        if groups[key]:
            out.append(f"{label} ({len(groups[key])} nhiệm vụ):")
            out.extend(f"- {x};" for x in groups[key][:-1])
            out.append(f"- {groups[key][-1]}.")
    return out or ["Trong kỳ không có nhiệm vụ nào do đơn vị chủ trì."]


def _narrative_sections(narrative: dict, start: int) -> list[Section]:
    out = []
    for i, key in enumerate(NARRATIVE_KEYS):
        text = (narrative.get(key) or "").strip()
        paras = [phrasing.one_line(p) for p in text.splitlines() if p.strip()] or ["Không có."]
        out.append(Section(f"{ROMAN[start + i]}. {NARRATIVE_HEADINGS[key]}", paras))
    return out


def narrative_from_submissions(subs: list[Submission]) -> dict:
    out = {}
    for key in NARRATIVE_KEYS:
        parts = []
        for s in subs:
            text = (getattr(s, key) or "").strip()
            if text and text not in parts:
                parts.append(text)
        out[key] = "\n".join(parts)
    return out


def unit_content(
    unit: Unit,
    period: Period,
    *,
    today: dt.date,
    number: int | None = None,
    place: str = "",
    title: str = "",
    signer_lines: list[str] | None = None,
    signer_name: str = "",
    recipients: list[str] | None = None,
    narrative: dict | None = None,
) -> Content:
    subs = _submissions(unit, period.id)
    if not subs:
        raise ReportError(
            f"{unit.name} không có báo cáo nào phải gửi {phrasing.lower_first(period.label_vi)}."
        )
    plans = [s.plan for s in subs]
    values = _value_map(unit, period.id)
    sub0 = subs[0]
    intro = (
        "Thực hiện "
        + "; ".join(_plan_ref(p) for p in plans)
        + f", {phrasing.in_sentence(unit.name)} báo cáo kết quả thực hiện {phrasing.lower_first(period.label_vi)} như sau:"
    )
    window = ""
    if sub0.window_start and sub0.window_end:
        window = (
            f"Số liệu trong báo cáo tính từ ngày {phrasing.date_vi(sub0.window_start)} "
            f"đến ngày {phrasing.date_vi(sub0.window_end)}."
        )
    target_lines, target_rows, figures = [], [], {"targets": []}
    n = 0
    seen: set[int] = set()
    from chitieu.reporting.selectors import submission_targets

    for s in subs:
        targets = [t for t in submission_targets(s) if t.pk not in seen]
        if len(subs) > 1 and targets:
            ref = f"số {s.plan.number_symbol}" if s.plan.number_symbol[:1].isdigit() else f"“{s.plan.title}”"
            target_lines.append(f"Các chỉ tiêu theo {s.plan.get_doc_kind_display()} {ref}:")
        for t in targets:
            seen.add(t.pk)
            n += 1
            dv = values.get(t.indicator_id) if t.indicator_id else None
            m = _measure(dv)
            status = evaluate(target_spec(t), m)
            unit_word = t.indicator.measure_unit if t.indicator_id else ""
            target_lines.append(
                f"{n}. " + phrasing.result_sentence(t.text, target_spec(t), m, status, measure_unit=unit_word)
            )
            target_rows.append(_target_row(n, s.plan, t, m, status, 1 if m.has_data else 0, 1))
            figures["targets"].append(
                {
                    "target": t.pk,
                    "indicator": t.indicator.code if t.indicator_id else None,
                    "data_value": dv.pk if dv else None,
                    "version": dv.version if dv else None,
                    "numerator": _s(m.numerator),
                    "denominator": _s(m.denominator),
                    "value": _s(m.value),
                    "status": status.value,
                }
            )
    dossier = _dossier_lines(unit, period, values, sub0)
    sections = [
        Section("", [intro] + ([window] if window else [])),
        Section("I. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU", target_lines or ["Kỳ này không có chỉ tiêu nào."]),
        Section("II. TÌNH HÌNH THỰC HIỆN NHIỆM VỤ", _task_lines(unit, plans, period, today)),
        Section("III. SỐ LIỆU HỒ SƠ THỦ TỤC HÀNH CHÍNH TRONG KỲ", dossier),
        *_narrative_sections(narrative if narrative is not None else narrative_from_submissions(subs), 3),
    ]
    approvers: list[str] = []
    ids = [uid for s in subs for uid in (*(s.approval_path or []), s.plan.issuer_id) if uid]
    names = {u.pk: u for u in Unit.objects.filter(pk__in=ids)}
    for uid in ids:
        u = names.get(uid)
        if u is not None and not u.path.startswith(unit.path) and u.name not in approvers:
            approvers.append(u.name)
    abbr = agency_abbr(unit)
    default_recipients = [f"- {name} (báo cáo);" for name in approvers] + [f"- Lưu: VT, {abbr}."]
    return Content(
        parent_body=parent_body(unit),
        agency=agency_name(unit),
        number_line="Số: " + phrasing.number_symbol(number, "BC", abbr),
        date_line=phrasing.date_line(place or default_place(unit), today),
        kind_title="BÁO CÁO",
        title=title or default_title(plans, period),
        sections=sections,
        signer_lines=signer_lines or default_signer(unit),
        signer_name=signer_name,
        recipients=recipients or default_recipients,
        target_rows=target_rows,
        figures=figures,
    )


def _s(d) -> str | None:
    return numbers.plain(d)


def _target_row(
    n: int, plan: Plan, t: Target, m: Measurement, status: Status, reporting: int, total: int
) -> dict:
    rate = m.rate if m.is_ratio else None
    return {
        "stt": n,
        "plan": plan.number_symbol or plan.title[:60],
        "target": t.text,
        "goal": target_spec(t).describe_vi(),
        "numerator": m.numerator,
        "denominator": m.denominator,
        "value": m.value,
        "rate": rate,
        "rate_text": f"{phrasing.pct(m.numerator, m.denominator)}%" if rate is not None else "",
        "result": _short_result(m),
        "status": phrasing.STATUS_WORDS.get(status, ""),
        "reporting": f"{reporting}/{total}",
    }


def _short_result(m: Measurement) -> str:
    from chitieu.core import numbers

    if not m.has_data:
        return "chưa có số liệu"
    if m.is_ratio:
        frac = f"{numbers.format_vi(m.numerator, 2)}/{numbers.format_vi(m.denominator, 2)}"
        return f"{frac} ({phrasing.pct(m.numerator, m.denominator)}%)" if m.denominator else f"{frac}"
    return numbers.format_vi(m.value, 2)


def _dossier_lines(unit: Unit, period: Period, values: dict[int, DataValue], sub0: Submission) -> list[str]:
    """Dossier figures of the period's data window: from the one-stop-shop records when they are
    imported (computed values), else from the values reported for dossier indicators."""
    from chitieu.indicators.models import Indicator

    lines = []
    computed = Indicator.objects.filter(pk__in=list(values), source="computed").order_by("code")
    for ind in computed:
        dv = values[ind.pk]
        m = _measure(dv)
        if not m.has_data:
            continue
        if m.is_ratio:
            noun = phrasing.guess_noun(ind.name)
            frac = f"{_short_result(m)}".replace(" (", f" {noun} (" if noun else " (", 1)
            lines.append(f"- {ind.name}: {frac};")
        else:
            lines.append(f"- {ind.name}: {_short_result(m)};")
    if not lines:
        return ["Chưa có số liệu hồ sơ của kỳ này."]
    if lines:
        lines[-1] = lines[-1].rstrip(";") + "."
    return lines


# --- the aggregate report ------------------------------------------------------------------------
def aggregate_content(
    root: Unit,
    period: Period,
    *,
    today: dt.date,
    user=None,
    number: int | None = None,
    place: str = "",
    title: str = "",
    signer_lines: list[str] | None = None,
    signer_name: str = "",
    recipients: list[str] | None = None,
    narrative: dict | None = None,
) -> Content:
    """A province's (or any unit's) report over every unit reporting to the plans it issued."""
    territory = scope_root(root)
    plans = list(
        Plan.objects.filter(issuer__path__startswith=territory.path, submissions__period=period.id)
        .exclude(status="draft")
        .distinct()
        .select_related("issuer")
        .order_by("issued_on", "id")
    )
    if not plans:
        raise ReportError(
            f"Không có kế hoạch nào của {phrasing.in_sentence(territory.name)} có báo cáo {phrasing.lower_first(period.label_vi)}."
        )
    subs = list(
        Submission.objects.filter(plan__in=plans, period=period.id)
        .select_related("unit", "plan")
        .order_by("unit__path")
    )
    unit_ids = {s.unit_id for s in subs}
    values: dict[tuple[int, int], DataValue] = {
        (dv.indicator_id, dv.unit_id): dv
        for dv in DataValue.objects.filter(period=period.id, unit_id__in=unit_ids)
    }
    target_lines, target_rows, figures = [], [], {"targets": [], "units": []}
    per_unit: dict[int, Counter] = {}
    n = 0
    for plan in plans:
        for t in plan.targets.select_related("indicator", "plan__issuer", "lead_unit").prefetch_related(
            "assignees"
        ):
            if t.indicator_id is None:
                continue
            units = target_units(t)
            ms = []
            for u in units:
                m = _measure(values.get((t.indicator_id, u.pk)))
                ms.append(m)
                c = per_unit.setdefault(u.pk, Counter())
                c["assigned"] += 1
                if evaluate(target_spec(t), m) is Status.MET:
                    c["met"] += 1
            total = aggregate(ms)
            status = evaluate(target_spec(t), total)
            reporting = sum(1 for m in ms if m.has_data)
            n += 1
            sentence = phrasing.result_sentence(
                t.text, target_spec(t), total, status, measure_unit=t.indicator.measure_unit
            )
            target_lines.append(f"{n}. {sentence[:-1]} ({reporting}/{len(units)} đơn vị có số liệu).")
            target_rows.append(_target_row(n, plan, t, total, status, reporting, len(units)))
            figures["targets"].append(
                {
                    "target": t.pk,
                    "numerator": _s(total.numerator),
                    "denominator": _s(total.denominator),
                    "value": _s(total.value),
                    "status": status.value,
                    "units": len(units),
                    "reporting": reporting,
                }
            )
    sent = {SubmissionStatus.SUBMITTED, SubmissionStatus.APPROVED}
    by_unit: dict[int, list[Submission]] = {}
    for s in subs:
        by_unit.setdefault(s.unit_id, []).append(s)
    unit_rows = []
    received = on_time = late = missing = 0
    names = {u.pk: u for u in Unit.objects.filter(pk__in=unit_ids)}
    for uid, ss in sorted(by_unit.items(), key=lambda kv: names[kv[0]].path):
        u = names[uid]
        state = "Chưa gửi"
        done = [s for s in ss if s.status in sent or s.first_submitted_at]
        if done and len(done) == len(ss):
            received += 1
            from django.utils import timezone

            late_ones = [
                s for s in done if timezone.localtime(s.first_submitted_at).date() > s.last_on_time_day
            ]
            if late_ones:
                late += 1
                state = "Gửi muộn"
            else:
                on_time += 1
                state = "Đúng hạn"
        elif all(today <= s.last_on_time_day for s in ss):
            state = "Chưa đến hạn"
        else:
            missing += 1
        c = per_unit.get(uid, Counter())
        unit_rows.append(
            {
                "stt": len(unit_rows) + 1,
                "unit": u.name,
                "met": c["met"],
                "assigned": c["assigned"],
                "met_text": f"{c['met']}/{c['assigned']}",
                "report": state,
            }
        )
        figures["units"].append({"unit": uid, "met": c["met"], "assigned": c["assigned"], "report": state})
    expected = len(by_unit)
    completeness = [
        f"Có {expected} đơn vị phải báo cáo; đã nhận {received} báo cáo "
        f"({on_time} đúng hạn, {late} muộn); {missing} đơn vị chưa gửi khi đã quá hạn.",
    ]
    missing_names = [r["unit"] for r in unit_rows if r["report"] == "Chưa gửi"]
    if missing_names:
        completeness.append(
            "Các đơn vị chưa gửi: "
            + ", ".join(missing_names[:40])
            + ("..." if len(missing_names) > 40 else ".")
        )
    intro = (
        "Thực hiện "
        + "; ".join(_plan_ref(p) for p in plans)
        + f", {phrasing.in_sentence(root.name)} tổng hợp kết quả thực hiện {phrasing.lower_first(period.label_vi)} của các đơn vị như sau:"
    )
    sections = [
        Section("", [intro]),
        Section(
            "I. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU (TỔNG HỢP)", target_lines or ["Kỳ này không có chỉ tiêu nào."]
        ),
        Section(
            "II. TÌNH HÌNH BÁO CÁO CỦA CÁC ĐƠN VỊ", completeness + ["Chi tiết từng đơn vị tại bảng dưới đây."]
        ),
        *_narrative_sections(narrative or {}, 2),
    ]
    abbr = agency_abbr(root)
    parent_name = root.parent.name if root.parent_id else ""
    default_recipients = ([f"- {parent_name} (báo cáo);"] if parent_name else []) + [f"- Lưu: VT, {abbr}."]
    return Content(
        parent_body=parent_body(root),
        agency=agency_name(root),
        number_line="Số: " + phrasing.number_symbol(number, "BC", abbr),
        date_line=phrasing.date_line(place or default_place(root), today),
        kind_title="BÁO CÁO",
        title=title or f"Tổng hợp kết quả thực hiện {topic(plans)} {period.label_vi}",
        sections=sections,
        signer_lines=signer_lines or default_signer(root),
        signer_name=signer_name,
        recipients=recipients or default_recipients,
        unit_rows=unit_rows,
        target_rows=target_rows,
        figures=figures,
    )
