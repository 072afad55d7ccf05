"""The citizen's say over their data: the first-contact notice, STOP/START, muting a kind, "my data" and
"delete my data". Checked before the dialogue on every message (bot/engine.py).

Erasure removes what identifies the citizen (name, numbers, messages, transcripts, audio, conversation) and
keeps, without personal fields, what the law requires: each application's reference, service, status, fee and
dates (AP Public Services Delivery Guarantee Act time-limits; payment accounts), and the certificate register
(an issued certificate must stay verifiable, so its holder's name stays on it).
"""
from __future__ import annotations

import json
import secrets
from datetime import timedelta
from functools import lru_cache
from pathlib import Path

from sqlalchemy import delete, select, update

from bot import render
from bot.replies import Reply
from core.db import (
    Application,
    Citizen,
    Consent,
    Conversation,
    Delivery,
    Handoff,
    InboxItem,
    Message,
    Notification,
    utcnow,
)
from core.db.commerce_models import PaymentOrder
from core.db.review_models import ReviewItem
from core.yaml_files import read_yaml
from nlu import words

TEXTS_FILE = Path(__file__).with_name("consent.yaml")
STOP = {"stop", "ఆపు", "aapu", "apu", "aapandi", "stop notifications", "stop updates all", "unsubscribe"}
START = {"start", "ప్రారంభించు", "prarambhinchu", "praarambhinchu", "start notifications", "resume"}
DELETE = {"delete my data", "erase my data", "delete my details", "నా వివరాలు తొలగించండి", "నా డేటా తొలగించండి",
          "naa vivaralu tolaginchandi", "na vivaralu tolaginchandi"}
MY_DATA = {"my data", "show my data", "export my data", "నా డేటా", "నా వివరాలు", "naa data", "na data",
           "naa vivaralu", "na vivaralu"}
MUTE = {"stop reminders": ("reminders", ("booking_reminder", "draft_reminder")),
        "reminders vaddu": ("reminders", ("booking_reminder", "draft_reminder")),
        "stop status updates": ("status", ("application_status",)),
        "stop updates": ("status", ("application_status",))}
UNMUTE = {"start reminders": MUTE["stop reminders"], "start status updates": MUTE["stop status updates"],
          "start updates": MUTE["stop updates"]}
ERASE_CONFIRM_FOR = timedelta(minutes=15)  # a "yes" later than this does not erase


@lru_cache
def _texts() -> dict:
    return read_yaml(TEXTS_FILE)


def say(language: str, key: str, **values) -> str:
    entry = _texts()[key]
    if language == "te-latn":
        return entry["te"].format(**values) + "\n\n" + entry["en"].format(**values)
    return entry["te" if language == "te" else "en"].format(**values)


