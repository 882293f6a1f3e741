"""Validation-rule expressions over indicator values, evaluated exactly and safely.

``#{ONLINE.num} <= #{TOTAL}`` style: ``#{CODE}`` is the value of an indicator (a count, or a ratio's
percentage), ``#{CODE.num}`` / ``#{CODE.den}`` a ratio's numerator and denominator. Numbers, + - * /
and parentheses are allowed; nothing else (the expression is parsed with :mod:`ast` and only those
nodes are accepted). A missing operand makes the whole expression missing (``None``): a rule does not
fire on data that has not been entered.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from fractions import Fraction

REF = re.compile(r"#\{\s*([A-Za-z0-9_]+)(?:\.(num|den|value))?\s*\}")


class ExpressionError(ValueError):
    pass


def references(expr: str) -> list[tuple[str, str | None]]:
    return [(m.group(1).upper(), m.group(2)) for m in REF.finditer(expr)]


def compile_expr(expr: str) -> Callable[[Callable[[str, str | None], Fraction | None]], Fraction | None]:
    """Parse once; the result evaluates with a lookup ``(code, part) -> Fraction | None``."""
    refs: list[tuple[str, str | None]] = []

    def repl(m: re.Match) -> str:
        refs.append((m.group(1).upper(), m.group(2)))
        return f"_r{len(refs) - 1}"

    src = REF.sub(repl, expr or "")
    if not src.strip():
        raise ExpressionError("biểu thức rỗng")
    if "#" in src or "{" in src:
        raise ExpressionError(f"tham chiếu không đúng dạng #{{MÃ}} hoặc #{{MÃ.num}}: {expr!r}")
    try:
        tree = ast.parse(src, mode="eval")
    except SyntaxError:
        raise ExpressionError(f"biểu thức không hợp lệ: {expr!r}")
    for node in ast.walk(tree):
        if not isinstance(
            node,
            ast.Expression
            | ast.BinOp
            | ast.UnaryOp
            | ast.Constant
            | ast.Name
            | ast.Load
            | ast.Add
            | ast.Sub
            | ast.Mult
            | ast.Div
            | ast.USub
            | ast.UAdd,
        ):
            raise ExpressionError(f"không được dùng {type(node).__name__} trong biểu thức: {expr!r}")
        if isinstance(node, ast.Constant) and (
            isinstance(node.value, bool) or not isinstance(node.value, int | float)
        ):
            raise ExpressionError(f"chỉ dùng số trong biểu thức: {expr!r}")
        if isinstance(node, ast.Name) and not re.fullmatch(r"_r\d+", node.id):
            raise ExpressionError(f"tên lạ '{node.id}' trong biểu thức: {expr!r}")

    def evaluate(lookup: Callable[[str, str | None], Fraction | None]) -> Fraction | None:
        values = [lookup(code, part) for code, part in refs]

        def ev(node: ast.AST) -> Fraction | None:
            match node:
                case ast.Expression(body=body):
                    return ev(body)
                case ast.Constant(value=v):
                    return Fraction(str(v))
                case ast.Name(id=name):
                    return values[int(name[2:])]
                case ast.UnaryOp(op=op, operand=operand):
                    x = ev(operand)
                    return None if x is None else (-x if isinstance(op, ast.USub) else x)
                case ast.BinOp(left=left, op=op, right=right):
                    a, b = ev(left), ev(right)
                    if a is None or b is None:
                        return None
                    if isinstance(op, ast.Add):
                        return a + b
                    if isinstance(op, ast.Sub):
                        return a - b
                    if isinstance(op, ast.Mult):
                        return a * b
                    return None if b == 0 else a / b
            raise ExpressionError("biểu thức không hợp lệ")  # pragma: no cover

        return ev(tree)

    evaluate.references = refs  # type: ignore[attr-defined]
    return evaluate


OPS: dict[str, Callable[[Fraction, Fraction], bool]] = {
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<=": lambda a, b: a <= b,
    "<": lambda a, b: a < b,
    ">=": lambda a, b: a >= b,
    ">": lambda a, b: a > b,
}


def holds(left: Fraction | None, op: str, right: Fraction | None) -> bool | None:
    """True/False, or None when an operand is missing."""
    if left is None or right is None:
        return None
    return OPS[op](left, right)
