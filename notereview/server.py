"""`notereview serve`: a local web page to paste a note and see the feedback, and a JSON API.

Safe by default: it binds to 127.0.0.1, refuses requests over a size limit with 413, never
logs or stores note text, escapes note text on every page, and serves no external asset (a
Content-Security-Policy forbids any).
"""
from __future__ import annotations

import json
from importlib import resources
from typing import AsyncIterator
from urllib.parse import parse_qs

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from pydantic import BaseModel, Field
from starlette.types import ASGIApp, Receive, Scope, Send

from .inputs import DEFAULT_MAX_CHARS, InputError, decode_note

DEFAULT_MAX_BYTES = 2_000_000
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; script-src 'self'; "
                               "form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


class NoteIn(BaseModel):
    """A note to review through the API."""

    text: str = Field(..., description="The note's text")
    id: str | None = Field(None, description="An id echoed in the result")
    payer: str = Field("cms", pattern="^(cms|ama)$", description="Unit counting: cms or ama")


class SizeLimit:
    """Refuses a request whose body is larger than the limit, with 413, before reading it all."""

    def __init__(self, app: ASGIApp, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(send)
            return
        seen = 0

        async def limited() -> dict:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise _TooLarge()
            return message

        try:
            await self.app(scope, limited, send)
        except _TooLarge:
            await self._refuse(send)

    async def _refuse(self, send: Send) -> None:
        body = json.dumps({"error": f"request body over the limit of {self.max_bytes:,} bytes"}).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})


class _TooLarge(Exception):
    pass


def create_app(*, max_bytes: int = DEFAULT_MAX_BYTES, max_chars: int = DEFAULT_MAX_CHARS) -> ASGIApp:
    """The web application (page, API and OpenAPI document), wrapped in the size limit."""
    from . import __version__
    from .engine import review
    from .render import LEGEND, environment, highlighted_pieces, render

    app = FastAPI(title="notereview", version=__version__,
                  description="Check whether a therapy note supports CPT 97112. Runs locally; notes are never stored.")

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    def page(**context) -> HTMLResponse:
        values = {"review": None, "note": "", "error": None, "additions": "", "payer": "cms", "legend": LEGEND}
        values.update(context)
        return HTMLResponse(environment().get_template("serve.html").render(**values))

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def index() -> HTMLResponse:
        return page()

    @app.post("/review", response_class=HTMLResponse, include_in_schema=False)
    async def review_page(request: Request) -> HTMLResponse:
        form = parse_qs((await request.body()).decode("utf-8", "replace"))
        note = (form.get("note") or [""])[0]
        payer = (form.get("payer") or ["cms"])[0]
        payer = payer if payer in ("cms", "ama") else "cms"
        try:
            text = decode_note(note.encode("utf-8", "surrogatepass"), "the pasted note", max_chars).text
        except InputError as error:
            return page(note=note, payer=payer, error=str(error))
        result = review(text, id="pasted note", payer=payer)
        additions = "\n".join(f"- {g.suggestion}" for g in result.gaps if g.suggestion)
        return page(note=text, payer=payer, review=result, source="pasted note", additions=additions,
                    evidence_text=lambda gap: [result.text[e.start:e.end] for e in gap.evidence][:3],
                    pieces=highlighted_pieces(result))

    # Plain `def`: FastAPI runs it in its thread pool, so a long review does not stall the server.
    @app.post("/api/review", summary="Review one note", response_description="The JSON of docs/contract.md §4")
    def api_review(note: NoteIn) -> JSONResponse:
        try:
            text = decode_note(note.text.encode("utf-8", "surrogatepass"), note.id or "note", max_chars).text
        except InputError as error:
            return JSONResponse({"schema": "notereview/1", "id": note.id, "error": str(error)}, status_code=422)
        return JSONResponse(json.loads(render(review(text, id=note.id, payer=note.payer), "json")))

    @app.post("/api/batch", summary="Review JSON Lines (one {id, text} object a line); streams JSON Lines back",
              response_class=StreamingResponse)
    async def api_batch(request: Request, payer: str = "cms") -> StreamingResponse:
        from .batch import read_jsonl, review_chunk

        body = await request.body()
        items = list(read_jsonl(body.splitlines(keepends=True), "request", max_chars))

        async def lines() -> AsyncIterator[bytes]:
            for start in range(0, len(items), 16):
                chunk = [(i.id, i.text, i.error, i.fields) for i in items[start:start + 16]]
                for payload in review_chunk(chunk, payer if payer in ("cms", "ama") else "cms"):
                    payload.pop("_signature", None)
                    yield (json.dumps(payload, ensure_ascii=False) + "\n").encode()

        return StreamingResponse(lines(), media_type="application/x-ndjson")

    @app.get("/static/copy.js", include_in_schema=False)
    async def copy_script() -> Response:
        script = resources.files("notereview").joinpath("static/copy.js").read_text("utf-8")
        return Response(script, media_type="text/javascript")

    return SizeLimit(app, max_bytes)


def is_loopback(host: str) -> bool:
    """Whether a bind address only accepts connections from this machine."""
    return host in ("localhost", "::1") or host.startswith("127.")
