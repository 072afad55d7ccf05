"""The few words that work at any point of a conversation, in English, Telugu and romanized Telugu."""
from __future__ import annotations

import re

from nlu.answers import yes_no

MENU = {"menu", "main menu", "మెనూ", "మెను", "menu chupinchu", "menu chupinchandi"}
CANCEL = {"cancel", "stop", "quit", "రద్దు", "raddu", "aapu", "ఆపు", "aapandi", "cancel cheyyi"}
BACK = {"back", "go back", "వెనుకకు", "వెనక్కి", "venakki", "venukaku", "venakku"}
HELP = {"help", "సహాయం", "sahayam", "help kavali", "?"}
LANGUAGE = {"language", "change language", "భాష", "bhasha", "basha", "bhasha marchu"}
AGENT = {"agent", "human", "person", "officer", "talk to a person", "talk to agent", "ఏజెంట్", "మనిషి",
         "వ్యక్తి", "manishi", "adhikari", "అధికారి"}
GREETING = {"hi", "hii", "hello", "hey", "helo", "namaste", "namaskaram", "namaskar", "నమస్కారం", "నమస్తే",
            "హాయ్", "హలో", "good morning", "good evening", "start", "hi mitra", "hello mitra", "namaskaramandi", "bagunnara",
            "🙏", "👋"}
ROMANIZED_TELUGU_GREETING = {"namaskaram", "namaskar", "namaskaramandi", "bagunnara", "emandi"}
THANKS = {"thanks", "thank you", "thankyou", "ధన్యవాదాలు", "dhanyavadalu", "thanks a lot"}
YES = yes_no.YES  # one list of yes and no words, shared with answers to yes/no fields
NO = yes_no.NO
# "Not now": a payment put off, and on its own no request at all
NOT_NOW = {"later", "not now", "pay later", "tarvata", "taruvata", "tharvatha", "tarvatha", "tarvata chestanu",
           "తర్వాత", "తరువాత", "తర్వాత చెల్లిస్తాను", "ippudu kaadu", "ippudu vaddu", "ఇప్పుడు కాదు", "ఇప్పుడు వద్దు"}
_POLITE = {"andi", "sir", "madam", "anna", "akka", "garu", "please", "pls", "plz", "dayachesi", "అండి", "సార్", "దయచేసి"}
# fillers around a spoken yes or no ("And no.": Whisper's writing of a spoken "no"; "oh yes", "um, no")
_FILLERS = {"and", "oh", "so", "um", "umm", "uh", "hmm", "well"}
# words that say a yes or no is so, asking nothing more ("yes that's right", "no it is not", "avunu adhe")
_SAYS_SO = {"that's", "thats", "that", "is", "it", "it's", "its", "true", "adhe", "ade", "adi", "అదే", "అది"}
# "Submit" typed at the summary, whole: "pampandi" inside a sentence may ask to send something elsewhere
SUBMIT = {"samarpinchu", "samarpinchandi", "pampandi", "send", "send it", "సమర్పించు", "పంపండి"}
# "Do it" after a yes ("haa cheyyandi", "yes go ahead", "సరే చేయండి"): still only a yes
GO_AHEAD = {"cheyyandi", "cheyandi", "cheyyi", "cheyi", "cheseyandi", "chesey", "chey", "చేయండి", "చెయ్యండి",
            "చేసేయండి", "చేయి", "do it", "go ahead", "proceed", "do that"}
# "I want it" (or "do it") to "Shall we start the caste certificate?": a yes there, though "kavali" in a request
# asks for something
WANT_IT = GO_AHEAD | {"kavali", "kaavali", "kavalandi", "kavali andi", "కావాలి", "కావాలండి", "want", "i want",
                     "i want it", "need", "i need it", "start", "start cheyyandi", "start cheyandi", "modalu pettandi",
                     "మొదలుపెట్టండి"}
MORE = {"more", "next", "ఇంకా", "inka", "more…", "ఇంకా…"}
# "That's all" to "Anything to add?": nothing more to say
NOTHING_MORE = {"that's all", "thats all", "that is all", "nothing", "nothing more", "nothing else", "no more",
                "anthe", "ante", "anthey", "inkemi ledu", "inka emi ledu", "emi ledu", "అంతే", "ఇంకేమీ లేదు",
                "ఇంక ఏమీ లేదు", "ఏమీ లేదు"}
CONTINUE = {"continue", "resume", "go on", "carry on", "కొనసాగించు", "కొనసాగించండి", "konasaginchu",
            "konasaginchandi", "continue cheyyi", "continue cheyandi", "munduku", "ముందుకు"}
