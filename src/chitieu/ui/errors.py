"""Domain errors on pages, mapped once (the API has its own mapping in :mod:`chitieu.api`).

* A refusal or a missing object (``NotAllowed``, ``NotFound``) is the product's error page, in the
  interface language, with the menu, and its status (403, 404).
* A wrong input or a state that does not allow the action (``Invalid``, ``Conflict``) after a form
  button (POST) goes back to the page the person came from with the message on top, as every page
  did by hand before; on a GET it is the error page with status 400 or 409.
* Under HTMX the answer is a short message fragment with the status, which the page shows in place.

Views therefore never catch a domain error to turn it into a message; they catch only the errors
they show beside a form's fields.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from chitieu.core.errors import DomainError, NotAllowed, NotFound

TITLES = {
    400: "Dữ liệu chưa hợp lệ",
    403: "Không có quyền truy cập",
    404: "Không tìm thấy trang",
    405: "Thao tác không được hỗ trợ",
    409: "Chưa thực hiện được",
    500: "Có lỗi ngoài dự kiến",
    503: "Tạm thời chưa phục vụ được",
}


def error_page(request: HttpRequest, status: int, message: str = "") -> HttpResponse:
    from django.utils.translation import gettext as _

    return render(
        request,
        "errors/error.html",
        {"status": status, "title": _(TITLES.get(status, TITLES[400])), "message": message},
        status=status,
    )


def _back(request: HttpRequest) -> str:
    ref = request.headers.get("referer", "")
    if ref and url_has_allowed_host_and_scheme(ref, {request.get_host()}, require_https=request.is_secure()):
        return ref
    return request.path


def response_for(request: HttpRequest, exc: DomainError) -> HttpResponse:
    status = exc.status
    if getattr(request, "htmx", False):
        return render(
            request, "errors/fragment.html", {"message": exc.message, "status": status}, status=status
        )
    if request.method == "POST" and not isinstance(exc, NotAllowed | NotFound):
        messages.error(request, exc.message)
        return redirect(_back(request))
    return error_page(request, status, exc.message)


class DomainErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        if isinstance(exc, DomainError) and not request.path.startswith("/api/"):
            return response_for(request, exc)
        return None
