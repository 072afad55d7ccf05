"""Department status callbacks reach the citizen through the signed webhook's world: the fake Graph server.

Inside the service window as text naming the reference, outside it as the approved template; nothing after
STOP, again after START; Meta's 131047 turns a text into the template (in the send's response or a later
`failed` status webhook); 131026 is recorded and not retried; the callback itself is guarded.
"""
from __future__ import annotations

import time

import pytest
from sqlalchemy import select

from core.db import Notification
from tests.notify.conftest import callback, citizen_db_id, submit_application
from tests.utils.net import wait_for
from tests.utils.webhooks import signed, status_webhook


def messages_sent(graph) -> int:
    return sum(1 for method, path in graph.requests if method == "POST" and path.endswith("/messages"))


def notifications(services) -> list[Notification]:
    with services.session_factory() as session:
        return list(session.scalars(select(Notification).order_by(Notification.id)))


@pytest.fixture
def applied(app, citizen):
    """A citizen who wrote to mitra (window open) and has an application."""
    citizen.say("Hi")
    return submit_application(app.services, citizen_db_id(app.services, citizen.wa_id))


def new_for(graph, citizen) -> list[dict]:
    sent = graph.sent_to(citizen.wa_id)
    new, citizen.seen = sent[citizen.seen:], len(sent)
    return new


def test_callback_inside_the_window_is_text_naming_the_reference_and_repeats_notify_once(app, citizen, graph,
                                                                                       applied):
    response = callback(app.url, applied, "approved", note="checked by the MRO")
    assert response.status_code == 200, response.text
    assert response.json() == {"reference": applied, "status": "approved", "changed": True, "notified": True}
    sent = new_for(graph, citizen)
    assert [m["type"] for m in sent] == ["text"]
    assert applied in sent[0]["text"]["body"] and "approved" in sent[0]["text"]["body"]

    again = callback(app.url, applied, "approved", note="checked by the MRO")
    assert again.status_code == 200 and again.json()["changed"] is False and again.json()["notified"] is False
    assert new_for(graph, citizen) == []
    assert app.services.connector().status(applied).status == "approved"


def test_callback_is_guarded(app, applied):
    assert callback(app.url, applied, "approved", token=None).status_code == 401
    assert callback(app.url, applied, "approved", token="not-a-department-token").status_code == 403
    missing = callback(app.url, "AP-REV-2026-999999", "approved")
    assert missing.status_code == 404 and "AP-REV-2026-999999" in missing.json()["detail"]
    invalid = callback(app.url, applied, "teleported")
    assert invalid.status_code == 422 and "in_verification" in invalid.json()["detail"]
    assert app.services.connector().status(applied).status == "submitted"


@pytest.mark.parametrize("window_s", [1.0])
def test_outside_the_window_the_template_goes(app, citizen, graph, applied):
    time.sleep(1.2)  # the citizen's last message is now older than the 1-second window
    assert callback(app.url, applied, "in_verification").status_code == 200
    sent = new_for(graph, citizen)
    assert [m["type"] for m in sent] == ["template"]
    tpl = sent[0]["template"]
    assert tpl["name"] == "application_status" and tpl["language"]["code"] == "en"
    assert [p["text"] for p in tpl["components"][0]["parameters"]] == [applied, "in verification"]


def test_stop_silences_notifications_start_brings_them_back(app, citizen, graph, applied):
    stopped = citizen.say("STOP")
    assert "no more updates" in stopped[0].text
    assert callback(app.url, applied, "in_verification").json()["changed"] is True
    assert new_for(graph, citizen) == []
    assert notifications(app.services)[-1].status == "skipped"

    assert "Hi" and citizen.say("Hi")  # replies to the citizen's own messages still work after STOP
    assert "Updates are on again" in citizen.say("START")[0].text
    callback(app.url, applied, "approved")
    sent = new_for(graph, citizen)
    assert len(sent) == 1 and applied in sent[0]["text"]["body"]


def test_telugu_stop_is_confirmed_in_telugu(app, citizen):
    assert "ఇకపై మన మిత్ర నుంచి సమాచారం రాదు" in citizen.say("ఆపు")[0].text
    assert "సమాచారం మళ్లీ మొదలైంది" in citizen.say("ప్రారంభించు")[0].text


