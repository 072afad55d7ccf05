"""What to say next: one citizen message plus the remembered state in, replies plus the new state out.

The state machine lives here; the numbered menus are `bot/menus.py`, field collection and submission
`bot/forms.py`, the extension points `bot/hooks.py`. No database here: the engine loads and saves; the connector
submits and looks up applications.
"""
from __future__ import annotations

import copy
import logging
from collections import Counter
from dataclasses import asdict, dataclass, field, replace
from typing import ClassVar

from bot import render
from bot.application_desk import ApplicationDesk, documents_needed, field_label, what_comes_next
from bot.fields import find_reference
from bot.forms import NUMBER_MARKS, Forms
from bot.hooks import FormAside, GlobalCommand, OutcomeFlow, StatusNote
from bot.menus import PAGE_ROWS, Menus
from bot.replies import Reply
from bot.state import (
    AFTER_TOO_MANY_TRIES,
    CLARIFY,
    CONFIRM_ANSWER,
    CONFIRM_SERVICE,
    DID_YOU_SAY,
    FILLING,
    IDLE,
    MENU_DEPARTMENTS,
    MENU_SERVICES,
    SUMMARY,
    DialogueState,
)
from bot.texts import BOTH, PerColumn, Texts
from catalog.formats import EitherFormat
from catalog.schema import Bilingual, FieldType, Outcome, Service
from nlu import words
from nlu.answers import PLACE_KINDS, format_of, is_skip, says_not_at_hand
from nlu.answers.choices import mentioned_choice
from nlu.entities import extract_entities
from nlu.entities.amounts import NUMBER_WORDS
from nlu.entities.positions import list_place
from nlu.look_alikes import by_place
from nlu.script import readable
from nlu.types import Entity, RouteResult

log = logging.getLogger(__name__)

VOICE_SURE = 0.6  # below this transcript confidence the likely services are offered by name
MENU_DIGITS = 3  # a menu number; a longer number is an identifier, not a pick
APPLIED_FOR = (Outcome.application, Outcome.certificate)  # what a citizen may ask the progress of
_TOWN_OR_DISTRICT = (FieldType.town, FieldType.district)
_PLACES_CARRIED = (FieldType.temple, FieldType.town, FieldType.district, FieldType.mandal)
APPLICATION_STATUS = "core.application_status"  # the status of any application, by its reference number
DOUBTED = 0.2  # a service the model ranked this high for a message it called out of scope may still be meant
# a message this long at a place or a date may tell the problem too; a shorter one ("Tenali lo dealer biyyam
# ivvatledu") is taken as the answer alone, and the problem is told at its own question
DESCRIPTION_WORDS = 6
KIND_WORDS_AT_MOST = 3  # a doubted request this short that names a kind of service ("pension") is offered its services


@dataclass
class Turn:
    """One citizen message, as the dialogue sees it."""

    message_id: str
    text: str
    choice_id: str | None = None
    transcript: object | None = None
    unsupported_type: str | None = None
    own_mobile: str | None = None  # the number a WhatsApp message comes from ("same number" answers with it)

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
    language: str  # the language replies are in, once known
    chosen_language: str | None  # set when the citizen picked one explicitly
    handed_off: bool = False
    route: RouteResult | None = None  # filled when this message was routed
    replies: list[Reply] = field(default_factory=list)

    @property
    def language_known(self) -> bool:
        return bool(self.chosen_language) or self.state.language_known

    @property
    def t(self) -> Texts:
        return Texts(self.language if self.language_known else BOTH)

    def add(self, reply: Reply) -> None:
        self.replies.extend(render.fit(reply))


