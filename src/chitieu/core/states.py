"""State machines declared once, as data.

A domain object's workflow (a report: draft → submitted → approved; an assessment; a dossier import)
is a :class:`StateMachine` of :class:`Transition` rows. The service asks :meth:`StateMachine.step`
for the next state (a :class:`~chitieu.core.errors.Conflict` names why an action does not apply);
the app's ``allowed_actions(user, obj)`` selector filters :meth:`StateMachine.actions_from` by what
the person may do, and templates and the API show and check exactly those actions.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from chitieu.core.errors import Conflict


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str
    label_vi: str = ""


class StateMachine:
    def __init__(self, name: str, transitions: Iterable[Transition], labels: dict[str, str] | None = None):
        self.name = name
        self.transitions = tuple(transitions)
        self.labels = labels or {}
        seen = set()
        for t in self.transitions:
            for s in t.sources:
                if (s, t.action) in seen:
                    raise ValueError(f"{name}: two transitions for '{t.action}' from '{s}'")
                seen.add((s, t.action))

    def actions(self) -> list[str]:
        return list(dict.fromkeys(t.action for t in self.transitions))

    def actions_from(self, state: str) -> list[Transition]:
        return [t for t in self.transitions if state in t.sources]

    def transition(self, state: str, action: str) -> Transition | None:
        return next((t for t in self.transitions if t.action == action and state in t.sources), None)

    def step(self, state: str, action: str) -> str:
        """The state after ``action``; :class:`Conflict` when the action does not apply to ``state``."""
        t = self.transition(state, action)
        if t is None:
            if action not in self.actions():
                raise Conflict(f"Thao tác '{action}' không có trong quy trình {self.name}.")
            label = next((x.label_vi for x in self.transitions if x.action == action and x.label_vi), action)
            raise Conflict(
                f"Không thể {label.lower()} khi {self.name} đang ở trạng thái '{self.labels.get(state, state)}'."
            )
        return t.target
