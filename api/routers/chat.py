"""The web chat: a page at /chat and the JSON endpoints it uses, talking to the same Bot as WhatsApp."""
from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from pathlib import Path

from fastapi import APIRouter, HTTPException, Request, Response
from fastapi.responses import HTMLResponse
from pydantic import BaseModel
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from api.deps import ServicesDep
from api.routers.transcribe import STATUS_FOR_REASON
from api.uploads import read_audio_upload
from applications.signed_links import DocumentShelf, LinkError
from bot import render
from bot.replies import Document, IncomingMessage, Reply
from core.db.models import Citizen, Conversation
from nlu.script import readable
from runtime import metrics
from runtime.payment_notices import document_for, last_message_id, pushed_since
from runtime.services import Services
from runtime.speech import SpeechError, transcribe_bytes

router = APIRouter(tags=["chat"])

PAGE = Path(__file__).resolve().parent.parent / "static" / "chat.html"
COOKIE = "mitra_chat"
MAX_TEXT_CHARS = 4096


class ChatMessage(BaseModel):
    text: str | None = None
    choice_id: str | None = None


def _session_id(request: Request, response: Response) -> str:
    session = request.cookies.get(COOKIE, "")
    if not (session.isalnum() and 16 <= len(session) <= 64):
        session = secrets.token_hex(16)
        response.set_cookie(COOKIE, session, httponly=True, samesite="strict", max_age=30 * 24 * 3600)
    return session


def _shelf(services: Services) -> DocumentShelf:
    return DocumentShelf(services.settings.data_dir / "chat_documents", services.settings.secret_key)


def render_for_web(reply: Reply, shelf: DocumentShelf) -> dict:
    """The reply as the chat page draws it, with WhatsApp's limits so it looks the same."""
    shown: dict = {"kind": reply.kind, "text": reply.text}
    if reply.kind == "buttons":
        shown["buttons"] = [{"id": b.id, "title": render.clip(b.title, render.BUTTON_TITLE_MAX)}
                            for b in reply.buttons[: render.BUTTONS_MAX]]
    elif reply.kind == "list":
        shown["list_button"] = render.clip(reply.list_button or "Options", render.LIST_BUTTON_MAX)
        shown["rows"] = [{"id": r.id, "title": render.clip(r.title, render.ROW_TITLE_MAX),
                          "description": render.clip(r.description, render.ROW_DESCRIPTION_MAX)}
                         for r in reply.rows[: render.LIST_MAX_ROWS]]
    elif reply.kind == "document" and reply.document is not None:
        token = shelf.put(reply.document.content, reply.document.filename)
        shown["document"] = {"filename": reply.document.filename, "caption": reply.document.caption,
                             "url": f"/v1/chat/documents/{token}"}
    return shown


def _answer(services: Services, message: IncomingMessage) -> list[dict]:
    metrics.MESSAGES_IN.labels("web", "audio" if message.transcript is not None else
                               "interactive" if message.choice_id else "text").inc()
    replies = services.bot().handle(message)
    metrics.count_replies("web", replies)
    shelf = _shelf(services)
    return [render_for_web(r, shelf) for r in replies]


@router.get("/chat", response_class=HTMLResponse)
def chat_page(request: Request) -> HTMLResponse:
    response = HTMLResponse(PAGE.read_text(encoding="utf-8"))
    _session_id(request, response)
    return response


@router.post("/v1/chat/messages")
async def chat_message(body: ChatMessage, request: Request, response: Response,
                       services: ServicesDep) -> dict:
    text = (body.text or "").strip()
    if not text and not body.choice_id:
        raise HTTPException(422, "send 'text' or 'choice_id'")
    if len(text) > MAX_TEXT_CHARS:
        raise HTTPException(413, f"the message is {len(text)} characters; the limit is {MAX_TEXT_CHARS}")
    session = _session_id(request, response)
    message = IncomingMessage(citizen_id=f"web-{session}", message_id=f"web-{uuid.uuid4().hex}", channel="web",
                              text=text or None, choice_id=body.choice_id)
    return {"replies": await run_in_threadpool(_answer, services, message)}


@router.post("/v1/chat/audio")
async def chat_audio(request: Request, response: Response, services: ServicesDep) -> dict:
    session = _session_id(request, response)
    upload = await read_audio_upload(request, services.settings.max_audio_bytes)
    try:
        transcript = await run_in_threadpool(transcribe_bytes, services, upload.content)
    except SpeechError as exc:
        raise HTTPException(STATUS_FOR_REASON.get(exc.reason, 422),
                            {"error": exc.reason, "message": str(exc)}) from None
    message = IncomingMessage(citizen_id=f"web-{session}", message_id=f"web-{uuid.uuid4().hex}", channel="web",
                              text=transcript.text, transcript=transcript)
    replies = await run_in_threadpool(_answer, services, message)
    return {"transcript": _shown(services, message.citizen_id, transcript.text), "replies": replies}


def _shown(services: Services, sender_id: str, transcript: str) -> str | None:
    """The transcript under the citizen's voice note, only where they can read it (null otherwise: a Telugu
    speaker is never shown what the recognizer wrote in Thai or Devanagari letters)."""
    key = services.vault.lookup_hash(sender_id)
    with services.session_factory() as session:
        language = session.scalar(select(Conversation.language).join(Citizen).where(Citizen.lookup_hash == key))
    return transcript if readable(transcript, language) else None


def _chat_tag(services: Services, session: str) -> str:
    """A name for this chat that the page may keep (its cookie is out of the page's reach), revealing nothing of it."""
    return hmac.new(services.settings.secret_key.encode(), f"chat-cursor:{session}".encode(),
                    hashlib.sha256).hexdigest()[:16]


@router.get("/v1/chat/updates")
def chat_updates(request: Request, response: Response, services: ServicesDep, after: int | None = None) -> dict:
    """What mitra sent this chat on its own since message `after` (a receipt once the payment page is paid, a
    ticket, a failed payment, a status change, a certificate, a reminder). Without `after`: only the cursor to
    start polling from. `chat` names the chat session: the page keeps its last cursor under it, so after a reload
    it asks from there and what came while it was closed is shown."""
    session = _session_id(request, response)
    if after is None or after < 0:
        return {"cursor": last_message_id(services), "chat": _chat_tag(services, session), "replies": []}
    pushed = pushed_since(services, f"web-{session}", after)
    shelf = _shelf(services)
    replies = []
    for item in pushed:
        document = document_for(services, item.document, item.text) if item.document else \
            _notification_document(services, item)
        reply = Reply(kind="document", text=item.text, document=document) if document else \
            Reply(kind="text", text=item.text)
        replies.append(render_for_web(reply, shelf))
    return {"cursor": max([after, *(p.id for p in pushed)]), "chat": _chat_tag(services, session), "replies": replies}


def _notification_document(services: Services, item) -> Document | None:
    document = services.notifier().document_of(item.notification) if item.notification else None
    return Document(document.filename, document.content, document.mime_type, item.text) if document else None


@router.get("/v1/chat/documents/{token}")
def chat_document(token: str, services: ServicesDep) -> Response:
    try:
        content, filename = _shelf(services).get(token)
    except LinkError as exc:
        raise HTTPException(404, str(exc)) from None
    return Response(content, media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
