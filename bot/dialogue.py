"""What to say next: one citizen message plus the remembered state in, replies plus the new state out.

No database here: the engine loads and saves; the connector submits and looks up applications.
"""
from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, field

from bot import render
from nlu import words
from bot.application_desk import ApplicationDesk, SubmitFailed
from bot.fields import check_answer, display_value, find_reference
from bot.replies import Reply
from bot.state import (AFTER_TOO_MANY_TRIES, CLARIFY, CONFIRM_SERVICE, DID_YOU_SAY, FILLING, IDLE,
                       MENU_DEPARTMENTS, MENU_SERVICES, SUMMARY, DialogueState)
from bot.texts import Texts
from catalog.schema import FieldType, Service, ServiceField
from nlu.types import Entity, RouteResult

log = logging.getLogger(__name__)

MAX_REASKS = 3  # an invalid answer is asked again at most three times
VOICE_SURE = 0.6  # below this transcript confidence we ask "Did you say ...?"
MENU_PAGE_ROWS = 9  # the tenth row of a WhatsApp list is "More…"
PLACE_TYPES = {FieldType.district: "districts", FieldType.town: "towns", FieldType.temple: "temples"}
ENTITY_FIELD_TYPES = {
    "aadhaar": FieldType.aadhaar, "mobile": FieldType.mobile, "date": FieldType.date,
    "district": FieldType.district, "town": FieldType.town, "temple": FieldType.temple,
    "reference": FieldType.identifier, "identifier": FieldType.identifier, "amount": FieldType.amount, "survey_number": FieldType.survey_number,
}


@dataclass
class Turn:
    """One citizen message, as the dialogue sees it."""

    message_id: str
    text: str
    choice_id: str | None = None
    transcript: object | None = None
    unsupported_type: str | None = None

    @property
    def said(self) -> str:
        return words.folded(self.text)

    @property
    def voice(self) -> bool:
        return self.transcript is not None


@dataclass
class Conversation:
    """What the dialogue may change about a conversation."""

    citizen_db_id: int
    state: DialogueState
    language: str  # the language replies are in
    chosen_language: str | None  # set when the citizen picked one explicitly
    handed_off: bool = False
    route: RouteResult | None = None  # filled when this message was routed
    replies: list[Reply] = field(default_factory=list)

    @property
    def t(self) -> Texts:
        return Texts(self.language)

    def add(self, reply: Reply) -> None:
        self.replies.append(reply)


