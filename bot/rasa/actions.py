"""Custom actions for Rasa's action server (rasa-sdk 3.6): mitra checks answers, submits and looks up statuses.

Runs in Rasa's own virtual environment: imports only rasa-sdk and the standard library. The exporter puts
this file in the project's `actions/` with `mitra_forms.json` (the forms, their fields and texts).
Settings come from the action server's environment:

    MITRA_URL            mitra's API (default: the URL the project was exported with)
    MITRA_SERVICE_TOKEN  the bearer token mitra's /v1/applications endpoints expect
"""
from __future__ import annotations

import json
import logging
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

logger = logging.getLogger(__name__)

MANIFEST = json.loads((Path(__file__).with_name("mitra_forms.json")).read_text(encoding="utf-8"))
FORMS: Dict[str, dict] = MANIFEST["forms"]
TEXTS: Dict[str, Dict[str, str]] = MANIFEST["texts"]
REFERENCE_RE = re.compile(r"\bAP[-\s]?([A-Z]{2,5})[-\s]?(\d{4})[-\s]?(\d{6})\b", re.IGNORECASE)


class MitraUnavailable(RuntimeError):
    """mitra's API could not be reached or refused the request (`status`: its HTTP status, 0 when unreached)."""

    def __init__(self, message: str, status: int = 0):
        super().__init__(message)
        self.status = status


def mitra_call(method: str, path: str, body: Optional[dict] = None) -> dict:
    url = os.environ.get("MITRA_URL", MANIFEST["mitra_url"]).rstrip("/") + path
    headers = {"Content-Type": "application/json",
               "Authorization": f"Bearer {os.environ.get('MITRA_SERVICE_TOKEN', '')}"}
    data = json.dumps(body).encode("utf-8") if body is not None else None
    request = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=float(os.environ.get("MITRA_TIMEOUT_S", "15"))) as response:
            return json.loads(response.read().decode("utf-8"))
    except urllib.error.HTTPError as exc:
        detail = exc.read().decode("utf-8", "replace")[:300]
        raise MitraUnavailable(f"{method} {path}: HTTP {exc.code} {detail}", exc.code) from exc
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise MitraUnavailable(f"{method} {path}: {exc}") from exc


def language_of(tracker: Tracker) -> str:
    return "te" if tracker.get_slot("language") == "te" else "en"


def say(key: str, language: str, **values: Any) -> str:
    return TEXTS[key][language].format(**values)


def last_form(tracker: Tracker) -> Optional[str]:
    """The form that ran last: the active one, or the one that just finished."""
    for event in reversed(tracker.events):
        if event.get("event") == "active_loop" and (event.get("name") or "") in FORMS:
            return event["name"]
    return None


def form_values(tracker: Tracker, form: str) -> Dict[str, str]:
    return {f["name"]: tracker.get_slot(f["name"]) for f in FORMS[form]["fields"]
            if tracker.get_slot(f["name"]) is not None}


def clear_form(form: Optional[str]) -> List[EventType]:
    names = {f["name"] for f in FORMS[form]["fields"]} if form else {f["name"] for v in FORMS.values()
                                                                     for f in v["fields"]}
    return [SlotSet(name, None) for name in sorted(names)] + [SlotSet("requested_slot", None)]


class FormValidation(Action):
    """`validate_<form>`: each answer is checked (and normalized) by mitra, the way mitra's own bot does."""

    form = ""

    def name(self) -> Text:
        return f"validate_{self.form}"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[EventType]:
        spec = FORMS[self.form]
        fields = {f["name"] for f in spec["fields"]}
        events: List[EventType] = []
        for slot, value in tracker.slots_to_validate().items():
            if slot not in fields or value is None:
                continue
            try:
                checked = mitra_call("POST", "/v1/applications/check", {
                    "service_id": spec["service_id"], "field": slot, "value": str(value),
                    "language": language_of(tracker)})
            except MitraUnavailable as exc:
                logger.error("answer check failed: %s", exc)
                dispatcher.utter_message(text=say("submit_failed", language_of(tracker)))
                events.append(SlotSet(slot, None))
                continue
            if checked["ok"]:
                events.append(SlotSet(slot, checked["value"]))
            else:
                dispatcher.utter_message(text=checked["message"])
                events.append(SlotSet(slot, None))
        return events


# one validation action per exported form: rasa-sdk registers every Action subclass it finds
for _form in FORMS:
    globals()[f"Validate_{_form}"] = type(f"Validate_{_form}", (FormValidation,), {"form": _form})


