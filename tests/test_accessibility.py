"""The web pages pass axe-core's WCAG 2.1 A and AA rules and its best practices, run in a real
browser: Debian's chromium, headless, with axe-core from npm (tests/axe, pinned by its lock).

Why chromium's own --dump-dom rather than Playwright or Selenium: the page, axe and a few lines
that write axe's findings into the page are all a browser needs; chromium runs them and prints the
page as it then stands. No driver whose version must match the browser's, no Python package more.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

AXE = Path(__file__).parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
# What the findings are reported as: the rule, its help text and where on the page.
RUNNER = """<script src="{axe}"></script><script>
axe.run(document, {{runOnly: {{type: "tag", values: {rules}}}}}).then(
  found => found.violations.map(v => v.id + ": " + v.help + " @ " + v.nodes.map(n => n.target.join(" ")).join(", ")),
  error => ["axe: " + error]
).then(lines => {{
  const out = document.createElement("pre");
  out.id = "axe-findings";
  out.textContent = JSON.stringify(lines);
  document.documentElement.appendChild(out);
}});
</script>"""


def chromium() -> str:
    found = shutil.which("chromium")
    message = "" if found else "Debian's chromium is not installed"
    if found and not AXE.is_file():
        message = "axe-core is not installed (make test runs npm ci in tests/axe)"
    if message:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}; CI must install it (see README)")
        pytest.skip(message)
    return found


def axe_findings(page: Path, work: Path) -> list[str]:
    """axe-core's violations on `page` as chromium shows it (a copy with axe added before </body>)."""
    browser = chromium()
    copy = work / page.name
    copy.write_text(page.read_text("utf-8").replace(
        "</body>", RUNNER.format(axe=AXE.resolve().as_uri(), rules=json.dumps(RULES)) + "</body>"), "utf-8")
    # The flags of a browser in a machine without a network, which must not try to reach one.
    shown = subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={work / 'profil'}", "--virtual-time-budget=60000", "--dump-dom", copy.as_uri()],
        capture_output=True, text=True, timeout=180, check=False)
    findings = re.search(r'<pre id="axe-findings">(.*?)</pre>', shown.stdout, re.S)
    assert findings, f"axe-core did not run in chromium: {shown.stderr[-2000:]}"
    return json.loads(html.unescape(findings[1]))


@pytest.fixture(scope="module")
def web_pages(example_build, tierp_build) -> dict[str, Path]:
    return {"uppdrag": example_build / "uppdrag.html", "sammanstallning": example_build / "sammanstallning.html",
            "overlamnande": example_build / "overlamnande.html", "tierp": tierp_build / "sammanstallning.html",
            "handlingsplan": example_build / "handlingsplan.html",
            "underlag-vagledningsdebatt": example_build / "underlag-vagledningsdebatt.html",
            "aterkoppling": example_build / "aterkoppling" / "enkat-trygghet.html"}


@pytest.mark.parametrize("name", ["uppdrag", "sammanstallning", "overlamnande", "tierp", "handlingsplan",
                                  "underlag-vagledningsdebatt", "aterkoppling"])
def test_every_web_page_passes_axe_core(web_pages, name, tmp_path):
    assert axe_findings(web_pages[name], tmp_path) == []


def test_axe_core_finds_what_a_web_page_lacks(tmp_path):
    """The check can fail: a page without a main landmark, a table as a block, a picture without text."""
    page = tmp_path / "sida.html"
    page.write_text('<!DOCTYPE html><html lang="sv"><head><title>t</title></head><body><p>text</p>'
                    '<img src="data:image/png;base64,iVBORw0KGgo="></body></html>', "utf-8")
    found = " ".join(axe_findings(page, tmp_path))
    assert "image-alt" in found and "landmark-one-main" in found


def test_web_pages_have_landmarks_header_scopes_and_tables_that_stay_tables(web_pages):
    page = web_pages["overlamnande"].read_text("utf-8")
    assert page.count("<main") == 1 and '<nav id="TOC"' in page and 'href="#innehall"' in page
    assert "<th>" not in page and page.count('<th scope="col">') >= 7
    assert "display: block" not in page and "display:block" not in page
    assert "font-family" in page and "@media print" in page and "<script" not in page
