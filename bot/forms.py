"""Collecting a service's fields: start or resume a form, take answers (several details in one message),
corrections, refusals that keep the draft, the summary and the submission."""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from bot import render
from bot.application_desk import SubmitFailed, documents_needed, field_label, labelled_value
from bot.fields import display_value, example_date, find_reference
from bot.hooks import Submitted
from bot.state import AFTER_TOO_MANY_TRIES, CONFIRM_ANSWER, FILLING, SUMMARY
from bot.texts import PerColumn
from catalog.formats import EitherFormat, FormatError, IdentifierFormat
from catalog.schema import FieldType, Place, Service, ServiceField
from core.india_time import india_today
from nlu import words
from nlu.answers import (
    format_of,
    is_skip,
    names_by_whose,
    parse_yes_no,
    says_not_at_hand,
    says_this_number,
    whose_name,
)
from nlu.answers.choices import exact_choice, mentioned_choice
from nlu.answers.identifiers import MITRA_REFERENCE, format_name, writes_a_number
from nlu.answers.names import place_in_name
from nlu.answers.numbers import PEOPLE_COUNTS, party_size
from nlu.answers.places import PLACE_KINDS
from nlu.script import readable
from nlu.translit import to_telugu
from nlu.types import Entity
from payments.messages import fee_rupees

log = logging.getLogger(__name__)

REFERENCE_CHOICE = "ref:"  # a button that answers with a request number

MAX_REASKS = 3  # an invalid answer is asked again three times, then try again / skip / a person
DESCRIPTION = "details"  # a complaint's "What is happening?": the citizen's own account of the problem
# questions at which a citizen may describe the problem too ("shop 1234 in Tenali, the dealer gives no rice"); not
# a choice, whose own labels read like an account ("Shop closed or vehicle not coming")
_DESCRIBED_AT = {*PLACE_KINDS, FieldType.date}
_PLACES = ("district", "town", "temple")  # the entities a surname may be mistaken for
_WRITTEN_DATE = re.compile(r"\d{1,2}-\d{1,2}-\d{4}")  # a question that already shows a date as an example
_SAYS_OPTIONAL = re.compile(r"\s*\((?:optional|ఐచ్ఛికం)\)")  # a question's own "(optional)": the hint says it
_PARTS = re.compile(r"\s*(?:[,;\n]|\band\b|\bmariyu\b|మరియు)\s*", re.IGNORECASE)
_FILLER = {"no", "number", "num", "is", "my", "in", "from", "at", "on", "of", "the", "i", "live", "am", "born",
           "lo", "nenu", "naa", "maa", "నా", "మా", "లో", "నంబర్", "నెంబర్", "card", "id"}
_CORRECTIONS = [re.compile(p, re.IGNORECASE) for p in (
    (r"^(?:please\s+)?(?:change|correct|update|edit|fix)\s+(?:the\s+|my\s+)?(?P<field>\D+?)"
     r"(?:\s+(?:to|as|into)\s+(?P<value>.+))?$"),
    (r"^(?:my\s+|the\s+)?(?P<field>.+?)\s+(?:is|was)\s+(?:wrong|incorrect|not correct|a mistake)\s*[,.;:-]?\s*"
     r"(?:it\s+)?(?:should\s+be|must\s+be|is|correct\s+(?:one\s+)?is)\s+(?P<value>.+)$"),
    r"^(?:my\s+|the\s+)?(?P<field>.+?)\s+(?:should|must)\s+be\s+(?P<value>.+)$",
    r"^(?:my\s+|the\s+)?(?P<field>.+?)\s+(?:is|was)\s+(?:wrong|incorrect|not correct|a mistake)$",
    r"^(?:naa\s+|na\s+)?(?P<field>.+?)\s+(?:tappu|thappu)(?:\s+(?:undi|ga undi|ichanu))?\s*[,.;:-]\s*(?P<value>.+)$",
    r"^wrong\s+(?P<field>.+)$",
    r"^(?:naa\s+|na\s+)?(?P<field>.+?)\s+(?:tappu|thappu)(?:\s+(?:undi|ga undi|ichanu))?$",
    r"^(?P<field>.+?)\s+(?:ni|nu)\s+(?P<value>.+?)\s*(?:ga|gaa)\s+(?:marchu|marchandi|maarchandi|marchali)$",
    # "temple tirumala ki marchandi", "district krishna ga marchu": the field's word, then the value
    r"^(?P<field>\S+)\s+(?P<value>.+?)\s+(?:ki|ku|ga|gaa)\s+(?:marchu|marchandi|maarchandi|marchali)$",
    r"^(?P<field>.+?)\s+(?:marchu|marchandi|maarchandi|marchali|change cheyyi|change cheyandi)$",
    r"^(?:నా\s+)?(?P<field>.+?)\s*తప్పు(?:\s*(?:ఉంది|గా ఉంది|ఇచ్చాను))?\s*[,.;:-]\s*(?P<value>.+)$",
    r"^(?:నా\s+)?(?P<field>.+?)\s*తప్పు(?:\s*(?:ఉంది|గా ఉంది|ఇచ్చాను))?$",
    r"^(?P<field>\S+?)(?:ని|ను)?\s+(?P<value>.+?)\s*(?:గా|కి|కు)\s+మార్చ(?:ండి|ు|ాలి)$",
    r"^(?P<field>.+?)\s+మార్చ(?:ండి|ు|ాలి)$",
)]


