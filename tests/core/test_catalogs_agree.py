"""Feature catalogs are merged at run time: one English message, one Dutch text.

Two catalogs translating the same msgid differently would show whichever loads first
(e.g. "People" as "Personen" in one section's header and "Mensen" on its page).
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]


def test_a_message_has_the_same_dutch_text_in_every_catalog():
    texts: dict[str, dict[str, str]] = defaultdict(dict)
    for po in sorted((ROOT / "hubs").glob("**/translations/nl/LC_MESSAGES/messages.po")):
        with po.open("rb") as fh:
            for message in read_po(fh):
                if message.id and message.string:
                    key = message.id if isinstance(message.id, str) else message.id[0]
                    texts[key][str(po.relative_to(ROOT / "hubs")).split("/")[0]] = str(
                        message.string
                    )
    clashes = {k: v for k, v in texts.items() if len(set(v.values())) > 1}
    assert not clashes, "one message, several Dutch texts:\n" + "\n".join(
        f"{k!r}: {v}" for k, v in clashes.items()
    )
