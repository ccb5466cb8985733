"""Translations from gettext catalogs (Babel), compiled in memory at start-up.

The source strings are English; Simplified Chinese is the default language. Catalogs are
kept as .po files only: compiling them when the app starts means there is no build step
and no binary .mo file to forget.
"""

from __future__ import annotations

import gettext
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "zh"


@lru_cache
def translations(lang: str) -> gettext.NullTranslations:
    if lang == "en":
        return gettext.NullTranslations()
    po = LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    buffer = BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer)


def pick_language(query: str | None, cookie: str | None, default: str = DEFAULT_LANGUAGE) -> str:
    for candidate in (query, cookie):
        if candidate in LANGUAGES:
            return candidate
    return default
