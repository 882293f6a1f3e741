from __future__ import annotations

from chitieu.audit import context


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = context.new_request_id()
        try:
            response = self.get_response(request)
            response["X-Request-Id"] = context.current_request_id()
            return response
        finally:
            context.reset(token)