class Dialogue:
    def __init__(self, catalog, router, connector, certificates, vault, clock, matcher=None):
        self.catalog = catalog
        self.router = router
        self.connector = connector
        self.desk = ApplicationDesk(catalog, connector, vault)
        self.certificates = certificates
        self.vault = vault
        self.clock = clock
        self.matcher = matcher

    # ---------------------------------------------------------------- entry point
    def respond(self, convo: Conversation, turn: Turn) -> None:
        if turn.unsupported_type:
            convo.add(render.text(convo.t.say("unsupported_type", kind=turn.unsupported_type)))
            return
        if not turn.text.strip() and not turn.choice_id:
            convo.add(render.text(convo.t.say("type_instead" if turn.voice else "not_understood")))
            return
        if convo.handed_off:
            self._while_handed_off(convo, turn)
            return
        if self._command(convo, turn):
            return
        handler = self.STEP_HANDLERS.get(convo.state.step)
        if handler and handler(self, convo, turn):
            return
        self._fresh_request(convo, turn)

    # ---------------------------------------------------------------- always-available words
    def _command(self, convo: Conversation, turn: Turn) -> bool:
        said, choice = turn.said, turn.choice_id
        if choice and choice.startswith("lang:"):
            self._set_language(convo, choice[5:])
            return True
        if (said in words.ENGLISH or said in words.TELUGU) and convo.state.step != FILLING:
            # while filling, "Telugu" may be an answer (e.g. medium of instruction); `language` still works
            self._set_language(convo, "en" if said in words.ENGLISH else "te")
            return True
        actions = [
            (choice == "menu" or said in words.MENU, self._show_departments),
            (choice == "cancel" or said in words.CANCEL, self._cancel),
            (choice == "back" or said in words.BACK, self._back),
            (said in words.HELP, self._help),
            (choice == "language" or said in words.LANGUAGE, self._ask_language),
            (choice == "agent" or said in words.AGENT, self._hand_off),
        ]
        for matched, action in actions:
            if matched:
                action(convo)
                return True
        return False

    def _while_handed_off(self, convo: Conversation, turn: Turn) -> None:
        if turn.choice_id in ("menu", "cancel") or turn.said in words.MENU | words.CANCEL:
            convo.handed_off = False
            if turn.choice_id == "menu" or turn.said in words.MENU:
                self._show_departments(convo)
            else:
                self._cancel(convo)
            return
        convo.add(render.text(convo.t.say("agent_will_answer")))

    def _set_language(self, convo: Conversation, language: str) -> None:
        convo.language = convo.chosen_language = "te" if language.startswith("te") else "en"
        convo.add(render.text(convo.t.say("language_set")))
        if convo.state.step == FILLING:
            self._ask_field(convo)
        elif convo.state.step == SUMMARY:
            self._summary(convo)

    def _ask_language(self, convo: Conversation) -> None:
        convo.add(render.buttons(convo.t.say("choose_language"), [("lang:en", "English"), ("lang:te", "తెలుగు")]))

    def _help(self, convo: Conversation) -> None:
        convo.add(render.text(convo.t.say("help")))

    def _hand_off(self, convo: Conversation) -> None:
        convo.handed_off = True
        convo.add(render.text(convo.t.say("handed_off")))

    def _cancel(self, convo: Conversation) -> None:
        busy = convo.state.step != IDLE or convo.state.service_id is not None
        convo.state.reset()
        convo.add(render.text(convo.t.say("cancelled" if busy else "nothing_to_cancel")))

    def _back(self, convo: Conversation) -> None:
        state = convo.state
        if state.step == FILLING:
            asked = self._asked_fields(state)
            if not asked:
                self._confirm(convo, self.catalog.services[state.service_id])
                return
            previous = asked[-1]
            state.slots.pop(previous.name, None)
            state.field_name, state.retries = previous.name, 0
            self._ask_field(convo)
        elif state.step == SUMMARY:
            service = self.catalog.services[state.service_id]
            if not service.fields:
                self._confirm(convo, service)
                return
            state.slots.pop(service.fields[-1].name, None)
            state.step, state.field_name, state.retries = FILLING, service.fields[-1].name, 0
            self._ask_field(convo)
        elif state.step == MENU_SERVICES:
            self._show_departments(convo)
        else:
            state.reset()
            convo.add(render.text(convo.t.say("nothing_to_go_back")))

    # ---------------------------------------------------------------- a new request
    def _fresh_request(self, convo: Conversation, turn: Turn) -> None:
        said = turn.said
        if said in words.GREETING:
            self._welcome(convo, turn)
            return
        if said in words.THANKS:
            convo.add(render.text(convo.t.say("thanks")))
            return
        reference = find_reference(turn.text)
        if reference:
            convo.state.reset()
            self._status(convo, reference)
            return
        if said.isdigit():
            self._pick_department(convo, int(said))
            return
        self._route(convo, turn)

    def _welcome(self, convo: Conversation, turn: Turn) -> None:
        romanized = turn.said in words.ROMANIZED_TELUGU_GREETING  # one word is too little for detection
        self._follow_language(convo, turn.text, "te-latn" if romanized else None)
        convo.state.reset()
        convo.add(render.buttons(convo.t.say("welcome"), [
            ("menu", convo.t.title("button_menu")), ("lang:en", "English"), ("lang:te", "తెలుగు")]))

    def _follow_language(self, convo: Conversation, text: str, detected: str | None = None) -> None:
        """Replies follow the language of the citizen's own words, unless they chose one."""
        if convo.chosen_language:
            return
        from nlu.script import detect_language

        detected = detected or detect_language(text)
        if detected in ("te", "mixed"):
            convo.language = "te"
        elif detected == "te-latn":
            convo.language = "te-latn"
        elif detected == "en" and len([w for w in text.split() if w.isalpha()]) >= 3:
            convo.language = "en"

    def _route(self, convo: Conversation, turn: Turn) -> None:
        try:
            result = self._route_result(turn)
        except ValueError as exc:  # nlu.normalize.TextError: empty or garbage text
            log.info("could not route message %s: %s", turn.message_id, exc)
            convo.add(render.text(convo.t.say("not_understood")))
            return
        convo.route = result
        self._follow_language(convo, turn.text, result.language)
        if turn.voice and _confidence(turn.transcript) < VOICE_SURE:
            convo.state.reset()
            convo.state.step, convo.state.heard_text = DID_YOU_SAY, turn.text
            convo.add(render.buttons(convo.t.say("did_you_say", text=turn.text), [
                ("yes", convo.t.title("button_yes")), ("no", convo.t.title("button_type"))]))
            return
        self._act_on_route(convo, result)

    def _route_result(self, turn: Turn) -> RouteResult:
        if self.router is None:
            raise ValueError("no routing model loaded: only menus and commands work")
        if turn.voice and self.matcher is not None:
            try:
                from nlu.voice_route import route_transcript
            except ModuleNotFoundError:
                return self.router.route(turn.text)
            return route_transcript(self.router, self.matcher, turn.transcript)
        return self.router.route(turn.text)

    def _act_on_route(self, convo: Conversation, result: RouteResult) -> None:
        state = convo.state
        state.reset()
        if result.decision == "meta":
            self._meta(convo, result.intent)
        elif result.decision == "route" and result.service_id in self.catalog.services:
            state.pending_entities = [asdict(e) for e in result.entities]
            self._confirm(convo, self.catalog.services[result.service_id])
        elif result.decision in ("route", "clarify"):
            self._clarify(convo, result)
        else:
            convo.add(render.buttons(convo.t.say("out_of_scope"), [
                ("menu", convo.t.title("button_menu")), ("agent", convo.t.title("button_agent"))]))

    def _meta(self, convo: Conversation, intent: str) -> None:
        action = {
            "greet": lambda c: self._welcome(c, Turn("", "")),
            "help": self._help, "menu": self._show_departments, "cancel": self._cancel,
            "change_language": self._ask_language, "human_agent": self._hand_off,
            "thanks": lambda c: c.add(render.text(c.t.say("thanks"))),
        }.get(intent, self._help)
        action(convo)

    def _confirm(self, convo: Conversation, service: Service) -> None:
        state = convo.state
        state.step, state.service_id, state.field_name = CONFIRM_SERVICE, service.id, None
        state.slots = {}
        t = convo.t
        department = self.catalog.department_of(service)
        convo.add(render.buttons(
            t.say("confirm_service", service=t.name(service.name), department=t.name(department.name)),
            [("yes", t.title("button_yes")), ("no", t.title("button_no")), ("menu", t.title("button_menu"))]))

    def _clarify(self, convo: Conversation, result: RouteResult) -> None:
        ids = [result.service_id] if result.service_id else []
        ids += [a.intent for a in result.alternatives]
        candidates = list(dict.fromkeys(i for i in ids if i in self.catalog.services))[:MENU_PAGE_ROWS]
        if not candidates:
            convo.add(render.text(convo.t.say("not_understood")))
            return
        if len(candidates) == 1:
            state = convo.state
            state.pending_entities = [asdict(e) for e in result.entities]
            self._confirm(convo, self.catalog.services[candidates[0]])
            return
        convo.state.step, convo.state.candidates = CLARIFY, candidates
        convo.state.pending_entities = [asdict(e) for e in result.entities]
        t = convo.t
        rows = [(f"svc:{sid}", t.name(self.catalog.services[sid].name),
                 t.name(self.catalog.department_of(self.catalog.services[sid]).name)) for sid in candidates]
        rows.append(("none", t.title("row_none"), ""))
        convo.add(render.choice_list(t.say("clarify"), rows, t.title("list_choose")))

    # ---------------------------------------------------------------- step handlers (True: consumed)
    def _on_confirm(self, convo: Conversation, turn: Turn) -> bool:
        if turn.choice_id == "yes" or turn.said in words.YES:
            self._start_workflow(convo, self.catalog.services[convo.state.service_id])
            return True
        if turn.choice_id == "no" or turn.said in words.NO:
            convo.state.reset()
            convo.add(render.text(convo.t.say("rephrase")))
            return True
        return False

    def _on_clarify(self, convo: Conversation, turn: Turn) -> bool:
        candidates = convo.state.candidates
        picked = None
        if turn.choice_id and turn.choice_id.startswith("svc:") and turn.choice_id[4:] in candidates:
            picked = turn.choice_id[4:]
        elif turn.said.isdigit() and 1 <= int(turn.said) <= len(candidates):
            picked = candidates[int(turn.said) - 1]
        if picked:
            self._start_workflow(convo, self.catalog.services[picked])
            return True
        if turn.choice_id == "none" or turn.said in words.NO:
            convo.state.reset()
            convo.add(render.text(convo.t.say("rephrase")))
            return True
        return False

    def _on_did_you_say(self, convo: Conversation, turn: Turn) -> bool:
        heard = convo.state.heard_text or ""
        if turn.choice_id == "yes" or turn.said in words.YES:
            self._route(convo, Turn(turn.message_id, heard))
            return True
        if turn.choice_id == "no" or turn.said in words.NO:
            convo.state.reset()
            convo.add(render.text(convo.t.say("type_instead")))
            return True
        return False

    def _on_filling(self, convo: Conversation, turn: Turn) -> bool:
        state = convo.state
        spec = self._field(state)
        answer = check_answer(spec, turn.text, self.catalog.gazetteer, self.clock().date(), turn.choice_id)
        if answer.ok:
            state.slots[spec.name] = answer.value
            state.retries = 0
            self._next_field(convo)
            return True
        state.retries += 1
        if state.retries > MAX_REASKS:
            state.reset()
            state.step = AFTER_TOO_MANY_TRIES
            t = convo.t
            convo.add(render.buttons(t.say("too_many_tries"), [
                ("menu", t.title("button_menu")), ("agent", t.title("button_agent"))]))
            return True
        convo.add(render.text(convo.t.say("retry", reason=(answer.error, answer.error_values),
                                          left=MAX_REASKS - state.retries + 1)))
        self._ask_field(convo)
        return True

    def _on_summary(self, convo: Conversation, turn: Turn) -> bool:
        if turn.choice_id == "submit" or turn.said in words.YES:
            self._submit(convo, turn)
        elif turn.choice_id == "no" or turn.said in words.NO:
            self._cancel(convo)
        else:
            convo.add(render.text(convo.t.say("choose_from_buttons")))
            self._summary(convo)
        return True

    def _on_departments(self, convo: Conversation, turn: Turn) -> bool:
        choice, said = turn.choice_id or "", turn.said
        if choice == "more" or said in words.MORE:
            convo.state.menu_page += 1
            self._show_departments(convo, keep_page=True)
            return True
        if choice.startswith("dept:"):
            self._pick_department(convo, int(choice[5:]))
            return True
        if said.isdigit():
            self._pick_department(convo, int(said))
            return True
        return False

    def _on_services(self, convo: Conversation, turn: Turn) -> bool:
        choice, said = turn.choice_id or "", turn.said
        if choice == "more" or said in words.MORE:
            convo.state.menu_page += 1
            self._show_services(convo, keep_page=True)
            return True
        if choice.startswith("svc:") and choice[4:] in self.catalog.services:
            self._start_workflow(convo, self.catalog.services[choice[4:]])
            return True
        if said.isdigit():
            service = self.catalog.by_menu_path(convo.state.department_number or 0, int(said))
            if service is None:
                convo.add(render.text(convo.t.say("menu_unknown_number", number=said)))
                self._show_services(convo, keep_page=True)
            else:
                self._start_workflow(convo, service)
            return True
        return False

    def _on_after_too_many_tries(self, convo: Conversation, turn: Turn) -> bool:
        convo.state.step = IDLE
        return False

    STEP_HANDLERS = {
        CONFIRM_SERVICE: _on_confirm, CLARIFY: _on_clarify, DID_YOU_SAY: _on_did_you_say,
        FILLING: _on_filling, SUMMARY: _on_summary, MENU_DEPARTMENTS: _on_departments,
        MENU_SERVICES: _on_services, AFTER_TOO_MANY_TRIES: _on_after_too_many_tries,
    }

    # ---------------------------------------------------------------- menus
    def _show_departments(self, convo: Conversation, keep_page: bool = False) -> None:
        state = convo.state
        page = state.menu_page if keep_page else 0
        state.reset()
        state.step, state.menu_page = MENU_DEPARTMENTS, page
        t = convo.t
        rows = [(f"dept:{d.menu_number}", f"{d.menu_number}. {t.name(d.name)}", "")
                for d in self.catalog.departments_in_menu_order()]
        convo.add(self._paged_list(convo, t.say("departments_title"), rows))

    def _pick_department(self, convo: Conversation, number: int) -> None:
        department = next((d for d in self.catalog.departments.values() if d.menu_number == number), None)
        if department is None:
            convo.add(render.text(convo.t.say("menu_unknown_number", number=number)))
            self._show_departments(convo)
            return
        state = convo.state
        state.reset()
        state.step, state.department_number, state.menu_page = MENU_SERVICES, number, 0
        self._show_services(convo, keep_page=True)

    def _show_services(self, convo: Conversation, keep_page: bool = False) -> None:
        state = convo.state
        department = next(d for d in self.catalog.departments.values()
                          if d.menu_number == state.department_number)
        if not keep_page:
            state.menu_page = 0
        t = convo.t
        rows = [(f"svc:{s.id}", f"{s.menu_path[1]}. {t.name(s.name)}", "")
                for s in self.catalog.by_department(department.id)]
        convo.add(self._paged_list(convo, t.say("services_title", department=t.name(department.name)), rows))

    def _paged_list(self, convo: Conversation, body: str, rows: list[tuple[str, str, str]]) -> Reply:
        t = convo.t
        pages = max(1, -(-len(rows) // MENU_PAGE_ROWS))
        page = convo.state.menu_page % pages
        convo.state.menu_page = page
        shown = rows[page * MENU_PAGE_ROWS:(page + 1) * MENU_PAGE_ROWS]
        if pages > 1:
            shown.append(("more", t.title("row_more"), f"{page + 1}/{pages}"))
        listing = "\n".join(title for _, title, _ in shown if _ != "more")
        return render.choice_list(f"{body}\n{listing}", shown, t.title("list_choose"))

    # ---------------------------------------------------------------- workflows
    def _start_workflow(self, convo: Conversation, service: Service) -> None:
        state, t = convo.state, convo.t
        entities = state.pending_entities
        state.reset()
        state.service_id = service.id
        if service.outcome.value == "information":
            convo.add(render.text(t.say("information", service=t.name(service.name),
                                        description=t.pick(service.description),
                                        documents=self._documents_line(convo, service), fee=f"{service.fee:g}")))
            state.reset()
            return
        state.step = FILLING
        convo.add(render.text(t.say("starting_service", service=t.name(service.name), count=len(service.fields))))
        noted = self._prefill(convo, service, entities)
        if noted:
            convo.add(render.text(t.say("prefilled", items=", ".join(noted))))
        self._next_field(convo)

    def _prefill(self, convo: Conversation, service: Service, entities: list[dict]) -> list[str]:
        noted = []
        today = self.clock().date()
        for raw in entities:
            entity = Entity(**raw)
            wanted = ENTITY_FIELD_TYPES.get(entity.type)
            spec = next((f for f in service.fields if f.type == wanted and f.name not in convo.state.slots
                         and _takes_format(f, entity.format)), None)
            if spec is None:
                continue
            value = self._entity_value(spec, entity, today)
            if value is not None:
                convo.state.slots[spec.name] = value
                noted.append(display_value(spec, value, self.catalog.gazetteer, convo.language))
        return noted

    def _entity_value(self, spec: ServiceField, entity: Entity, today) -> str | None:
        if spec.type in PLACE_TYPES:
            places = getattr(self.catalog.gazetteer, PLACE_TYPES[spec.type])
            if any(p.id == entity.value for p in places):
                return entity.value
        answer = check_answer(spec, entity.value, self.catalog.gazetteer, today)
        return answer.value if answer.ok else None

    def _asked_fields(self, state: DialogueState) -> list[ServiceField]:
        """The fields before the current one, in order (what `back` walks through)."""
        service = self.catalog.services[state.service_id]
        before = []
        for spec in service.fields:
            if spec.name == state.field_name:
                break
            before.append(spec)
        return before

    def _field(self, state: DialogueState) -> ServiceField:
        service = self.catalog.services[state.service_id]
        return next(f for f in service.fields if f.name == state.field_name)

    def _next_field(self, convo: Conversation) -> None:
        state = convo.state
        service = self.catalog.services[state.service_id]
        missing = next((f for f in service.fields if f.name not in state.slots), None)
        if missing is not None:
            state.step, state.field_name, state.retries = FILLING, missing.name, 0
            self._ask_field(convo)
        elif service.outcome.value == "status":
            self._status_from_slots(convo, service)
        else:
            state.step, state.field_name = SUMMARY, None
            self._summary(convo)

    def _ask_field(self, convo: Conversation) -> None:
        spec, t = self._field(convo.state), convo.t
        prompt = t.pick(spec.prompt)
        if spec.type == FieldType.date:
            prompt += " " + t.say("date_hint")
        if not spec.required:
            prompt += "\n" + t.say("optional_hint")
        if spec.type != FieldType.choice:
            convo.add(render.text(prompt))
        elif len(spec.choices) <= render.BUTTONS_MAX:
            convo.add(render.buttons(prompt, [(f"opt:{c.value}", t.name(c.label)) for c in spec.choices]))
        elif len(spec.choices) <= render.LIST_MAX_ROWS:
            rows = [(f"opt:{c.value}", f"{i}. {t.name(c.label)}", "") for i, c in enumerate(spec.choices, 1)]
            convo.add(render.choice_list(prompt, rows, t.title("list_choose")))
        else:
            listing = "\n".join(f"{i}. {t.name(c.label)}" for i, c in enumerate(spec.choices, 1))
            convo.add(render.text(f"{prompt}\n{listing}"))

    def _summary(self, convo: Conversation) -> None:
        state, t = convo.state, convo.t
        body = self.desk.summary(self.catalog.services[state.service_id], state.slots, convo.language)
        convo.add(render.buttons(body, [("submit", t.title("button_submit")), ("back", t.title("button_back")),
                                        ("cancel", t.title("button_cancel"))]))

    def _submit(self, convo: Conversation, turn: Turn) -> None:
        state = convo.state
        service = self.catalog.services[state.service_id]
        try:
            submitted = self.desk.submit(service, state.slots, convo.citizen_db_id, convo.language,
                                         turn.message_id, self.clock())
        except SubmitFailed:
            convo.add(render.text(convo.t.say("submit_failed")))
            return
        state.reset()
        state.last_reference = submitted.reference
        convo.add(render.text(submitted.message))

    # ---------------------------------------------------------------- status and certificates
    def _status_from_slots(self, convo: Conversation, service: Service) -> None:
        reference = next((v for spec in service.fields if spec.format == "mitra_reference"
                          for v in [convo.state.slots.get(spec.name)] if v), None)
        convo.state.reset()
        if reference:
            self._status(convo, reference)
        else:
            convo.add(render.text(convo.t.say("status_ask_reference")))

    def _status(self, convo: Conversation, reference: str) -> None:
        t = convo.t
        report = self.desk.status(reference, convo.language)
        if report is None:
            convo.add(render.text(t.say("status_not_found", reference=reference)))
            return
        status = report.status
        convo.add(render.text(report.message))
        if status.status == "issued" and status.citizen_db_id == convo.citizen_db_id and self.certificates:
            cert = self.certificates.for_reference(reference)
            if cert is not None:
                caption = t.say("certificate_ready", url=self.certificates.verify_url(cert))
                convo.add(render.document(caption, f"{reference}.pdf", self.certificates.pdf(cert)))

    def certificate_pdf(self, filename: str) -> bytes:
        """Rebuild a certificate document named `<reference>.pdf` (for replayed replies)."""
        cert = self.certificates.for_reference(filename.removesuffix(".pdf")) if self.certificates else None
        return self.certificates.pdf(cert) if cert else b""


def _confidence(transcript) -> float:
    value = getattr(transcript, "confidence", None)
    return 1.0 if value is None else float(value)


def _takes_format(spec: ServiceField, entity_format: str) -> bool:
    """An identifier entity fills only a field of its own format (a USC never lands in a rice card field)."""
    return not entity_format or spec.format is None or entity_format in spec.format.split("|")
