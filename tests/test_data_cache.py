"""The parsed-data cache: data files are kept as JSON after their first parse, named by the hash of
their text, and give back exactly what the YAML gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from entente.actors import kb


def test_a_data_file_is_cached_and_read_back_unchanged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENTENTE_CACHE", str(tmp_path))
    first = kb._data("countries.yaml")
    (entry,) = tmp_path.glob("countries.yaml.*.json")
    assert kb._data("countries.yaml") == first
    # what is read is the cache: a changed entry is what comes back
    entry.write_text('[{"iso3": "XXX", "name": "Cached"}]', "utf-8")
    assert kb._data("countries.yaml") == [{"iso3": "XXX", "name": "Cached"}]


def test_a_broken_entry_is_parsed_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENTENTE_CACHE", str(tmp_path))
    want = kb._data("sectors.yaml")
    (entry,) = tmp_path.glob("sectors.yaml.*.json")
    entry.write_text("{not json", "utf-8")
    assert kb._data("sectors.yaml") == want


def test_the_cache_can_be_turned_off_and_an_unwritable_one_is_skipped(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENTENTE_CACHE", "off")
    assert kb._data("igos.yaml")
    blocker = tmp_path / "file"
    blocker.write_text("", "utf-8")
    monkeypatch.setenv("ENTENTE_CACHE", str(blocker / "below-a-file"))
    assert kb._data("igos.yaml")  # cannot write there: parsed, not failed
    assert list(tmp_path.iterdir()) == [blocker]
