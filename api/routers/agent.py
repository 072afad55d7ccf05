"""The agent inbox (/agent) and its API (/v1/agent/...): citizens waiting for a person, oldest first.

Agents (role `agent` in MITRA_ANALYST_TOKENS, or admins) read the conversation so far, with personal numbers
masked, answer (inside the service window as text, outside it as the agent_reply template) and resolve,
which hands the citizen back to the bot.
"""
from __future__ import annotations

import uuid
from functools import lru_cache
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, HTTPException
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from api.analyst_auth import AgentDep
from api.deps import ServicesDep
from bot.handoff import OPEN, close_handoffs
from core.db import Citizen, Conversation, Handoff, Message, Notification, utcnow
from core.yaml_files import read_yaml
from runtime.services import Services

router = APIRouter(tags=["agent"])
PAGE = Path(__file__).resolve().parent.parent / "static" / "agent.html"
QUICK_REPLIES = Path(__file__).resolve().parents[2] / "runtime" / "quick_replies.yaml"
HandoffId = Annotated[int, PathParam(ge=1, le=2**63 - 1)]
BACK_TO_BOT = {"en": "Thank you. Mitra, the assistant, will help you from here; type *menu* any time.",
               "te": "ధన్యవాదాలు. ఇకపై మిత్ర సహాయం చేస్తుంది; ఎప్పుడైనా *మెనూ* అని టైప్ చేయండి."}


class AgentReply(BaseModel):
    text: str = Field(min_length=1, max_length=1000)


@lru_cache
def quick_replies() -> list[dict]:
    return read_yaml(QUICK_REPLIES)


@router.get("/agent", response_class=HTMLResponse, include_in_schema=False)
def agent_page() -> str:
    return PAGE.read_text(encoding="utf-8")


@router.get("/v1/agent/handoffs")
def waiting(agent: AgentDep, services: ServicesDep) -> dict:
    return {"handoffs": _waiting(services)}



def _waiting(services: Services) -> list[dict]:
    now = utcnow()
    with services.session_factory() as session:
        rows = session.execute(select(Handoff, Citizen).join(Citizen, Citizen.id == Handoff.citizen_id)
                               .where(Handoff.status.in_(OPEN)).order_by(Handoff.started_at, Handoff.id)).all()
        return [{"id": h.id, "citizen": c.number_masked, "status": h.status, "agent": h.agent,
                 "started_at": h.started_at.isoformat(), "waiting_s": int((now - h.started_at).total_seconds()),
                 "language": c.language} for h, c in rows]


@router.get("/v1/agent/handoffs/{handoff_id}")
def conversation(handoff_id: HandoffId, agent: AgentDep, services: ServicesDep) -> dict:
    with services.session_factory() as session:
        handoff, citizen = _handoff(session, handoff_id)
        messages = session.scalars(select(Message).where(Message.citizen_id == citizen.id)
                                   .order_by(Message.created_at, Message.id)).all()
        return {"id": handoff.id, "citizen": citizen.number_masked, "status": handoff.status,
                "in_window": _in_window(services, messages),
                "messages": [_message(m) for m in messages], "quick_replies": quick_replies()}


@router.post("/v1/agent/handoffs/{handoff_id}/reply")
async def reply(handoff_id: HandoffId, body: AgentReply, agent: AgentDep, services: ServicesDep) -> dict:
    return await run_in_threadpool(_reply, services, handoff_id, body.text, agent.name)


@router.post("/v1/agent/handoffs/{handoff_id}/resolve")
async def resolve(handoff_id: HandoffId, agent: AgentDep, services: ServicesDep) -> dict:
    return await run_in_threadpool(_resolve, services, handoff_id, agent.name)


def _reply(services: Services, handoff_id: int, text: str, agent_name: str) -> dict:
    with services.session_factory.begin() as session:
        handoff, citizen = _handoff(session, handoff_id)
        if handoff.status not in OPEN:
            raise HTTPException(409, f"hand-off {handoff_id} is {handoff.status}")
        handoff.status, handoff.agent = "answered", agent_name
        handoff.first_answer_at = handoff.first_answer_at or utcnow()
        citizen_id = citizen.id
    return _send(services, citizen_id, text, f"agent:{handoff_id}:{uuid.uuid4().hex}")


def _resolve(services: Services, handoff_id: int, agent_name: str) -> dict:
    with services.session_factory.begin() as session:
        handoff, citizen = _handoff(session, handoff_id)
        if handoff.status not in OPEN:
            raise HTTPException(409, f"hand-off {handoff_id} is {handoff.status}")
        close_handoffs(session, citizen.id, "resolved", agent_name)
        conversation = session.scalar(select(Conversation).where(Conversation.citizen_id == citizen.id))
        language = citizen.language or (conversation.language if conversation else "en")
        if conversation is not None:
            conversation.handed_off = False  # the version column makes a concurrent bot update retry
        citizen_id = citizen.id
    text = BACK_TO_BOT["te" if language.startswith("te") else "en"]
    return {"resolved": handoff_id, **_send(services, citizen_id, text, f"agent:{handoff_id}:resolved")}


def _send(services: Services, citizen_id: int, text: str, key: str) -> dict:
    notifier = services.notifier()
    row_id = notifier.notify(citizen_id, "agent_reply", "", {"message": text}, dedupe_key=key)
    with services.session_factory() as session:
        row = session.get(Notification, row_id) if row_id else None
        return {"notification": row_id, "status": row.status if row else "duplicate",
                "sent_as": row.sent_as if row else None, "error": row.error if row else None}


def _handoff(session, handoff_id: int) -> tuple[Handoff, Citizen]:
    handoff = session.get(Handoff, handoff_id)
    if handoff is None:
        raise HTTPException(404, f"no hand-off {handoff_id}")
    return handoff, session.get(Citizen, handoff.citizen_id)


def _in_window(services: Services, messages: list[Message]) -> bool:
    last_in = max((m.created_at for m in messages if m.direction == "in"), default=None)
    return last_in is not None and \
        (utcnow() - last_in).total_seconds() < services.settings.whatsapp_service_window_s


def _message(m: Message) -> dict:
    route = m.route or {}
    return {"at": m.created_at.isoformat(), "direction": m.direction, "kind": m.kind, "text": m.text,
            "transcript": m.transcript, "route": {k: route.get(k) for k in ("decision", "intent", "confidence")}
            if route else None}
