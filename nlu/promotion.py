"""Promotion backed by numbers: a version replaces the promoted one only if it is not worse on held-out data.

Shared by `mitra models promote` and the analyst page (and anything else that promotes).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from nlu.evaluate import metrics, predict
from nlu.model import IntentModel
from nlu.model_store import ModelStore
from nlu.training_data import LabelledText, read_labelled_file

DEFAULT_HELDOUT = Path(__file__).resolve().parent.parent / "tests" / "data" / "route_heldout.jsonl"


class PromotionRefused(ValueError):
    """The candidate is worse than the promoted version on the held-out set (and was not forced)."""

    def __init__(self, message: str, decision: PromotionDecision):
        super().__init__(message)
        self.decision = decision


@dataclass
class PromotionDecision:
    version: str
    previous: str | None
    candidate_accuracy: float | None = None
    current_accuracy: float | None = None
    forced: bool = False
    promoted: bool = False

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def heldout_file() -> Path:
    """The held-out set promotions are judged on (MITRA_HELDOUT_FILE overrides the bundled one)."""
    from core.settings import get_settings

    return get_settings().heldout_file or DEFAULT_HELDOUT


def heldout_examples(path: Path | None = None) -> list[LabelledText]:
    path = Path(path or heldout_file())
    if not path.exists():
        raise FileNotFoundError(f"no held-out set at {path}: set MITRA_HELDOUT_FILE, or promote with force")
    return read_labelled_file(path, "text", "intent" if path.suffix == ".jsonl" and _has_intent(path) else "label")


def _has_intent(path: Path) -> bool:
    import json

    with path.open(encoding="utf-8") as handle:
        first = next((line for line in handle if line.strip()), "{}")
    return "intent" in json.loads(first)


def accuracy_of(store: ModelStore, version: str, examples: list[LabelledText], catalog, encoder=None) -> float:
    from nlu.router import Router

    model = IntentModel.load(store.path_of(version), encoder=encoder)
    return float(metrics(predict(Router(model, catalog), examples))["accuracy"])


def promote_checked(store: ModelStore, version: str, catalog, *, by: str, force: bool = False,
                    examples: list[LabelledText] | None = None, encoder=None) -> PromotionDecision:
    """Promote `version` unless it is worse than the promoted one on the held-out set (`force` skips the check)."""
    store.path_of(version)
    current = store.promoted()
    decision = PromotionDecision(version, current, forced=force)
    if current and current != version and not force:
        examples = examples if examples is not None else heldout_examples()
        decision.candidate_accuracy = accuracy_of(store, version, examples, catalog, encoder)
        decision.current_accuracy = accuracy_of(store, current, examples, catalog, encoder)
        if decision.candidate_accuracy < decision.current_accuracy:
            raise PromotionRefused(
                f"refusing: {version} is worse than the promoted {current} on the held-out set "
                f"(accuracy {decision.candidate_accuracy:.4f} < {decision.current_accuracy:.4f}); force to promote anyway",
                decision)
    store.promote(version, by=by)
    decision.promoted = True
    return decision
