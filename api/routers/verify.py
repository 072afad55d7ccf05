"""GET /verify/{token}: the page a document's QR code opens. It shows only what the document shows.

A receipt's or ticket's token is signed for the document register, a certificate's for the certificate
register; a token that neither key signed is forged, and a register row that no longer hashes is "altered".
"""
from __future__ import annotations

from html import escape

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from api.deps import ServicesDep
from applications.documents import DocumentFacts, Verification, certificate_facts

router = APIRouter(tags=["certificates"])

STYLE = """body{font-family:"Noto Sans Telugu","Noto Sans",system-ui,sans-serif;max-width:560px;margin:40px auto;
padding:0 16px;color:#222}.badge{font-size:28px;font-weight:700;padding:12px 16px;border-radius:8px}
.valid{background:#e3f5e1;color:#1b5e20}.invalid{background:#fde8e8;color:#8a1c1c}
dl{display:grid;grid-template-columns:max-content 1fr;gap:8px 16px}dt{color:#666}"""
NOT_FOUND = {"unknown certificate", "unknown document"}


def _page(title: str, body: str, status: int) -> HTMLResponse:
    html = (f"<!doctype html><html lang='en'><head><meta charset='utf-8'><meta name='viewport' "
            f"content='width=device-width, initial-scale=1'><title>{escape(title)}</title>"
            f"<style>{STYLE}</style></head><body><h1>Document verification · ధృవీకరణ</h1>{body}</body></html>")
    return HTMLResponse(html, status_code=status)


def _check(token: str, services) -> Verification:
    documents = services.documents()
    if documents.signed_serial(token) is not None:
        return documents.verify_token(token)
    registry = services.certificates()
    result = registry.verify_token(token)
    if not result.valid:
        return Verification(False, result.reason)
    cert = registry.for_reference(result.reference)
    return Verification(True, "valid", certificate_facts(cert))


def _rows(facts: DocumentFacts) -> list[tuple[str, str]]:
    rows = [("Issued by · జారీ చేసినది", f"{facts.issuer_en} · {facts.issuer_te}"),
            ("Document · పత్రం", f"{facts.title_en} · {facts.title_te}"),
            ("Name · పేరు", " · ".join(n for n in (facts.holder_en, facts.holder_te) if n)),
            ("Reference · సూచిక", facts.reference)]
    rows += [(f"{d.label_en} · {d.label_te}", d.value) for d in facts.details]
    return rows + [(f"{facts.issued.label_en} · {facts.issued.label_te}", facts.issued.value)]


@router.get("/verify/{token}", response_class=HTMLResponse)
def verify(token: str, services: ServicesDep) -> HTMLResponse:
    result = _check(token, services)
    if not result.valid:
        body = (f"<p class='badge invalid' id='verdict'>INVALID · చెల్లదు</p>"
                f"<p id='reason'>This document could not be verified: {escape(result.reason)}.</p>")
        return _page("INVALID document", body, 404 if result.reason in NOT_FOUND else 400)
    details = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in _rows(result.facts))
    body = f"<p class='badge valid' id='verdict'>VALID · చెల్లుతుంది</p><dl id='details'>{details}</dl>"
    return _page(f"VALID {result.facts.title_en}", body, 200)
