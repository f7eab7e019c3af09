"""The bad-source corpus: broken source folders and the exact message each must give.

Each case is a sources folder (file name → content) and the lines the
secretary must read, file, line and column included. Small valid files are
the starting point; each case breaks one thing (or several, to show that
every mistake is reported at once).
"""

from __future__ import annotations

import os
import struct
import unicodedata
import zlib
from dataclasses import dataclass, field
from pathlib import Path

UPPDRAG = """\
kommun: Tranemo kommun
beredning: Trivsel- och trygghetsberedningen
ämne: Översyn av Policy för integrationsarbetet
uppdragsbeskrivning: Beredningen ska utvärdera policyn.
tjänstemän:
  sakkunnig: Ingela Karlsson
  processekreterare: Anne Steine
milstolpar:
  vägledningsdebatt: {organ: Kommunfullmäktige, tid: 2018-03}
  överlämnande: {tid: 2018-06}
  överlämningsdebatt: {organ: Kommunfullmäktige, tid: 2018-09}
budget_exklusive_arvoden: 10000
ort: Tranemo
datum: 2017-11-02
presidium:
  - {namn: Lars-Åke Larsson, roll: Ordförande}
regler:
  inledning: "Följande gäller:"
  punkter: [Arbetet ska ske i enlighet med processhjulet.]
"""

MÖTEN = """\
perioder:
  - rubrik: Våren 2018
    beskrivning: Beredningen samlar information.
    sammankomster:
      - datum: 2018-01-18
        typ: sammanträde
        innehåll:
          - Besök: Arbetsförmedlingen
      - datum: 2018-02-08
        typ: medborgardialog
        rubrik: Dialogcafé
        deltagare: ca 40
        dialog: dialogcafe
"""

DIALOGER = """\
dialoger:
  - id: dialogcafe
    rubrik: Dialogcafé
    datum: 2018-02-08
    metod: dialogcafé
    målgrupper: [Nyanlända]
    antal_deltagare: ca 40
    frågor: [Vad gör att man vill stanna?]
    resultat:
      teman:
        - {id: mötesplatser, rubrik: Mötesplatser, beskrivning: Fler mötesplatser behövs.}
    återkoppling: {datum: 2018-04-20, sätt: Brev, innehåll: Vad som kom fram.}
"""

FÖRSLAG = """\
mål:
  - id: mötesplatser-för-alla
    rubrik: Alla ska ha platser att mötas på
    motivering: Dialogerna visar det.
    policyområden: [delaktighet]
    underlag: [dialogcafe, mötesplatser]
beslutsförslag: Beredningen föreslår att målet antas.
"""

ÖVERLÄMNANDE = """\
datum: 2018-06-11
sammanfattning: Beredningen föreslår ett mål.
arbetssätt: Enligt processhjulet.
ledamöter:
  - {namn: Exempel Ordförande, parti: C, roll: Ordförande}
utvärdering:
  - id: delaktighet
    rubrik: Delaktighet
    fungerat: Föreningslivet.
    inte_fungerat: Informationen.
partigrupper:
  - {parti: Centerpartiet, gruppledare: Exempel Gruppledare}
"""

ALL = {"uppdrag.yaml": UPPDRAG, "sammankomster.yaml": MÖTEN, "medborgardialoger.yaml": DIALOGER,
       "forslag.yaml": FÖRSLAG, "overlamnande.yaml": ÖVERLÄMNANDE}


def edit(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


class Fifo:
    """A named pipe in place of a file (reading it would wait forever)."""


@dataclass(frozen=True)
class Link:
    """A symbolic link in place of a file."""

    to: str


@dataclass
class Case:
    name: str
    files: dict[str, str | bytes | Fifo | Link]
    expected: list[str] = field(default_factory=list)
    code: int = 1

    def __str__(self) -> str:
        return self.name

    def write(self, folder: Path) -> None:
        """The case's sources folder; a name ending in '/' is a folder."""
        folder.mkdir()
        for name, content in self.files.items():
            path = folder / name.rstrip("/")
            path.parent.mkdir(parents=True, exist_ok=True)
            if name.endswith("/"):
                path.mkdir()
            elif isinstance(content, Fifo):
                os.mkfifo(path)
            elif isinstance(content, Link):
                os.symlink(content.to, path)
            else:
                path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))


