"""The nightly job (Django 6 tasks, database backend from django-tasks-db): reminders, then every
target re-evaluated, since "at risk" depends on today's date."""

from __future__ import annotations

import datetime as dt

from django.tasks import task
from django.utils import timezone


@task()
def daily_reminders() -> dict:
    """Send today's reminders, re-evaluate every target ("at risk" depends on today's date),
    then schedule tomorrow's run at 07:00."""
    from chitieu.analytics.refresh import refresh_states
    from chitieu.reporting.reminders import send_reminders

    counts = send_reminders()
    counts["targets_refreshed"] = refresh_states()
    schedule_next()
    return counts


def schedule_next(at: dt.datetime | None = None) -> None:
    if at is None:
        tomorrow = timezone.localdate() + dt.timedelta(days=1)
        at = timezone.make_aware(dt.datetime.combine(tomorrow, dt.time(7, 0)))
    try:
        from django_tasks_db.models import DBTaskResult

        pending = DBTaskResult.objects.filter(task_path__endswith="daily_reminders", status="READY").exists()
    except Exception:  # another backend: nothing to check
        pending = False
    if not pending:
        daily_reminders.using(run_after=at).enqueue()
