"""What the bot remembers about one conversation between two messages (stored as JSON, slots sealed)."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields

from core.security import Vault

IDLE = "idle"
CONFIRM_SERVICE = "confirm_service"  # waiting for Yes / No / Menu on a routed service
CLARIFY = "clarify"  # waiting for a pick from a list of close services
DID_YOU_SAY = "did_you_say"  # a voice note we were not sure about
FILLING = "filling"  # asking the workflow's fields one by one
SUMMARY = "summary"  # waiting for Submit / Back / Cancel
MENU_DEPARTMENTS = "menu_departments"
MENU_SERVICES = "menu_services"
CHOOSE_LANGUAGE = "choose_language"
AFTER_TOO_MANY_TRIES = "after_too_many_tries"


@dataclass
class DialogueState:
    step: str = IDLE
    service_id: str | None = None
    slots: dict[str, str] = field(default_factory=dict)  # field name -> validated value (sealed when stored)
    field_name: str | None = None  # the field being asked
    retries: int = 0
    candidates: list[str] = field(default_factory=list)  # service ids offered in a clarify list
    department_number: int | None = None  # the department whose services are listed
    menu_page: int = 0
    heard_text: str | None = None  # voice transcript awaiting "Did you say ...?"
    heard_service: str | None = None
    heard_entities: list[dict] = field(default_factory=list)
    pending_entities: list[dict] = field(default_factory=list)  # from the first message, for pre-fill
    last_reference: str | None = None
    flow_data: dict = field(default_factory=dict)  # memory of an extension flow (bot/hooks.py)

    def to_json(self, vault: Vault) -> dict:
        data = asdict(self)
        data["slots"] = vault.seal_json(self.slots) if self.slots else ""
        for key in ("heard_text", "heard_entities", "pending_entities", "flow_data"):
            if data[key]:  # a transcript or entity may hold an Aadhaar or mobile number
                data[key] = vault.seal_json(data[key])
        return data

    @classmethod
    def from_json(cls, data: dict | None, vault: Vault) -> "DialogueState":
        if not data:
            return cls()
        known = {f.name for f in fields(cls)}
        data = {k: v for k, v in data.items() if k in known}
        for key, empty in (("slots", {}), ("heard_text", None), ("heard_entities", []),
                           ("pending_entities", []), ("flow_data", {})):
            data[key] = vault.open_json(data[key]) if isinstance(data.get(key), str) and data[key] else \
                (data.get(key) or empty)
        return cls(**data)

    def reset(self) -> None:
        """Forget the request in progress, keep what identifies the citizen's past requests."""
        last = self.last_reference
        self.__init__()
        self.last_reference = last
