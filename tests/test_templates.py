"""The communicator edits the Word templates: a field the sources lack, or a broken tag, is named, never left blank."""

from __future__ import annotations

import shutil

import docx
import pytest

from pipeline.options import TEMPLATES
from support import SOURCES, run_cli


@pytest.fixture
def templates(tmp_path):
    return shutil.copytree(TEMPLATES, tmp_path / "templates")


def add_paragraph(template, text: str, before: str | None = None) -> None:
    """Add a paragraph at the end, or before the paragraph that reads `before`."""
    document = docx.Document(str(template))
    if before is None:
        document.add_paragraph(text)
    else:
        next(p for p in document.paragraphs if p.text == before).insert_paragraph_before(text)
    document.save(str(template))


def build_with(templates, out):
    return run_cli("build", "--sources", SOURCES, "--build", out, "--templates", templates, "--formats", "docx")


def test_a_field_the_sources_lack_is_named_with_the_template_text_around_it(templates, tmp_path):
    add_paragraph(templates / "uppdrag.docx", "Kommun: {{ uppdrag.kommunnamn }}", before="{{ uppdrag.rubrik }}")
    result = build_with(templates, tmp_path / "build")
    assert result.code == 1
    assert result.err.splitlines() == [
        f"{templates}/uppdrag.docx (brödtexten): fältet 'uppdrag.kommunnamn' finns inte i källorna",
        "  mallens text kring felet:",
        "    EXEMPELDATA – dokumentet bygger på påhittade exempeluppgifter, inte på beredningens verkliga arbete.{% endif %}{% if uppdrag.logotyp %}",
        "    {{ uppdrag.logotyp|bild(alt=uppdrag.logotyp_text) }}{% endif %}",
        "    Kommun: {{ uppdrag.kommunnamn }}",
        "    {{ uppdrag.rubrik }}",
        "    Ämne: {{ uppdrag.ämne }}",
        "Ingenting har byggts och byggmappen är orörd.",
    ]
    assert not (tmp_path / "build").exists()


def test_a_field_inside_a_loop_is_named_by_its_model(templates, tmp_path):
    add_paragraph(templates / "sammanstallning.docx", "{%p for p in sammankomster.perioder %}")
    add_paragraph(templates / "sammanstallning.docx", "{{ p.namn }}")
    add_paragraph(templates / "sammanstallning.docx", "{%p endfor %}")
    result = build_with(templates, tmp_path / "build")
    assert result.err.splitlines()[0] == f"{templates}/sammanstallning.docx (brödtexten): fältet 'namn' (i period) finns inte i källorna"


def test_an_unclosed_loop_is_a_syntax_error_in_swedish(templates, tmp_path):
    add_paragraph(templates / "sammanstallning.docx", "{% for x in sammankomster.perioder %}")
    result = build_with(templates, tmp_path / "build")
    assert result.code == 1
    assert result.err.splitlines()[0] == (f"{templates}/sammanstallning.docx (brödtexten): mallen har ett syntaxfel: "
                                          "'{% for %}' stängs aldrig; lägg till '{% endfor %}'")


def test_errors_in_several_templates_are_reported_together(templates, tmp_path):
    add_paragraph(templates / "uppdrag.docx", "{{ uppdrag.okänt }}")
    add_paragraph(templates / "overlamnande.docx", "{% endif %}")
    result = build_with(templates, tmp_path / "build")
    firsts = [line for line in result.err.splitlines() if line.startswith(str(templates))]
    assert firsts == [
        f"{templates}/uppdrag.docx (brödtexten): fältet 'uppdrag.okänt' finns inte i källorna",
        f"{templates}/overlamnande.docx (brödtexten): mallen har ett syntaxfel: okänd tagg '{{% endif %}}' "
        "(stavfel, eller en 'end'-tagg utan början?)",
    ]


def test_a_missing_template_is_named(templates, tmp_path):
    (templates / "uppdrag.docx").unlink()
    result = build_with(templates, tmp_path / "build")
    assert result.code == 1
    assert result.err.splitlines()[0] == f"{templates}/uppdrag.docx: mallen för uppdraget saknas"


def test_data_is_never_evaluated_as_a_template(tmp_path):
    sources = shutil.copytree(SOURCES, tmp_path / "sources")
    path = sources / "uppdrag.yaml"
    path.write_text(path.read_text("utf-8").replace("ort: Tranemo", "ort: \"{{ uppdrag.kommun }} & <Co>\""), "utf-8")
    assert run_cli("build", "--sources", sources, "--build", tmp_path / "build", "--formats", "docx").code == 0
    texts = [p.text for p in docx.Document(str(tmp_path / "build" / "uppdrag.docx")).paragraphs]
    assert "{{ uppdrag.kommun }} & <Co> 2 november 2017" in texts


def set_header_or_footer(template, where: str, text: str) -> None:
    document = docx.Document(str(template))
    getattr(document.sections[0], where).paragraphs[0].text = text
    document.save(str(template))


@pytest.mark.parametrize("where, part", [("header", "sidhuvudet"), ("footer", "sidfoten")])
def test_a_fault_in_a_header_or_footer_is_named_with_its_text(templates, tmp_path, where, part):
    set_header_or_footer(templates / "uppdrag.docx", where, "{{ uppdrag.kommunnamn }} sida")
    result = build_with(templates, tmp_path / "build")
    assert result.code == 1
    assert result.err.splitlines()[:3] == [
        f"{templates}/uppdrag.docx ({part}): fältet 'uppdrag.kommunnamn' finns inte i källorna",
        "  mallens text kring felet:",
        "    {{ uppdrag.kommunnamn }} sida",
    ]


def test_a_broken_loop_in_a_table_row(templates, tmp_path):
    document = docx.Document(str(templates / "overlamnande.docx"))
    members = document.tables[0]
    members.rows[-1].cells[0].paragraphs[0].text = "{%tr endfr %}"
    document.save(str(templates / "overlamnande.docx"))
    result = build_with(templates, tmp_path / "build")
    assert result.code == 1
    first, *around = result.err.splitlines()
    assert first == (f"{templates}/overlamnande.docx (brödtexten): mallen har ett syntaxfel: okänd tagg '{{% endfr %}}' "
                     "(stavfel, eller en 'end'-tagg utan början?)")
    assert "  mallens text kring felet:" in around
    assert any("endfr" in line for line in around)