@dataclass(frozen=True)
class Checked:
    """One answer checked against a field: the value, or why it was refused (a (key, values) pair or en/te)."""

    value: str | None
    reason: object = None
    display: str = ""
    unsure: bool = False  # understood, but to be confirmed with the citizen
    note: tuple[str, dict] | None = None  # how it was read ("₹1,80,000 a year (₹15,000 a month)")
    # an answer to this question that cannot be used as it is (the web chat's "same number"), not a new request
    answered: bool = False
    spelled_by_ear: bool = False  # a name as the recognizer spelled it: the citizen is asked to check the spelling

    @property
    def ok(self) -> bool:
        return self.value is not None


NUMBER_MARKS = re.compile(r"[\s\-/.]")  # what a number or a date in digits is written with ("01/07/1957")


def _is_whole_identifier(spec: ServiceField, text: str, value: str) -> bool:
    """Whether `text` is nothing but the identifier `value` ("ap 39 ab 1234" for AP39AB1234)."""
    return bool(spec.format) and NUMBER_MARKS.sub("", text).upper() == value.upper()


def field_kind(spec: ServiceField) -> str:
    """The entity type a field takes: its identifier format when it has one, else its type."""
    from nlu.answers.identifiers import TYPE_FORMATS

    return spec.format or TYPE_FORMATS.get(spec.type) or spec.type.value


# "Tenali mandal", "ongole rural mandalam", "పెడన మండలం": one or two name words before the word for a mandal
_MANDAL_NAMED = re.compile(r"[^\W\d_][\w\u0c00-\u0c7f]*(?:\s+rural)?\s*(?:mandalam|mandal|మండలం|మండల్)(?:lo|లో|లోని)?"
                           r"(?![\w\u0c00-\u0c7f])",
                           re.IGNORECASE)


def takes(spec: ServiceField, entity: Entity) -> bool:
    """Whether an entity found in a message can be the answer to a field."""
    if entity.type == "persons":
        return spec.type == FieldType.number and spec.name in PEOPLE_COUNTS
    kind = field_kind(spec)  # "aadhaar|pension_id" takes an Aadhaar number or a pension ID
    return (entity.format or entity.type) in kind.split("|")


