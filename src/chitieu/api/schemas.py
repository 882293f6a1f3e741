from __future__ import annotations

from decimal import Decimal

from ninja import Schema


class Message(Schema):
    detail: str


class FieldErrors(Schema):
    detail: str
    errors: dict[str, str] = {}


class PeriodOut(Schema):
    id: str
    label: str
    calendar: list[str]
    cutoff: list[str]


class UnitOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    parent_id: int | None
    valid_from: str | None = None
    valid_to: str | None = None


class TargetOut(Schema):
    id: int
    text: str
    operator: str
    threshold: Decimal
    unit: str
    scope: str
    indicator: str | None
    lead_unit: str | None
    source_line: int | None


class PlanOut(Schema):
    id: int
    number_symbol: str
    title: str
    status: str
    issuer: str
    date: str
    targets: list[TargetOut] = []


class ValueIn(Schema):
    unit: str
    indicator: str
    period: str
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    value: Decimal | None = None
    comment: str = ""
    expected_version: int | None = None


class ValueOut(Schema):
    unit: str
    indicator: str
    period: str
    numerator: Decimal | None
    denominator: Decimal | None
    value: Decimal | None
    rate_percent: Decimal | None
    comment: str
    version: int
    source: str
    provenance: str


class Conflict(Schema):
    detail: str
    current: ValueOut


class BulkIn(Schema):
    rows: list[ValueIn]


class BulkRow(Schema):
    row: int
    status: str  # changed | unchanged | error
    errors: list[str] = []


class BulkOut(Schema):
    dry_run: bool
    written: bool
    changed: int
    unchanged: int
    errors: int
    rows: list[BulkRow]
    problems: list[str] = []  # problems of the batch as a whole (rules across figures)


class SubmissionOut(Schema):
    id: int
    plan_id: int
    unit: str
    period: str
    status: str
    due_date: str
    approver_unit: str | None
    returned_reason: str


class ReasonIn(Schema):
    reason: str = ""
