"""The documents each phase of the process calls for (issue 11): the action plan, the material for
the council before the guidance debate, and a feedback letter per dialogue. Read as their readers
get them: Word, both PDFs and the web page.
"""

from __future__ import annotations

import re

import pymupdf
import yaml

from support import SOURCES, copy_sources, figures, is_bullet, read_docx, require, run_cli

FEEDBACK = ("dialogcafe-tranemo", "fokusgrupp-unga", "enkat-trygghet")


def headings(document) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]


def texts(document) -> list[str]:
    return [p.text for p in document.paragraphs]


def test_the_action_plan_holds_phases_needs_dialogues_and_anchoring(example_build):
    plan = read_docx(example_build / "handlingsplan.docx")
    assert headings(plan) == ["Handlingsplan för Trivsel- och trygghetsberedningen", "Processens faser", "Milstolpar",
                              "Utbildning", "Omvärldsbevakning", "Planerade medborgardialoger",
                              "Förankring i partigrupperna"]
    assert "Antagen: 16 november 2017" in texts(plan)
    phases = [[cell.text for cell in row.cells] for row in plan.tables[0].rows]
    assert phases[0] == ["Fas", "Från", "Till"]
    assert phases[1] == ["Uppstart och handlingsplan", "november 2017", "december 2017"]
    assert phases[-1] == ["Överlämnande", "juni 2018", ""]
    dialogues = [[cell.text for cell in row.cells] for row in plan.tables[1].rows]
    assert dialogues[1] == ["Dialogcafé om att trivas och stanna i Tranemo", "dialogcafé",
                            "Nyanlända kommuninvånare, Föreningar och trossamfund", "februari 2018"]
    training = [p for p in plan.paragraphs if p.text.startswith("Mottagande och etablering")]
    assert training and is_bullet(training[0])


def test_the_guidance_material_tells_the_work_so_far_and_asks_its_questions(example_build):
    material = read_docx(example_build / "underlag-vagledningsdebatt.docx")
    assert headings(material)[:4] == ["Underlag inför vägledningsdebatten", "Uppdraget", "Arbetet hittills",
                                      "Vad dialogerna har sagt"]
    assert headings(material)[-1] == "Frågor till kommunfullmäktige"
    lines = texts(material)
    # The work up to the day the material was sent (5 March 2018): not the meetings after it.
    assert "Beredningen har haft 8 sammankomster mellan 2 november 2017 och 1 mars 2018:" in lines
    assert "1 mars 2018: Sammanträde beredningen" in lines
    assert not any(line.startswith("26 mars 2018") for line in lines)
    questions = yaml.safe_load((SOURCES / "vagledning.yaml").read_text("utf-8"))["frågor"]
    asked = lines[-len(questions):]
    assert asked == questions
    numbering = {p._p.pPr.numPr is not None or p.style.name == "List Number" for p in material.paragraphs[-3:]}
    assert numbering == {True}


def test_one_feedback_letter_per_dialogue_without_the_contact_list(example_build):
    assert sorted(p.stem for p in (example_build / "aterkoppling").glob("*.docx")) == sorted(FEEDBACK)
    letter = read_docx(example_build / "aterkoppling" / "dialogcafe-tranemo.docx")
    assert headings(letter) == ["Tack för att du deltog: Dialogcafé – att trivas och stanna i Tranemo",
                                "Det här kom fram", "Fler naturliga mötesplatser", "Språk och arbete hör ihop",
                                "Röster från dialogen", "Det här gör beredningen med det", "Så går arbetet vidare"]
    assert texts(letter)[2] == (
        "Den 8 februari 2018 i Biblioteket i Tranemo deltog ca 40 personer i Trivsel- och trygghetsberedningens "
        "dialogcafé. Beredningen arbetar med uppdraget Översyn av Policy för integrationsarbetet. Tack för att du "
        "tog dig tid och delade med dig.")
    assert "Överlämningsdebatt: Kommunfullmäktige i september 2018" in texts(letter)
    contacts = [person for dialogue in yaml.safe_load((SOURCES / "medborgardialoger.yaml").read_text("utf-8"))["dialoger"]
                for person in dialogue.get("deltagarlista", [])]
    assert contacts
    for name in FEEDBACK:
        built = [(example_build / "aterkoppling" / f"{name}.{suffix}").read_text("utf-8", errors="ignore")
                 for suffix in ("html",)]
        built.append("\n".join(texts(read_docx(example_build / "aterkoppling" / f"{name}.docx"))))
        for person in contacts:
            for value in person.values():
                assert all(str(value) not in text for text in built), (name, value)


