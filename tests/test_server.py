"""`notereview serve`: the JSON API, limits and headers in process; the page in a real headless Chromium."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from notereview.server import create_app
from tests.conftest import EXAMPLES, assert_valid_review_json

CHROMIUM = os.environ.get("NOTEREVIEW_CHROMIUM", "/usr/bin/chromium")
XSS_NOTE = ('NMR 97112 x 23 min: tandem stance on foam with TC at pelvis <script>alert(1)</script> '
            '"><img src=x onerror=alert(1)> impaired balance.')


@pytest.fixture(scope="module")
def client():
    return TestClient(create_app(max_bytes=50_000))


def test_server_api_review_returns_contract_json(client):
    text = (EXAMPLES / "nmr_well_documented.txt").read_text()
    response = client.post("/api/review", json={"text": text, "id": "n1", "payer": "ama"})
    assert response.status_code == 200
    payload = response.json()
    assert_valid_review_json(payload)
    assert payload["id"] == "n1" and payload["payer"] == "ama" and payload["label"] == "nmr"


def test_server_api_review_refuses_empty_note(client):
    response = client.post("/api/review", json={"text": "   ", "id": "blank"})
    assert response.status_code == 422 and "empty" in response.json()["error"]


def test_server_api_batch_streams_one_line_per_input(client):
    body = "\n".join([json.dumps({"id": "a", "text": "NMR x 23 min: tandem stance on foam with TC."}),
                      "{not json", json.dumps({"id": "c", "text": ""})]) + "\n"
    response = client.post("/api/batch", content=body.encode())
    lines = [json.loads(line) for line in response.text.splitlines()]
    assert [line["id"] for line in lines] == ["a", "request line 2", "c"]
    assert "error" not in lines[0] and "error" in lines[1] and "error" in lines[2]


def test_server_refuses_oversized_request_with_413(client):
    response = client.post("/api/review", json={"text": "balance " * 20_000})
    assert response.status_code == 413 and "limit" in response.json()["error"]


def test_server_pages_escape_note_text_and_forbid_outside_assets(client):
    response = client.post("/review", data={"note": XSS_NOTE, "payer": "cms"})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.text and "<img src=x" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text
    csp = response.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp
    assert "http://" not in response.text and "https://" not in response.text


def test_server_openapi_describes_the_api(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert "/api/review" in paths and "/api/batch" in paths


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server_url():
    port = _free_port()
    process = subprocess.Popen([sys.executable, "-m", "notereview.cli", "serve", "--port", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.2)
    else:
        process.kill()
        raise RuntimeError("notereview serve did not start")
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), f"{CHROMIUM} missing: .ci/run installs Debian's chromium"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"])
        yield chromium
        chromium.close()


def test_server_browser_paste_review_and_see_feedback(server_url, browser, tmp_path):
    page = browser.new_page(viewport={"width": 1400, "height": 1200})
    page.goto(server_url + "/")
    page.fill("#note", (EXAMPLES / "strengthening_billed_as_nmr.txt").read_text())
    page.click("#review-button")
    page.wait_for_selector("section.note")
    assert page.locator("mark.m-intervention").count() > 0
    assert "content.strengthening" in page.inner_text("body")
    page.fill("#note", (EXAMPLES / "nmr_well_documented.txt").read_text())
    page.click("#review-button")
    page.wait_for_selector("section.note")
    techniques = page.locator("mark.m-technique")
    assert techniques.count() > 3
    assert "perturbations" in " ".join(techniques.all_inner_texts()).lower()
    page.screenshot(path=str(tmp_path / "serve.png"), full_page=True)
    page.close()


def test_server_browser_runs_no_script_from_a_note(server_url, browser):
    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(server_url + "/")
    page.fill("#note", XSS_NOTE)
    page.click("#review-button")
    page.wait_for_selector("section.note")
    page.wait_for_timeout(500)
    shown = page.inner_text("pre.text")
    assert "<script>alert(1)</script>" in shown and '"><img src=x onerror=alert(1)>' in shown
    assert dialogs == []
    assert page.locator("section.note img").count() == 0
    page.close()


def test_server_browser_copy_button_copies_suggested_additions(server_url, browser):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(server_url + "/")
    page.fill("#note", (EXAMPLES / "strengthening_billed_as_nmr.txt").read_text())
    page.click("#review-button")
    page.click("#copy-additions")
    # expect() polls from Playwright's own isolated script; wait_for_function would need
    # 'unsafe-eval', which the page's Content-Security-Policy rightly refuses.
    from playwright.sync_api import expect

    expect(page.locator("#copy-additions")).to_have_text("Copied")
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert "bill it as 97110" in copied
    context.close()
