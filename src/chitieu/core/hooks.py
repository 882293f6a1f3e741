"""The few places where a lower layer must set a higher one in motion, as explicit hooks.

A plan is activated (plans) → its obligations are derived (reporting); a target changes (plans) →
its evaluation follows (analytics); figures change (reporting) → the derived tables follow
(analytics). The lower layer calls the hook; the one app that answers registers its handler in its
``AppConfig.ready()``. A hook without its handler fails loudly instead of silently skipping work
(docs/architecture.md lists them).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any


class Hook:
    def __init__(self, name: str, doc: str):
        self.name = name
        self.__doc__ = doc
        self._handler: Callable[..., Any] | None = None

    def register(self, handler: Callable[..., Any]) -> Callable[..., Any]:
        if self._handler is not None and self._handler is not handler:
            raise RuntimeError(f"hook '{self.name}' already has a handler ({self._handler.__qualname__})")
        self._handler = handler
        return handler

    @property
    def registered(self) -> bool:
        return self._handler is not None

    def __call__(self, **kwargs: Any) -> Any:
        if self._handler is None:
            raise RuntimeError(f"hook '{self.name}' has no handler: is the app that answers it installed?")
        return self._handler(**kwargs)


plan_activated = Hook(
    "plan_activated",
    "plan_activated(actor, plan): a plan became active; reporting derives who owes what, by when.",
)
targets_changed = Hook(
    "targets_changed",
    "targets_changed(plan=None, target=None): a tracked plan's targets changed; analytics re-evaluates.",
)
values_changed = Hook(
    "values_changed",
    "values_changed(pairs): figures of (indicator id, unit id) changed; analytics refreshes them.",
)
values_batch = Hook(
    "values_batch",
    "values_batch(): a context manager during which values_changed is gathered and applied once at "
    "the end (an import of a thousand figures refreshes each target once).",
)


@contextlib.contextmanager
def batch() -> Iterator[None]:
    """Gather figure changes until the block ends (``with hooks.batch(): ...``)."""
    with values_batch():
        yield
