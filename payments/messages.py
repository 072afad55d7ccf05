"""What the citizen is told about bills, payments and bookings, in English and Telugu (one place)."""
from __future__ import annotations

import re
from datetime import datetime

from catalog.schema import Bilingual
from core.india_time import india_text
from departments.refunds import RULE_EN, RULE_TE
from nlu.answers.numbers import rupees as indian_rupees

TEXTS = {
    "bill": ("Bill for {what}\nConsumer: {consumer} ({identifier})\nPeriod: {period}\nAmount due: ₹{amount}\n"
             "Due date: {due}\nPay now?",
             "{what_te}\nవినియోగదారు: {consumer} ({identifier})\nకాలం: {period}\nచెల్లించాల్సిన మొత్తం: ₹{amount}\n"
             "చివరి తేదీ: {due}\nఇప్పుడు చెల్లించాలా?"),
    "no_bill": ("No {what} bill was found for {identifier}. Please check the number and ask again.",
                "{identifier} కోసం {what_te} బిల్లు ఏదీ దొరకలేదు. నంబర్ సరిచూసి మళ్లీ అడగండి."),
    "amount_already_paid": ("The payment for {reference} is already made. Nothing more is due.",
                            "{reference} కోసం చెల్లింపు ఇప్పటికే జరిగింది. ఇంకేమీ చెల్లించనవసరం లేదు."),
    "already_paid": ("This bill ({identifier}, {period}) is already paid. Nothing more is due.",
                     "ఈ బిల్లు ({identifier}, {period}) ఇప్పటికే చెల్లించబడింది. ఇంకేమీ చెల్లించనవసరం లేదు."),
    "amount_due": ("{what}\n• Application: {reference}\nAmount: ₹{amount}\nPay now?",
                   "{what}\n• దరఖాస్తు: {reference}\nమొత్తం: ₹{amount}\nఇప్పుడు చెల్లించాలా?"),
    "pay_link": ("Pay ₹{amount} here: {url}\nThe link works until {until}. Your receipt comes here once it is paid.",
                 "ఇక్కడ ₹{amount} చెల్లించండి: {url}\nఈ లింక్ {until} వరకు పనిచేస్తుంది. చెల్లించిన వెంటనే రసీదు ఇక్కడే వస్తుంది."),
    "pay_link_ticket": ("Pay ₹{amount} here: {url}\nThe link works until {until}. Your ticket comes here once it is "
                        "paid.",
                        "ఇక్కడ ₹{amount} చెల్లించండి: {url}\nఈ లింక్ {until} వరకు పనిచేస్తుంది. చెల్లించిన వెంటనే టికెట్ "
                        "ఇక్కడే వస్తుంది."),
    "waiting_payment": ("We are waiting for your payment of ₹{amount}: {url}\nSay *renew* for a new link or "
                        "*cancel* to stop.",
                        "మీ ₹{amount} చెల్లింపు కోసం వేచి ఉన్నాం: {url}\nకొత్త లింక్ కోసం *renew* అనండి, ఆపడానికి *cancel*."),
    "pay_link_appointment": ("Pay ₹{amount} here: {url}\nThe link works until {until}. Your appointment slip comes "
                             "here once it is paid.",
                             "ఇక్కడ ₹{amount} చెల్లించండి: {url}\nఈ లింక్ {until} వరకు పనిచేస్తుంది. చెల్లించిన వెంటనే "
                             "అపాయింట్‌మెంట్ స్లిప్ ఇక్కడే వస్తుంది."),
    "paid_receipt": ("Payment received: ₹{amount} for {what}. Receipt {reference} attached.",
                     "చెల్లింపు అందింది: {what} కోసం ₹{amount}. రసీదు {reference} జతచేయబడింది."),
    "paid_ticket": ("Payment received: ₹{amount}. Your ticket {booking} is confirmed ({counted} {places}). Ticket attached.",
                    "చెల్లింపు అందింది: ₹{amount}. మీ టికెట్ {booking} ఖరారైంది ({counted} {places}). టికెట్ జతచేయబడింది."),
    "paid_appointment": ("Payment received: ₹{amount}. Your appointment {booking} is confirmed ({counted} {places}). "
                         "Appointment slip attached; show it (or its QR code) there.",
                         "చెల్లింపు అందింది: ₹{amount}. మీ అపాయింట్‌మెంట్ {booking} ఖరారైంది ({counted} {places}). "
                         "అపాయింట్‌మెంట్ స్లిప్ జతచేయబడింది; అక్కడ దీన్ని (లేదా QR కోడ్) చూపించండి."),
    "payment_failed": ("The payment did not go through ({why}). No money was taken. You can try again with the same "
                       "link: {url}",
                       "చెల్లింపు జరగలేదు ({why}). డబ్బు తీసుకోలేదు. అదే లింక్‌తో మళ్లీ ప్రయత్నించవచ్చు: {url}"),
    "link_expired": ("Your payment link for ₹{amount} has expired. Say *renew* for a new one.",
                     "₹{amount} చెల్లింపు లింక్ గడువు ముగిసింది. కొత్త లింక్ కోసం *renew* అనండి."),
    "link_cancelled": ("The payment for ₹{amount} was cancelled. Nothing was charged.",
                       "₹{amount} చెల్లింపు రద్దయింది. ఏమీ వసూలు చేయలేదు."),
    "hold_lapsed_paid": ("Your payment of ₹{amount} arrived after the seats were released. Staff will refund it "
                         "in full; reference {reference}.",
                         "సీట్లు విడుదలైన తర్వాత మీ ₹{amount} చెల్లింపు అందింది. సిబ్బంది పూర్తిగా తిరిగి ఇస్తారు; "
                         "సూచిక {reference}."),
    "paid_twice": ("This was already paid, so your second payment of ₹{amount} will be refunded in full "
                   "(reference {reference}).",
                   "ఇది ఇప్పటికే చెల్లించబడింది, కాబట్టి మీ రెండో చెల్లింపు ₹{amount} పూర్తిగా తిరిగి ఇవ్వబడుతుంది "
                   "(సూచిక {reference})."),
    "department_down": ("The {what} system is not answering right now. Your request is kept: say *retry* in a few "
                        "minutes.",
                        "{what} వ్యవస్థ ప్రస్తుతం స్పందించడం లేదు. మీ అభ్యర్థన భద్రంగా ఉంది: కొన్ని నిమిషాల తర్వాత *retry* అనండి."),
    "gateway_down": ("The payment service is not answering right now. Nothing was charged; say *retry* in a few "
                     "minutes.",
                     "చెల్లింపు సేవ ప్రస్తుతం స్పందించడం లేదు. ఏమీ వసూలు చేయలేదు; కొన్ని నిమిషాల తర్వాత *retry* అనండి."),
    "buses": ("Buses from {origin} to {destination} on {day}:\n{lines}\nPick one.",
              "{day}న {origin} నుంచి {destination} బస్సులు:\n{lines}\nఒకటి ఎంచుకోండి."),
    "no_buses": ("No {kind} bus from {origin} to {destination} on {day} has {count} free seats.",
                 "{day}న {origin} నుంచి {destination} {count} ఖాళీ సీట్లు ఉన్న {kind} బస్సు లేదు."),
    "slots": ("{what} on {day}:\n{lines}\nPick a time.", "{day}న {what}:\n{lines}\nసమయం ఎంచుకోండి."),
    "rooms": ("{what} from {day}:\n{lines}\nPick one.", "{day} నుండి {what}:\n{lines}\nఒకటి ఎంచుకోండి."),
    "nights": ("{count} nights", "{count} రాత్రులు"),
    "no_slots": ("Nothing is free for {count} on {day}. Try another date.",
                 "{day}న {count} మందికి ఖాళీ లేదు. మరో తేదీ ప్రయత్నించండి."),
    "held": ("Held for you until {until}: {what} ({choice}, {day}), {count} × ₹{price} = ₹{amount}.\n" + RULE_EN,
             "{until} వరకు మీ కోసం ఉంచాం: {what} ({choice}, {day}), {count} × ₹{price} = ₹{amount}.\n" + RULE_TE),
    "sold_out": ("Sorry, those seats were just taken. Please pick another.",
                 "క్షమించండి, ఆ సీట్లు ఇప్పుడే అయిపోయాయి. దయచేసి మరొకటి ఎంచుకోండి."),
    "pick_among": ("These fit what you said:\n{lines}\nWhich one?", "మీరు చెప్పినదానికి ఇవి సరిపోతాయి:\n{lines}\nఏది కావాలి?"),
    "pick_from_list": ("Please pick one from the list, or say *cancel*.",
                       "దయచేసి జాబితా నుంచి ఒకటి ఎంచుకోండి, లేదా *రద్దు* అనండి."),
    "fee_later": ("To pay the fee later, send \"pay {reference}\".",
                  "రుసుము తర్వాత చెల్లించడానికి \"pay {reference}\" అని పంపండి."),
    "bill_later": ("The bill, ₹{amount}, is due on {due}. To pay it later, send \"{what}\".",
                   "ఈ బిల్లు ₹{amount}, చెల్లించాల్సిన చివరి తేదీ {due}. తర్వాత చెల్లించడానికి \"{what}\" అని పంపండి."),
    "fee_paid": ("Fee ₹{amount}: paid.", "రుసుము ₹{amount}: చెల్లించారు."),
    "fee_unpaid": ("Fee ₹{amount}: not paid yet, and the office starts once it is paid; send \"pay {reference}\" "
                   "to pay it.",
                   "రుసుము ₹{amount}: ఇంకా చెల్లించలేదు, చెల్లించిన తర్వాతే కార్యాలయం పని మొదలుపెడుతుంది; "
                   "చెల్లించడానికి \"pay {reference}\" అని పంపండి."),
    "no_fee_due": ("No fee is due for {reference}.", "{reference} కోసం చెల్లించాల్సిన రుసుము లేదు."),
    "payment_stopped": ("Stopped. Nothing was charged.", "ఆపివేశాం. ఏమీ వసూలు చేయలేదు."),
    "booking_cancelled": ("Booking {booking} cancelled. Refund: ₹{refund} to the account you paid from.",
                          "బుకింగ్ {booking} రద్దయింది. తిరిగి వచ్చే మొత్తం: ₹{refund} మీరు చెల్లించిన ఖాతాకు."),
    "booking_cancelled_free": ("Booking {booking} cancelled. Its place is free for someone else now.",
                               "బుకింగ్ {booking} రద్దయింది. ఆ స్థానం ఇప్పుడు మరొకరికి అందుబాటులో ఉంది."),
    "row_note": ("{price} · {free} left", "{price} · {free} ఖాళీ"),
    "no_fee": ("no fee", "రుసుము లేదు"),
    "prices_on": ("Prices on {day}, {per}, cheapest first:\n{lines}",
                  "{day}న ధరలు, {per}, తక్కువ నుంచి ఎక్కువ:\n{lines}"),
    "prices": ("Prices, {per}, cheapest first:\n{lines}", "ధరలు, {per}, తక్కువ నుంచి ఎక్కువ:\n{lines}"),
    "per_seat": ("per seat", "ఒక్క సీటుకు"),
    "per_person": ("per person", "ఒక్కరికి"),
    "per_night": ("per room, per night", "ఒక్క గదికి, ఒక్క రాత్రికి"),
    "booking_unknown": ("No booking {booking} was found.", "{booking} బుకింగ్ కనబడలేదు."),
    "booking_confirmed": ("Booking {booking} is confirmed: {what}, {when}. Say \"cancel {booking}\" to cancel it.",
                          "బుకింగ్ {booking} ఖరారైంది: {what}, {when}. రద్దు చేయడానికి \"cancel {booking}\" అని పంపండి."),
    "booking_was_cancelled": ("Booking {booking} ({what}, {when}) was cancelled.",
                              "బుకింగ్ {booking} ({what}, {when}) రద్దయింది."),
    "your_bookings": ("Your bookings:", "మీ బుకింగ్‌లు:"),
    "no_bookings": ("You have no upcoming booking made here. To book, say what you would like to book (for example "
                    "\"darshan ticket\"). For a bus ticket booked elsewhere, send its PNR.",
                    "ఇక్కడ చేసిన రాబోయే బుకింగ్‌లు ఏవీ లేవు. బుక్ చేయడానికి ఏం కావాలో చెప్పండి (ఉదాహరణకు "
                    "\"దర్శనం టికెట్\"). వేరే చోట బుక్ చేసిన బస్సు టికెట్ అయితే దాని పీఎన్ఆర్ పంపండి."),
    "next_days": ("the next days", "రాబోయే రోజుల్లో"),
    "booked_free": ("Booked: {booking}, {when}. No fee. Your slip is attached; show it (or its QR code) there.",
                    "బుక్ అయింది: {booking}, {when}. రుసుము లేదు. మీ స్లిప్ జతచేయబడింది; అక్కడ దీన్ని (లేదా QR కోడ్) చూపించండి."),
    "cancel_offer": ("Plans changed? You can cancel this booking.",
                     "ప్లాన్ మారిందా? ఈ బుకింగ్‌ను రద్దు చేయవచ్చు."),
    "button_cancel_booking": ("Cancel booking", "బుకింగ్ రద్దు"),
    "button_pay": ("Pay", "చెల్లించు"), "button_cancel": ("Cancel", "రద్దు"), "button_renew": ("New link", "కొత్త లింక్"),
    "list_choose": ("Choose", "ఎంచుకోండి"),
}