class ConsentDesk:
    def __init__(self, session_factory, vault, settings, audio_store=None):
        self.sessions = session_factory
        self.vault = vault
        self.settings = settings
        self.audio_store = audio_store

    # -- every message ---------------------------------------------------------------------------
    def respond(self, citizen_db_id: int, convo, said: str, choice: str | None) -> str | None:
        """Answer a consent command into `convo.replies`; returns "erased", "answered" or None (not ours)."""
        if _is_command(said) and not convo.chosen_language:
            convo.language = _language_of(said, convo.language)
        lang = convo.language
        confirming = choice == "erase:yes" or (choice is None and words.yes_or_no(said) is True)
        if confirming and self._erase_pending(citizen_db_id):
            convo.replies.append(render.text(self.erase(citizen_db_id, lang)))
            return "erased"
        if choice == "erase:no" or (words.yes_or_no(said) is False and self._erase_pending(citizen_db_id)):
            self._update(citizen_db_id, erase_asked_at=None)
            convo.add(render.text(say(lang, "erase_kept_going")))
            return "answered"
        if said in DELETE:
            self._update(citizen_db_id, erase_asked_at=utcnow())
            convo.add(render.buttons(say(lang, "erase_confirm"), [
                ("erase:yes", say(lang if lang != "te-latn" else "te", "erase_yes")),
                ("erase:no", say(lang if lang != "te-latn" else "te", "erase_no"))]))
            return "answered"
        if said in MY_DATA:
            convo.add(self.export(citizen_db_id, lang))
            return "answered"
        if said in STOP:
            self._update(citizen_db_id, notifications_off=True)
            if convo.state.step != "idle" or convo.state.service_id:
                convo.state.reset()  # STOP also ends the request in progress, as "stop" always did
            convo.add(render.text(say(lang, "stopped")))
            return "answered"
        if said in START and self._consent(citizen_db_id).notifications_off:
            self._update(citizen_db_id, notifications_off=False)
            convo.add(render.text(say(lang, "started")))
            return "answered"
        for table, key in ((MUTE, "muted"), (UNMUTE, "unmuted")):
            if said in table:
                what, kinds = table[said]
                self._mute(citizen_db_id, kinds, on=key == "muted")
                convo.add(render.text(say(lang, key, what=say(lang if lang != "te-latn" else "te",
                                                              f"what_{what}"))))
                return "answered"
        return None

    def add_notice(self, citizen_db_id: int, convo) -> None:
        """On first contact, the privacy notice goes with the first answer (recorded with version and time)."""
        consent = self._consent(citizen_db_id)
        if consent.notice_at is not None or not convo.replies:
            return
        url = f"{self.settings.public_base_url.rstrip('/')}/privacy"
        notice = say(convo.language, "notice", url=url)
        first = convo.replies[0]
        limit = 4096 if first.kind == "text" else 1024
        if len(first.text) + len(notice) + 2 <= limit:
            first.text = f"{first.text}\n\n{notice}"
        else:
            convo.replies.append(render.text(notice))
        self._update(citizen_db_id, notice_version=self.settings.privacy_notice_version, notice_at=utcnow())

    # -- consent rows ----------------------------------------------------------------------------
    def _consent(self, citizen_db_id: int) -> Consent:
        with self.sessions.begin() as session:
            consent = session.scalar(select(Consent).where(Consent.citizen_id == citizen_db_id))
            if consent is None:
                consent = Consent(citizen_id=citizen_db_id, notifications_off=False, muted_kinds=[])
                session.add(consent)
            session.flush()
            session.expunge(consent)
            return consent

    def _update(self, citizen_db_id: int, **values) -> None:
        self._consent(citizen_db_id)
        with self.sessions.begin() as session:
            session.execute(update(Consent).where(Consent.citizen_id == citizen_db_id)
                            .values(changed_at=utcnow(), **values))

    def _mute(self, citizen_db_id: int, kinds: tuple[str, ...], on: bool) -> None:
        muted = set(self._consent(citizen_db_id).muted_kinds or [])
        muted = muted | set(kinds) if on else muted - set(kinds)
        self._update(citizen_db_id, muted_kinds=sorted(muted))

    def _erase_pending(self, citizen_db_id: int) -> bool:
        asked = self._consent(citizen_db_id).erase_asked_at
        return asked is not None and utcnow() - asked < ERASE_CONFIRM_FOR

    # -- data rights -----------------------------------------------------------------------------
    def export(self, citizen_db_id: int, language: str) -> Reply:
        """Everything held about the citizen, as a document (text/plain JSON: WhatsApp takes no .json)."""
        with self.sessions() as session:
            citizen = session.get(Citizen, citizen_db_id)
            consent = session.scalar(select(Consent).where(Consent.citizen_id == citizen_db_id))
            held = {
                "number": self.vault.open(citizen.number_sealed) if citizen.number_sealed else "",
                "language": citizen.language, "first_contact": citizen.created_at.isoformat(),
                "privacy_notice": {"version": consent.notice_version if consent else None,
                                   "shown_at": consent.notice_at.isoformat() if consent and consent.notice_at
                                   else None},
                "notifications": {"stopped": bool(consent and consent.notifications_off),
                                  "turned_off": list(consent.muted_kinds or []) if consent else []},
                "applications": [_application(a, self.vault) for a in session.scalars(
                    select(Application).where(Application.citizen_id == citizen_db_id).order_by(Application.id))],
                "messages": [{"at": m.created_at.isoformat(), "direction": m.direction, "kind": m.kind,
                              "text": m.text, "transcript": m.transcript} for m in session.scalars(
                    select(Message).where(Message.citizen_id == citizen_db_id).order_by(Message.id))],
            }
        content = json.dumps(held, ensure_ascii=False, indent=2).encode()
        reply = render.document(say(language, "my_data"), "mana-mitra-my-data.txt", content)
        reply.document.mime_type = "text/plain"
        return reply

    def erase(self, citizen_db_id: int, language: str) -> str:
        with self.sessions.begin() as session:
            citizen = session.get(Citizen, citizen_db_id)
            lookup_hash = citizen.lookup_hash
            message_ids = select(Message.id).where(Message.citizen_id == citizen_db_id)
            count = session.execute(delete(ReviewItem).where(ReviewItem.message_id.in_(message_ids))).rowcount
            for table, column in ((Message, Message.citizen_id), (Notification, Notification.citizen_id),
                                  (Handoff, Handoff.citizen_id), (Consent, Consent.citizen_id),
                                  (Conversation, Conversation.citizen_id)):
                count += session.execute(delete(table).where(column == citizen_db_id)).rowcount
            count += session.execute(delete(Delivery).where(Delivery.citizen_hash == lookup_hash)).rowcount
            count += self._erase_inbox(session, lookup_hash)
            kept = self._strip_applications(session, citizen_db_id)
            self._strip_payments(session, citizen_db_id)
            citizen.lookup_hash = f"erased:{secrets.token_hex(16)}"  # the number's next message is a new citizen
            citizen.number_sealed, citizen.number_masked, citizen.language = "", "erased", None
        if self.audio_store is not None:
            count += self.audio_store.erase(lookup_hash)
        self._compact()
        kept_text = say(language, "kept_applications", count=len(kept), references=", ".join(kept)) if kept \
            else say(language, "kept_nothing")
        return say(language, "erased", count=count, kept=kept_text)

    def _erase_inbox(self, session, lookup_hash: str) -> int:
        """Received messages are deleted; the one being answered now keeps only what sending the reply needs."""
        count = session.execute(delete(InboxItem).where(InboxItem.citizen_hash == lookup_hash,
                                                        InboxItem.status != "processing")).rowcount
        for row in session.scalars(select(InboxItem).where(InboxItem.citizen_hash == lookup_hash)):
            data = self.vault.open_json(row.payload)
            data.update(text="", profile_name="", choice_title=None)
            row.payload = self.vault.seal_json(data)
        return count

    def _strip_applications(self, session, citizen_db_id: int) -> list[str]:
        kept = []
        for app in session.scalars(select(Application).where(Application.citizen_id == citizen_db_id)):
            app.fields = {name: "[erased]" for name in app.fields}
            app.fields_sealed = ""
            kept.append(app.reference)
        return kept

    @staticmethod
    def _strip_payments(session, citizen_db_id: int) -> None:
        """Payments stay on record (amounts, references, the gateway's ids); the number and the name on them go.
        Receipts and tickets already issued keep their holder, as certificates do, so they stay verifiable."""
        for order in session.scalars(select(PaymentOrder).where(PaymentOrder.citizen_id == citizen_db_id)):
            order.details = {**(order.details or {}), "contact": "", "holder": ""}

    def _compact(self) -> None:
        """No erased value may stay readable on disk (SQLite free pages and WAL, PostgreSQL dead row versions)."""
        from core.db.compaction import compact_after_erasure

        compact_after_erasure(self.sessions.kw["bind"], ERASED_TABLES)


