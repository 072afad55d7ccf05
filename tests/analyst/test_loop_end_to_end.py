"""The analysts' loop through the running app: citizens chat, analysts label, train, promote; the service
switches models without a restart; a worse model is refused; rollback returns to the earlier routing."""
from __future__ import annotations

import time

import httpx
import pytest

from api.app import create_app
from tests.analyst.conftest import ADMIN_TOKEN, ANALYST_TOKEN
from tests.fakes.http_server import ThreadedServer


@pytest.fixture
def app_server(settings, sessions, catalog, serving_router, monkeypatch):
    from runtime.services import Services

    settings = settings.model_copy(update={"model_reload_interval_s": 0.2})
    services = Services.start(settings, catalog=catalog, session_factory=sessions, _router=serving_router)
    with ThreadedServer(create_app(settings, services=services, run_worker=False)) as server:
        server.services = services
        yield server


def auth(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def wait_for(predicate, timeout: float = 120.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"not reached within {timeout:.0f}s")


def route(client, text: str) -> dict:
    response = client.post("/v1/route", json={"text": text})
    assert response.status_code == 200, response.text
    return response.json()


def chat(client, text: str) -> list[dict]:
    response = client.post("/v1/chat/messages", json={"text": text})
    assert response.status_code == 200, response.text
    return response.json()["replies"] if isinstance(response.json(), dict) else response.json()


def train(client, token=ANALYST_TOKEN) -> str:
    started = client.post("/v1/analyst/train", headers=auth(token))
    assert started.status_code == 202, started.text
    state = wait_for(lambda: (s := client.get("/v1/analyst/train", headers=auth(token)).json())["status"]
                     in ("done", "failed") and s, timeout=600)
    assert state["status"] == "done", state
    assert "embedding" in state["stages"] and state["done"] == state["total"]
    return state["version"]


def misrouted_messages(client, catalog, count: int = 3) -> list[tuple[str, str]]:
    """Held-out messages the serving model gets wrong, with their right service: what analysts would fix."""
    from nlu.promotion import heldout_examples

    wrong = []
    for example in heldout_examples():
        if example.intent in catalog.services and route(client, example.text)["intent"] != example.intent:
            wrong.append((example.text, example.intent))
            if len(wrong) == count:
                break
    assert wrong, "the base model routes every held-out message right; nothing to teach it"
    return wrong


def converse(client, text: str) -> None:
    """A citizen writes, and says "No" to whatever service is offered."""
    replies = chat(client, text)
    ids = {b["id"] for r in replies for b in r.get("buttons", [])} | {w["id"] for r in replies for w in r.get("rows", [])}
    if "no" in ids or "none" in ids:
        response = client.post("/v1/chat/messages", json={"choice_id": "no" if "no" in ids else "none"})
        assert response.status_code == 200, response.text


def test_labels_retraining_and_promotion_change_routing_live(app_server, catalog, encoder):
    with httpx.Client(base_url=app_server.url, timeout=120) as client:
        wrong = misrouted_messages(client, catalog)
        first = route(client, wrong[0][0])
        for text, _ in wrong:  # conversations put them in the queue
            converse(client, text)
        queue = client.get("/v1/analyst/queue", headers=auth(ANALYST_TOKEN)).json()
        assert {i["text"] for i in queue["items"]} == {text for text, _ in wrong}
        right = dict(wrong)
        for item in queue["items"]:  # an analyst gives each its right service
            labelled = client.post(f"/v1/analyst/queue/{item['id']}/label", json={"label": right[item["text"]]},
                                   headers=auth(ANALYST_TOKEN))
            assert labelled.status_code == 200 and labelled.json()["status"] == "labelled"

        before = first["model_version"]
        new_version = train(client)
        promoted = client.post(f"/v1/analyst/models/{new_version}/promote", json={}, headers=auth(ANALYST_TOKEN))
        assert promoted.status_code == 200, promoted.text
        assert promoted.json()["candidate_accuracy"] >= promoted.json()["current_accuracy"]

        after = wait_for(lambda: (r := route(client, wrong[0][0]))["model_version"] == new_version and r)
        assert before != new_version
        assert after["intent"] == wrong[0][1]
        assert sum(route(client, text)["intent"] == intent for text, intent in wrong) >= len(wrong) - 1

        # a worse model (trained on far fewer examples) is refused, and the service keeps the good one
        worse = worse_version(app_server, catalog, encoder)
        refused = client.post(f"/v1/analyst/models/{worse}/promote", json={}, headers=auth(ANALYST_TOKEN))
        assert refused.status_code == 409 and "worse" in refused.json()["detail"]
        forced_by_analyst = client.post(f"/v1/analyst/models/{worse}/promote", json={"force": True},
                                        headers=auth(ANALYST_TOKEN))
        assert forced_by_analyst.status_code == 403
        assert client.get("/v1/analyst/models", headers=auth(ANALYST_TOKEN)).json()["promoted"] == new_version

        # rollback (an admin's decision) returns to the first model and its routing
        assert client.post("/v1/analyst/models/rollback", headers=auth(ANALYST_TOKEN)).status_code == 403
        rolled = client.post("/v1/analyst/models/rollback", headers=auth(ADMIN_TOKEN))
        assert rolled.status_code == 200 and rolled.json()["promoted"] == before
        back = wait_for(lambda: (r := route(client, wrong[0][0]))["model_version"] == before and r)
        assert back["intent"] == first["intent"]

        log = client.get("/v1/analyst/audit", headers=auth(ADMIN_TOKEN)).json()["entries"]
        assert [e["action"] for e in reversed(log)] == ["label"] * len(wrong) + [
            "train", "promote", "promote", "rollback"]
        assert log[0]["who"] == "kiran" and log[-1]["who"] == "asha"


def worse_version(app_server, catalog, encoder) -> str:
    """A version trained on one example per service: clearly worse on the held-out set."""
    from analysts.training import train_new_version
    from nlu.model_store import ModelStore
    from nlu.training_data import LabelledText

    store = ModelStore(app_server.services.settings.model_root)
    few = [LabelledText(s.examples[0].text, s.id, s.examples[0].lang) for s in catalog.services.values()]
    tiny = type("TinyCatalog", (), {"services": {}, "version": catalog.version})()
    return train_new_version(store, tiny, few, encoder_name=encoder.name, created_by="test", encoder=encoder)


def test_hot_reload_switches_on_a_promotion_made_outside_the_app(app_server, catalog, encoder, serving_router):
    """`mitra models promote` (another process) writes the store; the running app follows within seconds."""
    from nlu.model_store import ModelStore

    store = ModelStore(app_server.services.settings.model_root)
    other = worse_version(app_server, catalog, encoder)
    with httpx.Client(base_url=app_server.url, timeout=60) as client:
        assert route(client, "caste certificate kavali")["model_version"] == serving_router.version != other
        store.promote(other, by="another process")
        wait_for(lambda: route(client, "caste certificate kavali")["model_version"] == other, timeout=30)
