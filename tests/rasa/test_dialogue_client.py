"""RasaDialogue against an HTTP server speaking Rasa's REST channel format, and against none at all."""
from __future__ import annotations

from fastapi import FastAPI, Request

from bot.rasa_dialogue import RasaDialogue
from bot.replies import IncomingMessage
from tests.fakes.http_server import ThreadedServer


def rest_channel(received: list[dict]) -> FastAPI:
    app = FastAPI()

    @app.post("/webhooks/rest/webhook")
    async def webhook(request: Request) -> list[dict]:
        body = await request.json()
        received.append(body)
        if body["message"] == "choose":
            return [{"recipient_id": body["sender"], "text": "Pick one",
                     "buttons": [{"title": f"Option {i}", "payload": f"/opt{i}"} for i in range(n)]}
                    for n in (2, 5)]
        return [{"recipient_id": body["sender"], "text": f"you said {body['message']}"}]

    return app


def test_text_voice_and_buttons_reach_rasa_and_come_back_as_replies():
    received: list[dict] = []
    with ThreadedServer(rest_channel(received)) as server:
        bot = RasaDialogue(server.url, timeout_s=5)
        assert bot.handle(IncomingMessage("9198", "m1", text="hello"))[0].text == "you said hello"
        voice = type("Transcript", (), {"text": "caste certificate kavali"})()
        assert bot.handle(IncomingMessage("9198", "m2", transcript=voice))[0].text == "you said caste certificate kavali"
        assert bot.handle(IncomingMessage("9198", "m3", text="Yes", choice_id="/affirm"))[0].text == "you said /affirm"
        few, many = bot.handle(IncomingMessage("9198", "m4", text="choose"))
        assert few.kind == "buttons" and [b.id for b in few.buttons] == ["/opt0", "/opt1"]
        assert many.kind == "list" and len(many.rows) == 5
        bot.close()
    assert received[0] == {"sender": "9198", "message": "hello",
                           "metadata": {"message_id": "m1", "channel": "whatsapp", "voice": False}}
    assert received[1]["metadata"]["voice"] is True


def test_polite_replies_without_rasa_or_without_words():
    from bot.rasa_runtime import free_port

    bot = RasaDialogue(f"http://127.0.0.1:{free_port()}", timeout_s=2)
    down = bot.handle(IncomingMessage("9198", "m1", text="hello"))
    assert "try again" in down[0].text
    assert "not" in bot.handle(IncomingMessage("9198", "m2", unsupported_type="sticker"))[0].text
    assert bot.handle(IncomingMessage("9198", "m3", text="   "))[0].text
    bot.close()


def test_the_dialogue_engine_setting_hands_the_bot_to_rasa(tmp_path):
    from core.settings import Settings
    from runtime.services import Services

    settings = Settings(_env_file=None, data_dir=tmp_path, dialogue_engine="rasa", rasa_url="http://127.0.0.1:5999")
    assert isinstance(Services(settings).bot(), RasaDialogue)
