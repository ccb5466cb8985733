"""Turn a policy document file into numbered lines of text.

Plain text and Markdown in UTF-8 or GB18030, Word (.docx), PDF and HTML. Every later step
cites a line of what this returns, so a document is read the same way each time. Files that
cannot be read (empty, binary, encrypted, a format we do not read) raise ReadError naming the
file; nothing is guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from clusterwatch.problems import BadInput, Message, Problem, msg

SUPPORTED = (".txt", ".md", ".docx", ".pdf", ".html", ".htm")
# Characters that do not occur in text (C0 controls other than tab, newline, carriage return
# and form feed): many of them mean the file is binary, not text in an unknown encoding.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")


class ReadError(BadInput):
    """A document that cannot be read: one problem of the uploaded documents (field
    "documents"), placed at the file's name (its `cell`), `reason` saying why."""

    def __init__(self, file: str, reason: Message):
        self.file, self.reason = file, reason
        super().__init__("documents", reason, [Problem(reason, field="documents", cell=file)])
        self.args = (f"{file}: {reason}",)


@dataclass
class SourceDocument:
    file: str  # the file name, as citations name it
    lines: list[str]  # line N of the document is lines[N - 1]

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def read_document(path: str | Path) -> SourceDocument:
    path = Path(path)
    name = path.name
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        use = ", ".join(SUPPORTED)
        raise ReadError(name, msg("cannot read {suffix}: use {formats}", suffix=suffix, formats=use) if suffix
                        else msg("cannot read files without an extension: use {formats}", formats=use))
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ReadError(name, msg("cannot read the file: {reason}", reason=exc.strerror)) from None
    if not raw.strip():
        raise ReadError(name, msg("the file is empty"))
    if suffix == ".docx":
        text = _docx_text(raw, name)
    elif suffix == ".pdf":
        text = _pdf_text(raw, name)
    else:
        text = decode_text(raw, name)
        if suffix in (".html", ".htm"):
            text = html_text(text)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").split("\n")
    if not any(line.strip() for line in lines):
        raise ReadError(name, msg("no text found in the file"))
    return SourceDocument(name, lines)


def decode_text(raw: bytes, name: str) -> str:
    """UTF-8 (with or without BOM), else GB18030; refuse what is neither, or is binary."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if len(_CONTROL.findall(text)) > max(2, len(text) // 1000):
            break
        return text
    raise ReadError(name, msg("not a text file in UTF-8 or GB18030 (binary content)"))


def _docx_text(raw: bytes, name: str) -> str:
    import io
    import zipfile

    from docx import Document

    try:
        document = Document(io.BytesIO(raw))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ReadError(name, msg("not a readable Word (.docx) file: {detail}", detail=str(exc))) from None
    lines = []
    body = document.element.body
    # Paragraphs and tables in document order; a table row becomes one tab-separated line,
    # as the converted seed documents have them.
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append("".join(node.text or "" for node in child.iter() if node.tag.endswith("}t")))
        elif tag == "tbl":
            for row in child.iter():
                if row.tag.endswith("}tr"):
                    cells = []
                    for cell in row.iterchildren():
                        if cell.tag.endswith("}tc"):
                            cells.append("".join(n.text or "" for n in cell.iter() if n.tag.endswith("}t")))
                    lines.append("\t".join(cells))
    return "\n".join(lines)


def _pdf_text(raw: bytes, name: str) -> str:
    import io

    from pdfminer.high_level import extract_text
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError

    try:
        return extract_text(io.BytesIO(raw))
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise ReadError(name, msg("the PDF is encrypted: save an unprotected copy first")) from None
    except PDFSyntaxError as exc:
        raise ReadError(name, msg("not a readable PDF: {detail}", detail=str(exc))) from None
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many kinds on broken files
        detail = f"{exc.__class__.__name__}: {exc}"  # pdfminer's own words, a particular
        raise ReadError(name, msg("not a readable PDF: {detail}", detail=detail)) from None


class _TextOfHtml(HTMLParser):
    BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "table", "ul", "ol"}
    SKIP = {"script", "style", "head", "title"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")
        elif tag in ("td", "th") and self.parts and not self.parts[-1].endswith("\n"):
            self.parts.append("\t")  # between cells, as the converted seed tables have them

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data.replace("\n", " "))


def html_text(markup: str) -> str:
    parser = _TextOfHtml()
    parser.feed(markup)
    parser.close()
    text = "".join(parser.parts)
    # Collapse the blank lines that nested blocks leave, keep one between paragraphs.
    return re.sub(r"\n\s*\n+", "\n\n", text).strip("\n")