def test_131047_in_the_send_response_sends_the_template(app, citizen, graph, applied):
    graph.fail_with_code(131047, only_type="text")
    callback(app.url, applied, "approved")
    sent = new_for(graph, citizen)
    assert [m["type"] for m in sent] == ["template"]
    row = notifications(app.services)[-1]
    assert (row.status, row.sent_as, row.error_code) == ("sent", "template", None)


def test_131047_in_a_failed_status_webhook_sends_the_template(app, citizen, graph, applied):
    callback(app.url, applied, "approved")
    text = new_for(graph, citizen)
    assert [m["type"] for m in text] == ["text"]
    citizen.post(status_webhook(text[0]["id"], "failed", citizen.wa_id, errors=[
        {"code": 131047, "title": "Re-engagement message", "message": "Re-engagement message"}]))
    wait_for(lambda: graph.sent_to(citizen.wa_id)[citizen.seen:])
    sent = new_for(graph, citizen)
    assert [m["type"] for m in sent] == ["template"]
    assert sent[0]["template"]["components"][0]["parameters"][0]["text"] == applied
    assert notifications(app.services)[-1].sent_as == "template"


def test_131026_is_recorded_and_not_retried(app, citizen, graph, applied):
    before = messages_sent(graph)
    graph.fail_with_code(131026)
    callback(app.url, applied, "approved")
    row = notifications(app.services)[-1]
    assert (row.status, row.error_code) == ("undeliverable", 131026)
    app.services.notifier().deliver_due()
    assert messages_sent(graph) == before + 1 and new_for(graph, citizen) == []


def test_pair_rate_limit_pauses_this_citizen_then_sends(app, citizen, graph, applied):
    graph.fail_with_code(131056)
    callback(app.url, applied, "approved")
    row = notifications(app.services)[-1]
    assert (row.status, row.error_code) == ("pending", 131056) and row.next_attempt_at is not None
    assert app.services.notifier().deliver_due() == 0  # still paused
    app.services.notifier().clock = lambda: row.next_attempt_at + __import__("datetime").timedelta(seconds=1)
    assert app.services.notifier().deliver_due() == 1
    assert applied in new_for(graph, citizen)[0]["text"]["body"]


def test_server_errors_are_retried_later(app, citizen, graph, applied):
    graph.fail_next(500, times=4)  # every attempt the client makes for this send
    callback(app.url, applied, "approved")
    assert notifications(app.services)[-1].status == "pending"
    assert app.services.notifier().deliver_due() == 1
    assert applied in new_for(graph, citizen)[-1]["text"]["body"]


def test_delivery_status_webhooks_update_the_record(app, citizen, graph, applied):
    callback(app.url, applied, "approved")
    wamid = new_for(graph, citizen)[0]["id"]
    for status in ("delivered", "read"):
        citizen.post(status_webhook(wamid, status, citizen.wa_id))
    assert notifications(app.services)[-1].status == "read"


def test_another_number_gets_not_found_for_a_reference(app, citizen, graph, applied):
    from tests.api.whatsapp_citizen import WhatsAppCitizen

    other = WhatsAppCitizen(app.url, graph, app.services.session_factory, wa_id="919900011122")
    answer = other.say(f"status of {applied}")[0].text
    assert "Caste" not in answer and "submitted" not in answer.lower().replace("not found", "")
    own = citizen.say(f"status of {applied}")[0].text
    assert applied in own and "submitted" in own


def test_signed_body_helper_is_the_one_meta_uses():
    body, headers = signed({"object": "whatsapp_business_account", "entry": []})
    assert headers["X-Hub-Signature-256"].startswith("sha256=") and body


def test_a_long_template_value_is_cut_between_telugu_letters():
    """Meta takes at most 1,024 characters per body value; a longer Telugu value loses whole letters only."""
    import regex

    from runtime.templates import PARAM_MAX, Template

    template = Template("status_update", "UTILITY", ("what",), ("x",), {"te": "{{1}}", "en": "{{1}}"})
    value = "ధృవీకరణ పత్రం " * 100
    sent = template.values({"what": value})[0]
    assert len(sent) <= PARAM_MAX and sent.endswith("…")
    letters = regex.findall(r"\X", " ".join(value.split()))
    assert any("".join(letters[:n]).rstrip() == sent[:-1] for n in range(len(letters)))
