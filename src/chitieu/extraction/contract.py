"""The public JSON contract of ``chitieu extract`` (extract-schema.json) and a plain-table view."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

SCHEMA_PATH = Path(__file__).with_name("extract-schema.json")


@lru_cache(maxsize=1)
def schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def validate(data: dict) -> None:
    """Raise jsonschema.ValidationError when ``data`` breaks the contract."""
    import jsonschema

    jsonschema.validate(data, schema())


def as_table(d: dict) -> str:
    out = [
        f"Loại (kind):        {d['kind']}",
        f"Cơ quan ban hành:   {d['issuer'] or '—'}",
        f"Số, ký hiệu:        {d['number_symbol'] or '—'}",
        f"Địa danh, ngày:     {d['place'] or '—'}, {d['date'] or '—'}",
        f"Trích yếu:          {d['title'] or '—'}",
        "",
        f"Căn cứ / thực hiện ({len(d['parents'])}):",
    ]
    out += [f"  - {p['number_symbol']}  {p['date'] or ''}  {p['issuer'] or ''}" for p in d["parents"]]
    out += ["", f"Chỉ tiêu ({len(d['targets'])}):"]
    for t in d["targets"]:
        unit = "%" if t["unit"] == "%" else (" (số lượng)" if t["unit"] == "count" else "")
        extra = ", ".join(
            x
            for x in [
                t["scope"],
                t["lead_unit"] and f"chủ trì: {t['lead_unit']}",
                t["monitoring_unit"] and f"theo dõi: {t['monitoring_unit']}",
                t["indicator_code"] and f"[{t['indicator_code']}]",
            ]
            if x
        )
        out.append(
            f"  {t['source_line'] or '':>4} {t['operator']:>2} {t['value']}{unit}  {t['text']}"
            + (f"  ({extra})" if extra else "")
        )
    out += ["", f"Nhiệm vụ ({len(d['tasks'])}):"]
    for t in d["tasks"]:
        when = t["deadline"] or t["recurring"] or "—"
        out.append(
            f"  {t['source_line'] or '':>4} [{when}] {t['text'][:110]}"
            + (f"  — {t['lead_unit']}" if t["lead_unit"] else "")
        )
    if d["results"]:
        out += ["", f"Kết quả ({len(d['results'])}):"]
        for r in d["results"]:
            frac = (
                f"{r['numerator']}/{r['denominator']}"
                if r["denominator"] is not None
                else f"{r['numerator']}"
            )
            pct = f" = {r['stated_percent']}%" if r["stated_percent"] is not None else ""
            flag = "" if r["consistent"] else "  ✗ không khớp"
            out.append(f"  {r['source_line'] or '':>4} {frac}{pct}  {r['indicator'][:90]}{flag}")
    if d["findings"]:
        out += ["", f"Phát hiện ({len(d['findings'])}):"]
        out += [f"  {f['source_line'] or '':>4} [{f['code']}] {f['message']}" for f in d["findings"]]
    return "\n".join(out)