TRY_AGAIN = {"try again", "again", "retry", "మళ్లీ", "malli", "malli try chestanu", "మళ్లీ ప్రయత్నిస్తాను"}
ENGLISH = {"english", "ఇంగ్లీష్", "inglish", "angla", "ఆంగ్లం"}
TELUGU = {"telugu", "తెలుగు"}
# An amount said per month or per year ("nelaku 15000", "15000 per month", "సంవత్సరానికి 1.8 లక్షలు"): an annual
# income answered by the month is made yearly (nlu/answers/numbers.py).
PER_MONTH = {"per month", "a month", "monthly", "every month", "each month", "month ki", "month ku", "month",
             "nelaku", "nelaki", "prathi nela", "prati nela", "p.m.", "p.m", "pm", "నెలకు", "నెలకి", "ప్రతి నెల",
             "నెలసరి"}
PER_YEAR = {"per year", "a year", "yearly", "every year", "per annum", "p.a.", "p.a", "pa", "annually", "annual",
            "year ki", "year ku", "year", "samvatsaraniki", "samvatsaram ki", "edadiki", "yedadiki", "సంవత్సరానికి",
            "ఏడాదికి", "వార్షిక", "వార్షికంగా"}

# A request that asks what a service costs, needs or takes ("caste certificate fee entha", "what documents for
# income certificate", "ఆదాయ పత్రానికి ఎన్ని రోజులు"): the confirmation answers it from the catalog.
_ASKS_ABOUT_SERVICE = re.compile(
    r"(?<![\w\u0c00-\u0c7f])(?:fee|fees|cost|costs|charges?|price|how much|documents?|papers|how long|how many days|"
    r"eligible|eligibility|who can apply|age limit|how old|rusumu|kharchu|karchu|patralu|enni rojulu|enni rojullo|"
    r"arhata|arhatha|vayasu entha|రుసుము|ఖర్చు|ఫీజు|పత్రాలు|డాక్యుమెంట్లు|ఎన్ని రోజులు|ఎన్ని రోజుల్లో|అర్హత|అర్హులు|"
    r"వయసు ఎంత)(?![\w\u0c00-\u0c7f])")


def only_acknowledges(text: str | None) -> bool:
    """A yes, a no or a "later" with nothing else ("ok", "సరే", "ledu andi", "తర్వాత"): outside a question it
    asks for nothing, and read as a request it looks like one ("ok" is the occupancy certificate's "OC")."""
    return folded(text).replace(",", " ") in NOT_NOW or yes_or_no(text) is not None


# ... and "later" said in a sentence, or "I cannot pay now": at "Pay now?" no link is sent ("ippudu kattalenu, 10th
# taruvata kadatanu" had been read as a yes for its "kadatanu", I will pay)
_CANNOT_PAY = {"taruvatha", "kattalenu", "kattaleni", "kattalemu", "cheyyalenu", "can't pay", "cant pay", "cannot pay",
               "unable to pay", "no money", "dabbulu levu", "కట్టలేను", "కట్టలేము", "చెల్లించలేను", "డబ్బులు లేవు"}
_PUT_OFF = re.compile(r"(?<![\w\u0c00-\u0c7f])(?:" + "|".join(
    map(re.escape, sorted(NOT_NOW | _CANNOT_PAY, key=len, reverse=True))) + r")(?![\w\u0c00-\u0c7f])")


def puts_off(text: str | None) -> bool:
    """"pay later", "ippudu kattalenu, 10th taruvata kadatanu": not now, whatever pay words are in it."""
    return _PUT_OFF.search(folded(text)) is not None


def yes_or_no(text: str | None) -> bool | None:
    """A message that is only a yes (True) or only a no (False), polite words aside ("haa sir", "yes please",
    "ledu andi"), a yes with "do it" ("haa cheyyandi", "yes go ahead"); None for anything more ("yes, income
    certificate")."""
    content = [w for w in folded(text).replace(",", " ").split() if w not in _POLITE | _FILLERS | _SAYS_SO]
    yes_words = next((i for i, w in enumerate(content) if w not in YES), len(content))
    if yes_words and " ".join(content[yes_words:]) in GO_AHEAD:  # yes words, then "do it"
        return True
    if not content or not all(w in YES or w in NO for w in content):
        return None
    return yes_no.parse_yes_no(" ".join(content))


