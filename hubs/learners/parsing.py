"""Reading school exports: CSV or XLSX bytes into a table of text, and the values people type.

Nothing here touches the database. Student systems (Magister, Somtoday, Eduarte) export
CSV with ``;`` or ``,``, UTF-8 with or without BOM or Windows-1252, dates as
``dd-mm-jjjj``. Every cell is read as *text*: a cell starting with ``=`` is a group name
that starts with ``=``, never a formula.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from flask_babel import lazy_gettext as _l

from hubs.learners.models import EnrolmentStatus, LearnerCategory, Level, Pathway

MAX_COLUMNS = 40
MAX_CELL_CHARS = 1000
MAX_XLSX_UNCOMPRESSED = 40 * 1024 * 1024


class TableError(Exception):
    """The file cannot be read as a table; ``message`` says why (lazy gettext)."""

    def __init__(self, message: Any) -> None:
        super().__init__(str(message))
        self.message = message


class TooLarge(TableError):
    """The file is larger than an import accepts (HTTP 413)."""


@dataclass
class Table:
    """A header and rows of text; ``row_numbers`` are the rows as the spreadsheet shows them."""

    header: list[str]
    rows: list[list[str]] = field(default_factory=list)
    row_numbers: list[int] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"header": self.header, "rows": self.rows, "row_numbers": self.row_numbers}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Table:
        return cls(data["header"], data["rows"], data["row_numbers"])


def read_table(data: bytes, filename: str, max_rows: int) -> Table:
    """Parse an upload; raises :class:`TableError` (or :class:`TooLarge`)."""
    name = filename.lower()
    if data.startswith(b"PK\x03\x04") or name.endswith((".xlsx", ".xlsm")):
        return _table(_xlsx_rows(data, max_rows), max_rows)
    if data.startswith(b"\xd0\xcf\x11\xe0") or name.endswith(".xls"):
        raise TableError(_l("Old Excel files (.xls) cannot be read. Save as .xlsx or .csv."))
    return _table(_csv_rows(data, max_rows), max_rows)


def _table(raw: list[tuple[int, list[str]]], max_rows: int) -> Table:
    rows = [(n, cells) for n, cells in raw if any(c.strip() for c in cells)]
    if not rows:
        raise TableError(_l("The file is empty."))
    (_, header), body = rows[0], rows[1:]
    if len(body) > max_rows:
        raise TableError(_l("The file has more than %(n)d rows.", n=max_rows))
    width = len(header)
    table = Table(header=[h.strip() for h in header])
    for number, cells in body:
        table.rows.append((cells + [""] * width)[:width] if width else cells)
        table.row_numbers.append(number)
    return table


# --- CSV ------------------------------------------------------------------------------------


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, or Windows-1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        encodings = ["utf-8-sig"]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ["utf-16"]
    else:
        encodings = ["utf-8", "cp1252"]
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break
        return text
    raise TableError(_l("This is not a text file in UTF-8 or Windows-1252 (or an .xlsx file)."))


def sniff_delimiter(text: str) -> str:
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: first.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _csv_rows(data: bytes, max_rows: int) -> list[tuple[int, list[str]]]:
    text = decode(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text))
    rows: list[tuple[int, list[str]]] = []
    try:
        for cells in reader:
            if len(rows) > max_rows + 1:
                raise TableError(_l("The file has more than %(n)d rows.", n=max_rows))
            rows.append((reader.line_num, _cells(cells)))
    except csv.Error:
        raise TableError(
            _l("Row %(row)d cannot be read: check quotes and cell lengths.", row=reader.line_num)
        ) from None
    return rows


def _cells(cells: list[Any]) -> list[str]:
    if len(cells) > MAX_COLUMNS:
        raise TableError(_l("The file has more than %(n)d columns.", n=MAX_COLUMNS))
    return [cell_text(c) for c in cells]


def cell_text(value: Any) -> str:
    """One cell as text: dates as ISO, whole numbers without ``.0``."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value)
    if len(text) > MAX_CELL_CHARS:
        raise TableError(_l("A cell is longer than %(n)d characters.", n=MAX_CELL_CHARS))
    return text


# --- XLSX -----------------------------------------------------------------------------------