class Forms:
    def __init__(self, catalog, desk, clock, flows: dict, status):
        self.catalog = catalog
        self.desk = desk  # bot/application_desk.py: summary, submission and status texts, shared with REST
        self.clock = clock
        self.flows = flows  # outcome value -> OutcomeFlow (bot/hooks.py)
        self.status = status  # (convo, reference) -> None

    # ------------------------------------------------------------- checking one answer
    def check(self, spec: ServiceField, text: str, choice_id: str | None = None) -> Checked:
        from bot.fields import check_answer

        answer = check_answer(spec, text, self.catalog.gazetteer, india_today(self.clock()), choice_id)
        if answer.ok:
            return Checked(answer.value, display=getattr(answer, "display", ""),
                           unsure=bool(getattr(answer, "needs_confirmation", False)), note=answer.note)
        # a number refused at a number's question is a try at it ("his aadhaar 2345 6789 0125": a wrong check
        # digit; "2 acres, 50000" for an income), told why, not read as a request for the Aadhaar service
        counted = spec.type in (FieldType.amount, FieldType.number) and any(ch.isdigit() for ch in text or "")
        tried = (counted or format_of(spec) is not None and writes_a_number(text)) and find_reference(text) is None
        return Checked(None, (answer.error, answer.error_values), answered=tried)

    # ------------------------------------------------------------- starting and resuming
    def start(self, convo, service: Service, entities: list[dict] | None = None, request: str = "",
              answered: dict[str, str] | None = None) -> None:
        """Open the service's form; `answered` (field name -> value) was given before its first question."""
        state, t = convo.state, convo.t
        state.reset()
        if state.unpark(service.id):  # the draft back; an answer given now replaces the draft's
            convo.add(render.text(t.say("resuming", service=service.name)))
            self._note(convo, self._given(convo, service, answered))
            self.next_field(convo)
            return
        state.service_id = service.id
        if service.outcome.value == "information":
            convo.add(render.text(t.say("information", service=service.name, description=service.description,
                                        documents=documents_needed(service), fee=fee_rupees(service.fee))))
            state.discard_form()
            return
        state.step = FILLING
        starting = "starting_service_one" if len(service.fields) == 1 else "starting_service"
        convo.add(render.text(t.say(starting, service=service.name, count=len(service.fields))))
        # the citizen's own answer first: the request's entities and choices then fill only what is still open
        noted = self._given(convo, service, answered)
        noted += self._prefill(convo, service, entities or []) + self._prefill_choices(convo, service, request)
        noted += self._prefill_mandal(convo, service, request) + self._prefill_party(convo, service, request)
        self._note(convo, noted)
        self.next_field(convo)

    def _given(self, convo, service: Service, answered: dict[str, str] | None) -> list[tuple[ServiceField, str]]:
        return [self._fill_from_request(convo, f, answered[f.name]) for f in service.fields if f.name in (answered or {})]

    def _note(self, convo, noted: list[tuple[ServiceField, str]]) -> None:
        if noted:
            convo.add(render.text(convo.t.say("prefilled", items=self._noted(noted))))

    def resume(self, convo) -> bool:
        """"continue": the active form's question again, or the latest draft back."""
        state = convo.state
        if state.has_form:
            if state.step == SUMMARY:
                self.summary(convo)
            else:
                self.next_field(convo)
            return True
        service_id = state.latest_draft()
        if service_id is None or service_id not in self.catalog.services:
            return False
        self._reopen(convo, service_id)
        self.next_field(convo)
        return True

    def resume_with_answer(self, convo, turn, identifier_alone: bool = False) -> bool:
        """A number sent alone after a form was kept for a detail the citizen did not have ("01-07-1957" once the
        date is found, an Aadhaar number): the answer to the question the latest draft stopped at, so it goes on.
        `identifier_alone`: the message is letters and digits ("AP 39 AB 1234"), taken only where it is the
        whole of an identifier the question asks for, not a request that holds one."""
        state = convo.state
        service_id = state.latest_draft()
        service = self.catalog.services.get(service_id) if service_id else None
        asked = state.drafts[service_id].get("field_name") if service else None
        spec = next((f for f in service.fields if f.name == asked), None) if asked else None
        checked = self.check(spec, turn.text) if spec else None
        if not checked or not checked.ok or identifier_alone and not _is_whole_identifier(spec, turn.text,
                                                                                           checked.value):
            return False
        self._reopen(convo, service_id)
        state.step = FILLING
        self.answer(convo, turn)
        return True

    def _reopen(self, convo, service_id: str) -> None:
        """The draft of `service_id` made the active form again, and the citizen told so."""
        convo.state.reset()
        convo.state.unpark(service_id)
        convo.add(render.text(convo.t.say("resuming", service=self.catalog.services[service_id].name)))

    def opening_answer(self, service: Service, text: str) -> dict[str, str]:
        """The answer to the form's first question given before it was asked ("kotha" at "Shall we start the
        trade licence?"): only a choice named by the whole message, so "new connection" stays a request."""
        first = service.fields[0] if service.fields else None
        if first is None or first.type != FieldType.choice or text.strip().isdigit():
            return {}  # a bare digit there is a button's or a menu's number
        choice = exact_choice(first, text)
        return {first.name: choice.value} if choice else {}

    def _prefill(self, convo, service: Service, entities: list[dict]) -> list[tuple[ServiceField, str]]:
        noted = []
        for raw in entities:
            entity = Entity(**raw)
            spec = next((f for f in service.fields if takes(f, entity)
                         and f.name not in convo.state.slots), None)
            value = self._entity_value(spec, entity) if spec else None
            if value is not None:
                noted.append(self._fill_from_request(convo, spec, value))
        return noted

    def _prefill_choices(self, convo, service: Service, request: str) -> list[tuple[ServiceField, str]]:
        """Choices the request already named ("street light not working"), so they are not asked again."""
        noted = []
        for spec in service.fields:
            choice = mentioned_choice(spec, request) if spec.type == FieldType.choice and request else None
            if choice and spec.name not in convo.state.slots:
                noted.append(self._fill_from_request(convo, spec, choice.value))
        return noted

    def _prefill_mandal(self, convo, service: Service, request: str) -> list[tuple[ServiceField, str]]:
        """A mandal the request names with the word ("we live in Tenali mandal", "పెడన మండలం")."""
        spec = self._open_field(convo, service, lambda f: f.type == FieldType.mandal)
        said = self._mandal_said(spec, request) if spec else None
        return [self._fill_from_request(convo, spec, said.value)] if said else []

    def _prefill_party(self, convo, service: Service, request: str) -> list[tuple[ServiceField, str]]:
        """The people a booking is for, named in the request ("darshan for me and my wife": 2)."""
        spec = self._open_field(convo, service, lambda f: f.name in PEOPLE_COUNTS)
        party = party_size(request, asked=False) if spec else None
        return self._prefill_said(convo, spec, str(party) if party else None)

    @staticmethod
    def _open_field(convo, service: Service, wanted) -> ServiceField | None:
        return next((f for f in service.fields if wanted(f) and f.name not in convo.state.slots), None)

    def _prefill_said(self, convo, spec: ServiceField | None, said: str | None) -> list[tuple[ServiceField, str]]:
        """What the request said for `spec`, filled when it is a valid answer to it."""
        checked = self.check(spec, said) if spec and said else None
        return [self._fill_from_request(convo, spec, checked.value)] if checked and checked.ok else []

    def _fill_from_request(self, convo, spec: ServiceField, value: str) -> tuple[ServiceField, str]:
        """Fill a field from the first request, marked as such for the summary."""
        convo.state.slots[spec.name] = value
        if spec.name not in convo.state.prefilled:
            convo.state.prefilled.append(spec.name)
        return spec, value

    def _noted(self, filled: list[tuple[ServiceField, str]]) -> PerColumn:
        """Details taken from a message, each named as the summary names it ("Persons: 3"), in each half's
        language: a bare "3" or "06-12-2026" does not say what it was taken as."""
        gazetteer = self.catalog.gazetteer
        return PerColumn(lambda column: ", ".join(labelled_value(spec, value, gazetteer, column)
                                                  for spec, value in filled))

    def _entity_value(self, spec: ServiceField, entity: Entity) -> str | None:
        listed = getattr(self.catalog.gazetteer, PLACE_KINDS.get(spec.type, ""), None) or []
        if any(p.id == entity.value for p in listed):
            return entity.value
        checked = self.check(spec, entity.value)
        return checked.value if checked.ok else None

    # ------------------------------------------------------------- answers
    def answer(self, convo, turn, describes: bool = False) -> Checked:
        """Take the citizen's answer to the field asked; other details in the same message fill their fields, and
        a message that `describes` the form's problem is kept as its account, shown at the description's question.
        Returns the check of the asked field (the caller decides what a refusal means)."""
        state = convo.state
        spec = self.current(state)
        said = _reference_chosen(turn) or turn.text
        if spec.name == DESCRIPTION and state.account:
            return self._add_to_account(convo, spec, said)
        if field_kind(spec) == "mobile" and says_this_number(said):
            return self._own_number(convo, spec, turn)
        others, text = self._split_details(convo, spec, said)
        checked = None
        if others and not text:
            whole = self.check(spec, said, turn.choice_id)
            # "Tenali" asked for a mandal is the mandal, though it is a town too; "Guntur" asked for a purpose is
            # the district, not an "Other" purpose in the citizen's words; "Tenali" asked for the district is the
            # town where the form has a town's question (its district is offered next), not a district guessed
            if whole.ok and not whole.unsure and not (spec.type == FieldType.choice and spec.chosen(whole.value)[1]):
                others, text, checked = {}, said, whole
        for name, value in others.items():
            state.slots[name] = value
        if checked is None:
            checked = self.check(spec, text, turn.choice_id) if text or turn.choice_id else Checked(None)
        if getattr(turn, "voice", False) and not others:
            checked = self._heard(spec, turn, checked)
        account = self._account(convo, said) if describes and checked.ok else None
        state.account = account or state.account
        noted = {**others, DESCRIPTION: account} if account else others
        if noted:
            service = self.catalog.services[state.service_id]
            listed = [(f, noted[f.name]) for f in service.fields if f.name in noted]
            convo.add(render.text(convo.t.say("also_noted", items=self._noted(listed))))
        if checked.ok and checked.unsure:
            self._confirm_answer(convo, spec, checked)
            return checked
        if checked.ok:
            state.slots[spec.name] = checked.value
        if not checked.ok and others and says_not_at_hand(said):
            # "I don't know the IFSC, it is SBI Guntur branch": the other details are noted, and the missing one
            # is the dialogue's to answer (where it is found), not asked again as if unanswered
            return Checked(None, checked.reason, answered=True)
        if checked.ok or others:
            state.retries = 0
            self.next_field(convo)
            return Checked(checked.value or "")
        return checked

    def _own_number(self, convo, spec: ServiceField, turn) -> Checked:
        """"Same number", "ఇదే నంబర్": the WhatsApp number the message came from; the web chat has none to give."""
        if turn.own_mobile is None:
            return Checked(None, ("own_number_unknown", {}), answered=True)
        convo.state.slots[spec.name], convo.state.retries = turn.own_mobile, 0
        convo.add(render.text(convo.t.say("own_number_noted",
                                          number=self._display(convo, spec, turn.own_mobile))))
        self.next_field(convo)
        return Checked(turn.own_mobile)

    def _heard(self, spec: ServiceField, turn, checked: Checked) -> Checked:
        """A spoken answer: when the transcript did not give it in the citizen's script, its other readings
        (nlu.voice_route.spoken_answers: other spellings, romanized, a place by sound) are read by the same
        answer parsers, and what they give is confirmed with the citizen."""
        from nlu.voice_route import NUMBER_KINDS, echo, spoken_answers

        if checked.ok and checked.value == "":
            return checked  # "skip", "I don't know" to an optional question: nothing was heard to check
        if checked.ok and spec.type.value in NUMBER_KINDS:
            # a number is only as good as the recognizer's hearing of each digit ("nine eight four eight…" written
            # "I-8848-012345": 88480 12345, with no check digit to refuse it): confirmed, so a misheard mobile
            # number does not send the citizen's updates to a stranger
            return Checked(checked.value, display=checked.display, unsure=True)
        if checked.ok and echo(turn.transcript):
            # a name is only as good as the recognizer's spelling of it ("Raymash" for Ramesh): confirmed, so a
            # misheard one does not go on a certificate; the citizen may type it instead
            return Checked(checked.value, display=checked.display, unsure=True, spelled_by_ear=True) \
                if spec.type in SPELLED_BY_EAR else checked
        readings = spoken_answers(spec.type.value, turn.transcript, self.catalog.gazetteer)
        if spec.type in FREE_WORDS and _foreign(turn.transcript.text):  # "ते आग": its romanization is read below
            checked = Checked(None)
        for text in readings:
            if spec.type in FREE_WORDS and _foreign(text):
                continue  # its romanization is among the readings
            heard = self.check(spec, text)
            if heard.ok:
                return Checked(heard.value, display=heard.display, unsure=True,
                               spelled_by_ear=spec.type in SPELLED_BY_EAR)
        return checked

    def _district_of_a_place_given(self, state, service: Service) -> Place | None:
        """The district of a town, mandal or temple the citizen already gave ("Tenali mandal" -> Guntur), offered
        before the district is asked: a mandal may share its name with a town elsewhere, so it is confirmed."""
        gazetteer = self.catalog.gazetteer
        given = {state.slots.get(f.name) for f in service.fields if f.type in _PLACES_IN_A_DISTRICT} - {None, ""}
        place = next((p for p in [*gazetteer.towns, *gazetteer.temples] if given & {p.id, p.name.en}), None)
        return gazetteer.district(place.district) if place else None

    def _confirm_answer(self, convo, spec: ServiceField, checked: Checked, asked: str = "") -> None:
        state, t = convo.state, convo.t
        state.step, state.retries = CONFIRM_ANSWER, 0
        state.unsure = {"value": checked.value, "display": self._display(convo, spec, checked.value)}
        whole = _whole(spec, checked.value)
        shown = checked.note or whole or _in_their_script(spec, state.unsure["display"], convo.language)
        asked = asked or ("heard_answer" if checked.spelled_by_ear else "did_you_mean_answer")
        question = render.buttons(t.say(asked, value=shown),
                                  [("yes", t.title("button_yes")), ("no", t.title("button_no"))])
        if whole:
            question.masked[whole] = state.unsure["display"]
        convo.add(question)

    def on_confirm_answer(self, convo, turn) -> bool:
        """Yes stores the understood answer, No asks again; anything else is a new answer (False)."""
        state = convo.state
        unsure, state.unsure, state.step = state.unsure, {}, FILLING
        answer = words.yes_or_no(turn.text)
        if turn.choice_id == "yes" or answer:
            state.slots[state.field_name] = unsure.get("value", "")
            self.next_field(convo)
            return True
        if turn.choice_id == "no" or answer is False:
            self.ask(convo)
            return True
        return False

    def _split_details(self, convo, spec: ServiceField, text: str) -> tuple[dict[str, str], str]:
        """Details for other open fields found in a message, and what is left for the field asked.

        The whole message stays the answer when it holds nothing for another field or when the asked field
        is free text. What is left may be nothing ("Prakasam" said where the problem is asked): `answer`
        then takes the message for the asked field if that field takes it, else for the other."""
        if spec.type == FieldType.text or not text:
            return {}, text
        from nlu.entities import extract_entities

        state = convo.state
        service = self.catalog.services[state.service_id]
        open_fields = [f for f in service.fields if f.name not in state.slots and f.name != spec.name]
        found, text = _names_of_others(spec, open_fields, text)
        used, own = [], None
        for entity in extract_entities(text, self.catalog.gazetteer, india_today(self.clock())):
            if spec.type == FieldType.name and entity.type in _PLACES and place_in_name(text, entity.start, entity.end):
                continue  # "Kondapalli Venkata Ramana": the surname, not the town
            if own is None and takes(spec, entity):
                own = entity
                continue
            target = next((f for f in open_fields if takes(f, entity) and f.name not in found), None)
            value = self._entity_value(target, entity) if target else None
            if value is not None:
                found[target.name] = value
                used.append(entity)
        used += self._mandal_named(spec, [f for f in open_fields if f.name not in found], text, found)
        if not found:
            return {}, text
        return found, text[own.start:own.end] if own else _without(text, used) if used else text

    def _mandal_named(self, spec: ServiceField, open_fields: list[ServiceField], text: str,
                      found: dict[str, str]) -> list[Entity]:
        """A mandal said with the word beside the asked detail ("గుంటూరు జిల్లా, తెనాలి మండలం"): noted in
        `found` for the mandal's question; the part of the message that said it."""
        mandal = next((f for f in open_fields if f.type == FieldType.mandal), None)
        said = self._mandal_said(mandal, text) if mandal and spec.type not in FREE_WORDS else None
        if said:
            found[mandal.name] = said.value
        return [said] if said else []

    def _mandal_said(self, mandal: ServiceField, text: str) -> Entity | None:
        """A mandal named with the word for one in `text` ("Tenali mandal"): mandals have no gazetteer list, so
        only a name said with its kind is taken, when it is a valid answer to `mandal`."""
        said = _MANDAL_NAMED.search(text or "")
        checked = self.check(mandal, said.group(0)) if said else None
        return Entity("mandal", checked.value, said.group(0), said.start(), said.end()) if checked and checked.ok \
            else None

    def detail_named(self, convo, text: str) -> ServiceField | None:
        """The form's still-open card or document number a message names ("connection number teliyadu" while
        the town is asked)."""
        spec = _field_named(self.catalog.services[convo.state.service_id], text)
        return spec if spec and spec.format and spec.name not in convo.state.slots else None

    def detail_asked_about(self, convo, phrase: str) -> ServiceField | None:
        """The form's numbered detail a question names ("assessment number" in "assessment number ante enti?",
        "usc number" by the format's own words)."""
        service = self.catalog.services[convo.state.service_id]
        said = {w for w in phrase.casefold().split() if w not in _FILLER}
        spec = _field_named(service, phrase, every_word=True) or next(
            (f for f in service.fields if said and (fmt := format_of(f)) and said <= _format_words(fmt)), None)
        return spec if spec and format_of(spec) is not None else None

    def holds_other_details(self, convo, text: str) -> bool:
        """Whether a message gives details for the form's other questions ("నా పేరు రాము, ఆధార్ 4991 1866
        5246"): an answer, though it names another service's word ("ఆధార్")."""
        return bool(self._split_details(convo, self.current(convo.state), text)[0])

    def description_open(self, convo) -> bool:
        """Whether the asked question is a place or a date, where a citizen may describe the problem, and the
        form's description is still to be asked."""
        return self.current(convo.state).type in _DESCRIBED_AT and self._description(convo) is not None

    def _description(self, convo) -> ServiceField | None:
        service = self.catalog.services[convo.state.service_id]
        return self._open_field(convo, service, lambda f: f.name == DESCRIPTION)

    def _account(self, convo, said: str) -> str | None:
        spec = self._description(convo)
        checked = self.check(spec, said) if spec else None
        return checked.value if checked and checked.ok else None

    def _add_to_account(self, convo, spec: ServiceField, said: str) -> Checked:
        """The description's question after the problem was told at an earlier one: a no or "that's all" keeps
        the account as told, a yes waits for what is to be added; anything else is added to it (the question asks
        for what it may lack: the shop number, a phone's IMEI)."""
        state = convo.state
        answer = words.yes_or_no(said)
        if answer:
            convo.add(render.text(convo.t.say("add_what")))
            return Checked("")  # answered: the addition comes next
        nothing_more = answer is False or is_skip(said) or words.folded(said) in words.NOTHING_MORE
        checked = self.check(spec, state.account if nothing_more else f"{state.account}. {said}")
        if checked.ok:
            state.slots[spec.name], state.account, state.retries = checked.value, None, 0
            self.next_field(convo)
        return checked

    def takes_any_words(self, state) -> bool:
        """A field that accepts almost any words (a name, a mandal), so "income certificate kavali" would pass
        as an answer: such answers are first tried as another request."""
        return self.current(state).type in NAMED_AS_SAID

    def refuse(self, convo, reason) -> None:
        state, t = convo.state, convo.t
        state.retries += 1
        if state.retries > MAX_REASKS:
            state.step = AFTER_TOO_MANY_TRIES
            spec = self.current(state)
            second = ("skip", t.title("button_skip")) if not spec.required else ("menu", t.title("button_menu"))
            convo.add(render.buttons(t.say("too_many_tries"), [
                ("retry", t.title("button_retry")), second, ("agent", t.title("button_agent"))]))
            return
        convo.add(render.text(t.say("retry", reason=reason or ("not_understood_answer", {}),
                                    left=MAX_REASKS - state.retries + 1)))
        self.ask(convo)

    def on_too_many_tries(self, convo, turn) -> bool:
        state = convo.state
        state.step, state.retries = FILLING, 0
        spec = self.current(state)
        if turn.choice_id == "retry" or turn.said in words.TRY_AGAIN:
            self.ask(convo)
            return True
        if (turn.choice_id == "skip" or is_skip(turn.said, choice=spec.type == FieldType.choice)) \
                and not spec.required:
            state.slots[spec.name] = ""
            self.next_field(convo)
            return True
        return False  # anything else is a new try at the field

    # ------------------------------------------------------------- corrections and back
    def correct(self, convo, turn) -> bool:
        """"change district to Krishna", "my mobile is wrong", "జిల్లా మార్చండి" during a form."""
        text = " ".join(turn.text.split()).strip(" .!")
        match = next((m for m in (p.match(text) for p in _CORRECTIONS) if m), None)
        if match is None:
            return False
        service = self.catalog.services[convo.state.service_id]
        spec = _field_named(service, match["field"])
        if spec is None:
            return False
        state, t = convo.state, convo.t
        value_text = (match.groupdict().get("value") or "").strip()
        state.slots.pop(spec.name, None)
        if spec.name in state.prefilled:
            state.prefilled.remove(spec.name)
        state.step, state.field_name, state.retries = FILLING, spec.name, 0
        if value_text:
            checked = self.check(spec, value_text)
            if checked.ok:
                self._changed(convo, spec, checked.value)
                return True
            convo.add(render.text(t.say("retry", reason=checked.reason, left=MAX_REASKS)))
        self.ask(convo)
        return True

    def back(self, convo) -> bool:
        state = convo.state
        service = self.catalog.services[state.service_id]
        if state.step == SUMMARY:
            previous = service.fields[-1] if service.fields else None
        else:
            asked = [f for f in service.fields[:self._index(service, state.field_name)]]
            previous = asked[-1] if asked else None
        if previous is None:
            return False
        state.slots.pop(previous.name, None)
        state.step, state.field_name, state.retries = FILLING, previous.name, 0
        self.ask(convo)
        return True

    # ------------------------------------------------------------- asking
    def current(self, state) -> ServiceField:
        service = self.catalog.services[state.service_id]
        return next(f for f in service.fields if f.name == state.field_name)

    def next_field(self, convo) -> None:
        state = convo.state
        service = self.catalog.services[state.service_id]
        missing = next((f for f in service.fields if f.name not in state.slots), None)
        if missing is not None:
            state.step, state.field_name, state.retries = FILLING, missing.name, 0
            district = self._district_of_a_place_given(state, service) if missing.type == FieldType.district else None
            if district:
                self._confirm_answer(convo, missing, Checked(district.id), asked="district_of_place")
            else:
                self.ask(convo)
        elif service.outcome.value == "status":
            self._status_from_slots(convo, service)
        else:
            state.step, state.field_name = SUMMARY, None
            self.summary(convo)

    def ask(self, convo, spelled_out: bool = False) -> None:
        """The current question; `spelled_out`, its options written in full under it too (asked for: a button's
        title is cut at 20 characters)."""
        spec, t = self.current(convo.state), convo.t
        prompt = t.pick(spec.prompt)
        if spec.type == FieldType.date and not _WRITTEN_DATE.search(prompt):  # the catalog's own example wins
            prompt += " " + t.say("date_hint", example=example_date(spec, india_today(self.clock())))
        if not spec.required:
            prompt = _SAYS_OPTIONAL.sub("", prompt) + "\n" + t.say("optional_hint")
        if spec.name == DESCRIPTION and convo.state.account:
            prompt = t.say("add_to_account", account=convo.state.account, question=prompt)
        listing = "\n".join(f"{i}. {t.name(c.label)}" for i, c in enumerate(spec.choices, 1))
        if spelled_out and listing:
            prompt += "\n" + listing
        last = convo.state.last_reference
        if format_name(spec) == MITRA_REFERENCE and last:  # the number of the citizen's latest request, one tap away
            convo.add(render.buttons(f"{prompt}\n{t.say('last_reference')}", [(f"{REFERENCE_CHOICE}{last}", last)]))
        elif spec.type != FieldType.choice:
            convo.add(render.text(prompt))
        elif len(spec.choices) <= render.BUTTONS_MAX:
            convo.add(render.buttons(prompt, [(f"opt:{c.value}", t.name(c.label)) for c in spec.choices]))
        elif len(spec.choices) <= render.LIST_MAX_ROWS:
            rows = [(f"opt:{c.value}", f"{i}. {t.name(c.label)}", "") for i, c in enumerate(spec.choices, 1)]
            convo.add(render.choice_list(prompt, rows, t.title("list_choose")))
        else:
            convo.add(render.text(prompt if spelled_out else f"{prompt}\n{listing}"))

    # ------------------------------------------------------------- summary and submission
    def summary(self, convo) -> None:
        state, t = convo.state, convo.t
        body = self.desk.summary(self.catalog.services[state.service_id], state.slots, t.language,
                                 prefilled=set(state.prefilled))
        convo.add(render.buttons(body, [("submit", t.title("button_submit")), ("back", t.title("button_back")),
                                        ("cancel", t.title("button_cancel"))]))

    def on_summary(self, convo, turn) -> bool:
        if turn.choice_id == "submit" or parse_yes_no(turn.said) or turn.said in words.SUBMIT:  # "సరే సమర్పించండి"
            self.submit(convo, turn)
        elif turn.choice_id == "no" or words.yes_or_no(turn.text) is False:
            return False  # the caller cancels
        elif not self._named_again(convo, turn):
            self._not_an_answer_at_summary(convo, turn)
        return True

    def _not_an_answer_at_summary(self, convo, turn) -> None:
        """The summary again, after what the message was: its fee, documents and days are in the summary; another
        question is one for the office or a person ("loan entha varaku istaru?" was told to tap a button)."""
        if not words.asks_only_about_service(turn.said):
            service = self.catalog.services[convo.state.service_id]
            key = "question_at_summary" if words.asks_something(turn.said) else "choose_from_buttons"
            convo.add(render.text(convo.t.say(key, department=self.catalog.department_of(service).name)))
        self.summary(convo)

    def _named_again(self, convo, turn) -> bool:
        """A detail given again at the summary under its name ("mandal Tenali", "mobile number 98480 12345",
        "జిల్లా కృష్ణా"): changed, and the summary shown again."""
        state, said = convo.state, turn.text.split()
        service = self.catalog.services[state.service_id]
        for size in (2, 1):  # "mobile number ..." before "mobile ..."
            # every word must name the field: "Mother: Lakshmi Devi" is the mother's name, not "Devi"
            spec = _field_named(service, " ".join(said[:size]), every_word=True) if len(said) > size else None
            checked = self.check(spec, " ".join(said[size:])) if spec else None
            if checked is not None and checked.ok and not checked.unsure:
                self._changed(convo, spec, checked.value)
                return True
        return False

    def _changed(self, convo, spec: ServiceField, value: str) -> None:
        """A detail given a new value: no longer marked as taken from the request, said back, and the form goes
        on (to the summary when complete)."""
        state = convo.state
        state.slots[spec.name] = value
        if spec.name in state.prefilled:
            state.prefilled.remove(spec.name)
        convo.add(render.text(convo.t.say("changed", field=_label(spec), value=self._display(convo, spec, value))))
        self.next_field(convo)

    def submit(self, convo, turn) -> None:
        state = convo.state
        service = self.catalog.services[state.service_id]
        try:
            submitted = self.desk.submit(service, state.slots, convo.citizen_db_id, convo.language,
                                         turn.message_id, self.clock(), reply_language=convo.t.language,
                                         booked_next=service.outcome.value in self.flows)
        except SubmitFailed:
            convo.add(render.text(convo.t.say("submit_failed")))  # the form stays: Submit again later
            return
        answers = dict(state.slots)
        state.discard_form()
        state.last_reference = state.references[service.id] = submitted.reference
        convo.add(render.text(submitted.message))
        flow = self.flows.get(service.outcome.value)
        if flow is not None:
            flow.after_submit(convo, Submitted(service, submitted.reference, answers))
        self.remind_drafts(convo)

    def remind_drafts(self, convo) -> None:
        waiting = convo.state.latest_draft()
        if waiting in self.catalog.services and convo.state.step not in (FILLING, SUMMARY):
            convo.add(render.text(convo.t.say("draft_waiting", service=self.catalog.services[waiting].name)))

    def _status_from_slots(self, convo, service: Service) -> None:
        """A status service's answers: a mitra reference goes to the application's own status (shown only to
        its applicant); a department's identifier (pension id, FIR, PNR...) is looked up at the department."""
        from bot.application_desk import StatusUnavailable
        from bot.fields import find_reference

        state, t = convo.state, convo.t
        reference = next((find_reference(v) for v in state.slots.values() if v and find_reference(v)), None)
        try:
            if reference:
                self.status(convo, reference)
            else:
                report = self.desk.department_status(service, state.slots, t.language)
                convo.add(render.text(report.message if report else t.say("status_ask_reference")))
        except StatusUnavailable:
            state.step = FILLING
            state.reset()  # kept as a draft: *continue* (or the button) asks the department again
            convo.add(render.buttons(t.say("dept_status_down", department=self.catalog.department_of(service).name),
                                     [("continue", t.title("button_retry"))]))
            return
        state.discard_form()

    # ------------------------------------------------------------- small helpers
    def _display(self, convo, spec: ServiceField, value: str) -> str:
        return display_value(spec, value, self.catalog.gazetteer, convo.t.columns[0])

    @staticmethod
    def _index(service: Service, name: str | None) -> int:
        return next((i for i, f in enumerate(service.fields) if f.name == name), len(service.fields))


