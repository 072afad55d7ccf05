"""An unpaid hold whose time ran out frees its seats on the worker's schedule, with no new booking needed."""
from __future__ import annotations

from datetime import date

import pytest

from runtime.worker import InboxWorker


@pytest.fixture(params=["simulated"])
def gateway_name(request):
    return request.param


def test_the_embedded_worker_releases_expired_holds(app):
    departments = app.services.departments()
    bus = departments.search_buses("guntur", "nellore", date(2030, 3, 2))[0]
    kept = departments.hold([bus.resource_key], 2, "citizen:2", minutes=20)
    lapsed = departments.hold([bus.resource_key], 3, "citizen:1", minutes=-1)  # already past its time
    assert departments.free_seats(bus.resource_key) == bus.capacity - 5

    worker = InboxWorker(app.services)
    worker.periodic()

    assert departments.free_seats(bus.resource_key) == bus.capacity - 2
    assert departments.booking(lapsed.reference).status == "released"
    assert departments.booking(kept.reference).status == "held"
    worker.periodic()  # a second round releases nothing more
    assert departments.free_seats(bus.resource_key) == bus.capacity - 2