def test_the_phase_documents_in_both_pdfs(pdfs):
    folder = pdfs["uppdrag"].parent
    for name in ("handlingsplan", "underlag-vagledningsdebatt", *(f"aterkoppling/{d}" for d in FEEDBACK)):
        with pymupdf.open(folder / f"{name}.pdf") as pdf:
            text = " ".join(page.get_text() for page in pdf)
        assert "EXEMPELDATA" in text, name
    with pymupdf.open(folder / "underlag-vagledningsdebatt.pdf") as pdf:
        assert "Frågor till kommunfullmäktige" in " ".join(page.get_text() for page in pdf)


TIMELINE = ("Tidslinje över beredningens arbete: 12 sammankomster från 2 november 2017 till 17 maj 2018; "
            "3 medborgardialoger (Dialogcafé – att trivas och stanna i Tranemo 8 februari 2018; Fokusgrupp med "
            "nyanlända ungdomar 22 februari 2018; Enkät om trygghet i centrum 5 mars 2018); milstolparna "
            "vägledningsdebatt mars 2018, överlämnande juni 2018, överlämningsdebatt september 2018.")
PARTICIPATION = ("Stapeldiagram över hur många som deltog i medborgardialogerna: Dialogcafé – att trivas och stanna i "
                 "Tranemo ca 40 personer, Fokusgrupp med nyanlända ungdomar 12 personer, Enkät om trygghet i centrum "
                 "6 personer.")


def test_the_work_as_pictures_in_word_and_on_the_web_page(example_build):
    """The timeline and the participation chart, each saying every figure it shows."""
    for name in ("overlamnande", "underlag-vagledningsdebatt"):
        word = read_docx(example_build / f"{name}.docx").element.xml
        html = (example_build / f"{name}.html").read_text("utf-8")
        for alt in ((TIMELINE, PARTICIPATION) if name == "overlamnande" else (PARTICIPATION,)):
            assert f'descr="{alt}"' in word, (name, alt[:40])
            assert f'alt="{alt}"' in html, (name, alt[:40])
    material = read_docx(example_build / "underlag-vagledningsdebatt.docx").element.xml
    assert 'descr="Tidslinje över beredningens arbete: 8 sammankomster från 2 november 2017 till 1 mars 2018; ' in material


def test_a_chart_of_seventy_dialogues_is_in_pictures_that_fit_their_pages(tmp_path, engine):
    """The participation of 70 dialogues is 49 cm of bars: it comes in pictures of 30 bars at most, on one
    scale, one under the other, each saying what it shows; none is drawn past its page in either PDF."""
    require(engine)
    sources = copy_sources(SOURCES, tmp_path / "sources")
    path = sources / "medborgardialoger.yaml"
    data = yaml.safe_load(path.read_text("utf-8"))
    held = str(data["dialoger"][0]["datum"])
    data["dialoger"] += [{"id": f"extra-{n}", "rubrik": f"Extradialog nummer {n}", "datum": held,
                          "metod": "dialogcafé", "antal_deltagare": 10 + n} for n in range(67)]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000), "utf-8")
    out = tmp_path / "build"
    result = run_cli("build", "--sources", sources, "--build", out, "--pdf-engine", engine, "--formats", "docx,pdf")
    assert result.code == 0, result.err
    word = read_docx(out / "overlamnande.docx").element.xml
    alts = [alt for alt in re.findall(r'descr="([^"]*)"', word) if "deltog i medborgardialogerna" in alt]
    assert len(alts) == 3
    assert [alt.count(" personer") for alt in alts] == [30, 30, 10]
    assert "Extradialog nummer 66 76 personer." in alts[2]
    with pymupdf.open(out / "overlamnande.pdf") as pdf:
        charts = [(page.number, image["bbox"]) for page in pdf for image in page.get_image_info()
                  if image["width"] == 1772 and image["height"] > 600]
        assert len(charts) == 3
        for number, box in charts:
            assert pymupdf.Rect(box) in pdf[number].rect, (number, box)


def test_the_work_as_pictures_in_both_pdfs(pdfs):
    found = figures(pdfs["overlamnande"])
    assert (TIMELINE, True) in found
    assert (PARTICIPATION, True) in found
    assert all(alt.strip() and content for alt, content in found)
