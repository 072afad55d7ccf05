"""A Rasa 3.x NLU component that asks mitra which service a message is about.

It runs inside Rasa's own virtual environment, so it imports only Rasa and the standard library. In a
Rasa project's config.yml:

    pipeline:
      - name: mitra_rasa_component.MitraRouter
        url: http://127.0.0.1:8000      # mitra's API (POST /v1/route)

Each message is sent to mitra's `POST /v1/route`; mitra's answer becomes Rasa's intent, intent ranking and
entities. mitra's "clarify" decision becomes Rasa's `nlu_fallback`, with mitra's ranking kept so an action
can offer the likely services. A message Rasa already knows (a button payload such as `/affirm`) and yes/no
words while a question is open are answered locally, without a request.
"""
from __future__ import annotations

import json
import logging
import os
import re
import urllib.error
import urllib.request
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

logger = logging.getLogger(__name__)

NLU_FALLBACK = "nlu_fallback"
OUT_OF_SCOPE = "out_of_scope"
LETTER_RE = re.compile(r"[^\W\d_]")
EDGE_PUNCT_RE = re.compile(r"^[\s.!?,;:*'\"]+|[\s.!?,;:*'\"]+$")


def folded(text: str) -> str:
    return " ".join(EDGE_PUNCT_RE.sub("", text.casefold()).split())


def rasa_result(route: Dict[str, Any]) -> Dict[str, Any]:
    """mitra's RouteResult (as JSON) in Rasa's terms: intent, intent_ranking, entities."""
    decision = route.get("decision")
    intent = route.get("intent") or OUT_OF_SCOPE
    confidence = float(route.get("confidence") or 0.0)
    ranking = [{"name": alt["intent"], "confidence": float(alt["score"])}
               for alt in route.get("alternatives") or []]
    if decision == "clarify":
        intent = NLU_FALLBACK
    elif decision == "out_of_scope":
        intent = OUT_OF_SCOPE
    if not any(item["name"] == intent for item in ranking):
        ranking.insert(0, {"name": intent, "confidence": confidence})
    entities = [
        {"entity": ent["type"], "value": ent["value"], "start": ent["start"], "end": ent["end"],
         "confidence_entity": 1.0, "extractor": "MitraRouter"}
        for ent in route.get("entities") or []
    ]
    language = route.get("language")
    text = route.get("text") or ""
    if language and LETTER_RE.search(text):  # digits alone (an Aadhaar, a mobile) say nothing of language
        reply_language = "te" if language in ("te", "te-latn") else "en"
        entities.append({"entity": "language", "value": reply_language, "start": 0, "end": len(text),
                         "confidence_entity": 1.0, "extractor": "MitraRouter"})
    return {
        "intent": {"name": intent, "confidence": confidence},
        "intent_ranking": ranking,
        "entities": entities,
        "mitra": {"decision": decision, "service_id": route.get("service_id"),
                  "model_version": route.get("model_version"), "language": language},
    }


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR],
    is_trainable=False,
)
class MitraRouter(GraphComponent):
    """Intent, ranking and entities from mitra's router over HTTP."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            "url": "http://127.0.0.1:8000",  # mitra's API base URL
            "timeout": 10.0,  # seconds per request
            "token": "",  # sent as a bearer token when mitra's API asks for one
            "affirm_words": [],  # answered as `affirm` without asking mitra
            "deny_words": [],  # answered as `deny`
        }

    def __init__(self, config: Dict[Text, Any]) -> None:
        # MITRA_URL in Rasa's environment wins, so one trained model serves any mitra deployment
        self.url = (os.environ.get("MITRA_URL") or str(config["url"])).rstrip("/") + "/v1/route"
        self.timeout = float(config["timeout"])
        self.token = os.environ.get("MITRA_ROUTE_TOKEN") or str(config.get("token") or "")
        self.local = {**{folded(w): "deny" for w in config.get("deny_words") or []},
                      **{folded(w): "affirm" for w in config.get("affirm_words") or []}}

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> "MitraRouter":
        return cls(config)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data  # nothing to learn: mitra's model is trained by mitra

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get("text") or ""
            if not text.strip() or text.lstrip().startswith("/"):
                continue  # empty, or an intent payload that Rasa's RegexMessageHandler resolves
            result = self._local(text) or self._ask_mitra(text)
            for key in ("intent", "intent_ranking", "entities"):
                message.set(key, result[key], add_to_output=True)
            if "mitra" in result:
                message.set("mitra", result["mitra"], add_to_output=True)
        return messages

    def _local(self, text: str) -> Optional[Dict[str, Any]]:
        intent = self.local.get(folded(text))
        if intent is None:
            return None
        return {"intent": {"name": intent, "confidence": 1.0},
                "intent_ranking": [{"name": intent, "confidence": 1.0}], "entities": []}

    def _ask_mitra(self, text: str) -> Dict[str, Any]:
        body = json.dumps({"text": text}).encode("utf-8")
        headers = {"Content-Type": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(self.url, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return rasa_result(json.loads(response.read().decode("utf-8")))
        except urllib.error.HTTPError as exc:
            # 413/422: text mitra refuses (too long, no words): not understood, not a crash
            logger.warning("mitra refused %r: HTTP %s", text[:80], exc.code)
        except (urllib.error.URLError, OSError, ValueError) as exc:
            logger.error("mitra's router at %s could not be reached: %s", self.url, exc)
        return {"intent": {"name": NLU_FALLBACK, "confidence": 0.0}, "intent_ranking": [], "entities": []}
