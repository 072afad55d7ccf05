"""An optional field is left empty in English, Telugu script or romanized Telugu; a required one is not."""
from __future__ import annotations

import pytest

from catalog.schema import FieldType
from tests.utils.chat import Chat, all_text, fill_fields, open_by_menu

SKIPS = {"en": ["skip", "Skip."], "te": ["దాటవేయి", "వద్దు", "లేదు", "skip చేయండి"],
         "te-latn": ["vaddu", "ledu", "skip cheyyandi", "dataveyi", "avasaram ledu"]}


def _optional(catalog, kinds):
    for service in sorted(catalog.services.values(), key=lambda s: s.menu_path):
        if service.outcome.value in ("information", "status"):
            continue
        spec = next((f for f in service.fields if not f.required and f.type in kinds), None)
        if spec is not None:
            return service, spec
    pytest.skip(f"no service has an optional {kinds} field")


@pytest.mark.parametrize("tag", list(SKIPS))
def test_an_optional_field_is_skipped_in_every_language(make_bot, catalog, tag):
    """A number field (a name field would take any words as a name, so it could not tell)."""
    service, optional = _optional(catalog, (FieldType.number, FieldType.amount, FieldType.date))
    language = "en" if tag == "en" else "te"
    following = service.fields[service.fields.index(optional) + 1]
    for number, word in enumerate(SKIPS[tag]):
        chat = Chat(make_bot(), citizen=f"9198000{number:05d}")
        open_by_menu(chat, service, language)
        asked = fill_fields(chat.say, service.fields[:service.fields.index(optional)], catalog,
                            chat.bot.dialogue.clock().date(), language)
        assert optional.prompt.get(language) in all_text(asked)
        replies = all_text(chat.say(word))
        assert following.prompt.get(language) in replies and "Sorry" not in replies and "క్షమించండి" not in replies, \
            (word, replies)


def test_a_required_field_is_not_skipped(make_bot, catalog):
    service = next(s for s in sorted(catalog.services.values(), key=lambda s: s.menu_path)
                   if s.outcome.value == "certificate" and s.fields[0].type == FieldType.name and s.fields[0].required
                   and len(s.fields) > 1 and s.fields[1].type != FieldType.name)
    chat = Chat(make_bot())
    open_by_menu(chat, service, "te")
    chat.say("Ravi Kumar")
    replies = all_text(chat.say("దాటవేయి"))
    assert service.fields[1].prompt.te in replies and "క్షమించండి" in replies  # refused, asked again
    assert "తప్పనిసరి" in replies, replies  # told it is needed, not the answer's format rule
