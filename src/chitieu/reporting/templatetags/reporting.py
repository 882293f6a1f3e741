"""Reporting facts for other apps' pages (``{% load reporting %}``): a plan's reporting regime as the
plan page shows it, without the plans app importing reporting."""

from __future__ import annotations

from django import template
from django.conf import settings

register = template.Library()

_KINDS = {"month": "hằng tháng", "quarter": "quý", "half": "6 tháng", "nine": "9 tháng", "year": "năm"}


def _rule_text(rule: dict, kinds: list[str]) -> str:
    if rule.get("kind") == "explicit":
        parts = []
        names = {
            "Q1": "quý I",
            "Q2": "quý II",
            "Q3": "quý III",
            "Q4": "quý IV",
            "S1": "6 tháng",
            "N9": "9 tháng",
            "Y": "năm",
        }
        for tag, md in rule["dates"].items():
            mm, dd = md.split("-")
            parts.append(f"{names.get(tag, tag)} trước ngày {int(dd)}/{int(mm)}")
        return ", ".join(parts)
    if rule.get("kind") == "day_of_last_month":
        word = "trước ngày" if rule.get("exclusive", True) else "chậm nhất ngày"
        where = "hằng tháng" if kinds == ["month"] else "của tháng cuối kỳ"
        only = f" ({', '.join(rule['only'])})" if rule.get("only") else ""
        return f"{' , '.join(_KINDS.get(k, k) for k in kinds)}{only}: {word} {rule['day']} {where}".replace(
            " , ", ", "
        )
    if rule.get("kind") == "working_days_after_cutoff":
        return f"{rule.get('working_days')} ngày làm việc sau ngày chốt số liệu"
    return str(rule)


@register.simple_tag
def plan_schedule(plan) -> dict:
    from chitieu.reporting.chain import schedule_text, unit_name
    from chitieu.reporting.models import PlanSchedule

    sched = PlanSchedule.objects.filter(plan=plan).select_related("regime").first()
    regime = sched.regime if sched else None
    d = settings.CHITIEU_DEFAULT_REGIME
    default = _rule_text(d["deadline_rule"], list(d["period_kinds"]))
    if regime is None or not regime.steps:
        if regime is not None:
            return {
                "stated": True,
                "text": "",
                "steps": [
                    {
                        "text": f"{regime.name}: {_rule_text(regime.deadline_rule, list(regime.period_kinds))}",
                        "source_line": None,
                    }
                ],
            }
        return {"stated": False, "steps": [], "default": default, "text": ""}
    steps = []
    for k, step in enumerate(regime.steps):
        who = (
            "Các đơn vị báo cáo"
            if step.get("from") == "reporters"
            else (unit_name(step.get("from")) or step.get("from_text"))
        )
        to = unit_name(step.get("to")) or step.get("to_text") or "—"
        via = (
            f" (qua {unit_name(step.get('via')) or step.get('via_text')})"
            if step.get("via") or step.get("via_text")
            else ""
        )
        rules = "; ".join(_rule_text(r["rule"], r["kinds"]) for r in step.get("rules") or [])
        steps.append(
            {
                "text": f"{'Bước ' + str(k + 1) + ': ' if len(regime.steps) > 1 else ''}{who} → {to}{via}: {rules}",
                "source_line": step.get("source_line"),
            }
        )
    return {"stated": True, "steps": steps, "default": default, "text": schedule_text(plan)}
