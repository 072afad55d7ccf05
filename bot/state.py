"""What the bot remembers about one conversation between two messages (stored as JSON, personal parts sealed).

The form in progress (service_id, slots, field_name) is the *active* one; a form the citizen stepped away from
(a status question, another request, the menu, a pause of days) is kept in `drafts` until it is submitted or
cancelled, and "continue" brings it back. Nothing expires a draft.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields

from core.security import Vault

IDLE = "idle"
CONFIRM_SERVICE = "confirm_service"  # waiting for Yes / No / Menu on a routed service
CLARIFY = "clarify"  # waiting for a pick from a list of close services
DID_YOU_SAY = "did_you_say"  # kept so conversations stored before the list of likely services still load
FILLING = "filling"  # asking the workflow's fields one by one
SUMMARY = "summary"  # waiting for Submit / Back / Cancel
MENU_DEPARTMENTS = "menu_departments"
MENU_SERVICES = "menu_services"
CHOOSE_LANGUAGE = "choose_language"
CONFIRM_ANSWER = "confirm_answer"  # an answer understood but not surely: "Did you mean …?" Yes / No
AFTER_TOO_MANY_TRIES = "after_too_many_tries"  # a field refused three answers: try again / skip / a person

SEALED = ("slots", "heard_text", "heard_entities", "pending_entities", "pending_request", "drafts", "flow_data",
          "unsure", "account")


@dataclass
class DialogueState:
    step: str = IDLE
    service_id: str | None = None
    slots: dict[str, str] = field(default_factory=dict)  # field name -> validated value (sealed when stored)
    field_name: str | None = None  # the field being asked
    retries: int = 0
    prefilled: list[str] = field(default_factory=list)  # fields filled from the request, not asked
    candidates: list[str] = field(default_factory=list)  # service ids offered in a clarify list
    department_number: int | None = None  # the department whose services are listed
    menu_page: int = 0
    heard_text: str | None = None
    heard_service: str | None = None
    heard_entities: list[dict] = field(default_factory=list)
    pending_entities: list[dict] = field(default_factory=list)  # from the first message, for pre-fill
    pending_request: str | None = None  # the first message itself, for choices it already names
    drafts: dict[str, dict] = field(default_factory=dict)  # service id -> a paused form (see Draft)
    unsure: dict = field(default_factory=dict)  # {"value", "display"}: an answer waiting for Yes / No
    # the problem told before the form's description was asked ("shop 1234 in Tenali, the dealer…" at the
    # district): shown at that question, to be added to
    account: str | None = None
    language_known: bool = False  # the citizen's words have shown their language
    flow_data: dict = field(default_factory=dict)  # memory of an extension flow (bot/hooks.py)
    last_reference: str | None = None
    references: dict[str, str] = field(default_factory=dict)  # service id -> the citizen's latest request for it

    def to_json(self, vault: Vault) -> dict:
        data = asdict(self)
        for key in SEALED:  # answers, transcripts and entities may hold an Aadhaar or mobile number
            if data[key]:
                data[key] = vault.seal_json(data[key])
            elif key == "slots":
                data[key] = ""
        return data

    @classmethod
    def from_json(cls, data: dict | None, vault: Vault) -> DialogueState:
        if not data:
            return cls()
        known = {f.name: f for f in fields(cls)}
        data = {k: v for k, v in data.items() if k in known}
        for key in SEALED:
            value = data.get(key)
            if isinstance(value, str) and value:
                data[key] = vault.open_json(value)
            elif not value:
                data[key] = known[key].default_factory() if callable(known[key].default_factory) else None
        return cls(**data)

    # ------------------------------------------------------------- forms
    @property
    def has_form(self) -> bool:
        return self.service_id is not None and self.step in (FILLING, SUMMARY, AFTER_TOO_MANY_TRIES, CONFIRM_ANSWER)

    def park(self) -> str | None:
        """Keep the active form as a draft (answers and the question reached); returns its service id."""
        if not self.has_form:
            return None
        order = 1 + max((d.get("order", 0) for d in self.drafts.values()), default=0)
        self.drafts[self.service_id] = {"slots": dict(self.slots), "field_name": self.field_name,
                                        "prefilled": list(self.prefilled), "account": self.account, "order": order}
        return self.service_id

    def unpark(self, service_id: str) -> bool:
        """Make a draft the active form again (False when there is none for that service)."""
        draft = self.drafts.pop(service_id, None)
        if draft is None:
            return False
        self.service_id, self.slots = service_id, dict(draft["slots"])
        self.field_name, self.prefilled = draft.get("field_name"), list(draft.get("prefilled", []))
        self.account = draft.get("account")
        self.retries = 0
        return True

    def hold_request(self, result) -> None:
        """Keep what a routed request already said (an nlu RouteResult), for the form's pre-fill."""
        self.pending_entities = [asdict(e) for e in result.entities]
        self.pending_request = result.text

    def latest_draft(self) -> str | None:
        if not self.drafts:
            return None
        return max(self.drafts, key=lambda sid: self.drafts[sid].get("order", 0))

    def reset(self) -> None:
        """Leave the step in progress. An active form is kept as a draft; the known language and the last
        reference stay."""
        self.park()
        self.discard_form()

    def discard_form(self) -> None:
        """Forget the step in progress without keeping the active form (cancel, or after submission)."""
        keep = (self.last_reference, self.references, self.drafts, self.language_known)
        self.__init__()
        self.last_reference, self.references, self.drafts, self.language_known = keep
