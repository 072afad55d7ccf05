"""Secrets compared with what a client sent must never turn odd characters into a server error."""
import pytest

from core.security import same_secret

ODD = ["Î\t\x93î\U000fbe06\U00046fc6i", "\udc80lone-surrogate", "é" * 40, ""]


@pytest.mark.parametrize("given", ODD)
def test_odd_text_is_simply_not_equal(given):
    assert same_secret(given, "d41d8cd98f00b204e9800998ecf8427e") is False


def test_equal_secrets_are_equal_as_text_or_bytes():
    assert same_secret("tokén", "tokén") and same_secret(b"abc", "abc")


@pytest.mark.parametrize("given", ODD)
def test_signed_document_links_refuse_odd_tokens(tmp_path, given):
    from applications.signed_links import DocumentShelf, LinkError

    links = DocumentShelf(tmp_path, "secret")
    token = links.put(b"%PDF", "certificate.pdf")
    assert links.get(token)[0] == b"%PDF"
    with pytest.raises(LinkError):
        links.get(f"{given}.{given}.{given}")
    with pytest.raises(LinkError):
        links.get(token[:-3] + "Îé\t")


@pytest.mark.parametrize("given", ODD)
def test_certificate_tokens_refuse_odd_signatures(given):
    from applications.certificates import make_token, serial_from_token

    token = make_token("42", "secret")
    assert serial_from_token(token, "secret") == "42"
    assert serial_from_token(f"42.{given}", "secret") is None
    assert serial_from_token(given, "secret") is None
