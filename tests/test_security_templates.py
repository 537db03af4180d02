"""The templates served to browsers contain nothing the CSP would block: no inline <script>,
no <style> block, no style= attribute, no on…= event handler. (WeasyPrint templates under a
`pdf/` folder are turned into PDFs, never served as HTML, so they may style inline.)

A fast guard for the suite; tests/browser/test_security_csp.py checks real pages in Chromium.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

COMMENT = re.compile(r"\{#.*?#\}|\{% comment %\}.*?\{% endcomment %\}", re.S)
CHECKS = {
    "style attribute": re.compile(r"""\sstyle\s*=\s*["'{]""", re.I),
    "<style> block": re.compile(r"<style[\s>]", re.I),
    "inline <script>": re.compile(
        r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I
    ),
    "event handler attribute": re.compile(r"""\son[a-z]+\s*=\s*["']""", re.I),
    "javascript: URL": re.compile(r"""=\s*["']\s*javascript:""", re.I),
}


def browser_templates():
    for path in sorted((ROOT / "sangyo").rglob("templates/**/*.html")):
        if "pdf" in path.relative_to(ROOT).parts:
            continue
        yield path


def test_templates_hold_nothing_the_csp_blocks():
    problems = []
    for path in browser_templates():
        # Template comments are not sent to the browser (keep their line breaks for numbers).
        text = COMMENT.sub(
            lambda m: "\n" * m.group(0).count("\n"), path.read_text(encoding="utf-8")
        )
        for what, pattern in CHECKS.items():
            for m in pattern.finditer(text):
                line = text.count("\n", 0, m.start()) + 1
                problems.append(f"{path.relative_to(ROOT)}:{line}: {what}")
    assert problems == []


def test_the_guard_finds_what_it_looks_for():
    samples = {
        "style attribute": '<p style="color:red">',
        "<style> block": "<style>p{}</style>",
        "inline <script>": "<script>alert(1)</script>",
        "event handler attribute": '<button onclick="x()">',
        "javascript: URL": '<a href="javascript:alert(1)">',
    }
    for what, sample in samples.items():
        assert CHECKS[what].search(sample), what
    assert not CHECKS["inline <script>"].search('<script src="/static/x.js" defer></script>')
    assert len(list(browser_templates())) > 50