def _xlsx_rows(data: bytes, max_rows: int) -> list[tuple[int, list[str]]]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            size = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, RuntimeError):
        raise TableError(_l("The spreadsheet cannot be read. Save it again as .xlsx.")) from None
    if size > MAX_XLSX_UNCOMPRESSED:
        raise TooLarge(_l("The spreadsheet is too large."))
    try:
        return _read_sheet(data, max_rows)
    except TableError:
        raise
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds on damaged files
        raise TableError(_l("The spreadsheet cannot be read. Save it again as .xlsx.")) from None


def _read_sheet(data: bytes, max_rows: int) -> list[tuple[int, list[str]]]:
    import openpyxl

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # data_only=False: a formula is read as its text and never evaluated.
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        try:
            sheet = book.worksheets[0]
            rows: list[tuple[int, list[str]]] = []
            for number, values in enumerate(
                sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS + 1), start=1
            ):
                if len(rows) > max_rows + 1:
                    raise TableError(_l("The file has more than %(n)d rows.", n=max_rows))
                cells = list(values)
                while cells and cells[-1] is None:  # read-only sheets pad rows to max_col
                    cells.pop()
                rows.append((number, _cells(cells)))
            return rows
        finally:
            book.close()


# --- column names ---------------------------------------------------------------------------


