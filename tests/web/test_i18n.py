"""Every string the templates translate has a Simplified Chinese translation."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from clusterwatch.web.i18n import LOCALE_DIR, pick_language, translations

TEMPLATES = Path(__file__).resolve().parents[2] / "clusterwatch" / "web" / "templates"


def template_messages() -> set[str]:
    found = set()
    for _, _, message, _, _ in extract_from_dir(
        str(TEMPLATES), method_map=[("**.html", "jinja2")], options_map={"**.html": {"extensions": "jinja2.ext.i18n"}}
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_template_string_is_translated():
    with (LOCALE_DIR / "zh" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle)
    translated = {m.id for m in catalog if m.id and m.string}
    used = template_messages()
    assert used, "no strings extracted: the extraction itself is broken"
    assert sorted(used - translated) == []


def test_translation_is_applied():
    assert translations("zh").gettext("Overview") == "总览"
    assert translations("en").gettext("Overview") == "Overview"


def test_language_choice():
    assert pick_language(None, None) == "zh"
    assert pick_language("en", "zh") == "en"
    assert pick_language(None, "en") == "en"
    assert pick_language("fr", None) == "zh"
