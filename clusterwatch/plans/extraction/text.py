"""Normalise converted text and cut it into sentences that remember their source lines.

Conversions from PDF leave stray spaces inside numbers and words ("2025 年", "6.6 万亿元"),
and break sentences across lines and page breaks. We work on a normalised copy in which each
character remembers the line it came from, so every figure can be cited to its line and
quoted from the original.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_SPACE = " \u3000\u00a0\u2002\u2003\u2009"
_ASCII_WORD = re.compile(r"[A-Za-z]")
# A line that starts a new unit of text: a heading, a list item, a box, an annex.
_STARTS_BLOCK = re.compile(
    r"^[\s#*]*(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\(?\d+[.．、)）]|第[一二三四五六七八九十]+[章节]|专栏|附件|[-•·])"
)
_SENTENCE_END = "。；！？;"


@dataclass
class Sentence:
    text: str  # normalised: stray spaces removed, line breaks inside a sentence joined
    origins: list[tuple[int, int]]  # (line, column) in the source of each character of `text`
    paragraph: int  # index of the paragraph (blank-line or block separated) it belongs to

    def origin(self, index: int) -> tuple[int, int]:
        return self.origins[min(max(index, 0), len(self.origins) - 1)]


def normalise_line(line: str) -> tuple[str, list[int]]:
    """Drop spaces except between two ASCII letters; return the text and, per character, its column."""
    out, columns = [], []
    for i, ch in enumerate(line):
        if ch in _SPACE:
            before = line[i - 1] if i else ""
            after = line[i + 1] if i + 1 < len(line) else ""
            if not (_ASCII_WORD.match(before or " ") and _ASCII_WORD.match(after or " ")):
                continue
        out.append("％" if ch == "%" else ch)
        columns.append(i)
    text = "".join(out).replace("％", "%")
    return text, columns


def sentences(lines: list[str]) -> list[Sentence]:
    """Sentences of a document, joined across broken lines, split at 。；！？ and new blocks."""
    result: list[Sentence] = []
    buffer: list[str] = []
    owners: list[tuple[int, int]] = []
    paragraph = 0

    def flush() -> None:
        if buffer and "".join(buffer).strip():
            result.append(Sentence("".join(buffer), list(owners), paragraph))
        buffer.clear()
        owners.clear()

    for number, raw in enumerate(lines, start=1):
        text, columns = normalise_line(raw)
        if not text.strip():
            # A blank line may be a page break inside a sentence; it ends a paragraph only if
            # the text before it ended a sentence.
            if not buffer:
                paragraph += 1
            continue
        if "\t" in raw or _STARTS_BLOCK.match(text):
            flush()
            paragraph += 1
        for ch, column in zip(text, columns):
            buffer.append(ch)
            owners.append((number, column))
            if ch in _SENTENCE_END:
                flush()
        # A table row, or a short line that ends no sentence and continues none (a heading
        # such as 一、发展基础), stands alone. Wrapped body lines are longer than this.
        if "\t" in raw or (len(text) < 25 and text[-1] not in "，、：:" and buffer and len(buffer) == len(text)):
            flush()
    flush()
    return result


def quote(line: str, start: int, end: int) -> str:
    """The clause of `line` around columns start..end, verbatim, for a citation."""
    left = max(line.rfind(sep, 0, start) for sep in "。；，,：:\t")
    # Keep a short leading clause such as 到 2025 年: the year belongs to the quote.
    previous = max(line.rfind(sep, 0, left) for sep in "。；，,：:\t") if left > 0 else -1
    if left > 0 and re.fullmatch(r"\s*(?:到|至|在)?\s*(?:19|20)\s*\d\s*\d\s*年\s*(?:底|末)?\s*", line[previous + 1:left]):
        left = previous
    rights = [r for r in (line.find(sep, end) for sep in "。；，,\t") if r != -1]
    right = min(rights) if rights else len(line)
    return line[left + 1 : right].strip() or line.strip()