class Dialogue:
    def __init__(self, catalog, router, connector, certificates, vault, clock, matcher=None):
        self.catalog = catalog
        self.router = router
        self.connector = connector
        self.certificates = certificates
        self.clock = clock
        self.matcher = matcher
        self.commands: list[GlobalCommand] = []
        self.flows: dict[str, OutcomeFlow] = {}
        self.status_notes: list[StatusNote] = []
        self.form_asides: list[FormAside] = []
        self.desk = ApplicationDesk(catalog, connector, vault)
        self.forms = Forms(catalog, self.desk, clock, self.flows, self._status)
        self.menus = Menus(catalog, self._start)

    # ---------------------------------------------------------------- extension points (bot/hooks.py)
    def add_command(self, command: GlobalCommand) -> None:
        self.commands.append(command)

    def add_flow(self, outcome: str, flow: OutcomeFlow) -> None:
        self.flows[outcome] = flow

    def add_status_note(self, note: StatusNote) -> None:
        self.status_notes.append(note)

    def add_form_aside(self, aside: FormAside) -> None:
        self.form_asides.append(aside)

    # ---------------------------------------------------------------- entry point
    def respond(self, convo: Conversation, turn: Turn) -> None:
        if turn.unsupported_type:
            convo.add(render.text(convo.t.say("unsupported_type", kind=turn.unsupported_type)))
            return
        if not turn.text.strip() and not turn.choice_id:
            convo.add(render.text(convo.t.say("type_instead" if turn.voice else "not_understood")))
            return
        if convo.state.service_id and convo.state.service_id not in self.catalog.services:
            # the catalog changed under this conversation: end it politely rather than fail on the old service
            convo.state.reset()
            convo.add(render.text(convo.t.say("service_withdrawn")))
            return
        if convo.handed_off:
            self._while_handed_off(convo, turn)
            return
        if not turn.voice and not convo.language_known:
            self._follow_language(convo, turn.text, during_form=convo.state.has_form)
        flow = next((f for f in self.flows.values() if f.step == convo.state.step), None)
        command = next((c for c in self.commands if c.matches(turn)), None)
        if command is not None:
            if not (flow is not None and command.defers_to == flow.step and flow.on_turn(convo, turn)):
                command.run(convo, turn)
            return
        if self._command(convo, turn):
            return
        # a barely heard note while a question waits ("Pay now?"): routing its noise would lose the question, so
        # the question is kept as it was before a flow gave up on the note
        waiting = copy.deepcopy(convo.state) if turn.voice and convo.state.step != IDLE and \
            _confidence(turn.transcript) < VOICE_SURE else None
        if flow is not None and flow.on_turn(convo, turn):
            return
        handler = self.STEP_HANDLERS.get(convo.state.step)
        if handler and handler(self, convo, turn):
            return
        if waiting is not None:
            convo.state = waiting
            convo.add(render.text(convo.t.say("voice_unclear_question")))
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
            (choice == "menu" or said in words.MENU, self._menu),
            (choice == "cancel" or said in words.CANCEL, self._cancel),
            (choice == "back" or said in words.BACK, self._back),
            (choice == "continue" or said in words.CONTINUE, self._continue),
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
                self._menu(convo)
            else:
                self._cancel(convo)
            return
        convo.add(render.text(convo.t.say("agent_will_answer")))

    def _set_language(self, convo: Conversation, language: str) -> None:
        convo.language = convo.chosen_language = "te" if language.startswith("te") else "en"
        convo.add(render.text(convo.t.say("language_set")))
        if convo.state.step == FILLING:
            self.forms.ask(convo)
        elif convo.state.step == SUMMARY:
            self.forms.summary(convo)

    def _ask_language(self, convo: Conversation) -> None:
        convo.add(render.buttons(convo.t.say("choose_language"), [("lang:en", "English"), ("lang:te", "తెలుగు")]))

    def _help(self, convo: Conversation) -> None:
        convo.add(render.text(convo.t.say("help")))
        if convo.state.has_form:
            self._keep_form(convo, convo.state.service_id)
            self.forms.resume(convo)

    def _hand_off(self, convo: Conversation) -> None:
        convo.handed_off = True
        convo.state.reset()  # a form in progress waits as a draft
        convo.add(render.text(convo.t.say("handed_off")))

    def _menu(self, convo: Conversation) -> None:
        parked = convo.state.service_id if convo.state.has_form else None
        self.menus.departments(convo)
        if parked:
            self._keep_form(convo, parked)

    def _cancel(self, convo: Conversation) -> None:
        state = convo.state
        if state.has_form or state.step != IDLE:
            state.discard_form()
            convo.add(render.text(convo.t.say("cancelled")))
            return
        latest = state.latest_draft()
        if latest is not None:
            state.drafts.pop(latest)
            service = self.catalog.services.get(latest)
            convo.add(render.text(convo.t.say("draft_cancelled", service=service.name if service else latest)))
            return
        convo.add(render.text(convo.t.say("nothing_to_cancel")))

    def _back(self, convo: Conversation) -> None:
        state = convo.state
        if state.has_form:
            if not self.forms.back(convo):
                self._confirm(convo, self.catalog.services[state.service_id])
        elif state.step == MENU_SERVICES:
            self.menus.departments(convo)
        else:
            state.reset()
            convo.add(render.text(convo.t.say("nothing_to_go_back")))

    def _continue(self, convo: Conversation) -> None:
        if not self.forms.resume(convo):
            convo.add(render.text(convo.t.say("nothing_to_continue")))

    def _keep_form(self, convo: Conversation, service_id: str) -> None:
        convo.add(render.text(convo.t.say("form_kept", service=self.catalog.services[service_id].name)))

    # ---------------------------------------------------------------- a new request
    def _fresh_request(self, convo: Conversation, turn: Turn) -> None:
        said = turn.said
        if said in words.GREETING:
            self._welcome(convo, turn)
            return
        if said in words.THANKS:
            convo.add(render.text(convo.t.say("thanks")))
            return
        if words.only_acknowledges(said):
            convo.add(render.text(convo.t.say("acknowledged")))
            return
        reference = find_reference(turn.text)
        if reference:
            convo.state.reset()
            self._status(convo, reference)
            return
        if said.isdigit() and len(said) <= MENU_DIGITS:
            self.menus.pick_department(convo, int(said))
            return
        if NUMBER_MARKS.sub("", said).isdigit():  # an Aadhaar, card number or date sent without a request
            if not self.forms.resume_with_answer(convo, turn):
                convo.add(render.text(convo.t.say("number_alone")))
            return
        if self.forms.resume_with_answer(convo, turn, identifier_alone=True):  # "AP 39 AB 1234" once the RC is found
            return
        self._route(convo, turn)

    def _welcome(self, convo: Conversation, turn: Turn) -> None:
        if turn.said in words.ROMANIZED_TELUGU_GREETING:  # one word is too little for detection
            self._follow_language(convo, turn.text, "te-latn")
        convo.state.reset()
        convo.add(render.buttons(convo.t.say("welcome"), [
            ("menu", convo.t.title("button_menu")), ("lang:en", "English"), ("lang:te", "తెలుగు")]))
        self.forms.remind_drafts(convo)

    def _follow_language(self, convo: Conversation, text: str, detected: str | None = None,
                         during_form: bool = False) -> None:
        """Replies follow the language of the citizen's own words, unless they chose one. Answers to a form
        (names, places) say little about a language: there only Telugu script counts."""
        if convo.chosen_language:
            return
        from nlu.script import detect_language

        detected = detected or detect_language(text)
        if during_form and detected not in ("te", "mixed"):
            return
        if detected in ("te", "mixed"):
            convo.language = "te"
        elif detected == "te-latn":
            convo.language = "te-latn"
        elif detected == "en" and len([w for w in text.split() if w.isalpha()]) >= 3:
            convo.language = "en"
        else:
            return
        convo.state.language_known = True

    def _follow_voice_language(self, convo: Conversation, turn: Turn) -> None:
        """A voice note's language is the one its speech was recognised in, not its (maybe garbled) letters."""
        spoken = getattr(turn.transcript, "language", None)
        if not convo.chosen_language and spoken in ("te", "en"):
            convo.language, convo.state.language_known = spoken, True

    def _route(self, convo: Conversation, turn: Turn) -> None:
        try:
            result = self._route_result(turn)
        except ValueError as exc:  # nlu.normalize.TextError: empty or garbage text
            log.info("could not route message %s: %s", turn.message_id, exc)
            convo.add(render.text(convo.t.say("not_understood")))
            return
        convo.route = result
        if turn.voice:
            self._follow_voice_language(convo, turn)
            # a voice route (nlu.voice_route) is calibrated: its decision already weighs the transcript's quality
            unsure = result.source != "voice" and _confidence(turn.transcript) < VOICE_SURE
            if unsure or result.decision == "clarify":
                self._doubtful_voice(convo, turn, result)
                return
        else:
            self._follow_language(convo, turn.text, result.language)
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
        own = state.references.get(result.service_id or "")
        asks_progress = result.decision in ("route", "clarify") and (
            words.asks_after_progress(result.text) or self._not_come_yet(result, own))
        if asks_progress and own:
            self._status(convo, own)  # "what happened to my rice card application": not a new application
        elif asks_progress and (status := self._status_service(result)):
            state.hold_request(result)
            self._confirm(convo, self.catalog.services[status])
        elif result.decision == "meta":
            self._meta(convo, result.intent)
        elif result.decision == "route" and (kind := self._bare_kind(result)):
            self._offer(convo, result, convo.t.say("clarify"), kind)
        elif result.decision == "route" and result.service_id in self.catalog.services:
            state.hold_request(result)
            self._confirm(convo, self.catalog.services[result.service_id])
        elif result.decision == "clarify" and result.look_alikes:
            self._settle_look_alikes(convo, result)
        elif result.decision in ("route", "clarify"):
            self._offer(convo, result, convo.t.say("clarify"))
        elif kind := self._kind_named(result):
            self._offer(convo, result, convo.t.say("clarify"), kind)
        elif self._progress_asked_out_of_scope(convo, result):
            pass
        else:
            convo.add(render.buttons(convo.t.say("out_of_scope"), [
                ("menu", convo.t.title("button_menu")), ("agent", convo.t.title("button_agent"))]))

    def _meta(self, convo: Conversation, intent: str) -> None:
        action = {
            "greet": lambda c: self._welcome(c, Turn("", "")),
            "help": self._help, "menu": self._menu, "cancel": self._cancel,
            "change_language": self._ask_language, "human_agent": self._hand_off,
            "thanks": lambda c: c.add(render.text(c.t.say("thanks"))),
        }.get(intent, self._help)
        action(convo)

    def _confirm(self, convo: Conversation, service: Service, asked: str | None = None) -> None:
        """"Shall we start …?", with the fee, documents and days when the request (or `asked`, a question put
        to this confirmation) asked for them."""
        state = convo.state
        held = state.pending_entities, state.pending_request
        state.reset()
        state.step, state.service_id = CONFIRM_SERVICE, service.id
        state.pending_entities, state.pending_request = held
        t = convo.t
        department = self.catalog.department_of(service)
        convo.add(render.buttons(t.say("confirm_service", service=service.name, department=department.name,
                                       facts=self._facts(service, asked or state.pending_request),
                                       question=(f"confirm_{service.outcome.value}", {})),
                                 [("yes", t.title("button_yes")), ("no", t.title("button_no")),
                                  ("menu", t.title("button_menu"))]))

    def _facts(self, service: Service, request: str | None):
        """What the service costs, needs and takes, when the request asked ("caste certificate fee entha")."""
        if not words.asks_about_service(request):
            return " "
        return self._service_facts(service) or " "

    @staticmethod
    def _service_facts(service: Service, values: dict | None = None):
        # a payment's "how much" is its bill or the citizen's own amount, found in the form, not a catalog fact
        if service.outcome.value in ("information", "payment_receipt"):
            return None
        return "service_facts", {"description": service.description, "documents": documents_needed(service, values),
                                 "next": what_comes_next(service, values or {})}

    def _asks_about_this_service(self, convo: Conversation, turn: Turn) -> bool:
        """"how much is the fee?" at a form's question: the service's fee, documents and days, then the question
        again (it had paused the form for a fee calculator)."""
        spec = self.forms.current(convo.state)
        if turn.choice_id or not words.asks_only_about_service(turn.said) or \
                (spec.choices and mentioned_choice(spec, turn.said)):
            return False
        facts = self._service_facts(self.catalog.services[convo.state.service_id], convo.state.slots)
        if facts is None:
            return False
        self._aside(convo, convo.t.say(facts[0], **facts[1]).strip())
        return True

    def _answered_by_a_flow(self, convo: Conversation, turn: Turn) -> bool:
        """"which is cheapest?" at the bus type: the prices, then the question again (see `FormAside`)."""
        if turn.choice_id:
            return False
        state = convo.state
        service = self.catalog.services[state.service_id]
        answer = next(filter(None, (aside(service, state.slots, state.field_name, turn.said, convo.language)
                                    for aside in self.form_asides)), "")
        if answer:
            self._aside(convo, answer)
        return bool(answer)

    def _aside(self, convo: Conversation, answer: str) -> None:
        """A question put in the middle of a form answered, then the form's question asked again (no try spent)."""
        convo.add(render.text(answer))
        self.forms.ask(convo)

    def _settle_look_alikes(self, convo: Conversation, result: RouteResult) -> None:
        """Look-alike services (urban or rural, SC or BC ...): a town or district the citizen already gave
        decides; otherwise one question lists just them."""
        known = by_place(result.look_alikes, self._known_places(convo), self.catalog)
        if known:
            convo.state.hold_request(result)
            self._confirm(convo, self.catalog.services[known])
        else:
            self._offer(convo, result, convo.t.say("look_alike"))

    def _known_places(self, convo: Conversation) -> list[Entity]:
        """Towns and districts from the citizen's forms in this conversation (active or paused)."""
        state = convo.state
        forms = [(state.service_id, state.slots), *((sid, d.get("slots", {})) for sid, d in state.drafts.items())]
        return [e for service_id, slots in forms for e in self._places_in(service_id, slots, _TOWN_OR_DISTRICT)]

    def _places_in(self, service_id: str | None, slots: dict, kinds: tuple[FieldType, ...]) -> list[Entity]:
        service = self.catalog.services.get(service_id or "")
        return [Entity(f.type.value, slots[f.name], slots[f.name], 0, 0) for f in service.fields
                if f.type in kinds and slots.get(f.name)] if service else []

    def _kind_named(self, result: RouteResult) -> list[str]:
        """A short request the model doubted that names a kind of service by a word of their names ("pension",
        "loan kavali", "bill"): the services of that kind it ranked, to offer, rather than "I can't help". Every
        other word must be one many services' names use ("kavali"): "mobile recharge" or "HDFC loan" is not. A
        request the model itself ranks out of scope first ("pan card apply", "voter id kavali") is not doubted."""
        all_words = words.folded(result.text).split()
        said = {w for w in all_words if len(w) >= 4 and w not in NUMBER_WORDS}
        doubted = bool(result.alternatives) and result.alternatives[0].intent in self.catalog.services
        if not said or not doubted or len(all_words) > KIND_WORDS_AT_MOST:
            return []
        kinds = {a.intent: _kind_words(self.catalog.services[a.intent]) for a in result.alternatives
                 if a.intent in self.catalog.services}
        named = [sid for sid, kind in kinds.items() if said & kind]
        known = _common_name_words(self.catalog).union(*(kinds[sid] for sid in named))
        return named if said <= known else []

    def _not_come_yet(self, result: RouteResult, own: str | None) -> bool:
        """"pension raavatledu", "scholarship not credited": a benefit with a status of its own (or the
        citizen's own application) that has not come asks after it; "neellu raavatledu, tanker kavali" or
        "current raledu" is the trouble the service is for."""
        service = self.catalog.services.get(result.service_id or "")
        return words.says_not_coming(result.text) and bool(own or (service and service.status_service))

    def _progress_asked_out_of_scope(self, convo: Conversation, result: RouteResult) -> bool:
        """"I want to check the status of my caste certificate application": the model spread it over the
        certificate and an application's status, and out of scope won. A question after progress whose best
        service is one applied for goes to that one's status; one whose best is another service, to a list of
        them with an application's status."""
        if result.decision != "out_of_scope" or not words.asks_after_progress(result.text):
            return False
        ranked = [a.intent for a in result.alternatives if a.intent in self.catalog.services and a.score >= DOUBTED]
        if not ranked:
            return False
        status = self._status_service(replace(result, service_id=ranked[0]))
        if status:
            convo.state.hold_request(result)
            self._confirm(convo, self.catalog.services[status])
        else:
            self._offer(convo, result, convo.t.say("clarify"), list(dict.fromkeys([*ranked, APPLICATION_STATUS])))
        return True

    def _status_service(self, result: RouteResult) -> str | None:
        """For a request that asks after progress ("caste certificate status", "widow pension raavatledu") from a
        citizen with no application of theirs in this chat: they ask how one is going, not to apply again. The
        catalog names each application's own status service (the pension status), else the status of an
        application by its number."""
        service = self.catalog.services.get(result.service_id or "")
        if service is None or service.outcome not in APPLIED_FOR:
            return None
        status = service.status_service or APPLICATION_STATUS
        return status if status in self.catalog.services else None

    def _bare_kind(self, result: RouteResult) -> list[str]:
        """A request of one word that several services' names share ("బిల్లు", "ticket", "water"): the services
        of that kind the model ranked, to choose from, not a guess at one of them. A word that is a service's
        own name or synonym ("complaint", "ఫిర్యాదు") asks for that service."""
        said = words.folded(result.text).split()
        service = self.catalog.services.get(result.service_id or "")
        if len(said) != 1 or service is None or said[0] in _whole_names(service):
            return []
        # the word is one ranked service's own, though the model put another level with it ("complaint": the
        # grievance's synonym, and a word of the 108 ambulance's name)
        owners = [a.intent for a in result.alternatives
                  if a.intent in self.catalog.services and said[0] in _whole_names(self.catalog.services[a.intent])]
        if len(owners) == 1:
            return owners
        kind = self._kind_named(result)
        return kind if len(kind) > 1 else []

    def _candidates(self, result: RouteResult) -> list[str]:
        if result.look_alikes:
            return [s for s in result.look_alikes if s in self.catalog.services]
        ids = [result.service_id] if result.service_id else []
        ids += [a.intent for a in result.alternatives]
        return list(dict.fromkeys(i for i in ids if i in self.catalog.services))[:PAGE_ROWS]

    def _offer(self, convo: Conversation, result: RouteResult, body: str, candidates: list[str] | None = None
               ) -> None:
        """Close services by name as a list with "None of these"; one candidate is confirmed directly."""
        candidates = candidates or self._candidates(result)
        state, t = convo.state, convo.t
        state.hold_request(result)
        if not candidates:
            convo.add(render.buttons(f"{body}\n{t.say('none_fits')}".strip(), [
                ("menu", t.title("button_menu")), ("agent", t.title("button_agent"))]))
            return
        if len(candidates) == 1 and result.decision != "clarify":
            self._confirm(convo, self.catalog.services[candidates[0]])
            return
        state.step, state.candidates = CLARIFY, candidates
        self._list_services(convo, body, candidates)

    def _list_services(self, convo: Conversation, body: str, candidates: list[str]) -> None:
        t = convo.t
        rows = [(f"svc:{sid}", t.name(self.catalog.services[sid].name),
                 t.name(self.catalog.department_of(self.catalog.services[sid]).name)) for sid in candidates]
        rows.append(("none", t.title("row_none"), ""))
        convo.add(render.choice_list(body, rows, t.title("list_choose")))

    def _doubtful_voice(self, convo: Conversation, turn: Turn, result: RouteResult) -> None:
        """A voice note we are not sure about: the likely services by name, never a transcript the citizen
        could not read (only one in their own script is echoed)."""
        convo.state.reset()
        t = convo.t
        shown = result.echo if result.source == "voice" else turn.text
        readable_here = shown and readable(shown, convo.language if convo.language_known else None)
        heard = t.say("voice_heard", text=shown) + "\n" if readable_here else ""
        self._offer(convo, result, heard + t.say("voice_unsure"))

    # ---------------------------------------------------------------- step handlers (True: consumed)
    def _on_confirm(self, convo: Conversation, turn: Turn) -> bool:
        answer = words.yes_or_no(turn.text)
        if turn.choice_id == "yes" or answer or turn.said in words.WANT_IT:
            self._start(convo, self.catalog.services[convo.state.service_id])
            return True
        if turn.choice_id == "no" or answer is False:
            convo.state.reset()
            convo.add(render.text(convo.t.say("rephrase")))
            return True
        service = self.catalog.services[convo.state.service_id]
        answered = self.forms.opening_answer(service, turn.text) if not turn.choice_id else {}
        if answered:  # a yes that already answers the first question
            self._start(convo, service, answered)
            return True
        if self._names_a_missing_option(service, turn):
            self._start(convo, service)
            return self._not_at_hand(convo, turn)
        if self._yes_with_words_of_its_own(convo, turn):
            self._start(convo, service)
            return True
        if not turn.choice_id and words.asks_only_about_service(turn.said):  # "fee entha?": this service's fee
            self._confirm(convo, service, asked=turn.said)
            return True
        return False

    def _yes_with_words_of_its_own(self, convo: Conversation, turn: Turn) -> bool:
        """"sare chudandi" (ok, have a look) to "Shall we check the status?": a yes, then words that ask for no
        other service (they were answered "I cannot help with that" and the question dropped)."""
        said = words.folded(turn.said).replace(",", " ").split()
        if turn.choice_id or len(said) < 2 or words.yes_or_no(said[0]) is not True:
            return False
        try:
            result = self._route_result(turn)
        except ValueError:
            return True
        return result.decision != "route" or result.service_id == convo.state.service_id

    @staticmethod
    def _names_a_missing_option(service: Service, turn: Turn) -> bool:
        """"pension card poyindi" at "Shall we check the pension status?": a yes from a citizen without one of
        the numbers the first question takes (the other will do), not a request for a lost card."""
        fmt = format_of(service.fields[0]) if service.fields else None
        return isinstance(fmt, EitherFormat) and says_not_at_hand(turn.said) and bool(fmt.others_than_named(turn.said))

    def _on_clarify(self, convo: Conversation, turn: Turn) -> bool:
        candidates = convo.state.candidates
        picked = None
        if turn.choice_id and turn.choice_id.startswith("svc:") and turn.choice_id[4:] in candidates:
            picked = turn.choice_id[4:]
        elif (place := list_place(turn.said, len(candidates))) is not None:  # "2", "rendu", "the second one"
            picked = candidates[place]
        elif self._look_alikes_offered(candidates):  # "gramam lo", "in Guntur": where the citizen is decides
            places = extract_entities(turn.text, self.catalog.gazetteer)
            picked = by_place(candidates, places, self.catalog, turn.text)
            convo.state.pending_entities += [asdict(e) for e in places] if picked else []
        if picked:
            self._start(convo, self.catalog.services[picked])
            return True
        answer = words.yes_or_no(turn.text)
        if answer:  # "yes" to a list says which? nothing: the list again, to pick from
            self._list_services(convo, convo.t.say("pick_a_service"), candidates)
            return True
        if turn.choice_id == "none" or answer is False:
            convo.state.reset()
            t = convo.t
            convo.add(render.buttons(t.say("rephrase"), [
                ("menu", t.title("button_menu")), ("agent", t.title("button_agent"))]))
            return True
        return False

    def _look_alikes_offered(self, candidates: list[str]) -> bool:
        partners = self.router.look_alikes().partners if self.router else {}
        return len(candidates) > 1 and set(candidates[1:]) <= partners.get(candidates[0], frozenset())

    def _on_did_you_say(self, convo: Conversation, turn: Turn) -> bool:
        convo.state.reset()  # an older conversation waiting on "Did you say"; the list replaced it
        return False

    def _on_filling(self, convo: Conversation, turn: Turn) -> bool:
        if self.forms.correct(convo, turn):
            return True
        if self.forms.current(convo.state).choices and not turn.choice_id and words.asks_for_options(turn.said):
            self.forms.ask(convo, spelled_out=True)  # the options again, in full; not a try at the answer
            return True
        if self._answered_by_a_flow(convo, turn) or self._asks_about_this_service(convo, turn) or \
                self._asks_why_this_detail(convo, turn) or self._asks_what_a_detail_is(convo, turn):
            return True
        if self.forms.takes_any_words(convo.state) and not self.forms.holds_other_details(convo, turn.text) and \
                self._another_request(convo, turn):
            return True
        if self._progress_asked_mid_form(convo, turn):
            return True
        checked = self.forms.answer(convo, turn, describes=self._describes_the_problem(convo, turn))
        if checked.ok or self._not_at_hand(convo, turn) or (not checked.answered and self._digression(convo, turn)):
            return True
        self.forms.refuse(convo, self._why_refused(convo, turn, checked.reason))
        return True

    def _progress_asked_mid_form(self, convo: Conversation, turn: Turn) -> bool:
        """"what is the status of my application" at the USC: this form kept and the status offered (it was
        refused as no service number; "status" and "application" name too many services to count as naming one)."""
        if turn.choice_id or self.router is None or self.forms.takes_any_words(convo.state) or \
                any(c.isdigit() for c in turn.said) or not words.asks_after_progress(turn.said):
            return False
        try:
            result = self._route_result(turn)
        except ValueError:
            return False
        if result.decision not in ("route", "clarify") or result.service_id in (None, convo.state.service_id):
            return False
        self._set_form_aside_for(convo, result)
        return True

    def _asks_why_this_detail(self, convo: Conversation, turn: Turn) -> bool:
        """"ఆధార్ నంబర్ ఎందుకు?" at the Aadhaar: what the office uses it for and how it is kept, then the question
        again (it had paused the form for the Bhu-Aadhaar service)."""
        if turn.choice_id or not words.asks_why(turn.said):
            return False
        spec = self.forms.detail_named(convo, turn.said) or self.forms.current(convo.state)
        service = self.catalog.services[convo.state.service_id]
        self._aside(convo, convo.t.say(
            "why_this_detail", service=service.name, detail=PerColumn(lambda column: field_label(spec, column)),
            department=self.catalog.department_of(service).name,
            kept=("why_kept_masked", {}) if format_of(spec) is not None else ""))
        return True

    def _asks_what_a_detail_is(self, convo: Conversation, turn: Turn) -> bool:
        """"assessment number ante enti?" at the town: what that number is and where it is printed, then the
        question again (it had paused the form for the property tax assessment service)."""
        subject = "" if turn.choice_id else words.what_it_is(turn.said)
        spec = self.forms.detail_asked_about(convo, subject) if subject else None
        if spec is None:
            return False
        fmt = format_of(spec)
        self._aside(convo, convo.t.say("what_this_detail", label=PerColumn(fmt.label.get),
                                       rule=PerColumn(fmt.rule.get)))
        return True

    def _describes_the_problem(self, convo: Conversation, turn: Turn) -> bool:
        """"Shop 1234 in Tenali, the dealer has given no rice for two months" at the district: a typed account of
        this form's problem (routed to it, in a few words at least), kept and shown at the description's question
        to add to, so it is not asked as if nothing had been said."""
        if self.router is None or turn.choice_id or turn.voice or len(turn.said.split()) < DESCRIPTION_WORDS or \
                not self.forms.description_open(convo):
            return False
        try:
            result = self._route_result(turn)
        except ValueError:
            return False
        service_id = convo.state.service_id
        return result.decision == "route" and (result.service_id == service_id or
                                               self._about_this_form(result, service_id))

    def _why_refused(self, convo: Conversation, turn: Turn, reason):
        """What the citizen is told: the answer's own rule, unless that would blame the wrong thing."""
        if turn.voice and _confidence(turn.transcript) < VOICE_SURE:
            return "voice_not_made_out", {}  # barely heard: the format rule would blame words never said
        spec = self.forms.current(convo.state)
        if spec.required and is_skip(turn.text):  # "vaddu", "skip": the detail cannot be left out
            return "not_skippable", {"label": Bilingual(en=field_label(spec, "en"), te=field_label(spec, "te"))}
        return reason

    def _not_at_hand(self, convo: Conversation, turn: Turn) -> bool:
        """"I don't have it" to a detail the service cannot go without ("naa daggara pension ID ledu"): where
        to find it, and the form kept for when the citizen has it, instead of reading the words as a request."""
        if not says_not_at_hand(turn.said):
            return False
        # "connection number teliyadu" said at the town: about the number asked next, kept for when it is found
        spec = self.forms.detail_named(convo, turn.said) or self.forms.current(convo.state)
        # a place is known, not kept on a card: "I filed a lost report" to the district is no "lost" card
        if not spec.required or spec.type == FieldType.choice or spec.type in PLACE_KINDS:
            return False
        convo.state.field_name = spec.name
        fmt = format_of(spec)
        others = fmt.others_than_named(turn.said) if isinstance(fmt, EitherFormat) else ()
        if others:  # "pension ID ledu": the Aadhaar will do, and the question stays open for it
            convo.add(render.text(convo.t.say(
                "send_the_other", other=PerColumn(lambda column: " / ".join(f.label.get(column) for f in others)),
                rule=PerColumn(lambda column: " ".join(f.rule.get(column) for f in others)))))
            return True
        service = self.catalog.services[convo.state.service_id]
        convo.add(render.text(convo.t.say(
            "not_at_hand", detail=PerColumn(lambda column: field_label(spec, column)), service=service.name,
            where=PerColumn(lambda column: f" {fmt.rule.get(column)}" if fmt else ""))))
        convo.state.reset()  # keeps the form as a draft
        return True

    def _digression(self, convo: Conversation, turn: Turn) -> bool:
        """A message in the middle of a form that is not an answer: a status question, a greeting or another
        request is answered, and the form waits (*continue* brings it back)."""
        state = convo.state
        service_id = state.service_id
        reference = find_reference(turn.text)
        if reference:
            self._status(convo, reference)
            self._keep_form(convo, service_id)
            self.forms.ask(convo)
            return True
        if turn.said in words.GREETING:
            self._welcome(convo, turn)
            return True
        return self._another_request(convo, turn)

    def _another_request(self, convo: Conversation, turn: Turn) -> bool:
        """A request for a different service that names it: answered, and the form parked as a draft. Naming
        matters: the router may route a bare name ("Ravi Kumar") with some confidence."""
        service_id = convo.state.service_id
        if self.router is None or turn.choice_id:
            return False
        try:
            result = self._route_result(turn)
        except ValueError:
            return False
        if result.decision != "route" or result.service_id in (None, service_id) or \
                result.service_id not in self.catalog.services or \
                not _names_service(turn.said, self.catalog, result.service_id):
            return False
        # the other service's whole name or synonym ("annadanam" at the temple donation's purpose) asks for it,
        # though it is this form's look-alike; one word asks for nothing else (a name, a place)
        named = words.folded(turn.said) in _whole_names(self.catalog.services[result.service_id])
        if not named and (len(turn.said.split()) < 2 or self._about_this_form(result, service_id)):
            return False
        self._set_form_aside_for(convo, result)
        return True

    def _set_form_aside_for(self, convo: Conversation, result: RouteResult) -> None:
        """The form parked as a draft (*continue* brings it back) and the other route acted on, with the places
        the form already holds."""
        convo.route = result
        self._keep_form(convo, convo.state.service_id)
        with_places = replace(result, entities=[*result.entities, *self._places_given(convo, result.entities)])
        self._act_on_route(convo, with_places)

    def _places_given(self, convo: Conversation, said: list[Entity]) -> list[Entity]:
        """The temple, town, district or mandal answered in the form being set aside, for the service asked for
        instead ("annadanam" at Srisailam's donation: the annadanam form is at Srisailam too), unless the new
        request names its own."""
        named = {e.type for e in said}
        given = self._places_in(convo.state.service_id, convo.state.slots, _PLACES_CARRIED)
        return [e for e in given if e.type not in named]

    def _about_this_form(self, result: RouteResult, service_id: str) -> bool:
        """Whether a message routed elsewhere still fits the form being filled: the routed service is its
        look-alike ("tap water problem in our area" in the village drinking-water complaint is about it, not a
        request for the town's water complaint)."""
        return result.service_id in self.router.look_alikes().partners.get(service_id, ())

    def _on_summary(self, convo: Conversation, turn: Turn) -> bool:
        if self.forms.correct(convo, turn):
            return True
        if not self.forms.on_summary(convo, turn):
            self._cancel(convo)
        return True

    def _on_too_many_tries(self, convo: Conversation, turn: Turn) -> bool:
        return self.forms.on_too_many_tries(convo, turn) or self._on_filling(convo, turn)

    def _on_confirm_answer(self, convo: Conversation, turn: Turn) -> bool:
        return self.forms.on_confirm_answer(convo, turn) or self._on_filling(convo, turn)

    def _on_departments(self, convo: Conversation, turn: Turn) -> bool:
        return self.menus.on_departments(convo, turn)

    def _on_services(self, convo: Conversation, turn: Turn) -> bool:
        return self.menus.on_services(convo, turn)

    STEP_HANDLERS: ClassVar[dict] = {
        CONFIRM_SERVICE: _on_confirm, CLARIFY: _on_clarify, DID_YOU_SAY: _on_did_you_say,
        FILLING: _on_filling, SUMMARY: _on_summary, MENU_DEPARTMENTS: _on_departments,
        MENU_SERVICES: _on_services, AFTER_TOO_MANY_TRIES: _on_too_many_tries, CONFIRM_ANSWER: _on_confirm_answer,
    }

    def _start(self, convo: Conversation, service: Service, answered: dict[str, str] | None = None) -> None:
        self.forms.start(convo, service, convo.state.pending_entities, convo.state.pending_request or "", answered)

    # ---------------------------------------------------------------- status and certificates
    def _status(self, convo: Conversation, reference: str) -> None:
        t = convo.t
        report = self.desk.status(reference, t.language)
        if report is None or report.status.citizen_db_id not in (None, convo.citizen_db_id):
            # another number asking: "not found", so a reference reveals nothing about its applicant
            convo.add(render.text(t.say("status_not_found", reference=reference)))
            return
        status = report.status
        notes = [note(reference, status.service_id, t.language) for note in self.status_notes]
        convo.add(render.text(" ".join([report.message, *filter(None, notes)])))
        if status.status == "issued" and status.citizen_db_id == convo.citizen_db_id and self.certificates:
            cert = self.certificates.for_reference(reference)
            if cert is not None:
                caption = t.say("certificate_ready", url=self.certificates.verify_url(cert))
                convo.add(render.document(caption, f"{reference}.pdf", self.certificates.pdf(cert)))

    def certificate_pdf(self, filename: str) -> bytes:
        """Rebuild a certificate document named `<reference>.pdf` (for replayed replies)."""
        cert = self.certificates.for_reference(filename.removesuffix(".pdf")) if self.certificates else None
        return self.certificates.pdf(cert) if cert else b""