ERASED_TABLES = (ReviewItem.__tablename__, Message.__tablename__, Notification.__tablename__, PaymentOrder.__tablename__,
                 Handoff.__tablename__, Consent.__tablename__, Conversation.__tablename__, Delivery.__tablename__,
                 InboxItem.__tablename__, Application.__tablename__, Citizen.__tablename__)
ROMANIZED = {"aapu", "apu", "aapandi", "prarambhinchu", "praarambhinchu", "naa vivaralu tolaginchandi",
             "na vivaralu tolaginchandi", "naa data", "na data", "naa vivaralu", "na vivaralu", "reminders vaddu"}


def _is_command(said: str) -> bool:
    return said in STOP | START | DELETE | MY_DATA or said in MUTE or said in UNMUTE


def _language_of(said: str, current: str) -> str:
    """A one-word command is too short for language detection: its script (or spelling) decides."""
    if any("\u0c00" <= ch <= "\u0c7f" for ch in said):
        return "te"
    if said in ROMANIZED:
        return "te-latn"
    return "en" if said.isascii() else current


def _application(app: Application, vault) -> dict:
    return {"reference": app.reference, "service": app.service_id, "status": app.status, "fee": app.fee,
            "submitted_at": app.submitted_at.isoformat(), "expected_by": app.expected_by.isoformat(),
            "details": vault.open_json(app.fields_sealed) if app.fields_sealed else app.fields,
            "history": app.status_history}
