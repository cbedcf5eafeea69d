import hashlib
from pathlib import Path

from helpers.facts import load_table
from helpers.facts.text import find_splice, glued_words, normalise, read_seed

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "000_c9593f62326bf9e9.txt"
SHARED = ROOT.parent / "shared" / "seeds" / SEED.name
SHA256 = "8bdc8c79223168aebb0cdb98d3b6d83f6a6f0d2dde45a49b9df5f36510a3cef1"


def test_seed_is_the_article_byte_for_byte():
    data = SEED.read_bytes()
    assert hashlib.sha256(data).hexdigest() == SHA256
    if SHARED.exists():  # beside the clone on CI and on developer machines
        assert data == SHARED.read_bytes()


def test_splice_is_found_by_code_and_agrees_with_the_recorded_marker():
    text = read_seed(SEED)
    assert glued_words(text) == ["Accordingrevent"]
    marker = load_table("sources").set_index("id").loc["seed_000", "splice_marker"]
    splice = find_splice(text, marker)
    mali, nato = splice.parts(text)
    assert "Gossi" in mali and "Gossi" not in nato
    assert "Stoltenberg" in nato and "Stoltenberg" not in mali
    assert mali.endswith("According") and nato.startswith("revent the return of IS.")


def test_normalise_documents_its_rules():
    assert normalise("“priority\u00a0enemy”  in\n the Sahel – now’s") == '"priority enemy" in the Sahel - now\'s'
