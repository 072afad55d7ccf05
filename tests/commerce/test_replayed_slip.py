"""A reply replayed from the store carries the same document: an appointment slip whose send failed is sent
again, on the inbox row's retry, as the same non-empty PDF (it was rebuilt from the certificate register, which
knows no slips, and went out as an empty file)."""
from __future__ import annotations

import pytest

from tests.api.whatsapp_citizen import texts
from tests.utils.chat import answers_for

SERVICE = "gsws.secretariat_appointment"  # free of charge: the slip comes at once


@pytest.fixture(params=["simulated"])
def gateway_name(request):
    return request.param


def test_a_replayed_slip_is_the_same_pdf(app, citizen, graph, catalog):
    from core.db import utcnow

    service = catalog.services.get(SERVICE)
    if service is None:
        pytest.skip("this catalog has no secretariat appointment")
    citizen.tap("lang:en")
    citizen.say("menu")
    citizen.say(str(service.menu_path[0]))
    citizen.say(str(service.menu_path[1]))
    for spec in service.fields:
        citizen.say(answers_for(spec, catalog, utcnow().date())[0])
    slots = citizen.tap("submit")[-1]
    assert slots.kind == "list", slots.text
    # Meta fails the slip's send (5xx) more often than the client retries: the inbox row is retried later, and
    # the bot replays its stored replies for that message id; the text already went, the slip goes again.
    graph.fail_with_code(131000, status=500, times=5, only_type="document")
    sent = citizen.tap(slots.choice_ids[0], list_row=True)
    documents = [s.payload["document"] for s in sent if s.kind == "document"]
    assert len(documents) == 1 and documents[0]["filename"].startswith("appointment-"), texts(sent)
    uploads = [u for u in graph.uploads.values() if u.filename == documents[0]["filename"]]
    assert len(uploads) >= 2  # uploaded for the failed send, and again for the replayed one
    first, replayed = uploads[0].content, graph.uploads[documents[0]["id"]].content
    assert replayed.startswith(b"%PDF") and len(replayed) > 1000 and replayed == first
    assert sum(1 for s in sent if s.kind == "text" and "Booked" in s.text) <= 1  # the caption is the slip's own
    citizen.replay()  # Meta redelivers the message: the inbox knows it, nothing more is sent
    assert [p for p in graph.sent_to(citizen.wa_id) if p["type"] == "document"] == \
        [s.payload for s in sent if s.kind == "document"]