def png(width: int, height: int, rows: bytes | None = None) -> bytes:
    """A PNG of `width` × `height` (1-bit grey); without `rows`, a header that claims them over no real data."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    data = rows if rows is not None else b"\x00" * 64
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(data)) + chunk(b"IEND", b""))


LOGO = png(400, 200, b"".join(b"\x00" + b"\x55" * 50 for _ in range(200)))


def meetings(name: str, content: str, *expected: str) -> Case:
    """The meetings with a mistake, beside the dialogues they refer to (which the checks that span
    files read whatever else is wrong)."""
    return Case(name, {"sammankomster.yaml": content, "medborgardialoger.yaml": ALL["medborgardialoger.yaml"]},
                list(expected))


def assignment(name: str, content: str, *expected: str) -> Case:
    return Case(name, {"uppdrag.yaml": content}, list(expected))


def all_but(name: str, changed: dict[str, str], *expected: str) -> Case:
    return Case(name, {**ALL, **changed}, list(expected))


def in_meetings(name: str, old: str, new: str, *expected: str) -> Case:
    """All sources valid but for one edit of the meetings: only that edit's message."""
    return all_but(name, {"sammankomster.yaml": edit(MÖTEN, old, new)}, *expected)


def invisible(character: str, where: str) -> str:
    return f"{character} står {where}, där YAML kräver ett vanligt mellanslag; skriv om mellanslaget"


S = "sources/sammankomster.yaml"
U = "sources/uppdrag.yaml"

