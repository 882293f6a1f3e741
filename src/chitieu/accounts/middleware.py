"""Refuse input no database can store (a NUL character) with a clear 400, before any view runs."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest

MESSAGE = "Dữ liệu gửi lên có ký tự không hợp lệ (NUL). / The request contains an invalid (NUL) character."


class RejectNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            "\x00" in request.path
            or "%00" in request.META.get("QUERY_STRING", "")
            or any("\x00" in v for values in request.GET.lists() for v in values[1])
        ):
            return HttpResponseBadRequest(MESSAGE, content_type="text/plain; charset=utf-8")
        if (
            request.method == "POST"
            and request.content_type
            in (
                "application/x-www-form-urlencoded",
                "multipart/form-data",
            )
            and any("\x00" in v for _, values in request.POST.lists() for v in values)
        ):
            return HttpResponseBadRequest(MESSAGE, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
