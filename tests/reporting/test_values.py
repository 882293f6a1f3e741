from decimal import Decimal as D

import pytest
from django.db import IntegrityError, transaction

from chitieu.audit.models import ChangeRecord
from chitieu.orgs.permissions import NotAllowed
from chitieu.reporting.errors import ValueConflict, ValueInvalid
from chitieu.reporting.models import DataValue, DataValueVersion
from chitieu.reporting.services import value_save


def test_save_creates_then_versions(tree, people, indicators):
    ind, dept, r = indicators["online"], tree["dept"], people["reporter"]
    dv, changed = value_save(
        actor=r, indicator=ind, unit=dept, period="Quý I năm 2024", numerator=52, denominator=56
    )
    assert changed and dv.version == 1 and dv.period == "2024Q1"
    assert (dv.period_start.isoformat(), dv.period_end.isoformat()) == ("2024-01-01", "2024-03-31")
    assert dv.entered_by == r and dv.source == "entered"
    dv2, changed = value_save(
        actor=r,
        indicator=ind,
        unit=dept,
        period="2024Q1",
        numerator=56,
        denominator=56,
        expected_version=1,
        reason="sửa theo số liệu một cửa",
    )
    assert changed and dv2.version == 2 and dv2.pk == dv.pk
    versions = list(DataValueVersion.objects.filter(data_value=dv).order_by("version"))
    assert [(v.version, v.numerator) for v in versions] == [(1, D(52)), (2, D(56))]
    assert versions[1].reason == "sửa theo số liệu một cửa"
    log = ChangeRecord.objects.filter(object_type="reporting.datavalue", object_id=str(dv.pk)).order_by("id")
    assert [c.action for c in log] == ["create", "update"]
    assert log[1].before["numerator"] == "52.0000" and log[1].after["numerator"] == "56"


def test_same_numbers_again_change_nothing(tree, people, indicators):
    args = dict(actor=people["reporter"], indicator=indicators["online"], unit=tree["dept"], period="2024Q1")
    value_save(**args, numerator=1, denominator=2)
    dv, changed = value_save(**args, numerator=D("1.0"), denominator=2)
    assert not changed and dv.version == 1
    assert DataValueVersion.objects.count() == 1


def test_conflict_names_the_other_writers_value(tree, people, indicators):
    args = dict(indicator=indicators["online"], unit=tree["dept"], period="2024Q1")
    value_save(actor=people["reporter"], **args, numerator=10, denominator=20)
    value_save(actor=people["root"], **args, numerator=11, denominator=20, expected_version=1)
    with pytest.raises(ValueConflict) as exc:
        value_save(actor=people["reporter"], **args, numerator=12, denominator=20, expected_version=1)
    assert "root" in exc.value.message and "11/20" in exc.value.message
    assert DataValue.objects.get(**args).numerator == 11
    # a writer who saw no value while one exists also gets a conflict
    value_save(
        actor=people["reporter"],
        indicator=indicators["count"],
        unit=tree["dept"],
        period="2024Q1",
        value=1,
        expected_version=0,
    )
    with pytest.raises(ValueConflict):
        value_save(
            actor=people["reporter"],
            indicator=indicators["count"],
            unit=tree["dept"],
            period="2024Q1",
            value=2,
            expected_version=0,
        )


