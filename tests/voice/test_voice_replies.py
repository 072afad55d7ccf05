"""Voice replies: offered after a citizen's first WhatsApp voice note, kept on the citizen, spoken with espeak-ng
and sent as a WhatsApp audio message next to the text; and intelligible (the recognizer hears them back)."""
from __future__ import annotations

import pytest

from bot.voice_replies import OFF, ON
from tests.voice.test_voice_dialogue import heard, say


def _kinds(replies) -> list[str]:
    return [r.kind for r in replies]


def test_offered_after_the_first_voice_note_then_spoken(bot, catalog):
    citizen = "919800000201"
    first = say(bot, citizen, transcript=heard("I want to renew my driving licence", "en", 0.9))
    offer = first[-1]
    assert [b.id for b in offer.buttons] == [ON, OFF]
    again = say(bot, citizen, transcript=heard("I want to renew my driving licence", "en", 0.9))
    assert all(ON not in [b.id for b in r.buttons] for r in again)  # offered once only
    assert "audio" not in _kinds(again)  # not asked for: text only
    assert "voice" in say(bot, citizen, choice=ON)[0].text.lower()
    answered = say(bot, citizen, text="menu")
    assert _kinds(answered)[-1] == "audio"
    spoken = answered[-1]
    assert spoken.language == "en" and answered[0].text.splitlines()[0] in spoken.text
    assert "text" in say(bot, citizen, text="text only")[0].text.lower()
    assert "audio" not in _kinds(say(bot, citizen, text="menu"))


def test_telugu_speakers_hear_telugu(bot):
    citizen = "919800000202"
    say(bot, citizen, transcript=heard("నాకు డ్రైవింగ్ లైసెన్స్ పునరుద్ధరణ కావాలి", "te", 0.9))
    say(bot, citizen, choice=ON)
    answered = say(bot, citizen, text="మెనూ")
    assert answered[-1].kind == "audio" and answered[-1].language == "te"


def test_the_web_chat_is_not_offered_voice_replies(bot):
    replies = say(bot, "web-session-1", transcript=heard("I want to renew my driving licence", "en", 0.9),
                  channel="web")
    assert all(ON not in [b.id for b in r.buttons] for r in replies)


@pytest.fixture
def graph_server():
    from tests.fakes.graph_server import GraphServer

    with GraphServer() as server:
        yield server


def test_sent_as_a_whatsapp_audio_message(graph_server):
    from bot.replies import Reply
    from whatsapp.client import WhatsAppClient

    graph = graph_server.graph
    client = WhatsAppClient(graph_server.url, graph.phone_number_id, graph.token, rate_per_s=1000)
    try:
        ids = client.send_reply("919800000203", Reply("audio", "*Caste certificate*. I will ask for 5 details.",
                                                      language="en"))
    finally:
        client.close()
    assert len(ids) == 1
    sent = graph.sent[-1]
    assert sent["type"] == "audio" and sent["audio"]["id"] in graph.uploads
    upload = graph.uploads[sent["audio"]["id"]]
    assert upload.mime_type == "audio/ogg" and upload.content[:4] == b"OggS"
    assert not graph.rejected


def test_a_spoken_reply_is_heard_back(faster_base):
    """Intelligibility: the English voice reply through the recognizer gives the reply's words back."""
    from rapidfuzz import fuzz

    from nlu.translit import phonetic_key
    from voice.espeak import spoken_reply, spoken_text

    reply = "*Caste certificate*. I will ask for 5 details."
    transcript = faster_base.transcribe(spoken_reply(reply, "en"))
    assert transcript.language == "en"
    # measured: "cost certificate. I will ask for 5 details." (espeak-ng's "caste" is heard as "cost")
    assert fuzz.ratio(phonetic_key(spoken_text(reply)), phonetic_key(transcript.text)) >= 80
