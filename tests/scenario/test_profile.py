"""Profiles are data: a profile file is checked on load, and a mistake is reported with the
file and the key path; a new typology is a new file."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from narcolink.exc import BadRequest
from narcolink.scenario import generate, load_profile, profile_names
from narcolink.scenario.profile import profile_dir


def _variant(tmp_path: Path, change: object) -> Path:
    data = yaml.safe_load((profile_dir() / "medmax.yml").read_text(encoding="utf-8"))
    change(data)  # type: ignore[operator]
    path = tmp_path / "variant.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_packaged_profiles_load() -> None:
    assert "medmax" in profile_names()
    profile = load_profile("medmax")
    assert {n["id"] for n in profile.networks} == {"medmax", "diversion"}
    assert profile.agencies["ncb"].country == "in"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["noise"]["ncb"]["name"].update(typo=1.5),
         "noise.ncb.name.typo: a rate must lie between 0 and 1"),
        (lambda d: d["noise"]["dea"]["name"]["forms"].update(pig_latin=0.1),
         "noise.dea.name.forms.pig_latin: unknown"),
        (lambda d: d["noise"]["ncb"]["missing"].update(shoeSize=0.1),
         "noise.ncb.missing.shoeSize: unknown"),
        (lambda d: d["population"]["persons"].update({"in": -5}),
         "population.persons.in: expected a count >= 0"),
        (lambda d: d.pop("period"), "(top).period: missing"),
        (lambda d: d["period"].update(start="2025-13-01"), "period.start: not a date"),
    ],
)  # fmt: skip
def test_mistakes_name_the_file_and_key(tmp_path: Path, change: object, message: str) -> None:
    path = _variant(tmp_path, change)
    with pytest.raises(BadRequest, match=r"variant\.yml") as caught:
        load_profile(str(path))
    assert message in str(caught.value)


def test_network_mistakes_are_reported_when_generating(tmp_path: Path) -> None:
    def bad_role(data: dict) -> None:  # type: ignore[type-arg]
        data["networks"][0]["links"][0]["from"] = "treasurer"

    with pytest.raises(BadRequest, match="no role 'treasurer'"):
        generate(str(_variant(tmp_path, bad_role)), 1, 0.01, tmp_path / "out", workers=1)

    def bad_city(data: dict) -> None:  # type: ignore[type-arg]
        data["networks"][0]["roles"]["stockist"]["city"] = "Atlantis"

    with pytest.raises(BadRequest, match="no city 'Atlantis' in in"):
        generate(str(_variant(tmp_path, bad_city)), 1, 0.01, tmp_path / "out2", workers=1)


def test_a_new_typology_is_a_new_file(tmp_path: Path) -> None:
    """A profile with only a small, different network: no code, a different world."""

    def only_diversion(data: dict) -> None:  # type: ignore[type-arg]
        data["networks"] = [n for n in data["networks"] if n["id"] == "diversion"]
        data["networks"][0]["id"] = "ketal-route"

    summary = generate(str(_variant(tmp_path, only_diversion)), 1, 0.01, tmp_path / "o", workers=1)
    truth = (summary.root / "truth/entities.csv").read_text(encoding="utf-8")
    assert "ketal-route-1" in truth and "medmax-1" not in truth
