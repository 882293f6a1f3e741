"""Reminders before deadlines and on overdue reports, in the app and by e-mail (Django's e-mail
backend). Sent at most once a day per report and kind, however often the task runs."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from chitieu.orgs.models import Membership, Role
from chitieu.reporting.models import Notification, ReminderLog, Submission, SubmissionStatus
from chitieu.reporting.selectors import period_label

OPEN = (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED)
logger = logging.getLogger(__name__)


def _people(s: Submission, roles: set[str]):
    units = [s.unit] + ([s.approver_unit] if Role.APPROVER in roles and s.approver_unit else [])
    return {
        m.user
        for m in Membership.objects.filter(unit__in=units, role__in=roles).select_related("user")
        if m.user.is_active
    }


def send_reminders(*, today: dt.date | None = None, days_before: int | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    days_before = settings.CHITIEU_REMIND_DAYS_BEFORE if days_before is None else days_before
    counts = {"upcoming": 0, "overdue": 0, "notifications": 0, "emails": 0}
    mails = []
    candidates = Submission.objects.filter(
        status__in=OPEN,
        due_date__lte=today + dt.timedelta(days=days_before + 1),
        due_date__gte=today - dt.timedelta(days=90),
    ).select_related("unit", "plan", "approver_unit")
    for s in candidates:
        last = s.last_on_time_day
        if today <= last <= today + dt.timedelta(days=days_before):
            kind, roles = "upcoming", {Role.REPORTER}
            text = (
                f"Nhắc hạn: báo cáo {period_label(s.period)} của {s.unit.display_name} ({s.plan.number_symbol or 'kế hoạch'})"
                f" phải gửi {'trước' if s.due_exclusive else 'chậm nhất'} ngày {s.due_date:%d/%m/%Y}."
            )
        elif last < today:
            kind, roles = "overdue", {Role.REPORTER, Role.APPROVER}
            text = (
                f"Quá hạn: {s.unit.display_name} chưa gửi báo cáo {period_label(s.period)} "
                f"({s.plan.number_symbol or 'kế hoạch'}), hạn {s.due_date:%d/%m/%Y}."
            )
        else:
            continue
        try:
            with transaction.atomic():
                log = ReminderLog.objects.create(submission=s, kind=kind, day=today)
        except IntegrityError:
            continue  # already reminded today
        people = _people(s, roles)
        link = f"/bao-cao/{s.pk}/"
        Notification.objects.bulk_create([Notification(user=u, text=text, link=link) for u in people])
        for u in people:
            if u.email:
                mails.append(
                    (
                        "[chitieu] " + text[:120],
                        f"{text}\n\n{settings.CHITIEU_BASE_URL}{link}",
                        settings.DEFAULT_FROM_EMAIL,
                        [u.email],
                    )
                )
        log.sent_to = len(people)
        log.save(update_fields=["sent_to"])
        counts[kind] += 1
        counts["notifications"] += len(people)
    if mails:
        try:
            counts["emails"] = send_mass_mail(mails)
        except OSError as exc:  # the mail server is down: the in-app notifications are already there
            logger.warning("reminder e-mail failed: %s", exc)
    return counts
