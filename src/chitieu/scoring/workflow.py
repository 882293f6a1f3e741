"""The assessment's state machine, declared once: who may do what in which state.

Services call :func:`require` before writing; pages and the API call :func:`allowed_actions` to
show exactly the buttons the services will accept."""

from __future__ import annotations

from dataclasses import dataclass

from chitieu.core import states
from chitieu.orgs import permissions
from chitieu.scoring.errors import ScoringConflict
from chitieu.scoring.models import Assessment, AssessmentStatus

UNIT = "unit"  # the assessed unit's people (may enter its data)
APPRAISER = "appraiser"  # assigned appraisers, or the framework owner's managers


@dataclass(frozen=True)
class Transition:
    action: str
    sources: tuple[str, ...]
    target: str | None  # None: the state does not change (saving)
    who: str
    refused: str  # when the state does not allow it
    not_allowed: str  # when the person may not ("{unit}" is the unit's name)


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition(
            "self_save",
            (AssessmentStatus.DRAFT, AssessmentStatus.RETURNED),
            None,
            UNIT,
            "Bản tự đánh giá đã gửi, không sửa được.",
            "Bạn không có quyền tự đánh giá cho {unit}.",
        ),
        Transition(
            "self_submit",
            (AssessmentStatus.DRAFT, AssessmentStatus.RETURNED),
            AssessmentStatus.SUBMITTED,
            UNIT,
            "Bản tự đánh giá đã gửi.",
            "Bạn không có quyền gửi tự đánh giá của {unit}.",
        ),
        Transition(
            "appraise",
            (AssessmentStatus.SUBMITTED,),
            None,
            APPRAISER,
            "Chỉ thẩm định được bản đã gửi.",
            "Bạn không được phân công thẩm định {unit}.",
        ),
        Transition(
            "return",
            (AssessmentStatus.SUBMITTED,),
            AssessmentStatus.RETURNED,
            APPRAISER,
            "Chỉ trả lại được bản đã gửi.",
            "Bạn không được phân công thẩm định {unit}.",
        ),
        Transition(
            "finalize",
            (AssessmentStatus.SUBMITTED,),
            AssessmentStatus.APPRAISED,
            APPRAISER,
            "Chỉ hoàn tất thẩm định được bản đã gửi.",
            "Bạn không được phân công thẩm định {unit}.",
        ),
    )
}
RETURN_ONCE = "Bản tự đánh giá chỉ được trả lại một lần để giải trình."
# the same transitions for core.states (saving and appraising keep the state)
MACHINE = states.StateMachine(
    "bản tự đánh giá",
    [
        states.Transition(
            t.action, frozenset(str(s) for s in t.sources), str(t.target or t.sources[0]), t.action
        )
        for t in TRANSITIONS.values()
        if t.target is not None
    ],
    labels={s.value: s.label for s in AssessmentStatus},
)


def may_self_assess(user, a: Assessment) -> bool:
    """The assessed unit's people: whoever may enter the unit's data."""
    return permissions.has(user, permissions.ENTER, a.unit)


def may_appraise(user, a: Assessment) -> bool:
    """An assigned appraiser, or a manager of the unit that owns the framework."""
    return a.appraisers.filter(pk=getattr(user, "pk", None)).exists() or permissions.has(
        user, permissions.MANAGE, a.framework.owner
    )


def _role_ok(user, a: Assessment, who: str, cache: dict) -> bool:
    if who not in cache:
        cache[who] = may_self_assess(user, a) if who == UNIT else may_appraise(user, a)
    return cache[who]


def _guard(action: str, a: Assessment) -> str | None:
    if action == "return" and a.returned_count >= 1:
        return RETURN_ONCE
    return None


def allowed_actions(user, a: Assessment) -> frozenset[str]:
    """The actions ``user`` may take on ``a`` now (state, role and guards all hold)."""
    cache: dict[str, bool] = {}
    return frozenset(
        t.action
        for t in TRANSITIONS.values()
        if a.status in t.sources and _guard(t.action, a) is None and _role_ok(user, a, t.who, cache)
    )


def require(user, a: Assessment, action: str) -> Transition:
    """The transition, or :class:`permissions.NotAllowed` (the person) / :class:`ScoringConflict`
    (the state, a guard)."""
    t = TRANSITIONS[action]
    if not _role_ok(user, a, t.who, {}):
        raise permissions.NotAllowed(t.not_allowed.format(unit=a.unit.display_name))
    if a.status not in t.sources:
        raise ScoringConflict(t.refused)
    why = _guard(action, a)
    if why:
        raise ScoringConflict(why)
    return t
