"""Translation catalogs: one per feature package, plus the core catalog.

    python tools/i18n.py update    extract messages and update every nl catalog
    python tools/i18n.py compile   compile every catalog to .mo (make run/test do this)
    python tools/i18n.py check     list messages without a Dutch translation (exit 1)
    python tools/i18n.py todo      the same, per catalog, as JSON ready to fill in
    python tools/i18n.py apply F   write the Dutch texts of JSON file F ({msgid: msgstr},
                                   a list of two strings for plurals) into every catalog
                                   that has that msgid

A feature owns its catalog in ``hubs/<feature>/translations``; everything else (the
core: hubs/*.py, hubs/templates and packages without their own catalog) goes into
``hubs/translations``. Flask-Babel merges all of them at run time.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HUBS = ROOT / "hubs"
LOCALES = ["nl"]
KEYWORDS = ["-k", "_l", "-k", "lazy_gettext", "-k", "lazy_ngettext:1,2", "-k", "_n:1,2"]


def feature_catalogs() -> list[Path]:
    return sorted(p.parent for p in HUBS.glob("*/translations") if p.is_dir())


def pybabel(*args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "-q", *args], check=True, cwd=ROOT
    )


def extract_all() -> list[tuple[Path, Path]]:
    """Extract a .pot per catalog; returns (package dir, pot path) pairs."""
    pairs = []
    features = feature_catalogs()
    for package in features:
        pot = package / "translations" / "messages.pot"
        pybabel(
            "extract", *KEYWORDS, "-F", "babel.cfg", "--no-location", "-o", str(pot), str(package)
        )
        pairs.append((package, pot))
    core_pot = HUBS / "translations" / "messages.pot"
    (HUBS / "translations").mkdir(exist_ok=True)
    ignore = " ".join(p.name for p in features)
    pybabel(
        "extract",
        *KEYWORDS,
        "-F",
        "babel.cfg",
        "--no-location",
        "--ignore-dirs",
        ignore + " __pycache__",
        "-o",
        str(core_pot),
        str(HUBS),
    )
    pairs.append((HUBS, core_pot))
    return pairs


def update() -> None:
    from babel.messages.pofile import read_po, write_po

    for package, pot in extract_all():
        directory = package / "translations"
        with pot.open("rb") as fh:
            template = read_po(fh)
        for locale in LOCALES:
            po = directory / locale / "LC_MESSAGES" / "messages.po"
            if po.exists():
                with po.open("rb") as fh:
                    catalog = read_po(fh, locale=locale)
                catalog.update(template, no_fuzzy_matching=True, update_creation_date=False)
            else:
                po.parent.mkdir(parents=True, exist_ok=True)
                catalog = template
                catalog.locale = locale  # type: ignore[assignment]
            with po.open("wb") as fh:
                write_po(fh, catalog, width=100, ignore_obsolete=True)
        pot.unlink()


def compile_all() -> None:
    for directory in [HUBS / "translations", *(p / "translations" for p in feature_catalogs())]:
        if any(directory.glob("*/LC_MESSAGES/messages.po")):
            pybabel("compile", "--use-fuzzy", "-d", str(directory))


def missing() -> list[str]:
    """Messages in the source without a (non-fuzzy) Dutch translation in any catalog."""
    from babel.messages.pofile import read_po

    translated: set[str] = set()
    for directory in [HUBS / "translations", *(p / "translations" for p in feature_catalogs())]:
        po = directory / "nl" / "LC_MESSAGES" / "messages.po"
        if not po.exists():
            continue
        with po.open("rb") as fh:
            catalog = read_po(fh)
        for message in catalog:
            if not message.id or message.fuzzy:
                continue
            strings = (
                message.string if isinstance(message.string, (list, tuple)) else [message.string]
            )
            if all(strings):
                translated.add(message.id if isinstance(message.id, str) else message.id[0])
    needed: set[str] = set()
    for _package, pot in extract_all():
        from babel.messages.pofile import read_po as read

        with pot.open("rb") as fh:
            for message in read(fh):
                if message.id:
                    needed.add(message.id if isinstance(message.id, str) else message.id[0])
        pot.unlink()
    return sorted(needed - translated)


def _catalog_paths() -> list[Path]:
    dirs = [HUBS / "translations", *(p / "translations" for p in feature_catalogs())]
    return [d / "nl" / "LC_MESSAGES" / "messages.po" for d in dirs if (d / "nl").exists()]


def todo() -> dict[str, dict[str, object]]:
    from babel.messages.pofile import read_po

    result: dict[str, dict[str, object]] = {}
    for po in _catalog_paths():
        with po.open("rb") as fh:
            catalog = read_po(fh)
        for message in catalog:
            strings = (
                message.string if isinstance(message.string, (list, tuple)) else [message.string]
            )
            if message.id and (message.fuzzy or not all(strings)):
                key = message.id if isinstance(message.id, str) else message.id[0]
                empty: object = ["", ""] if isinstance(message.id, (list, tuple)) else ""
                result.setdefault(str(po.relative_to(ROOT)), {})[key] = empty
    return result


def apply(path: Path) -> None:
    import json

    from babel.messages.pofile import read_po, write_po

    texts = json.loads(path.read_text())
    if any(isinstance(v, dict) for v in texts.values()):  # the shape `todo` prints
        texts = {k: v for group in texts.values() for k, v in group.items()}
    for po in _catalog_paths():
        with po.open("rb") as fh:
            catalog = read_po(fh)
        changed = False
        for message in catalog:
            if not message.id:
                continue
            key = message.id if isinstance(message.id, str) else message.id[0]
            if key in texts and texts[key]:
                value = texts[key]
                message.string = tuple(value) if isinstance(value, list) else value
                message.flags.discard("fuzzy")
                changed = True
        if changed:
            with po.open("wb") as fh:
                write_po(fh, catalog, width=100, omit_header=False)


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "check"
    if command == "update":
        update()
    elif command == "compile":
        compile_all()
    elif command == "todo":
        import json

        print(json.dumps(todo(), ensure_ascii=False, indent=1))
    elif command == "apply":
        apply(Path(sys.argv[2]))
    elif command == "check":
        gaps = missing()
        for msgid in gaps:
            print(msgid)
        sys.exit(1 if gaps else 0)
    else:
        sys.exit(__doc__)
