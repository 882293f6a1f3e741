"""Figures for other apps' pages, read from the derived tables: ``{% load analytics %}``.

A plan page (plans app) shows each target's latest evaluated figure without the plans app importing
analytics: the template asks this library."""

from __future__ import annotations

from django import template

register = template.Library()


@register.simple_tag
def plan_target_lines(plan):
    """{target id: line} — line.period, line.measurement, line.status, line.units."""
    from chitieu.analytics.selectors import plan_lines_by_target

    return plan_lines_by_target(plan)