def normalise(text: str) -> str:
    """Lower case, no accents, only letters and digits: "E-mailadres" -> "emailadres"."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]", "", plain.lower())


COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "group_name": ("groep", "groepsnaam", "klas", "klasnaam", "lesgroep", "stamklas", "group"),
    "category": ("categorie", "soort", "soortdeelnemer", "doelgroep", "category"),
    "level": (
        "niveau",
        "leerweg",
        "schoolsoort",
        "onderwijstype",
        "opleidingsniveau",
        "afdeling",
        "level",
    ),
    "leerjaar": ("leerjaar", "jaarlaag", "jaar", "yearofstudy", "year"),
    "pathway": ("bolbbl", "leerwegmbo", "opleidingsvariant", "variant", "pathway"),
    "headcount": (
        "aantal",
        "aantalleerlingen",
        "aantaldeelnemers",
        "aantalstudenten",
        "leerlingen",
        "headcount",
    ),
    "reference": (
        "leerlingnummer",
        "studentnummer",
        "personeelsnummer",
        "medewerkernummer",
        "stamnummer",
        "llnr",
        "leerlingnr",
        "studentnr",
        "nummer",
        "referentie",
        "reference",
    ),
    "given_name": ("roepnaam", "voornaam", "givenname", "firstname"),
    "name_prefix": ("tussenvoegsel", "tussenvoegsels", "voorvoegsel", "nameprefix"),
    "family_name": ("achternaam", "familienaam", "familyname", "lastname", "surname"),
    "email": ("email", "emailadres", "mail", "mailadres"),
    "starts_on": ("begindatum", "startdatum", "ingangsdatum", "vanaf", "van", "start", "startson"),
    "ends_on": ("einddatum", "totenmet", "tm", "tot", "eind", "end", "endson"),
    "status": ("status",),
}
_ALIAS_TO_KEY = {alias: key for key, aliases in COLUMN_ALIASES.items() for alias in aliases}

# Columns we never store, whatever the file holds (AVG: data minimisation).
NEVER_STORED = re.compile(
    r"bsn|burgerservice|geboorte|birth|adres|address|straat|postcode|woonplaats|telefoon|phone"
    r"|mobiel|geslacht|gender|nationaliteit"
)


def column_key(header: str) -> str | None:
    """The field a column holds, recognised from Dutch or English names; None if unknown."""
    name = normalise(header)
    if NEVER_STORED.search(name) and "email" not in name:
        return None
    return _ALIAS_TO_KEY.get(name)


# --- values ---------------------------------------------------------------------------------


class ValueProblem(Exception):
    """A cell whose value cannot be used; ``message`` is lazy gettext."""

    def __init__(self, message: Any) -> None:
        super().__init__(str(message))
        self.message = message


_CATEGORY_WORDS = {
    LearnerCategory.VO: {"vo", "leerling", "pupil", "voortgezetonderwijs", "vmbo", "havo", "vwo"},
    LearnerCategory.MBO: {"mbo", "student", "mbostudent", "mboleerling", "bol", "bbl"},
    LearnerCategory.EMPLOYEE: {
        "employee",
        "werknemer",
        "medewerker",
        "werkende",
        "personeel",
        "personeelslid",
    },
    LearnerCategory.OTHER: {
        "other",
        "overig",
        "overige",
        "anders",
        "zijinstromer",
        "werkzoekende",
        "omscholer",
    },
}
_CATEGORY_BY_WORD = {w: c for c, words in _CATEGORY_WORDS.items() for w in words}


def parse_category(text: str) -> LearnerCategory:
    word = normalise(text)
    if word in _CATEGORY_BY_WORD:
        return _CATEGORY_BY_WORD[word]
    raise ValueProblem(_l("Unknown category: use vo, mbo, employee (werkende) or other (overig)."))


_LEERWEG = {
    "bb": Level.VMBO_BB,
    "basis": Level.VMBO_BB,
    "basisberoeps": Level.VMBO_BB,
    "basisberoepsgericht": Level.VMBO_BB,
    "basisberoepsgerichte": Level.VMBO_BB,
    "kb": Level.VMBO_KB,
    "kader": Level.VMBO_KB,
    "kaderberoeps": Level.VMBO_KB,
    "kaderberoepsgericht": Level.VMBO_KB,
    "kaderberoepsgerichte": Level.VMBO_KB,
    "gl": Level.VMBO_GL,
    "gemengd": Level.VMBO_GL,
    "gemengde": Level.VMBO_GL,
    "tl": Level.VMBO_TL,
    "theoretisch": Level.VMBO_TL,
    "theoretische": Level.VMBO_TL,
    "mavo": Level.VMBO_TL,
    "havo": Level.HAVO,
    "vwo": Level.VWO,
    "atheneum": Level.VWO,
    "gymnasium": Level.VWO,
    "entree": Level.MBO_1,
}
# Single letters only mean something next to "vmbo" or a year: "3K", "vmbo-k", "H4".
_LETTERS = {"b": Level.VMBO_BB, "k": Level.VMBO_KB, "t": Level.VMBO_TL, "h": Level.HAVO}
_VMBO_LETTERS = {"g": Level.VMBO_GL}
_STOP_WORDS = {"vmbo", "leerweg", "niveau", "n", "mbo", "klas", "leerjaar", "jaar", "lj", "de", "e"}


@dataclass
class LevelParts:
    """What a level cell says: the level, a year of study, an MBO pathway."""

    level: Level | None = None
    leerjaar: int | None = None
    pathway: Pathway | None = None


def parse_level(text: str, category: LearnerCategory | None = None) -> LevelParts:
    """Read what people type: "VMBO-KB", "kader", "Havo 4", "3 vwo", "mbo 2 bbl", "N3"."""
    plain = unicodedata.normalize("NFKD", text.lower())
    tokens = re.findall(r"[a-z]+|\d+", plain)
    parts = LevelParts()
    if "gt" in tokens:
        raise ValueProblem(_l("GT is ambiguous: give GL or TL."))
    is_mbo = category == LearnerCategory.MBO or bool({"mbo", "niveau", "n", "entree"} & set(tokens))
    has_vmbo = "vmbo" in tokens
    digits = [int(t) for t in tokens if t.isdigit()]
    for token in tokens:
        if token in ("bol", "bbl"):
            parts.pathway = Pathway(token)
        elif token in _LEERWEG:
            _set_level(parts, _LEERWEG[token])
        elif has_vmbo and token in _VMBO_LETTERS:
            _set_level(parts, _VMBO_LETTERS[token])
        elif (has_vmbo or digits) and token in _LETTERS and not is_mbo:
            _set_level(parts, _LETTERS[token])
        elif token == "v" and digits and not has_vmbo:
            _set_level(parts, Level.VWO)
        elif not token.isdigit() and token not in _STOP_WORDS:
            raise ValueProblem(_l("Unknown level: use e.g. vmbo-kb, havo, vwo or mbo-2."))
    if has_vmbo and parts.level is None:
        raise ValueProblem(_l("Give the vmbo leerweg: BB, KB, GL or TL."))
    _apply_digits(parts, digits, is_mbo)
    return parts


def _set_level(parts: LevelParts, level: Level) -> None:
    if parts.level is not None and parts.level != level:
        raise ValueProblem(_l("The cell names two different levels."))
    parts.level = level


def _apply_digits(parts: LevelParts, digits: list[int], is_mbo: bool) -> None:
    if len(digits) > 1:
        raise ValueProblem(_l("The cell holds more than one number."))
    if not digits:
        return
    (number,) = digits
    if is_mbo or (parts.level is not None and parts.level.category == LearnerCategory.MBO):
        if parts.level is not None and parts.level != Level.MBO_1:
            raise ValueProblem(_l("The cell names two different levels."))
        if not 1 <= number <= 4:
            raise ValueProblem(_l("MBO levels are 1 to 4."))
        parts.level = Level(f"mbo-{number}")
        return
    parts.leerjaar = number


def parse_leerjaar(text: str) -> int:
    match = re.fullmatch(r"\s*(\d)\s*(e|de|ste)?\s*", text.lower())
    if not match or not 1 <= int(match.group(1)) <= 6:
        raise ValueProblem(_l("The year of study (leerjaar) is a number from 1 to 6."))
    return int(match.group(1))


def parse_pathway(text: str) -> Pathway:
    word = normalise(text)
    if word in ("bol", "beroepsopleidendeleerweg", "voltijd"):
        return Pathway.BOL
    if word in ("bbl", "beroepsbegeleidendeleerweg", "deeltijd"):
        return Pathway.BBL
    raise ValueProblem(_l("Use BOL or BBL."))


def parse_headcount(text: str) -> int:
    match = re.fullmatch(
        r"\s*(\d{1,4})(?:[.,]0+)?\s*(?:lln|leerlingen|deelnemers|studenten)?\s*", text
    )
    if not match:
        raise ValueProblem(_l("Give the number of learners as a whole number."))
    return int(match.group(1))


_DATE_FORMATS = (r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", r"(\d{4})-(\d{1,2})-(\d{1,2})")


def parse_date(text: str) -> date:
    """``dd-mm-jjjj`` (also with / or .), ISO ``jjjj-mm-dd`` or an XLSX date cell."""
    value = text.strip()
    dutch = re.fullmatch(_DATE_FORMATS[0], value)
    iso = re.fullmatch(_DATE_FORMATS[1] + r"(?:[T ]00:00(?::00)?)?", value)
    try:
        if dutch:
            return date(int(dutch.group(3)), int(dutch.group(2)), int(dutch.group(1)))
        if iso:
            return date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
    except ValueError:
        raise ValueProblem(_l("This date does not exist.")) from None
    raise ValueProblem(_l("Write the date as dd-mm-jjjj, e.g. 01-08-2025."))


_STATUS_WORDS = {
    EnrolmentStatus.ENROLLED: {"enrolled", "ingeschreven", "actief", "active", "lopend"},
    EnrolmentStatus.COMPLETED: {"completed", "afgerond", "geslaagd", "klaar", "voltooid"},
    EnrolmentStatus.STOPPED: {"stopped", "gestopt", "uitgeschreven", "afgebroken", "uitgevallen"},
}


def parse_status(text: str) -> EnrolmentStatus:
    word = normalise(text)
    for status, words in _STATUS_WORDS.items():
        if word in words:
            return status
    raise ValueProblem(_l("Use ingeschreven, afgerond or gestopt."))


_EMAIL_RE = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")


def parse_email(text: str) -> str:
    value = text.strip()
    if len(value) > 254 or not _EMAIL_RE.match(value):
        raise ValueProblem(_l("This is not an e-mail address."))
    return value.lower()


def parse_name(text: str, limit: int) -> str:
    value = " ".join(text.split())
    if len(value) > limit:
        raise ValueProblem(_l("At most %(n)d characters.", n=limit))
    if any(unicodedata.category(c).startswith("C") for c in value):
        raise ValueProblem(_l("This text holds characters that cannot be stored."))
    return value
