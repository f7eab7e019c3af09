"""Stage 2: the typed models of the source files, one class per file.

These classes are the documentation of the sources: every field carries the
Swedish description that the JSON Schema shows in the secretary's editor, and
the key typed in YAML is the name the Word templates use
(`uppdrag.beredning`, `sammankomster.perioder`, ...).
"""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any, Callable, ClassVar, Iterator, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .values import Antal, Bildfil, Datum, Id, InnehållsPunkt, Markdown, MånadEllerDatum, Text, genitive


MOST_KRONOR = 100_000_000_000  # more than any municipality's whole budget: a larger number is a typing slip


class Modell(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Källa(Modell):
    """A whole source file."""

    fil: ClassVar[str]
    exempeldata: bool = Field(
        False, description="true om filen innehåller påhittade exempeluppgifter; dokumenten märks då som exempel.")
    offentliga_kontaktuppgifter: list[Text] = Field(
        default_factory=list,
        description="Telefonnummer och e-postadresser som ska stå i dokumenten, t.ex. kommunens växel eller "
                    "beredningens funktionsadress. Kontrollen av personuppgifter varnar inte för dem.")


# --- uppdrag.yaml ---------------------------------------------------------

class Tjänstemän(Modell):
    sakkunnig: Text | None = Field(None, description="Sakkunnig tjänsteman som stöder beredningen.")
    processekreterare: Text | None = Field(None, description="Processekreteraren som för beredningens anteckningar och skriver dokumenten.")


class Milstolpe(Modell):
    tid: MånadEllerDatum = Field(description="När: en månad (2018-03) eller ett datum (2018-03-14).")
    organ: Text | None = Field(None, description="Var det sker, t.ex. 'Kommunfullmäktige'.")


class Milstolpar(Modell):
    vägledningsdebatt: Milstolpe | None = Field(None, description="Fullmäktiges vägledningsdebatt.")
    överlämnande: Milstolpe | None = Field(None, description="När beredningen överlämnar sitt förslag.")
    överlämningsdebatt: Milstolpe | None = Field(None, description="Fullmäktiges debatt efter överlämnandet.")

    def in_order(self) -> list[tuple[str, Milstolpe]]:
        """The milestones the assignment names, in the order of the process wheel."""
        stones = [(name, getattr(self, name)) for name in ("vägledningsdebatt", "överlämnande", "överlämningsdebatt")]
        return [(name, stone) for name, stone in stones if stone is not None]


class Undertecknare(Modell):
    namn: Text = Field(description="Namnet som står under underskriften.")
    roll: Text = Field(description="Rollen, t.ex. 'Ordförande' eller '1:e vice ordf.'.")


class Regler(Modell):
    inledning: Text = Field(description="Meningen före reglerna, t.ex. 'Följande gäller för beredningsarbetet ...'.")
    punkter: list[Text] = Field(min_length=1, description="De stående reglerna för beredningsarbetet, en punkt var.")


class Processregler(Modell):
    """The thresholds of the assignment's standing rules, in one place; each described in the assignment's words."""

    högst_mål: int = Field(5, ge=1, le=50, description=(
        "Beredningens slutförslag ska endast innehålla ett fåtal övergripande mål: hur många som mest."))
    dagar_före_överlämnande: int = Field(30, ge=0, le=365, description=(
        "Förankringen i partigrupperna är ett viktigt inslag i processen. Förbered respektive gruppledare i tid, "
        "så att beredningen ges erforderlig tid på gruppmötet: hur många dagar före överlämnandet varje "
        "partigrupp senast ska ha fått utkastet."))


class Uppdrag(Källa):
    """uppdrag.yaml: kommunfullmäktiges uppdrag till beredningen."""

    fil: ClassVar[str] = "uppdrag.yaml"
    rubrik: Text | None = Field(None, description="Dokumentets rubrik; utan den 'Uppdrag <beredning>'.")
    kommun: Text = Field(description="Kommunens namn, t.ex. 'Tranemo kommun'.")
    beredning: Text = Field(description="Beredningens namn, t.ex. 'Trivsel- och trygghetsberedningen'.")
    ämne: Text = Field(description="Uppdragets ämne.")
    diarienummer: Text | None = Field(None, description="Ärendets diarienummer.")
    logotyp: Bildfil | None = Field(None, description="Kommunens logotyp, en PNG- eller JPEG-fil i källmappen, t.ex. 'bilder/logotyp.png'.")
    logotyp_text: Text | None = Field(None, description="Vad logotypen visar, för den som inte ser bilden (alternativtext), t.ex. 'Tranemo kommuns logotyp: ett blått T över tre vågor'; utan den '<kommun>s logotyp'.")
    uppdragsbeskrivning: Markdown = Field(description="Uppdragets text (Markdown).")
    tjänstemän: Tjänstemän = Field(default_factory=Tjänstemän, description="Medverkande tjänstemän.")
    milstolpar: Milstolpar = Field(default_factory=Milstolpar, description="Vägledningsdebatt, överlämnande och överlämningsdebatt, de som är bestämda.")
    budget_exklusive_arvoden: int | None = Field(None, ge=0, le=MOST_KRONOR, description="Budget exklusive arvoden, i kronor.")
    ort: Text | None = Field(None, description="Orten i dateringen, t.ex. 'Tranemo'.")
    datum: Datum = Field(description="Dagen uppdraget gavs, ÅÅÅÅ-MM-DD.")
    presidium: list[Undertecknare] = Field(default_factory=list, description="Fullmäktiges presidium som undertecknar uppdraget.")
    regler: Regler | None = Field(None, description="De stående reglerna för beredningsarbetet, om fullmäktige har gett några.")
    processregler: Processregler = Field(default_factory=Processregler, description=(
        "Gränserna som kontrollen av uppdragets regler använder; utan dem gäller uppdragets egna."))

    @property
    def slut(self) -> date | None:
        """The last day of the assignment's period: its last milestone's."""
        stones = self.milstolpar.in_order()
        return max(stone.tid.sista_dag for _, stone in stones) if stones else None

    @model_validator(mode="before")
    @classmethod
    def _defaults(cls, data):
        if isinstance(data, dict) and not data.get("rubrik") and isinstance(data.get("beredning"), str):
            data = {**data, "rubrik": f"Uppdrag {' '.join(data['beredning'].split())}"}
        if isinstance(data, dict) and data.get("logotyp") and not data.get("logotyp_text") \
                and isinstance(data.get("kommun"), str):
            data = {**data, "logotyp_text": f"{genitive(' '.join(data['kommun'].split()))} logotyp"}
        return data


# --- sammankomster.yaml ---------------------------------------------------

Sammankomsttyp = Literal[
    "sammanträde", "medborgardialog", "föreställning", "studiebesök",
    "temadebatt", "fullmäktige", "utbildning", "gruppledarmöte", "övrigt",
]

STANDARDRUBRIK = {"sammanträde": "Sammanträde beredningen"}
SLAG = {"fullmäktige": "Kommunfullmäktige"}


class Kolumner(Modell):
    datum: Text = Field("Datum", description="Rubriken på datumkolumnen.")
    sammankomst: Text = Field("Sammankomst", description="Rubriken på kolumnen med sammankomsten.")
    innehåll: Text = Field("Innehåll", description="Rubriken på kolumnen med innehållet.")
    dokument: Text = Field("Dokument som utarbetas", description="Rubriken på kolumnen med dokumenten.")


class Sammankomst(Modell):
    datum: Datum = Field(description="Dagen, ÅÅÅÅ-MM-DD.")
    typ: Sammankomsttyp = Field(description="Vilket slags sammankomst.")
    rubrik: Text | None = Field(None, description="Texten i kolumnen Sammankomst; för ett sammanträde 'Sammanträde beredningen' om den utelämnas.")
    plats: Text | None = Field(None, description="Platsen, t.ex. 'Kommunhuset, A-salen'.")
    deltagare: Antal | None = Field(None, description="Antal deltagare: 45, eller 'ca 80'.")
    dialog: Id | None = Field(None, description="Id för medborgardialogen i medborgardialoger.yaml som sammankomsten hör till.")
    innehåll: list[InnehållsPunkt] = Field(default_factory=list, description="Innehållet, en punkt per rad; 'Besök: ...' ger etiketten Besök i kursiv stil.")
    dokument: list[Text] = Field(default_factory=list, description="Dokument som utarbetas.")

    @model_validator(mode="before")
    @classmethod
    def _defaults(cls, data):
        if isinstance(data, dict) and not data.get("rubrik") and data.get("typ") in STANDARDRUBRIK:
            data = {**data, "rubrik": STANDARDRUBRIK[data["typ"]]}
        return data

    @model_validator(mode="after")
    def _needs_title(self) -> "Sammankomst":
        if self.rubrik is None:
            raise ValueError("nyckeln 'rubrik' saknas: bara ett sammanträde får en rubrik av sig själv")
        return self

    @property
    def slag(self) -> str:
        """The kind of meeting as the compilation shows it, 'Medborgardialog', unless the title already
        names it ('Sammanträde beredningen', 'Temadebatt i kommunfullmäktige') or it is 'övrigt'."""
        word = "fullmäktige" if self.typ == "fullmäktige" else self.typ
        if self.typ == "övrigt" or word in (self.rubrik or "").lower():
            return ""
        return SLAG.get(self.typ, self.typ.capitalize())

    @property
    def plats_och_deltagare(self) -> str:
        """'Medborgardialog, Kommunhuset, A-salen, ca 80 personer': the kind where the title does not say it,
        the place and the attendance; '' when none is known."""
        return ", ".join(str(part) for part in (self.slag, self.plats, self.deltagare) if part)


class Period(Modell):
    rubrik: Text = Field(description="Periodens rubrik, t.ex. 'Våren 2015 (feb-juni)'.")
    beskrivning: Markdown | None = Field(None, description="Vad beredningen gjorde under perioden (Markdown).")
    kolumner: Kolumner | None = Field(None, description="Andra kolumnrubriker för just den här perioden.")
    sammankomster: list[Sammankomst] = Field(min_length=1, description="Periodens sammankomster i datumordning.")


class Sammankomster(Källa):
    """sammankomster.yaml: beredningens sammankomster, i perioder."""

    fil: ClassVar[str] = "sammankomster.yaml"
    rubrik: Text = Field("Sammanställning av beredningens arbete", description="Sammanställningens rubrik.")
    beredning: Text = Field("Beredningen", description="Beredningens namn, för sidfot och dokumentegenskaper när uppdrag.yaml saknas.")
    kolumner: Kolumner = Field(default_factory=Kolumner, description="Tabellens kolumnrubriker.")
    perioder: list[Period] = Field(min_length=1, description="Perioderna, i tidsordning.")

    @property
    def alla(self) -> list[Sammankomst]:
        """Every meeting of every period, in order."""
        return [meeting for period in self.perioder for meeting in period.sammankomster]

    @property
    def studiebesök(self) -> list[Sammankomst]:
        """The study visits: the scan of other municipalities (omvärldsbevakning) as the record shows it."""
        return [meeting for meeting in self.alla if meeting.typ == "studiebesök"]


# --- medborgardialoger.yaml -----------------------------------------------

Dialogmetod = Literal[
    "dialogcafé", "enkät", "fokusgrupp", "workshop", "intervju", "öppet möte",
    "medborgarpanel", "webbdialog", "studiecirkel", "annan",
]


class Tema(Modell):
    id: Id | None = Field(None, description="Kort namn som förslagen kan hänvisa till, om något förslag gör det.")
    rubrik: Text = Field(description="Temats rubrik.")
    beskrivning: Markdown | None = Field(None, description="Vad som kom fram (Markdown).")


class Svarsantal(Modell):
    svar: Text = Field(description="Ett svarsalternativ.")
    antal: int = Field(ge=0, description="Hur många som gav svaret.")


class Enkätfråga(Modell):
    fråga: Text = Field(description="Frågan, som enkäten ställde den.")
    svar: list[Svarsantal] = Field(default_factory=list, description="En sluten fråga: hur många som gav varje svar.")
    röster: list[Text] = Field(default_factory=list, description="En öppen fråga: svaren, anonyma, utan namn.")

    @property
    def besvarad(self) -> int:
        return sum(answer.antal for answer in self.svar)


class Enkät(Modell):
    """What `beredning import-survey` read from a form export; it writes this part anew on every import."""

    fil: Text = Field(description="Filen svaren lästes från.")
    antal_svar: int = Field(ge=0, description="Hur många som svarade.")
    frågor: list[Enkätfråga] = Field(default_factory=list, description="Frågorna och svaren.")


class Resultat(Modell):
    teman: list[Tema] = Field(default_factory=list, description="Teman som kom fram.")
    röster: list[Text] = Field(default_factory=list, description="Anonyma citat från deltagarna, utan namn.")
    enkät: Enkät | None = Field(None, description="Enkätsvaren, inlästa med 'beredning import-survey'.")


class Återkoppling(Modell):
    planerad: Datum | None = Field(None, description="När återkopplingen ska ges; skriv det innan dialogen hålls.")
    datum: Datum | None = Field(None, description="När återkopplingen gavs; tomt tills den är gjord.")
    sätt: Text | None = Field(None, description="Hur, t.ex. 'brev till deltagarna och artikel på kommunens webbplats'.")
    innehåll: Markdown | None = Field(None, description="Vad deltagarna fick veta (Markdown).")


PERSONUPPGIFT = "x-personuppgift"
"""Marks a field that holds personal data: it never reaches a built document (pipeline/privacy.py)."""


class Kontakt(Modell):
    """En deltagare som vill ha återkoppling. Personuppgifter: kommer aldrig med i något dokument."""

    namn: Text = Field(description="Deltagarens namn.")
    epost: Text | None = Field(None, description="E-postadress för återkopplingen.")
    telefon: Text | None = Field(None, description="Telefonnummer för återkopplingen.")


class Medborgardialog(Modell):
    id: Id = Field(description="Kort namn som sammankomster och förslag kan hänvisa till.")
    rubrik: Text = Field(description="Dialogens rubrik.")
    datum: Datum = Field(description="När dialogen hölls (första dagen).")
    plats: Text | None = Field(None, description="Var dialogen hölls.")
    metod: Dialogmetod = Field(description="Dialogmetoden.")
    målgrupper: list[Text] = Field(default_factory=list, description="Vilka dialogen vände sig till.")
    antal_deltagare: Antal | None = Field(None, description="Hur många som deltog: 45, eller 'ca 80'.")
    frågor: list[Text] = Field(default_factory=list, description="Frågorna som ställdes.")
    resultat: Resultat = Field(default_factory=Resultat, description="Vad som kom fram: teman och röster.")
    återkoppling: Återkoppling | None = Field(None, description="Återkopplingen till dem som deltog.")
    deltagarlista: list[Kontakt] = Field(
        default_factory=list, json_schema_extra={PERSONUPPGIFT: True},
        description="PERSONUPPGIFTER: de deltagare som vill ha återkoppling, med kontaktuppgifter. "
                    "Används bara för att skicka återkopplingen och kommer aldrig med i något dokument.")


class Medborgardialoger(Källa):
    """medborgardialoger.yaml: beredningens medborgardialoger och vad de gav."""

    fil: ClassVar[str] = "medborgardialoger.yaml"
    dialoger: list[Medborgardialog] = Field(default_factory=list, description="Medborgardialogerna, i tidsordning.")


# --- forslag.yaml ---------------------------------------------------------

class Mål(Modell):
    id: Id = Field(description="Kort namn på målet.")
    rubrik: Text = Field(description="Målet, formulerat som det ska beslutas.")
    motivering: Markdown | None = Field(None, description="Varför målet föreslås (Markdown).")
    policyområden: list[Id] = Field(default_factory=list, description="Id för de strategiska områden i overlamnande.yaml (utvärderingen) som målet tjänar; bara när uppdraget är en översyn av en policy.")
    underlag: list[Id] = Field(default_factory=list, description="Id för dialoger, teman, områden eller goda exempel som målet vilar på.")


class Forslag(Källa):
    """forslag.yaml: beredningens förslag till övergripande mål och beslut."""

    fil: ClassVar[str] = "forslag.yaml"
    mål: list[Mål] = Field(default_factory=list, description="Ett fåtal övergripande mål.")
    beslutsförslag: Markdown | None = Field(None, description="Förslag till beslut (Markdown).")


# --- overlamnande.yaml ----------------------------------------------------

class Ledamot(Modell):
    namn: Text = Field(description="Ledamotens namn.")
    parti: Text = Field(description="Partiets förkortning, t.ex. 'S'.")
    roll: Text = Field("Ledamot", description="Roll i beredningen, t.ex. 'Ordförande'.")


class Område(Modell):
    id: Id = Field(description="Kort namn som målen kan hänvisa till.")
    rubrik: Text = Field(description="Det strategiska området i nuvarande policy.")
    fungerat: Markdown = Field(description="Det som har fungerat (Markdown).")
    inte_fungerat: Markdown = Field(description="Det som inte har fungerat (Markdown).")


class GottExempel(Modell):
    id: Id = Field(description="Kort namn som målen kan hänvisa till.")
    kommun: Text = Field(description="Var exemplet finns.")
    rubrik: Text = Field(description="Exemplets namn.")
    beskrivning: Markdown = Field(description="Vad de gör och vad beredningen lär sig (Markdown).")


class Partigrupp(Modell):
    parti: Text = Field(description="Partiets namn.")
    gruppledare: Text = Field(description="Gruppledarens namn.")
    fick_utkast: Datum | None = Field(None, description="Dagen gruppledaren fick utkastet till förslaget.")


class Utskick(Modell):
    interna_dokument: list[Id] = Field(default_factory=list, description="Dokument som aldrig skickas ut, t.ex. 'sammanstallning'.")
    hälsning: Markdown | None = Field(None, description="Egen text i följebrevet till gruppledarna (Markdown).")


class Overlamnande(Källa):
    """overlamnande.yaml: det överlämnandet behöver utöver de andra källorna."""

    fil: ClassVar[str] = "overlamnande.yaml"
    datum: Datum | None = Field(None, description="Överlämnandets datum. Utan det, eller utan mål i forslag.yaml, byggs överlämnandet som utkast.")
    diarienummer: Text | None = Field(None, description="Diarienummer för överlämnandet; utan det används uppdragets.")
    sammanfattning: Markdown | None = Field(None, description="Sammanfattning av rapporten (Markdown).")
    arbetssätt: Markdown | None = Field(None, description="Hur beredningen har arbetat (Markdown).")
    ledamöter: list[Ledamot] = Field(default_factory=list, description="Beredningens ledamöter.")
    utvärdering: list[Område] = Field(default_factory=list, description="Utvärderingen av nuvarande policys strategiska områden, när uppdraget är en översyn av en policy.")
    goda_exempel: list[GottExempel] = Field(default_factory=list, description="Goda exempel från omvärldsbevakningen.")
    partigrupper: list[Partigrupp] = Field(default_factory=list, description="Partigrupperna som får dokumenten.")
    utskick: Utskick = Field(default_factory=Utskick, description="Hur dokumenten skickas till partigrupperna.")


# --- handlingsplan.yaml ------------------------------------------------------

class Fas(Modell):
    rubrik: Text = Field(description="Fasen i processhjulet, t.ex. 'Kunskapsinhämtning'.")
    från: MånadEllerDatum = Field(description="När fasen börjar: en månad (2018-01) eller ett datum.")
    till: MånadEllerDatum | None = Field(None, description="När fasen slutar.")
    beskrivning: Markdown | None = Field(None, description="Vad beredningen gör i fasen (Markdown).")


class PlaneradDialog(Modell):
    rubrik: Text = Field(description="Dialogen, t.ex. 'Dialogcafé om att trivas och stanna'.")
    metod: Dialogmetod = Field(description="Dialogmetoden.")
    målgrupper: list[Text] = Field(min_length=1, description="Vilka dialogen vänder sig till.")
    tid: MånadEllerDatum | None = Field(None, description="När: en månad eller ett datum.")


class Handlingsplan(Källa):
    """handlingsplan.yaml: beredningens handlingsplan, det första arbetet enligt uppdragets regler."""

    fil: ClassVar[str] = "handlingsplan.yaml"
    datum: Datum = Field(description="Dagen beredningen antog handlingsplanen.")
    faser: list[Fas] = Field(default_factory=list, description="Processhjulets faser med tider.")
    utbildningsbehov: list[Text] = Field(default_factory=list, description="Vad beredningen behöver lära sig, och av vem.")
    omvärldsbevakning: list[Text] = Field(default_factory=list, description="Vilka kommuner och exempel beredningen vill studera.")
    planerade_dialoger: list[PlaneradDialog] = Field(default_factory=list, description="Medborgardialogerna beredningen planerar.")
    förankring: Markdown | None = Field(None, description="Hur partigrupperna och gruppledarna förbereds i tid (Markdown).")


# --- vagledning.yaml ----------------------------------------------------------

class Vagledning(Källa):
    """vagledning.yaml: underlaget till fullmäktiges ledamöter inför vägledningsdebatten."""

    fil: ClassVar[str] = "vagledning.yaml"
    datum: Datum = Field(description="Dagen underlaget skickades till fullmäktiges ledamöter.")
    inledning: Markdown | None = Field(None, description="Beredningens inledning till underlaget (Markdown).")
    frågor: list[Text] = Field(min_length=1, description="Frågorna beredningen vill ha fullmäktiges vägledning i.")


# --- utgifter.yaml --------------------------------------------------------------

class Utgift(Modell):
    datum: Datum = Field(description="Dagen utgiften gjordes.")
    vad: Text = Field(description="Vad pengarna gick till, t.ex. 'Fika till dialogcaféet'.")
    belopp: int = Field(ge=0, le=MOST_KRONOR, description="Beloppet i kronor.")


class Utgifter(Källa):
    """utgifter.yaml: beredningens utgifter, mot budgeten exklusive arvoden."""

    fil: ClassVar[str] = "utgifter.yaml"
    utgifter: list[Utgift] = Field(default_factory=list, description="Utgifterna, i datumordning.")

    @property
    def summa(self) -> int:
        return sum(item.belopp for item in self.utgifter)


SOURCES: tuple[type[Källa], ...] = (Uppdrag, Sammankomster, Medborgardialoger, Forslag, Overlamnande,
                                    Handlingsplan, Vagledning, Utgifter)


def texts(value: Any, loc: tuple = (), keep: Callable[[type[BaseModel], str], bool] = lambda model, name: True,
          ) -> Iterator[tuple[tuple, str]]:
    """Every text in a source (plain text, Markdown, picture paths), in order, with its location
    (`("perioder", 0, "rubrik")`); `keep` decides which fields to enter. A meeting's content item
    is a dataclass whose texts stand where the item does."""
    if isinstance(value, str):
        yield loc, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            if keep(type(value), name):
                yield from texts(getattr(value, name), loc + (name,), keep)
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            yield from texts(item, loc + (i,), keep)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for item in dataclasses.fields(value):
            yield from texts(getattr(value, item.name), loc, keep)
