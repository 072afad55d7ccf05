"""GET /verify/{token}: the page a certificate's QR code opens. It shows only what the certificate shows."""
from __future__ import annotations

from html import escape

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from api.deps import ServicesDep

router = APIRouter(tags=["certificates"])

STYLE = """body{font-family:"Noto Sans Telugu","Noto Sans",system-ui,sans-serif;max-width:560px;margin:40px auto;
padding:0 16px;color:#222}.badge{font-size:28px;font-weight:700;padding:12px 16px;border-radius:8px}
.valid{background:#e3f5e1;color:#1b5e20}.invalid{background:#fde8e8;color:#8a1c1c}
dl{display:grid;grid-template-columns:max-content 1fr;gap:8px 16px}dt{color:#666}"""


def _page(title: str, body: str, status: int) -> HTMLResponse:
    html = (f"<!doctype html><html lang='en'><head><meta charset='utf-8'><meta name='viewport' "
            f"content='width=device-width, initial-scale=1'><title>{escape(title)}</title>"
            f"<style>{STYLE}</style></head><body><h1>Certificate verification · ధృవీకరణ</h1>{body}</body></html>")
    return HTMLResponse(html, status_code=status)


@router.get("/verify/{token}", response_class=HTMLResponse)
def verify(token: str, services: ServicesDep) -> HTMLResponse:
    result = services.certificates().verify_token(token)
    if not result.valid:
        body = (f"<p class='badge invalid' id='verdict'>INVALID · చెల్లదు</p>"
                f"<p id='reason'>This certificate could not be verified: {escape(result.reason)}.</p>")
        return _page("INVALID certificate", body, 404 if result.reason == "unknown certificate" else 400)
    issued = result.issued_at.strftime("%d %b %Y") if result.issued_at else ""
    rows = [("Holder · పేరు", result.holder), ("Certificate · పత్రం", f"{result.service_name} · {result.service_name_te}"),
            ("Reference · సూచిక", result.reference), ("Issued · జారీ తేదీ", issued)]
    details = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in rows)
    body = f"<p class='badge valid' id='verdict'>VALID · చెల్లుతుంది</p><dl>{details}</dl>"
    return _page("VALID certificate", body, 200)
