from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chitieu.core.expressions import ExpressionError, compile_expr, holds


def lookup(values):
    return lambda code, part: values.get((code, part))


def test_references_arithmetic_and_exactness():
    e = compile_expr("#{ONLINE.num} + #{PAPER.num} - #{TOTAL}")
    v = {("ONLINE", "num"): Fraction(860), ("PAPER", "num"): Fraction(300), ("TOTAL", None): Fraction(1240)}
    assert e(lookup(v)) == Fraction(-80)
    assert compile_expr("#{A} / 3 * 3")(lookup({("A", None): Fraction(1)})) == 1  # exact, no 0.999...
    assert holds(Fraction(1), "<=", Fraction(1)) and holds(Fraction(2), "!=", Fraction(1))


def test_missing_operands_and_division_by_zero_give_none():
    e = compile_expr("#{A.num} / #{A.den}")
    assert e(lookup({("A", "num"): Fraction(1)})) is None
    assert e(lookup({("A", "num"): Fraction(1), ("A", "den"): Fraction(0)})) is None
    assert holds(None, "<=", Fraction(1)) is None


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "__import__('os')",
        "#{A}.real",
        "#{A} ** 2",
        "open('x')",
        "#{A} if 1 else 2",
        "[1,2]",
        "'text'",
        "#A",
        "lambda: 1",
        "#{A} == 1",
    ],
)
def test_anything_but_arithmetic_is_refused(bad):
    with pytest.raises(ExpressionError):
        compile_expr(bad)


@given(st.text(max_size=40))
def test_arbitrary_text_never_executes(text):
    try:
        e = compile_expr(text)
    except ExpressionError:
        return
    e(lambda code, part: Fraction(1))


@pytest.mark.parametrize("text", ["True", "False", "True + 1", "None"])
def test_booleans_and_none_are_not_numbers(text):
    with pytest.raises(ExpressionError):
        compile_expr(text)
