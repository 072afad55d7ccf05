"""Voice replies for citizens who speak: offered once, after a citizen's first WhatsApp voice note; when they
accept, each answer is also sent as a spoken audio message (the channel speaks it: whatsapp.client.send_audio,
espeak-ng's Telugu or English voice) next to the text. The choice is kept on the citizen (citizens.voice_replies).
"""
from __future__ import annotations

from bot import render
from bot.hooks import GlobalCommand
from bot.replies import Reply
from core.db import Citizen
from nlu import words

ON, OFF = "voice_replies:on", "voice_replies:off"
ON_WORDS = frozenset({"voice replies", "voice reply", "voice on", "speak replies", "వాయిస్ జవాబులు", "voice javabulu"})
OFF_WORDS = frozenset({"text only", "voice off", "no voice", "టెక్స్ట్ మాత్రమే", "text matrame"})
SPOKEN_KINDS = ("text", "buttons", "list")


class VoiceReplies:
    def __init__(self, session_factory):
        self.sessions = session_factory

    def preference(self, citizen_db_id: int) -> bool | None:
        with self.sessions() as session:
            citizen = session.get(Citizen, citizen_db_id)
            return None if citizen is None else citizen.voice_replies

    def _set(self, citizen_db_id: int, value: bool) -> None:
        with self.sessions.begin() as session:
            citizen = session.get(Citizen, citizen_db_id)
            if citizen is not None:
                citizen.voice_replies = value

    @property
    def command(self) -> GlobalCommand:
        """The offer's buttons, and "voice replies" / "text only" said or typed at any time."""
        return GlobalCommand("voice_replies", _asks, self._choose)

    def _choose(self, convo, turn) -> None:
        wanted = turn.choice_id == ON or turn.said in ON_WORDS
        self._set(convo.citizen_db_id, wanted)
        convo.add(render.text(convo.t.say("voice_replies_on" if wanted else "voice_replies_off")))

    def after(self, convo, turn, channel: str) -> None:
        """After the dialogue answered: offer voice replies after the first voice note, or speak the answer."""
        if channel != "whatsapp" or not convo.replies:
            return
        wanted = self.preference(convo.citizen_db_id)
        if wanted is None and turn.voice:
            self._set(convo.citizen_db_id, False)  # offered once; the buttons or the words switch it on
            t = convo.t
            convo.add(render.buttons(t.say("voice_replies_offer"), [
                (ON, t.title("button_voice_on")), (OFF, t.title("button_voice_off"))]))
        elif wanted:
            spoken = "\n".join(r.text for r in convo.replies if r.kind in SPOKEN_KINDS and r.text.strip())
            if spoken:
                masked = {k: v for r in convo.replies for k, v in r.masked.items()}
                convo.replies.append(Reply("audio", spoken, language=convo.language, masked=masked))


def _asks(turn) -> bool:
    return turn.choice_id in (ON, OFF) or words.folded(turn.text) in ON_WORDS | OFF_WORDS