# A request that asks how an earlier one is going ("what happened to my rice card application", "naa income
# certificate emaindi", "కుల ధృవీకరణ పత్రం ఇంకా రాలేదు"): a citizen who has one is told its status. "I have not
# yet applied" asks nothing of the kind.
_ASKS_AFTER_PROGRESS = re.compile(
    r"(?<![\w\u0c00-\u0c7f])(?:what happened|what about|status|where is|any update|update on|progress|"
    r"(?:still not|not yet)(?!\s+appl)|emaindi|em ayyindi|emayindi|ela undi|inka raledu|inka raaledu|sthithi|"
    r"stithi|ఏమైంది|ఏం అయింది|స్థితి|ఇంకా రాలేదు|ఎంత వరకు)(?![\w\u0c00-\u0c7f])")
# A benefit or paper that stopped or never came ("pension raavatledu", "పింఛను రావడం లేదు"): after progress for a
# service with a status of its own, but for others the trouble itself ("neellu raavatledu, tanker kavali")
_NOT_COMING = re.compile(
    r"(?<![\w\u0c00-\u0c7f])(?:not (?:coming|received|credited|paid)|stopped|"
    r"(?:did|does|has|have)(?: not|n'?t) (?:come|got|get|receive\w*|been (?:paid|credited|given))|"
    r"raavatledu|ravatledu|raavadam ledu|ravadam ledu|raaledu|raledu|andaledu|padaledu|padatledu|aagipoyindi|"
    r"agipoyindi|రావడం లేదు|రావట్లేదు|రాలేదు|అందలేదు|పడలేదు|పడటం లేదు|ఆగిపోయింది)(?![\w\u0c00-\u0c7f])")
# ... either, unless the citizen says they want to apply ("pension raledu, apply cheyali")
_WANTS_TO_APPLY = re.compile(r"(?<![\w\u0c00-\u0c7f])(?:apply|దరఖాస్తు చేయ[\w\u0c00-\u0c7f]*|అప్లై)(?![\w\u0c00-\u0c7f])")


def asks_after_progress(text: str | None) -> bool:
    return _says(_ASKS_AFTER_PROGRESS, text)


def says_not_coming(text: str | None) -> bool:
    return _says(_NOT_COMING, text)


def _says(words: re.Pattern, text: str | None) -> bool:
    text = (text or "").casefold()
    return words.search(text) is not None and _WANTS_TO_APPLY.search(text) is None


def asks_about_service(text: str | None) -> bool:
    return bool(text) and _ASKS_ABOUT_SERVICE.search(text.casefold()) is not None


# "What are the options?" at a question with options: the question again, not a wrong answer
_ASKS_FOR_OPTIONS = re.compile(
    r"(?<![\wఀ-౿])(?:options?|choices|what (?:can|should) i (?:say|choose|pick)|em(?:i|em)? unnayi|"
    r"emunnayi|ఎంపికలు|ఏమేమి ఉన్నాయి|ఏం ఉన్నాయి)(?![\wఀ-౿])")


# ... and what such a question says besides: "fee entha?" at "Shall we book the driving test?" is about that service
_QUESTION_WORDS = {"what", "whats", "what's", "is", "are", "the", "a", "for", "it", "this", "of", "do", "does", "i",
                   "need", "needed", "required", "will", "take", "takes", "be", "there", "any", "much", "entha",
                   "enta", "enni", "emi", "emiti", "enti", "em", "kavali", "avutundi", "untundi", "padutundi", "ఎంత",
                   "ఏమి", "ఏం", "కావాలి", "అవుతుంది", "ఉంటుంది", "పడుతుంది", "to", "apply", "can", "should", "must",
                   "undali", "ఉండాలి", "my", "she", "he", "her", "his", "ame", "aame", "ayana", "naa", "maa",
                   "ఆమె", "ఆయన", "అతను", "నా", "మా", "ki", "ku", "కి", "కు"}


def asks_only_about_service(text: str | None) -> bool:
    """A question on fee, documents or days that names nothing else ("fee entha", "what documents are needed")."""
    if not asks_about_service(text):
        return False
    rest = _ASKS_ABOUT_SERVICE.sub(" ", folded(text).replace("?", " ").replace(",", " "))
    return all(w in _QUESTION_WORDS | _POLITE | _FILLERS for w in rest.split())


# "why do you need my Aadhaar?" at a form's question: what the detail is for, not a request for another service
_ASKS_WHY = re.compile(r"(?<![\w\u0c00-\u0c7f])(?:why|what for|what is it for|enduku|endhuku|endukku|deniki|dheniki|"
                       r"ఎందుకు|దేనికి)(?![\w\u0c00-\u0c7f])")


