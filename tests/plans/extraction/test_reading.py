"""Reading documents of every supported kind, and refusing the ones that cannot be read."""

from __future__ import annotations

import pytest

from clusterwatch.plans.extraction.reading import ReadError, html_text, read_document
from clusterwatch.problems import BadInput

SENTENCE = "到2025年，先进材料产业营业收入达到2.8万亿元。"


def test_utf8_text_and_markdown(tmp_path):
    for name in ("plan.txt", "plan.md"):
        path = tmp_path / name
        path.write_text("标题\n" + SENTENCE + "\n", encoding="utf-8")
        document = read_document(path)
        assert document.file == name and document.lines[1] == SENTENCE


def test_utf8_with_bom_and_gb18030(tmp_path):
    bom = tmp_path / "bom.txt"
    bom.write_bytes("\ufeff".encode("utf-8") + SENTENCE.encode("utf-8"))
    assert read_document(bom).lines[0] == SENTENCE
    gb = tmp_path / "gb.txt"
    gb.write_bytes(SENTENCE.encode("gb18030"))
    assert read_document(gb).lines[0] == SENTENCE


def test_docx_paragraphs_and_tables(tmp_path):
    from docx import Document

    document = Document()
    document.add_paragraph("广东省测试行动计划")
    document.add_paragraph(SENTENCE)
    table = document.add_table(rows=1, cols=3)
    for cell, text in zip(table.rows[0].cells, ["1. 电子", "★★★", "1"]):
        cell.text = text
    path = tmp_path / "plan.docx"
    document.save(path)
    lines = read_document(path).lines
    assert lines[:3] == ["广东省测试行动计划", SENTENCE, "1. 电子\t★★★\t1"]


def test_pdf_with_chinese_text(tmp_path):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = tmp_path / "plan.pdf"
    pdf = canvas.Canvas(str(path))
    pdf.setFont("STSong-Light", 12)
    pdf.drawString(50, 800, SENTENCE)
    pdf.save()
    text = read_document(path).text
    assert "2.8万亿元" in text.replace(" ", "") and "先进材料" in text


def test_html(tmp_path):
    path = tmp_path / "plan.html"
    path.write_text(f"<html><head><title>x</title><script>var a=1;</script></head><body><h1>计划</h1>"
                    f"<p>{SENTENCE}</p><table><tr><td>1. 电子</td><td>★★★</td></tr></table></body></html>",
                    encoding="utf-8")
    lines = [line for line in read_document(path).lines if line.strip()]
    assert lines[:2] == ["计划", SENTENCE]
    assert lines[2] == "1. 电子\t★★★"
    assert "var a" not in html_text(path.read_text(encoding="utf-8"))


def encrypted_pdf(path):
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), encrypt=StandardEncryption("secret", canPrint=0))
    pdf.drawString(50, 800, "secret")
    pdf.save()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "the file is empty"),
        ("blank.txt", b"  \n\n ", "the file is empty"),
        ("binary.txt", bytes(range(256)) * 8, "not a text file in UTF-8 or GB18030"),
        ("fake.docx", b"not a zip file at all", "not a readable Word (.docx) file"),
        ("fake.pdf", b"%PDF-1.4 nonsense", "not a readable PDF"),
        ("plan.doc", b"old word", "cannot read .doc"),
        ("plan", b"text", "cannot read files without an extension"),
    ],
)
def test_unreadable_files_are_named(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ReadError) as info:
        read_document(path)
    assert str(info.value).startswith(name + ": ") and message in str(info.value)


def test_encrypted_pdf(tmp_path):
    path = tmp_path / "locked.pdf"
    encrypted_pdf(path)
    with pytest.raises(ReadError, match="locked.pdf: the PDF is encrypted"):
        read_document(path)


def test_missing_file(tmp_path):
    with pytest.raises(ReadError, match="absent.txt: cannot read the file"):
        read_document(tmp_path / "absent.txt")


def test_an_unreadable_file_is_bad_input_placed_at_its_name(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"  \n")
    with pytest.raises(BadInput) as info:  # the web app and the command line show it as any bad input
        read_document(path)
    assert isinstance(info.value, ReadError) and str(info.value) == "empty.txt: the file is empty"
    [problem] = info.value.problems
    assert (problem.field, problem.cell, problem.message, problem.message.id) == (
        "documents", "empty.txt", "the file is empty", "the file is empty")
