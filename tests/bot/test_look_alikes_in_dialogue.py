"""Look-alike services in a conversation (issue 16): one question listing just them, or the town the citizen
already gave decides; never a guess."""
from __future__ import annotations

from tests.utils.chat import Chat

URBAN, RURAL = "municipal.building_permission", "panchayat_raj.building_permission"


def test_the_bot_asks_one_question_listing_only_the_look_alikes(router, make_bot, catalog):
    chat = Chat(make_bot(router), citizen="919800000041")
    chat.say(choice="lang:en")
    asked = chat.say("I need building permission for my house")[-1]
    assert asked.kind == "list" and "separate services" in asked.text
    assert {r.id for r in asked.rows} == {f"svc:{URBAN}", f"svc:{RURAL}", "none"}
    started = chat.say(choice=f"svc:{RURAL}")
    assert catalog.services[RURAL].name.en in "\n".join(r.text for r in started)


def test_a_town_the_citizen_gave_earlier_decides(router, make_bot, catalog):
    tax = catalog.services["municipal.property_tax"]
    assert tax.fields[0].type.value == "town"
    chat = Chat(make_bot(router), citizen="919800000042")
    chat.say(choice="lang:en")
    chat.say("menu")
    chat.say(str(tax.menu_path[0]))
    chat.say(str(tax.menu_path[1]))
    chat.say("Vijayawada")  # the town of the property-tax form, which "menu" then pauses
    chat.say("menu")
    confirm = chat.say("I need building permission for my house")[-1]
    assert confirm.kind == "buttons" and [b.id for b in confirm.buttons][:2] == ["yes", "no"]
    assert catalog.services[URBAN].name.en in confirm.text


TOWN_TAX, VILLAGE_TAX = "municipal.property_tax", "panchayat_raj.house_tax"


def test_where_the_citizen_says_they_live_answers_the_question(router, make_bot, catalog):
    """At the question, "maa ooru lo" (in our village) or a town's name picks, as well as a tap or a digit."""
    for n, (answer, service_id) in enumerate((("maa ooru lo", VILLAGE_TAX), ("మా గ్రామంలో", VILLAGE_TAX),
                                              ("Guntur lo", TOWN_TAX))):
        chat = Chat(make_bot(router), citizen=f"91980000005{n}")
        chat.say(choice="lang:te")
        asked = chat.say("house tax kattali")[-1]
        assert asked.kind == "list" and {r.id for r in asked.rows} >= {f"svc:{TOWN_TAX}", f"svc:{VILLAGE_TAX}"}
        started = "\n".join(r.text for r in chat.say(answer))
        assert catalog.services[service_id].name.te in started, (answer, started)
        if service_id == TOWN_TAX:  # the town is noted, not asked again
            assert catalog.services[TOWN_TAX].fields[0].prompt.te not in started, started


def test_a_service_in_the_list_is_picked_by_its_number_in_words_or_its_place(router, make_bot, catalog):
    """"మొదటిది" (the first one) to the fire NOCs' list was routed as a new request, to bus timings, in a walk."""
    for n, said in enumerate(("మొదటిది", "rendodi", "the second one", "2", "rendu")):
        chat = Chat(make_bot(router), citizen=f"91980000006{n}")
        chat.say(choice="lang:en")
        asked = chat.say("I need building permission for my house")[-1]
        services = [r.id.removeprefix("svc:") for r in asked.rows if r.id.startswith("svc:")]
        chosen = services[0 if said == "మొదటిది" else 1]
        started = "\n".join(r.text for r in chat.say(said))
        assert catalog.services[chosen].name.en in started, (said, started)
