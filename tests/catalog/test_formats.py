"""Every identifier format: its example, valid forms as citizens type them, refusals with a reason, masking."""
import pytest

from catalog.formats import FormatError, check_examples, format_names, get_format
from catalog.loader import CatalogError, load_catalog
from catalog.schema import ServiceField

# format, what a citizen types, the stored value
VALID = [
    ("electricity_usc", "1234567890123", "1234567890123"),
    ("electricity_usc", "USC no. 1234 5678 90123", "1234567890123"),
    ("electricity_usc", "యూఎస్‌సీ ౧౨౩౪౫౬౭౮౯౦౧౨౩", "1234567890123"),
    ("rice_card", "2812345678", "2812345678"),
    ("rice_card", "నం. ౨౮౧౨౩౪౫౬౭౮", "2812345678"),
    ("rice_card", "wap 1234567890", "WAP1234567890"),
    ("aadhaar", "4991 1866 5246", "499118665246"),
    ("aadhaar", "aadhaar no: 4991-1866-5246", "499118665246"),
    ("mobile", "+91 98480 12345", "9848012345"),
    ("mobile", "my mobile number is 09848012345", "9848012345"),
    ("mobile", "na number 9848012345", "9848012345"),
    ("mobile", "maa ph no idi 98480 12345", "9848012345"),
    ("mobile", "నా నంబర్ ఇది 9848012345", "9848012345"),
    ("mobile", "౯౮౪౮౦౧౨౩౪౫", "9848012345"),
    ("pan", "abcpe 1234 f", "ABCPE1234F"),
    ("ifsc", "sbin 0012345", "SBIN0012345"),
    ("bank_account", "A/c no. 0123 4567 8901", "012345678901"),
    ("vehicle_registration", "ap39ab1234", "AP39AB1234"),
    ("vehicle_registration", "AP-9-Z-34", "AP09Z0034"),
    ("vehicle_registration", "22 BH 1234 AA", "22BH1234AA"),
    ("driving_licence", "AP02 2011 0012345", "AP0220110012345"),
    ("driving_licence", "DL no: ap02-20110012345", "AP0220110012345"),
    ("passport", "a1234567", "A1234567"),
    ("apsrtc_pnr", "PNR: T12345678", "T12345678"),
    ("vehicle_registration", "bus number AP 16 Z 1234", "AP16Z1234"),  # walked: the lost luggage's bus
    ("vehicle_registration", "my bike number is ap 39 ab 1234", "AP39AB1234"),
    ("vehicle_registration", "బస్సు నంబర్ AP16Z1234", "AP16Z1234"),
    ("mgnrega_job_card", "ap-01-001-001-001/123", "AP-01-001-001-001/123"),
    ("mgnrega_job_card", "job card AP 01 001 001 001/000123", "AP-01-001-001-001/000123"),
    ("udyam", "udyam-ap-01-0000001", "UDYAM-AP-01-0000001"),
    ("udyam", "AP 01 0000001", "UDYAM-AP-01-0000001"),
    ("hall_ticket", "HT no. 2612345678", "2612345678"),
    ("fir", "FIR No. 123 of 2026", "123/2026"),
    ("fir", "ఎఫ్ఐఆర్ ౧౨౩/౨౦౨౬", "123/2026"),
    ("fir", "45/25", "45/2025"),
    ("e_challan", "e-challan APVJA2301234567", "APVJA2301234567"),
    ("registered_document", "document no. 4521/2009", "4521/2009"),
    ("property_assessment", "assessment no 1090012345", "1090012345"),
    ("water_connection", "1090100234", "1090100234"),
    ("house_tax_assessment", "245/3", "245/3"),
    ("pension_id", "pension id 1012345678", "1012345678"),
    ("sadarem_id", "SADAREM 12345678901234567", "12345678901234567"),
    ("ration_shop", "FP shop 0829001", "0829001"),
    ("mitra_reference", "ap rev 2026 000123", "AP-REV-2026-000123"),
    ("gstin", "37abcpe1234f1za", "37ABCPE1234F1ZA"),
    ("department_reference", "2026/SD/01234", "2026/SD/01234"),
    ("digits:6", "౧౨౩౪౫౬", "123456"),
]

