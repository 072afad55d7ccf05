"""The signed webhook, fuzzed by hand (schemathesis cannot sign bodies): generated payloads of Meta's shape with
hostile values in every field, signed with the app secret. The webhook answers 200 or 400, never 5xx, and
every message it stores is answered by the worker (a reply or a polite refusal), never left failed."""
from __future__ import annotations

import os

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.utils.net import wait_for
from tests.utils.webhooks import signed

EXAMPLES = int(os.environ.get("MITRA_FUZZ_EXAMPLES", "10")) * 4

texts = st.one_of(st.text(max_size=60), st.sampled_from([
    "'; DROP TABLE inbox_items; --", "<script>alert(1)</script>", "2345 6789 0124", "\u202e\u0000\ufeff", "",
    "నాకు కుల ధృవీకరణ పత్రం కావాలి", "9" * 5000]))
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False, allow_infinity=False), texts)
anything = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                         st.dictionaries(texts, inner, max_size=3)), max_leaves=8)
kinds = st.sampled_from(["text", "audio", "interactive", "button", "image", "sticker", "location", "unknown", ""])


@st.composite
def messages(draw):
    kind = draw(kinds)
    body = draw(st.one_of(anything, st.fixed_dictionaries({}, optional={
        "body": anything, "id": anything, "type": st.sampled_from(["button_reply", "list_reply", "x"]),
        "button_reply": anything, "list_reply": st.fixed_dictionaries({}, optional={"id": anything, "title": anything}),
        "payload": anything, "text": anything, "mime_type": anything, "voice": anything})))
    message = {"from": draw(st.one_of(st.just("919812300009"), texts, anything)),
               "id": draw(st.one_of(st.text(min_size=1, max_size=40), anything)),
               "timestamp": draw(st.one_of(st.integers(min_value=0).map(str), anything)),
               "type": kind, kind or "x": body}
    return {k: v for k, v in message.items() if draw(st.booleans()) or k in ("from", "id", "type")}


statuses = st.fixed_dictionaries({"id": anything, "status": anything},
                                 optional={"recipient_id": anything, "timestamp": anything, "errors": anything})
payloads = st.fixed_dictionaries({"object": st.just("whatsapp_business_account"), "entry": st.lists(
    st.fixed_dictionaries({"changes": st.lists(st.fixed_dictionaries({"value": st.fixed_dictionaries({}, optional={
        "messages": st.one_of(st.lists(messages(), max_size=3), anything),
        "statuses": st.one_of(st.lists(statuses, max_size=2), anything),
        "contacts": anything})}), max_size=2)}), max_size=2)})


def test_signed_hostile_payloads_never_break_the_webhook_or_the_worker(server, graph):
    outcomes = {}

    @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(payloads)
    def post(payload):
        body, headers = signed(payload)
        response = httpx.post(f"{server.url}/webhook", content=body, headers=headers, timeout=30)
        assert response.status_code in (200, 400), (response.status_code, response.text[:300], payload)
        outcomes[response.status_code] = outcomes.get(response.status_code, 0) + 1

    post()
    assert outcomes.get(200) and outcomes.get(400), outcomes  # both sides of the parser were reached
    inbox = server.services.inbox
    wait_for(lambda: not inbox.counts().get("pending") and not inbox.counts().get("processing"), timeout=120)
    assert not inbox.counts().get("failed"), inbox.counts()
