"""French and Spanish catalogues are complete for what exists."""

import re
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parents[2] / "locale"


def _entries(po_text):
    """(msgid, [msgstr…], fuzzy) for each entry but the header."""
    for block in po_text.split("\n\n"):
        lines = [line for line in block.splitlines() if line.strip()]
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        text = "\n".join(line for line in lines if not line.startswith("#"))
        if not text:
            continue
        msgid = "".join(re.findall(r'"(.*)"', text.split("msgstr")[0].split("msgid_plural")[0]))
        parts = re.split(r"^msgstr(?:\[\d\])? ", text, flags=re.MULTILINE)[1:]
        strings = ["".join(re.findall(r'"(.*)"', part)) for part in parts]
        if msgid:
            yield msgid, strings, fuzzy


@pytest.mark.parametrize("language", ["fr", "es"])
def test_every_message_is_translated(language):
    po = (LOCALE / language / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    entries = list(_entries(po))
    assert len(entries) > 100  # the parser found the catalogue's messages
    missing = [msgid for msgid, strings, fuzzy in entries
               if fuzzy or not strings or not all(strings)]
    assert missing == []


@pytest.mark.parametrize("language", ["fr", "es"])
def test_the_compiled_catalogue_matches_the_source(language):
    """The committed .mo (what Django reads) says what the .po says."""
    import gettext

    folder = LOCALE / language / "LC_MESSAGES"
    with open(folder / "django.mo", "rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    po = (folder / "django.po").read_text(encoding="utf-8")
    for msgid, strings, _fuzzy in _entries(po):
        if len(strings) == 1 and "\\" not in msgid and "\\" not in strings[0]:
            assert compiled.gettext(msgid) == strings[0], msgid


@pytest.mark.parametrize("language", ["fr", "es"])
def test_placeholders_survive_translation(language):
    po = (LOCALE / language / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    for msgid, strings, _fuzzy in _entries(po):
        wanted = set(re.findall(r"%\(\w+\)[sd]|\{\{ ?\w+ ?\}\}", msgid))
        for translated in strings:
            assert set(re.findall(r"%\(\w+\)[sd]|\{\{ ?\w+ ?\}\}", translated)) >= wanted, msgid