_NEEDED = re.compile(r"(?<![\w\u0c00-\u0c7f])(?:need|needed|asking|ask|required|kavali|kaavali|adugutunnaru|"
                     r"కావాలి|అవసరం|అడుగుతున్నారు)(?![\w\u0c00-\u0c7f])")


def asks_why(text: str | None) -> bool:
    """"why do you need it?", "aadhaar enduku": short, or saying "need" or "ask" ("why is my pension late" is not)."""
    text = folded(text)
    said = text.split()
    return _ASKS_WHY.search(text) is not None and not any(c.isdigit() for c in text) and (
        len(said) <= 4 or (len(said) <= 8 and _NEEDED.search(text) is not None))


# "assessment number ante enti?" at a form's question: what the detail is and where it is found
_WHAT_IS = [re.compile(p) for p in (
    r"^(?:what is|what's|whats|what does) (?:a |an |the |my |this )?(?P<x>.+?)(?: mean| means)?$",
    r"^where (?:do|can|will) i (?:find|get|see) (?:a |an |the |my |this )?(?P<x>.+?)$",
    r"^(?P<x>.+?) (?:ante|antey|antay) (?:enti|emiti|emi|entandi|emitandi)$",
    r"^(?P<x>.+?) (?:ekkada|yekkada) (?:untundi|dorukutundi|chudali|vuntundi)$",
    r"^(?P<x>.+?) అంటే (?:ఏమిటి|ఏంటి|ఏమి|ఏమిటండి)$",
    r"^(?P<x>.+?) ఎక్కడ (?:ఉంటుంది|దొరుకుతుంది|చూడాలి)$")]


def what_it_is(text: str | None) -> str:
    """The detail a question asks the meaning or the place of ("assessment number ante enti?" -> "assessment
    number"), or "" when the message asks no such thing."""
    said = folded(text).rstrip("?").strip()
    found = next((m for p in _WHAT_IS if (m := p.match(said))), None)
    return found["x"].strip() if found and len(found["x"].split()) <= 4 else ""


# A question of any kind ("loan entha varaku istaru?", "when will it come", "ఎప్పుడు వస్తుంది"): where mitra
# has no answer for it, it says so instead of "please tap a button"
_ASKS_SOMETHING = re.compile(
    r"(?<![\w\u0c00-\u0c7f])(?:what|when|where|why|who|which|how|can i|will i|entha|enta|enti|emiti|emi|ela|elaa|"
    r"eppudu|ekkada|evaru|enduku|edi|enni|ఎంత|ఏమిటి|ఏంటి|ఏమి|ఎలా|ఎప్పుడు|ఎక్కడ|ఎవరు|ఎందుకు|ఏది|ఎన్ని)"
    r"(?![\w\u0c00-\u0c7f])")


def asks_something(text: str | None) -> bool:
    return bool(text) and ("?" in text or _ASKS_SOMETHING.search(folded(text)) is not None)


def asks_for_options(text: str | None) -> bool:
    return bool(text) and len(text.split()) <= 6 and _ASKS_FOR_OPTIONS.search(text.casefold()) is not None


_EDGE_PUNCT = re.compile(r"^[\s.!?,;:*'\"]+|[\s.!?,;:*'\"]+$")


def folded(text: str | None) -> str:
    """Lower case, outer punctuation and repeated spaces removed: how command words are compared."""
    if not text:
        return ""
    return " ".join(_EDGE_PUNCT.sub("", yes_no.without_emoji_marks(text.casefold())).split()) or text.strip()


# Words by which a citizen names a field when correcting it ("change district to Krishna", "my mobile is wrong",
# "జిల్లా మార్చండి"), by field type; a field's own name ("date_of_birth") also counts.
FIELD_WORDS = {
    "district": {"district", "jilla", "zilla", "జిల్లా"},
    "mobile": {"mobile", "phone", "cell", "fone", "మొబైల్", "ఫోన్"},
    "aadhaar": {"aadhaar", "aadhar", "adhar", "adhaar", "ఆధార్"},
    "name": {"name", "peru", "పేరు"},
    "date": {"date", "dob", "birth", "theedi", "tedi", "తేదీ", "పుట్టిన"},
    "town": {"town", "city", "ooru", "ఊరు", "పట్టణం"},
    "temple": {"temple", "gudi", "aalayam", "ఆలయం", "గుడి"},
    "mandal": {"mandal", "mandalam", "mandalamu", "మండలం", "మండల్", "మండలము"},
    "amount": {"amount", "income", "money", "motham", "మొత్తం", "ఆదాయం"},
}