class ConfirmApplication(Action):
    def name(self) -> Text:
        return "action_mitra_confirm"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[EventType]:
        language, form = language_of(tracker), last_form(tracker)
        if form is None:
            dispatcher.utter_message(text=say("not_understood", language))
            return []
        try:
            summary = mitra_call("POST", "/v1/applications/summary", {
                "service_id": FORMS[form]["service_id"], "fields": form_values(tracker, form),
                "language": language})
        except MitraUnavailable as exc:
            logger.error("summary failed: %s", exc)
            dispatcher.utter_message(text=say("submit_failed", language))
            return []
        dispatcher.utter_message(text=summary["message"], buttons=[
            {"title": say("button_yes", language), "payload": "/affirm"},
            {"title": say("button_no", language), "payload": "/deny"}])
        return []


class SubmitApplication(Action):
    def name(self) -> Text:
        return "action_mitra_submit"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[EventType]:
        language, form = language_of(tracker), last_form(tracker)
        if form is None:
            dispatcher.utter_message(text=say("not_understood", language))
            return []
        message_id = (tracker.latest_message or {}).get("message_id") or str(len(tracker.events))
        try:
            submitted = mitra_call("POST", "/v1/applications", {
                "service_id": FORMS[form]["service_id"], "citizen_id": tracker.sender_id,
                "fields": form_values(tracker, form), "language": language,
                "idempotency_key": f"rasa:{tracker.sender_id}:{message_id}"})
        except MitraUnavailable as exc:
            logger.error("submit failed: %s", exc)
            dispatcher.utter_message(text=say("submit_failed", language))
            return []
        dispatcher.utter_message(text=submitted["message"])
        return clear_form(form)


class ApplicationStatus(Action):
    def name(self) -> Text:
        return "action_mitra_status"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[EventType]:
        language, form = language_of(tracker), last_form(tracker)
        said = [str(v) for v in (form_values(tracker, form) if form else {}).values()]
        said.append((tracker.latest_message or {}).get("text") or "")
        match = next((m for m in (REFERENCE_RE.search(s) for s in said) if m), None)
        if match is None:
            dispatcher.utter_message(text=department_status(tracker, form, language))
            return clear_form(form)
        reference = f"AP-{match.group(1).upper()}-{match.group(2)}-{match.group(3)}"
        query = urllib.parse.urlencode({"language": language})
        try:
            status = mitra_call("GET", f"/v1/applications/{reference}?{query}")
            dispatcher.utter_message(text=status["message"])
        except MitraUnavailable as exc:
            if exc.status == 404:
                dispatcher.utter_message(text=say("status_not_found", language, reference=reference))
            else:
                dispatcher.utter_message(text=status_failed(exc, language))
        return clear_form(form)


def department_status(tracker: Tracker, form: Optional[str], language: str) -> str:
    """The department's answer for its own number among the form's answers (a CMRF number, an FIR, a PNR), looked
    up through mitra; without such a number, the citizen is asked for their reference."""
    values = form_values(tracker, form) if form else {}
    if not values:
        return say("status_ask_reference", language)
    try:
        return mitra_call("POST", "/v1/applications/department-status", {
            "service_id": FORMS[form]["service_id"], "fields": values, "language": language})["message"]
    except MitraUnavailable as exc:
        if exc.status == 422:  # no number the department can look up
            return say("status_ask_reference", language)
        return status_failed(exc, language)


def status_failed(exc: MitraUnavailable, language: str) -> str:
    logger.error("status lookup failed: %s", exc)
    return say("status_system_down" if exc.status == 503 else "submit_failed", language)


class ResetApplication(Action):
    def name(self) -> Text:
        return "action_mitra_reset"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[EventType]:
        dispatcher.utter_message(text=say("cancelled", language_of(tracker)))
        return clear_form(None)


class OfferLikelyServices(Action):
    """mitra (or DIET) was unsure: offer the likeliest services as buttons."""

    def name(self) -> Text:
        return "action_mitra_clarify"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict) -> List[EventType]:
        language = language_of(tracker)
        by_service = {spec["service_id"]: spec for spec in FORMS.values()}
        ranking = (tracker.latest_message or {}).get("intent_ranking") or []
        likely = [item["name"] for item in ranking if item.get("name") in by_service][:3]
        if not likely:
            dispatcher.utter_message(text=say("not_understood", language))
            return []
        dispatcher.utter_message(text=say("clarify", language), buttons=[
            {"title": by_service[s]["name"][language], "payload": f"/{s}"} for s in likely])
        return []
