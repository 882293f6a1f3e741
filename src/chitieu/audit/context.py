"""The current request id, so change records made deep in services can name the request."""

from __future__ import annotations

import contextvars
import uuid

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("chitieu_request_id", default="")


def current_request_id() -> str:
    return _request_id.get()


def new_request_id() -> contextvars.Token:
    return _request_id.set(uuid.uuid4().hex[:16])


def reset(token: contextvars.Token) -> None:
    _request_id.reset(token)
