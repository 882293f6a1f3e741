"""Two people saving the same value at once: one wins, the other gets a clear conflict naming the
first one's value; nothing is silently overwritten. Runs with real concurrent connections (threads)."""

import threading

import pytest
from django.db import connection

from chitieu.reporting.errors import ValueConflict
from chitieu.reporting.models import DataValue, DataValueVersion
from chitieu.reporting.services import value_save

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_writers_one_wins_one_gets_a_conflict(tree, people, indicators, django_user_model):
    from chitieu.orgs.models import Membership

    second = django_user_model.objects.create_user("reporter2", password="x-Passw0rd-long")
    Membership.objects.create(user=second, unit=tree["dept"], role="reporter")
    value_save(
        actor=people["reporter"],
        indicator=indicators["online"],
        unit=tree["dept"],
        period="2024Q1",
        numerator=10,
        denominator=20,
    )
    barrier = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def write(user, num):
        try:
            barrier.wait(timeout=10)
            value_save(
                actor=user,
                indicator=indicators["online"],
                unit=tree["dept"],
                period="2024Q1",
                numerator=num,
                denominator=20,
                expected_version=1,
            )
            outcomes[user.username] = "saved"
        except ValueConflict as exc:
            outcomes[user.username] = exc
        finally:
            connection.close()

    threads = [
        threading.Thread(target=write, args=(people["reporter"], 11)),
        threading.Thread(target=write, args=(second, 12)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(type(v).__name__ if not isinstance(v, str) else v for v in outcomes.values()) == [
        "ValueConflict",
        "saved",
    ]
    winner = next(k for k, v in outcomes.items() if v == "saved")
    loser_exc = next(v for v in outcomes.values() if isinstance(v, ValueConflict))
    dv = DataValue.objects.get()
    assert dv.version == 2 and dv.entered_by.username == winner
    assert f"{int(dv.numerator)}/20" in loser_exc.message and winner in loser_exc.message
    assert DataValueVersion.objects.filter(data_value=dv).count() == 2
