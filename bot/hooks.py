"""Where other packages plug into the dialogue without editing its state machine.

- `GlobalCommand`: checked on every message before anything else (after the hand-off check), in the order they
  were added; e.g. STOP / START / "delete my data". `matches(turn)` looks at the message only; `run(convo, turn)`
  adds replies and may change `convo.state` (an active form is already safe: resetting the state parks it). A
  command that a flow also understands names the flow's step (`defers_to`): at that step the flow reads the
  message first ("naa booking cancel cheyandi" at a booking's slots is about that booking, not "my bookings").
- `OutcomeFlow`: what happens after an application of one outcome (payment_receipt, booking…) is submitted.
  `after_submit(convo, submitted)` runs after the reference is given; a flow that needs more turns sets
  `convo.state.step` to its own `step` (e.g. "flow:payment") and keeps what it needs in `convo.state.flow_data`
  (sealed when stored). While the state is at that step, `on_turn(convo, turn)` gets each message first; it
  returns False to let the ordinary dialogue handle it (commands like *menu* and *cancel* always come first).
- `StatusNote`: `note(reference, service_id, language)` adds a sentence to the citizen's own application's status
  (its fee, paid or not), "" for none.
- `FormAside`: `answer(service, answers, asked, said, language)` answers a question put at a form's question
  from what another system knows (a booking's prices at the bus type), "" when it is not such a question; the
  form's question is asked again after it.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from bot.dialogue import Conversation, Turn
    from catalog.schema import Service


@dataclass(frozen=True)
class GlobalCommand:
    name: str
    matches: Callable[[Turn], bool]
    run: Callable[[Conversation, Turn], None]
    defers_to: str = ""  # a flow's step at which that flow reads the message first


StatusNote = Callable[[str, str, str], str]
FormAside = Callable[["Service", dict, str, str, str], str]


@dataclass(frozen=True)
class Submitted:
    """One application just accepted by the department connector."""

    service: Service
    reference: str
    fields: dict[str, str] = field(default_factory=dict)  # the exact answers (the flow must not log them)


class OutcomeFlow(Protocol):
    step: str  # the dialogue step this flow owns, e.g. "flow:payment"

    def after_submit(self, convo: Conversation, submitted: Submitted) -> None: ...

    def on_turn(self, convo: Conversation, turn: Turn) -> bool: ...