_PERIOD = re.compile(r"(\d{4})-(\d{2})(?:\+(\d{1,2})m)?")


def period_shown(period: str) -> Bilingual | str:
    """A bill's period as a citizen reads it ("11-2026", "01-2026 to 12-2026"), from the department's key for it
    ("2026-11", "2026-01+12m"); a period in any other form is shown as the department wrote it."""
    if period == "challan":
        return Bilingual(en="challan", te="చలాన్")
    found = _PERIOD.fullmatch(period)
    if not found:
        return period
    year, month, months = int(found[1]), int(found[2]), int(found[3] or 1)
    last = year * 12 + month - 1 + months - 1
    first, until = f"{month:02d}-{year}", f"{last % 12 + 1:02d}-{last // 12}"
    return first if months == 1 else Bilingual(en=f"{first} to {until}", te=f"{first} నుండి {until} వరకు")


def say(key: str, language: str, **values) -> str:
    """The text in the citizen's language, as bot/texts.py writes it: Telugu script for Telugu and romanized
    Telugu, both when the language is not known yet ("both"). A `Bilingual` value (a service's or a town's
    name) is written in the language of the half it stands in."""
    en, te = TEXTS[key]
    return in_language(_half(en, "en", values), _half(te, "te", values), language)


def in_language(en: str, te: str, language: str) -> str:
    """A text given in both languages, written as the citizen reads replies (see `say`)."""
    if language == "both":
        return te + "\n\n" + en
    return te if language.startswith("te") else en


def _half(text: str, column: str, values: dict) -> str:
    return text.format(**{k: getattr(v, column) if isinstance(v, Bilingual) else v for k, v in values.items()})


def india_time(utc: datetime) -> str:
    """A time the citizen reads on their own clock (the database keeps UTC)."""
    return india_text(utc, "%H:%M")


def rupees(paise: int) -> str:
    """"3,600", "1,20,000.50": the amount without its sign, which the message writes ("₹{amount}")."""
    return indian_rupees(paise / 100).removeprefix("₹")


def fee_rupees(fee: float) -> str:
    """A catalog fee (rupees) as every reply shows money: "6,000", not "6000"."""
    return rupees(round(fee * 100))