CASES: list[Case] = [
    # --- the valid starting points and harmless variations ------------------------------------
    Case("alla giltiga källor", dict(ALL), code=0),
    Case("byte-order mark (UTF-8 med BOM) accepteras", {**ALL, "sammankomster.yaml": "\ufeff" + MÖTEN}, code=0),
    Case("nycklar skrivna med sammansatta tecken (NFD, som på Mac) accepteras",
         {**ALL, "sammankomster.yaml": MÖTEN.replace("innehåll", "innehåll".replace("å", "a\u030a"))}, code=0),
    Case("'no' är text, inte falskt", {**ALL, "sammankomster.yaml": edit(MÖTEN, "Våren 2018", "no")}, code=0),
    Case("ett tomt värde för en valfri nyckel", {**ALL, "uppdrag.yaml": UPPDRAG + "diarienummer:\n"}, code=0),
    # --- YAML syntax --------------------------------------------------------------------------
    meetings("tabb som indrag", edit(MÖTEN, "        typ: sammanträde", "\ttyp: sammanträde"),
             f"{S}:6:1: syntaxfel: tabbtecken kan inte användas för indrag; använd mellanslag"),
    meetings("fel indrag: en nyckel för långt ut", edit(MÖTEN, "        typ: sammanträde", "       typ: sammanträde"),
             f"{S}:6:8: syntaxfel: raden har fel indrag jämfört med raderna ovanför"),
    meetings("fel indrag: en listpost för långt in", edit(MÖTEN, "      - datum: 2018-02-08", "        - datum: 2018-02-08"),
             f"{S}:9:9: syntaxfel: raden har fel indrag jämfört med raderna ovanför"),
    assignment("kolon i text utan citattecken", edit(UPPDRAG, 'inledning: "Följande gäller:"', "inledning: Regler: följande gäller"),
               f"{U}:18:20: syntaxfel: ett kolon står där det inte kan stå; kontrollera indraget, eller sätt texten "
               "inom citattecken om den innehåller ': '"),
    assignment("citattecken som aldrig stängs", edit(UPPDRAG, 'inledning: "Följande gäller:"', 'inledning: "Följande gäller:'),
               f"{U}:20:1: syntaxfel: ett citattecken öppnas men stängs aldrig"),
    assignment("okänd kod efter \\ inom dubbla citattecken", edit(UPPDRAG, 'inledning: "Följande gäller:"', 'inledning: "C:\\Mina dokument"'),
               f"{U}:18:18: syntaxfel: okänd kod efter '\\' i text inom dubbla citattecken; använd enkla citattecken"),
    assignment("lista inom [ ] som aldrig stängs", edit(UPPDRAG, "processhjulet.]", "processhjulet."),
               f"{U}:20:1: syntaxfel: en lista eller mappning inom [ ] eller {{ }} stängs aldrig"),
    assignment("text som börjar med @", edit(UPPDRAG, "ort: Tranemo", "ort: @Tranemo"),
               f"{U}:13:6: syntaxfel: en text kan inte börja med @ eller `; sätt den inom citattecken"),
    meetings("nyckel utan kolon", edit(MÖTEN, "        typ: sammanträde", "        typ sammanträde"),
             f"{S}:7:9: syntaxfel: en nyckel saknar kolon, eller raden har fel indrag"),
    meetings("flera YAML-dokument i en fil", MÖTEN + "---\nperioder: []\n",
             f"{S}:14:1: filen innehåller flera YAML-dokument (---); en källfil är ett dokument"),
    # --- what the loader refuses --------------------------------------------------------------
    Case("samma nyckel två gånger",
         {"sammankomster.yaml": edit(edit(MÖTEN, "        typ: sammanträde\n", "        typ: sammanträde\n        typ: sammanträde\n"),
                                     "2018-02-08", "2018-02-30")},
         [f"{S}:7:9: nyckeln 'typ' står två gånger i samma avsnitt (första gången på rad 6)",
          # the duplicate does not hide the file's other mistakes
          f"{S}:10:16: '2018-02-30' är inget riktigt datum: februari 2018 har 28 dagar"]),
    meetings("alias-bomb", "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                           "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nperioder: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n",
             f"{S}:2:8: YAML-alias (*namn) används inte i källfilerna; skriv ut värdet"),
    meetings("sammanslagning med <<", "bas: &bas {typ: sammanträde}\nperioder:\n  - <<: *bas\n",
             f"{S}:3:5: sammanslagning med '<<' används inte i källfilerna; skriv ut nycklarna"),
    meetings("djup nästling", "perioder: " + "[" * 60 + "]" * 60 + "\n",
             f"{S}:1:50: strukturen är nästlad djupare än 40 nivåer"),
    meetings("mycket djup nästling kraschar inte", "perioder: " + "[" * 200_000 + "]" * 200_000 + "\n",
             f"{S}:1:50: strukturen är nästlad djupare än 40 nivåer"),
    meetings("en lista som nyckel", "? [a, b]\n: c\nperioder: []\n",
             f"{S}:1:3: en nyckel ska vara ett ord, inte en lista eller mappning"),
    meetings("styrtecken via escape", edit(MÖTEN, "rubrik: Våren 2018", 'rubrik: "Våren\\x072018"'),
             f"{S}:2:13: texten innehåller tecknet U+0007, ett osynligt styrtecken som inte kan stå i ett dokument; ta bort det"),
    Case("styrtecken direkt i filen", {"sammankomster.yaml": MÖTEN.replace("Våren 2018", "Våren\x012018").encode()},
         [f"{S}:2:18: syntaxfel: tecknet U+0001 är ett osynligt styrtecken som inte kan stå i en källfil; ta bort det"]),
    Case("ogiltig UTF-8 (Latin-1)", {"sammankomster.yaml": MÖTEN.encode("latin-1")},
         [f"{S}:2: filen är inte sparad som UTF-8; spara den som UTF-8 i textredigeraren"]),
    Case("UTF-16 (Windows 'Unicode')", {"sammankomster.yaml": MÖTEN.encode("utf-16")},
         [f"{S}: filen är sparad som UTF-16 ('Unicode'); spara den som UTF-8 i textredigeraren"]),
    Case("mycket stor fil", {"sammankomster.yaml": ("# " + "x" * 98 + "\n") * 22_000 + MÖTEN},
         [f"{S}: filen är för stor (2170 kB); högst 2048 kB tillåts"]),
    Case("tom fil", {"sammankomster.yaml": ""}, [f"{S}:1:1: filen är tom; den ska innehålla nycklar och värden"]),
    Case("bara kommentarer", {"sammankomster.yaml": "# sammanträdena förs in här\n"},
         [f"{S}:1:1: filen är tom; den ska innehålla nycklar och värden"]),
    Case("en mapp med ett källfilsnamn", {"sammankomster.yaml/": ""},
         [f"{S}: är ingen vanlig fil utan en mapp; en källfil ska vara en textfil"]),
    Case("ingen källfil alls", {}, ["sources: inga källfiler hittades; väntade någon av uppdrag.yaml, sammankomster.yaml, "
                                    "medborgardialoger.yaml, forslag.yaml, overlamnande.yaml, handlingsplan.yaml, "
                                    "vagledning.yaml, utgifter.yaml"]),
    Case("felstavat filnamn", {"sammankomst.yaml": MÖTEN},
         ["sources/sammankomst.yaml: okänd källfil – menade du 'sammankomster.yaml'?; kända filer är uppdrag.yaml, "
          "sammankomster.yaml, medborgardialoger.yaml, forslag.yaml, overlamnande.yaml, handlingsplan.yaml, "
          "vagledning.yaml, utgifter.yaml"]),
    # --- types --------------------------------------------------------------------------------
    meetings("en lista där en mappning hör hemma", "- perioder\n",
             f"{S}:1:1: förväntade nycklar med värden (nyckel: värde), fick en lista"),
    meetings("en text där en mappning hör hemma", "perioder\n",
             f"{S}:1:1: förväntade nycklar med värden (nyckel: värde), fick 'perioder'"),
    assignment("en lista där en mappning hör hemma, inuti", edit(UPPDRAG, "tjänstemän:\n  sakkunnig: Ingela Karlsson\n  processekreterare: Anne Steine",
                                                              "tjänstemän: [Ingela Karlsson, Anne Steine]"),
               f"{U}:5:13: förväntade nycklar med värden (nyckel: värde), fick en lista"),
    assignment("en mappning där en lista hör hemma", edit(UPPDRAG, "  - {namn: Lars-Åke Larsson, roll: Ordförande}",
                                                           "  namn: Lars-Åke Larsson\n  roll: Ordförande"),
               f"{U}:16:3: förväntade en lista (rader som börjar med '- '), fick nycklar med värden"),
    assignment("text där ett heltal hör hemma", edit(UPPDRAG, "10000", "10 000 kr"),
               f"{U}:12:27: förväntade ett heltal, fick '10 000 kr'"),
    assignment("negativt belopp", edit(UPPDRAG, "10000", "-500"), f"{U}:12:27: måste vara minst 0, fick '-500'"),
    assignment("ett tomt värde där text krävs", edit(UPPDRAG, "ämne: Översyn av Policy för integrationsarbetet", "ämne:"),
               f"{U}:3:6: förväntade en text, fick ett tomt värde"),
    assignment("tom text", edit(UPPDRAG, "ort: Tranemo", 'ort: ""'), f"{U}:13:6: får inte vara tom"),
    meetings("okänt slag av sammankomst", edit(MÖTEN, "typ: sammanträde", "typ: möte"),
             f"{S}:6:14: förväntade ett av 'sammanträde', 'medborgardialog', 'föreställning', 'studiebesök', "
             "'temadebatt', 'fullmäktige', 'utbildning', 'gruppledarmöte', 'övrigt', fick 'möte'"),
    meetings("ett slag av sammankomst nära ett av de tillåtna", edit(MÖTEN, "typ: sammanträde", "typ: kommunfullmäktige"),
             f"{S}:6:14: förväntade ett av 'sammanträde', 'medborgardialog', 'föreställning', 'studiebesök', "
             "'temadebatt', 'fullmäktige', 'utbildning', 'gruppledarmöte', 'övrigt', fick 'kommunfullmäktige' – "
             "menade du 'fullmäktige'?"),
    meetings("antal deltagare som ord", edit(MÖTEN, "deltagare: ca 40", "deltagare: många"),
             f"{S}:12:20: förväntade ett antal personer, till exempel 45 eller 'ca 80'; fick 'många'"),
    meetings("en innehållspunkt med två etiketter", edit(MÖTEN, "          - Besök: Arbetsförmedlingen",
                                                          "          - Besök: Arbetsförmedlingen\n            Genomgång: Statistik"),
             f"{S}:8:13: förväntade en punkt: en text ('- Nuläget'), en etikett med text ('- Besök: Arbetsförmedlingen') "
             "eller en etikett med en lista under sig"),
    meetings("en tom lista där minst en post krävs", "perioder: []\n", f"{S}:1:11: listan måste ha minst 1 post"),
    meetings("sant eller falskt som ord", "exempeldata: kanske\n" + MÖTEN,
             f"{S}:1:14: förväntade true eller false, fick 'kanske'"),
    all_but("id med stora bokstäver och mellanslag", {"medborgardialoger.yaml": edit(DIALOGER, "id: dialogcafe", "id: Dialog Café")},
            "sources/medborgardialoger.yaml:2:9: förväntade ett id av små bokstäver, siffror och bindestreck "
            "(t.ex. 'dialogcafe-2018'), fick 'Dialog Café'"),
    # --- dates --------------------------------------------------------------------------------
    meetings("30 februari", edit(MÖTEN, "2018-02-08", "2018-02-30"),
             f"{S}:9:16: '2018-02-30' är inget riktigt datum: februari 2018 har 28 dagar"),
    meetings("29 februari ett år som inte är skottår", edit(MÖTEN, "2018-01-18", "2017-02-29"),
             f"{S}:5:16: '2017-02-29' är inget riktigt datum: februari 2017 har 28 dagar"),
    meetings("månad 13", edit(MÖTEN, "2018-01-18", "2018-13-01"), f"{S}:5:16: '2018-13-01' är inget riktigt datum: månaden ska vara 01–12"),
    meetings("datum skrivet som i ett brev", edit(MÖTEN, "2018-01-18", "18 januari 2018"),
             f"{S}:5:16: förväntade ett datum skrivet ÅÅÅÅ-MM-DD, till exempel 2017-11-02; fick '18 januari 2018'"),
    meetings("datum med klockslag", edit(MÖTEN, "2018-01-18", "2018-01-18 18:30"),
             f"{S}:5:16: förväntade ett datum skrivet ÅÅÅÅ-MM-DD, till exempel 2017-11-02; fick '2018-01-18 18:30'"),
    assignment("milstolpe med månad 00", edit(UPPDRAG, "tid: 2018-06", "tid: 2018-00"),
               f"{U}:10:23: '2018-00' är ingen riktig månad: månaden ska vara 01–12"),
    # --- keys -----------------------------------------------------------------------------------
    assignment("okänd nyckel med förslag", edit(UPPDRAG, "ämne:", "ämen:"),
               f"{U}:1:1: nyckeln 'ämne' saknas: Uppdragets ämne.",
               f"{U}:3:1: okänd nyckel 'ämen' – menade du 'ämne'?"),
    assignment("nyckel utan å, ä och ö", edit(UPPDRAG, "tjänstemän:", "tjanstemän:"),
               f"{U}:5:1: okänd nyckel 'tjanstemän' – menade du 'tjänstemän'?"),
    meetings("okänd nyckel djupt inne", edit(MÖTEN, "        typ: sammanträde", "        typ: sammanträde\n        plats2: Kommunhuset"),
             f"{S}:7:9: okänd nyckel 'plats2' – menade du 'plats'?"),
    meetings("stor begynnelsebokstav i en nyckel", edit(MÖTEN, "    beskrivning:", "    Beskrivning:"),
             f"{S}:3:5: okänd nyckel 'Beskrivning' – menade du 'beskrivning'?"),
    assignment("ett nödvändigt värde saknas", edit(UPPDRAG, "datum: 2017-11-02\n", ""),
               f"{U}:1:1: nyckeln 'datum' saknas: Dagen uppdraget gavs, ÅÅÅÅ-MM-DD."),
    meetings("en sammankomst som inte är ett sammanträde saknar rubrik", edit(MÖTEN, "        rubrik: Dialogcafé\n", ""),
             f"{S}:9:9: nyckeln 'rubrik' saknas: bara ett sammanträde får en rubrik av sig själv"),
    # --- between files ------------------------------------------------------------------------
    all_but("hänvisning till en dialog som inte finns", {"sammankomster.yaml": edit(MÖTEN, "dialog: dialogcafe", "dialog: dialogkafe")},
            f"{S}:13:17: hänvisar till medborgardialogen 'dialogkafe', som inte finns i medborgardialoger.yaml – "
            "menade du 'dialogcafe'?"),
    all_but("hänvisning till ett policyområde som inte finns", {"forslag.yaml": edit(FÖRSLAG, "[delaktighet]", "[fritid]")},
            "sources/forslag.yaml:5:21: hänvisar till policyområdet 'fritid', som inte finns i utvärderingen i overlamnande.yaml"),
    all_but("hänvisning till underlag som inte finns", {"forslag.yaml": edit(FÖRSLAG, "mötesplatser]", "motesplatser]")},
            "sources/forslag.yaml:6:28: hänvisar till underlaget 'motesplatser', som inte finns i någon källa "
            "(dialoger, teman, områden, goda exempel) – menade du 'mötesplatser'?"),
    # A file not written yet is a stage of the work: a warning (tests/test_any_committee.py), and the build goes on.
    Case("hänvisning till en fil som inte finns ännu", {"sammankomster.yaml": MÖTEN}, code=0),
    all_but("hänvisning till en dialog när dialogerna är tomma", {"medborgardialoger.yaml": "dialoger: []\n"},
            "sources/forslag.yaml:6:16: hänvisar till underlaget 'dialogcafe', som inte finns i någon källa "
            "(dialoger, teman, områden, goda exempel)",
            "sources/forslag.yaml:6:28: hänvisar till underlaget 'mötesplatser', som inte finns i någon källa "
            "(dialoger, teman, områden, goda exempel) – menade du 'mötesplatser-för-alla'?",
            f"{S}:13:17: hänvisar till medborgardialogen 'dialogcafe', som inte finns i medborgardialoger.yaml"),
    all_but("samma id i två filer", {"overlamnande.yaml": edit(ÖVERLÄMNANDE, "id: delaktighet", "id: mötesplatser"),
                                     "forslag.yaml": edit(FÖRSLAG, "[delaktighet]", "[mötesplatser]")},
            "sources/overlamnande.yaml:7:9: id 'mötesplatser' används redan (medborgardialoger.yaml rad 11); varje id ska vara unikt"),
    all_but("samma partigrupp två gånger", {"overlamnande.yaml": ÖVERLÄMNANDE + "  - {parti: centerpartiet, gruppledare: Någon}\n"},
            "sources/overlamnande.yaml:13:13: partigruppen 'centerpartiet' står redan i listan (som 'Centerpartiet')"),
    # --- several mistakes at once ---------------------------------------------------------------
    all_but("fel i tre filer på en gång", {
        "uppdrag.yaml": edit(UPPDRAG, "2017-11-02", "2017-11-31"),
        "sammankomster.yaml": edit(MÖTEN, "typ: sammanträde", "typ: sammantrade"),
        "forslag.yaml": edit(FÖRSLAG, "[delaktighet]", "[fritid]")},
        "sources/forslag.yaml:5:21: hänvisar till policyområdet 'fritid', som inte finns i utvärderingen i overlamnande.yaml",
        f"{S}:6:14: förväntade ett av 'sammanträde', 'medborgardialog', 'föreställning', 'studiebesök', "
        "'temadebatt', 'fullmäktige', 'utbildning', 'gruppledarmöte', 'övrigt', fick 'sammantrade' – menade du "
        "'sammanträde'?",
        f"{U}:14:8: '2017-11-31' är inget riktigt datum: november 2017 har 30 dagar"),
    all_but("en felskriven punkt och en hänvisning ut i intet i samma fil, i ett svep", {
        "sammankomster.yaml": edit(edit(MÖTEN, "typ: sammanträde", "typ: sammantrade"),
                                   "dialog: dialogcafe", "dialog: dialogkafe")},
        f"{S}:6:14: förväntade ett av 'sammanträde', 'medborgardialog', 'föreställning', 'studiebesök', "
        "'temadebatt', 'fullmäktige', 'utbildning', 'gruppledarmöte', 'övrigt', fick 'sammantrade' – menade du "
        "'sammanträde'?",
        f"{S}:13:17: hänvisar till medborgardialogen 'dialogkafe', som inte finns i medborgardialoger.yaml – "
        "menade du 'dialogcafe'?"),
    # The theme with the mistake is left out of the check of references, and its id counts as known.
    all_but("ett fel i dialogerna döljer inte att målet hänvisar till något som inte finns", {
        "medborgardialoger.yaml": edit(DIALOGER, "        - {id: mötesplatser, rubrik: Mötesplatser, ",
                                       "        - {id: fritid, rubrik: Fritid, beskrivning: Mer fritid.}\n"
                                       "        - {id: mötesplatser, "),
        "forslag.yaml": edit(FÖRSLAG, "[dialogcafe, mötesplatser]", "[dialogcafe, mötesplatser, fritid, ingenting]")},
        "sources/forslag.yaml:6:50: hänvisar till underlaget 'ingenting', som inte finns i någon källa "
        "(dialoger, teman, områden, goda exempel)",
        "sources/medborgardialoger.yaml:12:11: nyckeln 'rubrik' saknas: Temats rubrik."),
    # --- what an editor or a file system may do to a file (issue 7) ----------------------------
    Case("allt skrivet med sammansatta tecken (NFD, som på Mac): nycklar, värden och id",
         {name: unicodedata.normalize("NFD", text) for name, text in ALL.items()}, code=0),
    Case("ett hårt mellanslag inuti en text accepteras", {**ALL, "sammankomster.yaml": edit(MÖTEN, "Våren 2018", "Våren\u00a02018")},
         code=0),
    meetings("hårt mellanslag efter kolonet, och ett fel till", edit(edit(MÖTEN, "typ: sammanträde", "typ:\u00a0sammanträde"),
                                                                     "2018-02-08", "2018-02-30"),
             f"{S}:6:13: {invisible('ett hårt mellanslag (U+00A0)', 'efter kolonet')}",
             f"{S}:9:16: '2018-02-30' är inget riktigt datum: februari 2018 har 28 dagar"),
    assignment("hårt mellanslag efter 'kommun:'", edit(UPPDRAG, "kommun: Tranemo kommun", "kommun:\u00a0Tranemo kommun"),
               f"{U}:1:8: {invisible('ett hårt mellanslag (U+00A0)', 'efter kolonet')}"),
    in_meetings("hårt mellanslag i indraget", "        typ: sammanträde", "\u00a0       typ: sammanträde",
                f"{S}:6:1: {invisible('ett hårt mellanslag (U+00A0)', 'i indraget')}"),
    in_meetings("smalt hårt mellanslag efter '-'", "          - Besök", "          -\u202fBesök",
                f"{S}:8:12: {invisible('ett smalt hårt mellanslag (U+202F)', 'efter ' + repr('-'))}"),
    in_meetings("nollbreddsmellanslag före kolonet", "        typ: sammanträde", "        typ\u200b: sammanträde",
                f"{S}:6:12: {invisible('ett nollbreddsmellanslag (U+200B)', 'före kolonet')}"),
    in_meetings("byte-order mark mitt i filen (två filer ihopklistrade)", "Våren 2018", "Våren\ufeff 2018",
             f"{S}:2:18: ett byte-order mark (U+FEFF) står mitt i filen, ofta där två filer har klistrats ihop; "
             "ta bort det osynliga tecknet"),
    meetings("2 000 nästlade [ på en rad", "perioder: " + "[" * 2000 + "]" * 2000 + "\n",
             f"{S}:1:50: strukturen är nästlad djupare än 40 nivåer"),
    meetings("1 MB [ utan slut", "perioder: " + "[" * 1_000_000 + "\n", f"{S}:1:50: strukturen är nästlad djupare än 40 nivåer"),
    meetings("[ på var sin rad", "perioder:\n" + "  [\n" * 3000, f"{S}:41:3: strukturen är nästlad djupare än 40 nivåer"),
    meetings("djup nästling i block", "perioder:\n" + "".join(f"{'  ' * i}- n{i}:\n" for i in range(1, 80)),
             f"{S}:21:43: strukturen är nästlad djupare än 40 nivåer"),
    Case("hakparenteser inom citattecken och kommentarer räknas inte", {**ALL, "sammankomster.yaml": edit(
        MÖTEN, "Våren 2018", "'" + "[" * 300 + "' # " + "{" * 300) + "# " + "[" * 2000 + "\n"}, code=0),
    in_meetings("en tagg som bara libyaml refuserar (de två YAML-läsarna är oense)", "rubrik: Dialogcafé", "rubrik: !a,b",
            f"{S}:11:19: syntaxfel: här kan filen inte läsas som YAML; sätt texten inom citattecken om den "
            "innehåller tecken som ! & * [ ] { } : #"),
    Case("en namngiven pipe med ett källfilsnamn", {**ALL, "forslag.yaml": Fifo()},
         ["sources/forslag.yaml: är ingen vanlig fil utan en namngiven pipe (FIFO); en källfil ska vara en textfil"]),
    Case("en länk till en enhetsfil", {**ALL, "forslag.yaml": Link("/dev/zero")},
         ["sources/forslag.yaml: är ingen vanlig fil utan en enhetsfil; en källfil ska vara en textfil"]),
    # --- numbers out of range (issue 7) ---------------------------------------------------------
    assignment("en budget med 26 siffror", edit(UPPDRAG, "10000", "1" * 26),
               f"{U}:12:27: får vara högst 100 000 000 000, fick '{'1' * 26}'"),
    assignment("en budget med 5 000 siffror", edit(UPPDRAG, "10000", "1" * 5000),
               f"{U}:12:27: förväntade ett heltal, fick '{'1' * 50}…' (5000 tecken)"),
    meetings("orimligt många deltagare", edit(MÖTEN, "deltagare: ca 40", "deltagare: 100000000"),
             f"{S}:12:20: 100000000 personer är fler än någon kommun har; stämmer antalet?"),
    meetings("år 0000", edit(MÖTEN, "2018-01-18", "0000-01-18"),
             f"{S}:5:16: '0000-01-18' är inget rimligt datum: året ska vara mellan 1900 och 2199"),
    assignment("milstolpe år 0218", edit(UPPDRAG, "tid: 2018-06", "tid: 0218-06"),
               f"{U}:10:23: '0218-06' är inget rimligt datum: året ska vara mellan 1900 och 2199"),
    # --- pictures, opened when the sources are checked (issue 7) ----------------------------------
    all_but("en avkortad logotyp", {"uppdrag.yaml": "logotyp: bilder/logotyp.png\n" + UPPDRAG,
                                    "bilder/logotyp.png": LOGO[:-40]},
            f"{U}:1:10: bilden 'bilder/logotyp.png' är skadad eller ofullständig och kan inte läsas; spara den på nytt"),
    all_but("en PNG-signatur följd av skräp", {"uppdrag.yaml": "logotyp: bilder/logotyp.png\n" + UPPDRAG,
                                               "bilder/logotyp.png": LOGO[:8] + b"junk" * 100},
            f"{U}:1:10: bilden 'bilder/logotyp.png' är skadad eller ofullständig och kan inte läsas; spara den på nytt"),
    all_but("en logotyp på 60000 × 60000 punkter", {"uppdrag.yaml": "logotyp: bilder/logotyp.png\n" + UPPDRAG,
                                                    "bilder/logotyp.png": png(60000, 60000)},
            f"{U}:1:10: bilden 'bilder/logotyp.png' har 60000 × 60000 bildpunkter, över 40 miljoner; spara den i lägre "
            "upplösning (en logotyp behöver sällan över 1 000 punkter på höjden)"),
    all_but("en logotyp som är en länk i ring", {"uppdrag.yaml": "logotyp: bilder/logotyp.png\n" + UPPDRAG,
                                                 "bilder/logotyp.png": Link("logotyp.png")},
            f"{U}:1:10: bilden 'bilder/logotyp.png' kan inte öppnas (symboliska länkar pekar i en ring)"),
    Case("en riktig logotyp accepteras", {**ALL, "uppdrag.yaml": "logotyp: bilder/logotyp.png\n" + UPPDRAG,
                                          "bilder/logotyp.png": LOGO}, code=0),
    # --- code in data ---------------------------------------------------------------------------
    assignment("en Python-tagg körs aldrig", edit(UPPDRAG, "ort: Tranemo", "ort: !!python/object/apply:os.system ['echo hej']"),
               f"{U}:13:6: förväntade en text, fick en lista"),
]