# A name of a person or of a place with no list (a mandal, a village): almost any words pass as one, and said
# aloud it is confirmed before it is kept, as the recognizer spelled it
NAMED_AS_SAID = (FieldType.name, FieldType.mandal, FieldType.village)
SPELLED_BY_EAR = NAMED_AS_SAID
FREE_WORDS = (*NAMED_AS_SAID, FieldType.text)  # answers taken as the words said
_PLACES_IN_A_DISTRICT = (FieldType.town, FieldType.mandal, FieldType.temple)


def _foreign(text: str) -> bool:
    """Letters neither a Telugu nor an English reader reads (Devanagari, Thai, Urdu from a generic recognizer)."""
    return any(c.isalpha() for c in text) and not readable(text, "te") and not readable(text, "en")


def _in_their_script(spec: ServiceField, heard: str, language: str) -> str:
    """A name, text or mandal heard in Latin letters, read back to a citizen who reads Telugu: in Telugu letters by its
    sound, then as it will be written on the application ("రమి కుమర్ (rami kumar)")."""
    if language != "te" or spec.type not in FREE_WORDS or readable(heard, language):
        return heard
    return f"{to_telugu(heard)} ({heard})"


def _whole(spec: ServiceField, value: str) -> str:
    """A personal number as the citizen must check it when it was heard, not typed: every digit, grouped as
    its document prints it (summaries and the stored reply keep it masked)."""
    fmt = format_of(spec)
    if fmt is None or not fmt.personal:
        return ""
    try:
        return fmt.check(value).display
    except FormatError:
        return ""


