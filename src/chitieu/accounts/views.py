"""Error pages that never touch the database (it may be what failed)."""

from __future__ import annotations

import sys

from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader


def server_error(request: HttpRequest) -> HttpResponse:
    exc = sys.exc_info()[1]
    unavailable = isinstance(exc, OperationalError | InterfaceError) or (
        isinstance(exc, DatabaseError) and "connection" in str(exc).lower()
    )
    template = loader.get_template("errors/503.html" if unavailable else "errors/500.html")
    return HttpResponse(template.render({}), status=503 if unavailable else 500)
