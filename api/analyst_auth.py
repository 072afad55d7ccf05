"""Who is calling an analyst endpoint: `Authorization: Bearer <token>` checked against settings.analyst_tokens.

`analyst_tokens` is "token:name:role,..." with role analyst or admin. Analyst endpoints accept nothing
else (no chat cookie, no webhook signature), and no citizen endpoint looks at these tokens.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Request

from api.deps import get_services
from core.security import same_secret

ROLES = ("analyst", "admin", "agent")  # agents answer hand-offs (/agent) and see nothing else
MIN_TOKEN_CHARS = 16


@dataclass(frozen=True)
class Analyst:
    name: str
    role: str

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


class TokenConfigError(ValueError):
    pass


def parse_tokens(spec: str) -> dict[str, Analyst]:
    """Parse "token:name:role,..." and refuse weak or malformed entries (the message never shows a token)."""
    tokens: dict[str, Analyst] = {}
    for n, entry in enumerate(part.strip() for part in (spec or "").split(",")):
        if not entry:
            continue
        parts = entry.split(":")
        if len(parts) != 3 or not all(p.strip() for p in parts):
            raise TokenConfigError(f"analyst_tokens entry {n + 1} is not token:name:role")
        token, name, role = (p.strip() for p in parts)
        if role not in ROLES:
            raise TokenConfigError(f"analyst_tokens entry {n + 1} ({name}): role must be analyst, admin or agent")
        if len(token) < MIN_TOKEN_CHARS:
            raise TokenConfigError(f"analyst_tokens entry {n + 1} ({name}): the token is shorter than "
                                   f"{MIN_TOKEN_CHARS} characters")
        tokens[token] = Analyst(name, role)
    return tokens


def find_analyst(tokens: dict[str, Analyst], presented: str) -> Analyst | None:
    found = None
    for token, analyst in tokens.items():  # compare with every token in constant time
        if same_secret(presented, token):
            found = analyst
    return found


def current_analyst(request: Request) -> Analyst:
    staff = current_staff(request)
    if staff.role == "agent":
        raise HTTPException(403, f"{staff.name} is an agent; this needs an analyst")
    return staff


def current_agent(request: Request) -> Analyst:
    staff = current_staff(request)
    if staff.role not in ("agent", "admin"):
        raise HTTPException(403, f"{staff.name} is an analyst; the agent inbox needs an agent")
    return staff


def current_staff(request: Request) -> Analyst:
    services = get_services(request)
    try:
        tokens = parse_tokens(services.settings.analyst_tokens)
    except TokenConfigError as exc:
        raise HTTPException(503, f"analyst access is misconfigured: {exc}") from None
    if not tokens:
        raise HTTPException(503, "analyst access is not configured (MITRA_ANALYST_TOKENS is empty)")
    scheme, _, presented = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not presented.strip():
        raise HTTPException(401, "analyst endpoints need 'Authorization: Bearer <analyst token>'",
                            headers={"WWW-Authenticate": "Bearer"})
    analyst = find_analyst(tokens, presented.strip())
    if analyst is None:
        raise HTTPException(401, "unknown analyst token", headers={"WWW-Authenticate": "Bearer"})
    return analyst


def admin_analyst(analyst: Annotated[Analyst, Depends(current_analyst)]) -> Analyst:
    if not analyst.is_admin:
        raise HTTPException(403, f"{analyst.name} is an analyst; this needs an admin")
    return analyst


AgentDep = Annotated[Analyst, Depends(current_agent)]
AnalystDep = Annotated[Analyst, Depends(current_analyst)]
AdminDep = Annotated[Analyst, Depends(admin_analyst)]