def _label(spec: ServiceField) -> PerColumn:
    """What a field is called (as in the summary), per language."""
    return PerColumn(lambda column: field_label(spec, column))


def _format_words(fmt: IdentifierFormat | EitherFormat) -> set[str]:
    """The words a citizen names an identifier by: its cues and its label's words ("usc", "service", "number")."""
    formats = fmt.options if isinstance(fmt, EitherFormat) else (fmt,)
    labels = " ".join(f"{f.label.en} {f.label.te}" for f in formats).casefold()
    return {*(cue for f in formats for cue in f.cues), *re.sub(r"[()/,]", " ", labels).split()}


def _field_named(service: Service, phrase: str, every_word: bool = False) -> ServiceField | None:
    """The field a correction names, by its name's words or the usual words for its kind (by `every_word` of
    the phrase, where its words may run on into the value)."""
    said = [w for w in re.split(r"[\s_:]+", phrase.casefold()) if w and w not in _FILLER]
    if not said or len(said) > 4:
        return None
    best, best_score = None, len(said) - 1 if every_word else 0
    for spec in service.fields:
        names = set(spec.name.split("_")) | words.FIELD_WORDS.get(field_kind(spec), set())
        names |= words.FIELD_WORDS.get(spec.type.value, set())
        score = sum(1 for w in said if any(w == n or (len(n) > 2 and w.startswith(n)) for n in names))
        if score > best_score:
            best, best_score = spec, score
    return best


