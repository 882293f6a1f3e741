"""Web views: thin. Reads come from selectors, writes go through services."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from chitieu.plans import selectors as plan_selectors


@login_required
def home(request: HttpRequest) -> HttpResponse:
    plans = list(plan_selectors.plans_with_targets(request.user).exclude(status="draft"))
    sections = [(plan, plan_selectors.latest_rows(list(plan.targets.all()))) for plan in plans]
    return render(request, "web/home.html", {"sections": sections})


def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cur:
        cur.execute("SELECT 1")
    return JsonResponse({"status": "ok", "database": connection.vendor})