# format, a wrong answer, words the reason must contain
INVALID = [
    ("electricity_usc", "12345", "13 digits"),
    ("electricity_usc", "AP-REV-2026-000123", "13 digits"),
    ("rice_card", "12345", "10 digits"),
    ("aadhaar", "4991 1866 5247", "check digit"),
    ("aadhaar", "1234 5678 9012", "12 digits"),
    ("mobile", "12345", "10 digits"),
    ("mobile", "5848012345", "6, 7, 8 or 9"),
    ("pan", "ABCDE12345", "5 letters"),
    ("pan", "ABCXE1234F", "5 letters"),  # X is no holder type
    ("ifsc", "SBIN1012345", "a zero"),
    ("bank_account", "1234", "9 to 18 digits"),
    ("vehicle_registration", "XX 39 AB 1234", "AP 39 AB 1234"),
    ("vehicle_registration", "hello", "AP 39 AB 1234"),
    ("driving_licence", "AP0218000012345", "15 characters"),  # year 1800
    ("passport", "Q1234567", "a letter and 7 digits"),
    ("passport", "A123456", "a letter and 7 digits"),
    ("apsrtc_pnr", "ticket", "PNR"),
    ("mgnrega_job_card", "AP-01-001-001/123", "AP-01-001-001-001/123"),
    ("udyam", "UDYAM-AP-01-123", "UDYAM-AP-01-0000001"),
    ("hall_ticket", "abc", "6 to 12"),
    ("fir", "123", "the year"),
    ("e_challan", "APVJA", "e-challan"),
    ("registered_document", "4521", "the year"),
    ("property_assessment", "12345", "10 digits"),
    ("house_tax_assessment", "my house", "245/3"),
    ("pension_id", "12", "6 to 12 digits"),
    ("sadarem_id", "123", "10 to 17 digits"),
    ("mitra_reference", "AP-REV-26-12", "AP-REV-2026-000123"),
    ("gstin", "37ABCPE1234F1ZB", "15 characters"),  # wrong check character
    ("department_reference", "hello there", "4 to 30"),
    ("digits:6", "12345", "6 digits"),
]


def test_every_named_format_accepts_its_own_example_and_masks_personal_ones():
    assert not check_examples()
    assert len(format_names()) >= 25
    for name in format_names():
        fmt = get_format(name)
        parsed = fmt.check(fmt.example)
        masked = fmt.mask(parsed.value)
        if fmt.personal:
            assert masked != parsed.value and masked[-2:] == parsed.value[-2:], name
        else:
            assert masked == parsed.value, name
        assert fmt.label.en and fmt.label.te, name


@pytest.mark.parametrize(("name", "typed", "value"), VALID)
def test_valid_forms_are_normalised(name, typed, value):
    assert get_format(name).check(typed).value == value


@pytest.mark.parametrize(("name", "typed", "words"), INVALID)
def test_invalid_answers_are_refused_with_a_reason_in_both_languages(name, typed, words):
    with pytest.raises(FormatError) as refused:
        get_format(name).check(typed)
    assert words in refused.value.reason_en
    assert any("\u0c00" <= ch <= "\u0c7f" for ch in refused.value.reason_te)
    assert get_format(name).example in refused.value.reason_en  # the reason shows what a valid one looks like


def test_display_groups_like_the_document():
    assert get_format("aadhaar").check("499118665246").display == "4991 1866 5246"
    assert get_format("vehicle_registration").check("ap39ab1234").display == "AP 39 AB 1234"
    assert get_format("driving_licence").check("AP0220110012345").display == "AP02 20110012345"
    assert get_format("fir").check("123/2026").display == "FIR 123/2026"
    assert get_format("mobile").check("9848012345").display == "98480 12345"


def test_masks():
    assert get_format("aadhaar").mask("499118665246") == "XXXX XXXX 5246"
    assert get_format("mobile").mask("9848012345") == "98XXXXXX45"
    assert get_format("passport").mask("A1234567") == "XXXX4567"
    assert get_format("rice_card").mask("2812345678") == "XXXXXX5678"
    assert get_format("electricity_usc").mask("1234567890123") == "1234567890123"  # not personal


def test_either_format_takes_any_of_its_options():
    either = get_format("vehicle_registration|department_reference")
    assert either.check("AP 39 AB 1234").value == "AP39AB1234"
    assert either.check("RC/2026/0042").value == "RC/2026/0042"
    with pytest.raises(FormatError) as refused:
        either.check("x")
    assert "AP 39 AB 1234" in refused.value.reason_en
    second = get_format("department_reference").example
    assert second in refused.value.reason_en and second in either.rule.te  # every option's rule, not the first's