def _names_of_others(spec: ServiceField, open_fields: list[ServiceField], text: str) -> tuple[dict[str, str], str]:
    """Other people's names said with the one asked ("Aarav, mother Lakshmi, father Ramesh"), for their
    fields, and what is left for the asked field (the whole message where it asks whose name, for its part)."""
    if spec.type != FieldType.name:
        return {}, text
    said, rest = names_by_whose(text)
    asked = whose_name(spec.name)
    names = {f.name: said[whose_name(f.name)] for f in open_fields
             if f.type == FieldType.name and whose_name(f.name) in said and whose_name(f.name) != asked}
    return names, text if asked or not names else rest


def _without(text: str, used: list[Entity]) -> str:
    """The message without the parts that held other fields' details."""
    parts, start = [], 0
    for match in [*_PARTS.finditer(text), None]:
        end = match.start() if match else len(text)
        parts.append((start, end))
        start = match.end() if match else len(text)
    spans = [(e.start, e.end) for e in used]
    if len([p for p in parts if text[p[0]:p[1]].strip()]) > 1:
        kept = [" ".join(text[s:e].split()) for s, e in parts if not any(s < ue and us < e for us, ue in spans)]
        return ", ".join(k for k in kept if k)  # the parts stay apart: a name is the part that looks like one
    for us, ue in sorted(spans, reverse=True):
        text = text[:us] + " " + text[ue:]
    cues = set().union(*words.FIELD_WORDS.values()) | _FILLER
    return " ".join(w for w in text.split() if w.casefold().strip(".:") not in cues)


def _reference_chosen(turn) -> str | None:
    """The request number a tapped "last request" button carries."""
    choice = turn.choice_id or ""
    return choice.removeprefix(REFERENCE_CHOICE) if choice.startswith(REFERENCE_CHOICE) else None
