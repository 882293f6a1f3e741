"""Tasks: one actionable item each - a numbered or bulleted item (or a paragraph) under a tasks or
solutions section, or a row of a task table - with its lead and coordinating units and deadline.

A task's lead unit comes from its own line ("(Đơn vị thực hiện: ...)", "Văn phòng Sở triển khai ..."),
else from the nearest assignment that governs it: a "+ Đơn vị chủ trì: ..." line closing a group of
bullets, or a heading that names the unit ("1. Trưởng phòng Văn hóa và Thông tin").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from chitieu.core import vntext
from chitieu.extraction import sections, units
from chitieu.extraction.blocks import Block
from chitieu.extraction.timing import find_time_phrase, parse_deadline


@dataclass
class TaskItem:
    text: str
    lead_unit: str | None = None
    coordinating_units: list[str] = field(default_factory=list)
    deadline_phrase: str | None = None
    deadline: str | None = None
    recurring: str | None = None
    source_line: int | None = None
    expected_output: str | None = None
    origin: str = "body"
    block: Block | None = field(default=None, repr=False)
    explicit_lead: bool = False
    explicit_time: bool = False


_ASSIGN = re.compile(
    r"^(?:\+\s*)?(?P<key>(?:đơn vị|cơ quan|phòng|bộ phận)?\s*(?:chủ trì(?:\s+tham mưu)?(?:\s+thực hiện)?|"
    r"(?:chủ trì\s+)?thực hiện|tham mưu thực hiện)|(?:đơn vị|cơ quan)?\s*phối hợp(?:\s+thực hiện)?|"
    r"thời gian(?:\s+thực hiện|\s+hoàn thành)?|thời hạn(?:\s+hoàn thành)?|tiến độ(?:\s+thực hiện)?|"
    r"nhiệm vụ|kết quả(?:/sản phẩm)?|sản phẩm(?:\s+đầu ra)?)\s*:\s*(?P<val>.*)$",
    re.I,
)
_INLINE = re.compile(
    r"\(\s*(?P<key>đơn vị\s+(?:chủ trì|thực hiện)|chủ trì|thời gian(?:\s+thực hiện)?)\s*:\s*(?P<val>[^()]+)\)",
    re.I,
)
_SKIP_PARA = re.compile(
    r"^(?:trên đây|nơi nhận|\(?\s*chi tiết|nhiệm vụ cụ thể .* (?:theo|tại) phụ lục|trong quá trình (?:tổ chức )?thực hiện|"
    r"kèm theo|\(kèm theo)",
    re.I,
)


def _split_units(text: str) -> list[str]:
    text = text.strip(" .;:")
    if not text:
        return []
    return [p.strip(" .") for p in re.split(r";\s*", text) if p.strip(" .")]


def _assignment(text: str) -> tuple[str, str] | None:
    m = _ASSIGN.match(text.strip().lstrip("-+ ").strip())
    if not m:
        return None
    key = vntext.fold(m.group("key"))
    val = m.group("val").strip().rstrip(".").strip()
    if key.startswith(("thoi gian", "thoi han", "tien do")):
        return "time", val
    if "phoi hop" in key:
        return "coord", val
    if key.startswith("nhiem vu"):
        return "task", val
    if key.startswith(("ket qua", "san pham")):
        return "output", val
    return "lead", val


def _apply(task: TaskItem, kind: str, val: str, *, explicit: bool = True) -> None:
    if kind == "lead" and (explicit or not task.lead_unit):
        lead = re.sub(r"(?i)\s*chủ trì\s*;.*$", "", val).strip(" .;")
        task.lead_unit = lead or None
        task.explicit_lead = explicit
    elif kind == "coord":
        task.coordinating_units = _split_units(val)
    elif kind == "time" and (explicit or not task.deadline_phrase):
        task.deadline_phrase = val.strip(" .") or None
        task.deadline, task.recurring = parse_deadline(val)
        task.explicit_time = explicit
    elif kind == "output":
        task.expected_output = val


def _clean_text(text: str) -> str:
    t = _INLINE.sub("", text)
    t = re.sub(r"\s+", " ", t).strip()
    return t.rstrip(" ;,.") if not t.endswith("...") else t


_PERIODIC = re.compile(
    r"(?i)quý\s+I\s+trước\s+(?:ngày\s+)?\d{1,2}/\d{1,2}[^.;]*?năm\s+trước\s+(?:ngày\s+)?\d{1,2}/\d{1,2}"
)


def _time_from_text(task: TaskItem, text: str) -> None:
    if task.deadline_phrase:
        return
    m = _PERIODIC.search(text)
    if m:
        # "quý I trước ngày 13/3, 6 tháng trước 13/6, ... năm trước ngày 08/11": periodic reports
        task.deadline_phrase, task.deadline, task.recurring = m.group(0), None, "quarterly"
        return
    tp = find_time_phrase(text)
    if tp:
        phrase = tp[0].strip()
        task.deadline_phrase = phrase
        task.deadline, task.recurring = parse_deadline(phrase)


def _governing_lead(block: Block) -> str | None:
    """A heading above the block that names a unit ("1. Trưởng phòng Văn hóa và Thông tin")."""
    for a in block.ancestors():
        if a.kind != "heading" or a.label_kind == "roman":
            continue
        t = a.text.strip()
        if units.is_unit_name(t, heading=True) and not t.endswith((".", ";")):
            return t.strip(" :.")
        lu = units.leading_unit(t) if len(t) > 40 else None
        if lu:
            return lu
    return None


def extract(blocks: list[Block], *, report: bool = False) -> list[TaskItem]:
    tasks: list[TaskItem] = []
    group: list[TaskItem] = []  # tasks waiting for a closing "+ Đơn vị chủ trì" block
    group_closed = False
    intro_lead: tuple[Block | None, str | None] = (None, None)
    last_heading: Block | None = None
    for b in blocks:
        if b.kind == "title":
            group, group_closed, intro_lead = [], False, (None, None)
            continue
        if b.kind in ("row", "footnote"):
            continue
        if b.kind == "heading":
            if group_closed or b is not last_heading:
                group = []
            group_closed = False
            last_heading = b
            intro_lead = (None, None)
            # a long action sentence with children is a task too ("1. Căn cứ Kế hoạch này, ...;")
            if sections.section_of(b, report=report) == sections.TASK and _is_action_heading(b):
                t = _new_task(b, report)
                if t:
                    tasks.append(t)
            continue
        sec = sections.section_of(b, report=report)
        if sec != sections.TASK:
            continue
        text = b.text.strip()
        a = _assignment(text)
        if a is not None:
            kind, val = a
            if kind == "task":
                t = TaskItem(text=_clean_text(val), source_line=b.source, block=b)
                tasks.append(t)
                if group_closed:
                    group, group_closed = [], False
                group.append(t)
                continue
            targets = group or (tasks[-1:] if tasks and tasks[-1].block is not None else [])
            for t in targets:
                _apply(t, kind, val)
            group_closed = True
            continue
        if group_closed:
            group, group_closed = [], False
        if b.kind == "para" and (text.endswith(":") or _SKIP_PARA.match(text)):
            if text.endswith(":"):
                intro_lead = (b.parent, units.leading_unit(text))
            continue
        if b.kind == "item" and (units.is_unit_name(text) or _SKIP_PARA.match(text)):
            continue
        if b.kind == "item" and text.endswith(":") and len(text) < 80:
            continue
        t = _new_task(b, report)
        if t is None:
            continue
        if not t.lead_unit and intro_lead[1] and intro_lead[0] is b.parent:
            t.lead_unit = intro_lead[1]
        tasks.append(t)
        group.append(t)
    return tasks


def _is_action_heading(b: Block) -> bool:
    t = b.text.strip()
    if units.is_unit_name(t, heading=True) and not t.endswith((".", ";")):
        return False
    return (t.endswith(";") and len(t) > 60) or (t.endswith(".") and len(t) > 120)


_INLINE_TIME = re.compile(
    r"(?i)[.;,]?\s*(?:thời hạn|thời gian(?: thực hiện| hoàn thành)?|tiến độ)\s*:\s*(?P<val>[^;]+?)\s*\.?\s*$"
)
_INLINE_LEAD = re.compile(
    r"(?i)[.;,]\s*(?:đơn vị|cơ quan)\s+(?:chủ trì|thực hiện)\s*:\s*(?P<val>[^.;]+)[.;]?"
)


def _new_task(b: Block, report: bool) -> TaskItem | None:
    raw = b.text.strip()
    if len(raw) < 12:
        return None
    inline_time = _INLINE_TIME.search(raw)
    if inline_time and inline_time.start() > 10:
        raw = raw[: inline_time.start()].strip()
    inline_lead = _INLINE_LEAD.search(raw)
    if inline_lead and inline_lead.start() > 10:
        raw = (raw[: inline_lead.start()] + raw[inline_lead.end() :]).strip()
    t = TaskItem(text=_clean_text(raw), source_line=b.source, block=b)
    if inline_time and inline_time.start() > 0:
        _apply(t, "time", inline_time.group("val"))
    if inline_lead and inline_lead.start() > 10:
        _apply(t, "lead", inline_lead.group("val"))
    for m in _INLINE.finditer(raw):
        key = vntext.fold(m.group("key"))
        _apply(t, "time" if key.startswith("thoi gian") else "lead", m.group("val"))
    if not t.lead_unit:
        lu = units.leading_unit(raw)
        if lu:
            t.lead_unit = lu
    if not t.lead_unit:
        t.lead_unit = _governing_lead(b)
    _time_from_text(t, raw)
    return t


# --- task tables -------------------------------------------------------------------------------------
def column_roles(header: list[str]) -> dict[str, int]:
    roles: dict[str, int] = {}
    for i, h in enumerate(header):
        f = vntext.fold(h)
        if not f:
            continue
        if re.fullmatch(r"(?:so\s*)?s?\s*t\s*t|stt|tt", f.replace(" ", "")) or f in (
            "stt",
            "tt",
            "t t",
            "so tt",
        ):
            roles.setdefault("stt", i)
        elif "theo doi" in f or "don doc" in f:
            roles.setdefault("monitoring", i)
        elif "chu tri" in f:
            roles.setdefault("lead", i)
        elif "phoi hop" in f:
            roles.setdefault("coord", i)
        elif re.search(r"thoi gian|thoi han|tien do", f):
            roles.setdefault("deadline", i)
        elif re.search(r"kinh phi|ngan sach|von |von$|trieu dong", f):
            roles.setdefault(f"budget{i}", i)
        elif re.search(r"nhiem vu|hoat dong|ten du an|hang muc|cong viec", f):
            roles.setdefault("task", i)
        elif re.search(r"chi tieu|muc tieu", f):
            roles.setdefault("target", i)
        elif re.search(r"ket qua|san pham", f):
            roles.setdefault("output", i)
        elif re.search(r"noi dung", f):
            roles.setdefault("content", i)
        elif re.search(r"ghi chu", f):
            roles.setdefault("note", i)
    if "target" not in roles and "task" not in roles and "content" in roles:
        roles["target"] = roles["content"]
    return roles


def tables(blocks: list[Block]) -> list[tuple[list[str], list[Block]]]:
    """(header cells, data rows) for every table; repeated header rows are dropped."""
    out: dict[int, tuple[list[str], list[Block]]] = {}
    for b in blocks:
        if b.kind != "row":
            continue
        if b.table not in out:
            out[b.table] = (b.cells, [])
            continue
        header = out[b.table][0]
        if [vntext.fold(c) for c in b.cells] == [vntext.fold(c) for c in header]:
            continue
        out[b.table][1].append(b)
    return list(out.values())


def _cell(row: Block, roles: dict[str, int], key: str) -> str:
    i = roles.get(key)
    if i is None or i >= len(row.cells):
        return ""
    return row.cells[i].strip()


def table_tasks(blocks: list[Block]) -> list[TaskItem]:
    out: list[TaskItem] = []
    for header, rows in tables(blocks):
        roles = column_roles(header)
        if "task" not in roles:
            continue
        group_lead = group_coord = ""
        for r in rows:
            stt = _cell(r, roles, "stt")
            task_text = _cell(r, roles, "task")
            lead = _cell(r, roles, "lead")
            coord = _cell(r, roles, "coord")
            if re.fullmatch(r"[IVX]+", stt):
                group_lead, group_coord = lead, coord
                continue  # a group row: its text names the group, it is not a task
            if not task_text:
                continue
            t = TaskItem(text=_clean_text(task_text), source_line=r.source, origin="table", block=r)
            t.lead_unit = (lead or group_lead or "").strip(" .") or None
            coords = coord or group_coord
            t.coordinating_units = _split_units(coords) if coords else []
            dl = _cell(r, roles, "deadline")
            if dl:
                _apply(t, "time", dl)
            output = _cell(r, roles, "output")
            if output:
                t.expected_output = output
            out.append(t)
    return out
