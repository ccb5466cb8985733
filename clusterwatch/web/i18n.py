"""Translations from gettext catalogs (Babel), compiled in memory at start-up.

The source strings are English; Simplified Chinese is the default language. Catalogs are
kept as .po files only: compiling them when the app starts means there is no build step
and no binary .mo file to forget.
"""

from __future__ import annotations

import gettext
from collections.abc import Iterable
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from clusterwatch.problems import Gettext, Problem, msg, render

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


def gettext_for(lang: str) -> Gettext | None:
    """The catalogue lookup of `lang`; None for English, the language of the message ids."""
    return None if lang == "en" else translations(lang).gettext


def localized(value: Any, lang: str) -> Any:
    """`value` (a Message, a Problem, an answer's dict or list holding them) in `lang`: the one
    place where the web app and the command line turn messages into the user's words."""
    return render(value, gettext_for(lang))


def problem_lines(problems: Iterable[Problem], lang: str, *, fields: bool = True) -> list[str]:
    """Problems as lines for a page or a terminal: "place: message", the place as it reads (a
    cell, or a line and the field; the field left out where `fields` is false, as in an API
    answer that names it apart)."""
    gettext = gettext_for(lang)
    lines = []
    for problem in problems:
        where = render(problem.cell, gettext) if problem.cell else (problem.field if fields else "")
        if problem.row is not None and not problem.cell:
            place = msg("line {n}, {column}", n=problem.row, column=where) if where else msg("line {n}", n=problem.row)
            where = place.render(gettext)
        text = problem.message.render(gettext)
        lines.append(msg("{place}: {message}", place=where, message=text).render(gettext) if where else text)
    return lines
