from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parents[2] / "locale"


@pytest.mark.parametrize("domain", ["django"])
def test_every_string_has_a_swedish_translation(domain):
    catalogue = polib.pofile(str(LOCALE / "sv" / "LC_MESSAGES" / f"{domain}.po"))
    missing = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert missing == [], "untranslated: run `make messages` and translate"
    assert fuzzy == [], "fuzzy entries need review"