def test_one_current_value_per_indicator_unit_period(tree, indicators):
    common = dict(
        indicator=indicators["online"],
        unit=tree["dept"],
        period="2024Q1",
        period_kind="quarter",
        period_start="2024-01-01",
        period_end="2024-03-31",
    )
    DataValue.objects.create(**common, numerator=1, denominator=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        DataValue.objects.create(**common, numerator=2, denominator=2)
    # other periods or units are separate values
    DataValue.objects.create(**{**common, "period": "2024Q2"}, numerator=2, denominator=2)


def test_database_refuses_negative_denominator(tree, indicators):
    with pytest.raises(IntegrityError), transaction.atomic():
        DataValue.objects.create(
            indicator=indicators["online"],
            unit=tree["dept"],
            period="2024Q1",
            period_kind="quarter",
            period_start="2024-01-01",
            period_end="2024-03-31",
            numerator=1,
            denominator=-2,
        )


@pytest.mark.parametrize(
    ("kind", "kwargs", "field", "words"),
    [
        ("online", {"numerator": 57, "denominator": 56}, "numerator", "lớn hơn mẫu số"),
        ("online", {"numerator": -1, "denominator": 56}, "numerator", "không được âm"),
        ("online", {"numerator": "1.5", "denominator": 56}, "numerator", "số nguyên"),
        ("online", {"numerator": 5}, "denominator", "thiếu mẫu số"),
        ("online", {"value": 5}, "value", "tử số và mẫu số"),
        ("count", {"value": "2.5"}, "value", "số nguyên"),
        ("count", {"value": -1}, "value", "không được âm"),
        ("count", {"numerator": 1, "denominator": 2}, "value", "một giá trị"),
        ("yesno", {"value": 2}, "value", "1 (có) hoặc 0 (không)"),
    ],
)
def test_invalid_values_are_refused_with_field_and_reason(
    tree, people, indicators, kind, kwargs, field, words
):
    with pytest.raises(ValueInvalid) as exc:
        value_save(
            actor=people["reporter"], indicator=indicators[kind], unit=tree["dept"], period="2024Q1", **kwargs
        )
    assert field in exc.value.errors
    assert words in exc.value.errors[field]
    assert indicators[kind].name in exc.value.errors[field]
    assert not DataValue.objects.exists()


def test_zero_is_data_and_missing_is_not(tree, people, indicators):
    dv, _ = value_save(
        actor=people["reporter"], indicator=indicators["count"], unit=tree["dept"], period="2024Q1", value=0
    )
    assert dv.has_data and dv.value == 0
    empty = DataValue(indicator=indicators["count"], unit=tree["dept"], period="2024Q2")
    assert not empty.has_data


def test_bad_period_is_refused(tree, people, indicators):
    with pytest.raises(ValueInvalid) as exc:
        value_save(
            actor=people["reporter"],
            indicator=indicators["count"],
            unit=tree["dept"],
            period="Quý V/2024",
            value=1,
        )
    assert "period" in exc.value.errors


@pytest.mark.parametrize("who", ["other_reporter", "xa_reporter", "viewer", "approver", "nobody"])
def test_only_the_units_reporter_writes(tree, people, indicators, who):
    with pytest.raises(NotAllowed):
        value_save(
            actor=people[who],
            indicator=indicators["online"],
            unit=tree["dept"],
            period="2024Q1",
            numerator=1,
            denominator=2,
        )
    assert not DataValue.objects.exists()
    assert not ChangeRecord.objects.filter(object_type="reporting.datavalue").exists()


def test_provenance_text(tree, people, indicators):
    dv, _ = value_save(
        actor=people["reporter"],
        indicator=indicators["online"],
        unit=tree["dept"],
        period="2024Q1",
        numerator=1,
        denominator=2,
    )
    assert dv.provenance_vi() == "Nhập tay bởi reporter"
    dv, _ = value_save(
        actor=people["reporter"],
        indicator=indicators["online"],
        unit=tree["dept"],
        period="2024Q2",
        numerator=1,
        denominator=2,
        source="imported",
        import_file="q2.xlsx",
        import_row=7,
    )
    assert dv.provenance_vi() == "Nhập từ tệp q2.xlsx, dòng 7 bởi reporter"
    from django.utils import translation

    assert dv.provenance_display() == dv.provenance_vi()  # Vietnamese by default
    with translation.override("en"):
        assert dv.provenance_display() == "Imported from q2.xlsx, row 7 by reporter"
        assert dv.provenance_vi() == "Nhập từ tệp q2.xlsx, dòng 7 bởi reporter"  # the API's text stays