def test_either_format_says_which_option_a_number_is_of():
    """The pension status takes the pension ID or the pensioner's Aadhaar; the department is asked by the one
    given, so the number's own format travels, not "aadhaar|pension_id"."""
    either = get_format("aadhaar|pension_id")
    assert either.owner("499118665246").name == "aadhaar"
    assert either.owner("1012345678").name == "pension_id"
    assert either.mask("499118665246") == "XXXX XXXX 5246"


@pytest.mark.parametrize(("either", "said", "others"), [
    ("aadhaar|pension_id", "I don't have the pension ID", ["aadhaar"]),
    ("aadhaar|pension_id", "పింఛనుకు కార్డు పోయింది", ["aadhaar"]),
    ("aadhaar|pension_id", "aadhaar card ledu", ["pension_id"]),
    ("aadhaar|pension_id", "pension ID ledu, aadhaar undi", []),  # both named: which one is missing is unclear
    ("aadhaar|pension_id", "I don't have it", []),
    ("aadhaar|pension_id", "I don't have the identification", []),  # "id" only as a word
    ("vehicle_registration|department_reference", "RC ledu", ["department_reference"]),
    ("vehicle_registration|department_reference", "registration number ledu", []),  # a word both options use
    ("apsrtc_pnr|vehicle_registration", "ticket poyindi", ["vehicle_registration"]),
])
def test_either_format_names_the_options_a_citizen_did_not_rule_out(either, said, others):
    assert [f.name for f in get_format(either).others_than_named(said)] == others


def test_unknown_format_is_refused_in_the_catalog():
    with pytest.raises(KeyError):
        get_format("shoe_size")
    prompt = {"en": "USC?", "te": "యూఎస్‌సీ?"}
    with pytest.raises(ValueError, match="unknown identifier format"):
        ServiceField(name="usc", type="identifier", format="electricity_usk", prompt=prompt)
    with pytest.raises(ValueError, match="names no format"):
        ServiceField(name="usc", type="identifier", prompt=prompt)
    with pytest.raises(ValueError, match="its type is text"):
        ServiceField(name="usc", type="text", format="electricity_usc", prompt=prompt)


def test_catalog_loading_rejects_a_field_with_an_unknown_format(tmp_path):
    from pathlib import Path

    source = Path("catalog/services/energy.yaml").read_text(encoding="utf-8")
    assert "format: electricity_usc" in source
    (tmp_path / "energy.yaml").write_text(source.replace("format: electricity_usc", "format: electricty_usc", 1),
                                          encoding="utf-8")
    with pytest.raises(CatalogError, match="electricty_usc"):
        load_catalog(tmp_path)


def test_catalog_identifier_fields_name_the_document_numbers():
    catalog = load_catalog()
    formats = {(sid, f.name): f.format for sid, s in catalog.services.items() for f in s.fields if f.format}
    assert formats[("energy.pay_electricity_bill", "service_number")] == "electricity_usc"
    assert formats[("police.fir_status", "fir_number")] == "fir"
    assert formats[("transport.dl_renewal", "dl_number")] == "driving_licence"
    assert formats[("civil_supplies.ration_entitlement", "rice_card_number")] == "rice_card"
    assert formats[("core.application_status", "application_number")] == "mitra_reference"
    assert not [f for s in catalog.services.values() for f in s.fields if f.type.value == "reference"]


def test_every_number_from_a_card_says_where_it_is_found():
    """"I don't have the number" is answered with the format's rule: "number gurthu ledu" for a lost driving
    licence was told only what a licence number looks like, not where to find it (the mParivahan app)."""
    from catalog.formats import format_names

    known_by_heart = {"aadhaar", "mobile"}
    where = (" on the ", " in the ", "printed", "receipt", "SMS", "message")
    silent = [n for n in format_names() if n not in known_by_heart and not any(w in get_format(n).rule.en for w in where)]
    assert not silent, silent
    assert all("ఉంటుంది" in get_format(n).rule.te or "చూడవచ్చు" in get_format(n).rule.te
               for n in format_names() if n not in known_by_heart), "the Telugu rules say where too"