def _names_service(said: str, catalog, service_id: str) -> bool:
    """Whether a message shares a distinctive word (4+ letters) with the service's names and synonyms.
    Words that many services' names share ("number", "certificate") name none of them: "no number here",
    a refused answer, must not be taken for a request to reserve a fancy vehicle number. Nor do number words:
    "tommidi enimidi naalugu aidu" is a mobile number begun, not the 108 ambulance ("noota enimidi")."""
    common = _common_name_words(catalog)
    return any(w in _name_words(catalog.services[service_id]) and w not in common and w not in NUMBER_WORDS
               for w in said.split() if len(w) >= 4)


def _kind_words(service: Service) -> frozenset[str]:
    """The words of a service's names and English synonyms ("pension", "loan", "licence"); not its romanized
    synonyms, whose "kavali" and "cheyali" name no kind of service."""
    return _long_words(_names(service) + service.synonyms.en)


def _name_words(service: Service) -> frozenset[str]:
    return _long_words(_names(service) + service.synonyms.all())


def _whole_names(service: Service) -> frozenset[str]:
    return frozenset(words.folded(name) for name in _names(service) + service.synonyms.all())


def _names(service: Service) -> list[str]:
    from nlu.translit import to_latin

    return [service.name.en, service.name.te, to_latin(service.name.te)]


def _long_words(texts: list[str]) -> frozenset[str]:
    return frozenset(w for w in words.folded(" ".join(texts)).split() if len(w) >= 4)


_COMMON_SHARE = 0.03  # a word in the names of more than 3% of the services (11 of 369) is common


_common_by_version: dict[str, frozenset[str]] = {}  # per catalog version (a hot reload brings a new one)


def _common_name_words(catalog) -> frozenset[str]:
    if catalog.version not in _common_by_version:
        counts = Counter(w for service in catalog.services.values() for w in _name_words(service))
        _common_by_version.clear()
        _common_by_version[catalog.version] = frozenset(
            w for w, n in counts.items() if n > _COMMON_SHARE * len(catalog.services))
    return _common_by_version[catalog.version]


def _confidence(transcript) -> float:
    value = getattr(transcript, "confidence", None)
    return 1.0 if value is None else float(value)
