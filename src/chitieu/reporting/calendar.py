"""The working-day calendar from the Holiday table plus the shipped list."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from django.conf import settings

from chitieu.core.deadlines import WorkCalendar

_SHIPPED = Path(__file__).with_name("data") / "holidays_vn.json"


@lru_cache(maxsize=1)
def shipped_holidays() -> dict[str, str]:
    return json.loads(_SHIPPED.read_text(encoding="utf-8"))["holidays"]


def work_calendar() -> WorkCalendar:
    from chitieu.reporting.models import Holiday

    holidays = set(shipped_holidays())
    holidays.update(getattr(settings, "CHITIEU_EXTRA_HOLIDAYS", []))
    extra_working = set()
    for h in Holiday.objects.all():
        if h.working:
            extra_working.add(h.day.isoformat())
        else:
            holidays.add(h.day.isoformat())
    return WorkCalendar.from_dates(holidays, extra_working)
