"""Synthetic ledgers (cojian_graph.synth) and ``cojian synth``."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from click.testing import CliRunner

from cojian_graph.cli import main
from cojian_graph.errors import CojianError
from cojian_graph.ledger import normalize_table
from cojian_graph.model import CIRCLES, KINDS, LINK_IDS, ROLES, SECTORS
from cojian_graph.schema import TABLES
from cojian_graph.synth import synthetic_ledger

EXTERNAL_SECTORS = {"group", "local_government", "local_enterprise", "education", "railway",
                    "public_service", "social"}
INTERNAL_KINDS = {"party_committee", "general_branch", "party_branch", "trade_union", "youth_league"}
DATE = re.compile(r"^(\d{4})(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d))?)?$")


@pytest.fixture(scope="module")
def ledger():
    return synthetic_ledger(2000, 6000, seed=11)


def test_same_seed_same_ledger_other_seed_other_ledger():
    first, again, other = (synthetic_ledger(200, 500, seed=s) for s in (5, 5, 6))
    for name in TABLES:
        pd.testing.assert_frame_equal(first.table(name), again.table(name))
    assert not first.participations.equals(other.participations)


def test_sizes_and_canonical_form(ledger):
    assert len(ledger.organizations) == 2000
    assert len(ledger.activities) == 6000
    for name in TABLES:
        frame = ledger.table(name)
        assert list(frame.columns) == TABLES[name].column_names
        assert all(frame[column].dtype == object for column in frame.columns)
        assert all(isinstance(value, str) for column in frame.columns for value in frame[column])
        # what from_frames would make of it is what it already is
        pd.testing.assert_frame_equal(frame, normalize_table(name, frame))


def test_passes_validation(ledger):
    from cojian_graph.validate import validated

    again = validated({name: ledger.table(name) for name in TABLES}, source="synthetic")
    for name in TABLES:
        pd.testing.assert_frame_equal(again.table(name), ledger.table(name))


def test_ids_and_names_are_unique(ledger):
    assert ledger.organizations["id"].is_unique
    assert ledger.activities["id"].is_unique
    assert ledger.organizations["name"].is_unique
    assert not ledger.participations.duplicated(["activity_id", "organization_id"]).any()
    assert ledger.organizations["name"].str.contains(r"[\u4e00-\u9fff]").all()
    assert ledger.activities["title"].str.contains(r"[\u4e00-\u9fff]").all()
    assert (ledger.organizations["name_en"].str.len() > 0).all()
    assert ledger.activities["title_en"].str.fullmatch(r"[ -~]+").all()  # plain ASCII English


def test_one_focal_organisation_and_circles_that_fit(ledger):
    orgs = ledger.organizations
    assert (orgs["circle"] == "focal").sum() == 1
    assert orgs.loc[0, "circle"] == "focal"
    assert set(orgs["circle"]) <= set(CIRCLES)
    assert set(orgs["kind"]) <= set(KINDS)
    assert set(orgs["sector"]) <= set(SECTORS)
    internal = orgs[orgs["circle"] == "internal"]
    external = orgs[orgs["circle"] == "external"]
    assert 0.35 < len(internal) / (len(orgs) - 1) < 0.45  # about 40/60
    assert set(internal["sector"]) == {"company"}
    assert set(internal["kind"]) <= INTERNAL_KINDS
    assert set(external["sector"]) == EXTERNAL_SECTORS  # every external sector appears at this size


def test_all_eight_links_and_roles(ledger):
    assert set(ledger.activities["link_type"]) == set(LINK_IDS)
    assert set(ledger.participations["role"]) <= set(ROLES)
    hosts = ledger.participations[ledger.participations["role"] == "host"]
    assert hosts["activity_id"].is_unique
    assert len(hosts) == len(ledger.activities)  # one host per activity


def test_participants_per_activity(ledger):
    sizes = ledger.participations.groupby("activity_id").size()
    assert len(sizes) == len(ledger.activities)  # every activity has participants
    assert sizes.between(2, 6).all()
    assert sizes.isin([2, 3]).mean() > 0.6  # most have two or three
    focal = ledger.organizations.loc[0, "id"]
    share = ledger.participations["organization_id"].eq(focal).sum() / len(ledger.activities)
    assert 0.3 < share < 0.6


def test_partner_activity_is_heavy_tailed(ledger):
    focal = ledger.organizations.loc[0, "id"]
    counts = ledger.participations.loc[ledger.participations["organization_id"] != focal,
                                       "organization_id"].value_counts()
    assert counts.iloc[0] > 20 * counts.median()
    # the busiest 5 % of partners take part in a large share of the partner participations
    top = counts.iloc[: len(ledger.organizations) // 20].sum()
    assert top / counts.sum() > 0.4


def test_dates(ledger):
    dates = ledger.activities["date"]
    undated = dates.eq("")
    assert 0 < undated.mean() < 0.1
    matches = dates[~undated].str.extract(DATE)
    assert matches[0].notna().all()
    assert matches[0].astype(int).between(2020, 2025).all()
    assert set(matches[0].astype(int)) == set(range(2020, 2026))


def test_years_argument():
    ledger = synthetic_ledger(20, 300, seed=0, years=(2018, 2018))
    years = ledger.years().dropna()
    assert set(years) == {2018}


@pytest.mark.parametrize("orgs", [2, 3, 4])
def test_very_few_organisations(orgs):
    ledger = synthetic_ledger(orgs, 200, seed=1)
    sizes = ledger.participations.groupby("activity_id").size()
    assert sizes.between(2, orgs).all()
    assert not ledger.participations.duplicated(["activity_id", "organization_id"]).any()
    if orgs == 2:
        assert (sizes == 2).all()


@pytest.mark.parametrize(
    ("orgs", "activities", "years", "words"),
    [
        (1, 10, (2020, 2025), "orgs"),
        (0, 10, (2020, 2025), "orgs"),
        (10, 0, (2020, 2025), "activities"),
        (10, 5, (2025, 2020), "year"),
        ("many", 5, (2020, 2025), "integers"),
    ],
)
def test_bad_arguments(orgs, activities, years, words):
    with pytest.raises(CojianError, match=words):
        synthetic_ledger(orgs, activities, seed=0, years=years)


# -- cojian synth ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("fmt", "name"), [("csv", None), ("xlsx", "ledger.xlsx"), ("json", "ledger.json")])
def test_cli_writes_a_ledger_that_reads_back(tmp_path, fmt, name):
    from cojian_graph.io import read_ledger

    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["synth", "--orgs", "40", "--activities", "90", "--seed", "3",
                                       "-o", str(out), "--format", fmt])
    assert result.exit_code == 0, result.output
    assert "40" in result.output and "90" in result.output
    back = read_ledger(out / name if name else out)
    expected = synthetic_ledger(40, 90, seed=3)
    for table in TABLES:
        pd.testing.assert_frame_equal(back.table(table), expected.table(table))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--orgs", "1", "--activities", "5"], "--orgs"),
        (["--orgs", "5", "--activities", "0"], "--activities"),
        (["--orgs", "x", "--activities", "5"], "--orgs"),
        (["--orgs", "5", "--activities", "5", "--years", "2025", "2020"], "--years"),
        (["--orgs", "5", "--activities", "5", "--format", "xls"], "--format"),
        (["--activities", "5"], "--orgs"),
    ],
)
def test_cli_bad_arguments(tmp_path, args, message):
    result = CliRunner().invoke(main, ["synth", *args, "-o", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_cli_refuses_a_non_empty_folder_without_force(tmp_path):
    (tmp_path / "notes.txt").write_text("keep me", encoding="utf-8")
    args = ["synth", "--orgs", "5", "--activities", "5", "-o", str(tmp_path)]
    refused = CliRunner().invoke(main, args)
    assert refused.exit_code == 2
    assert "--force" in refused.output
    assert not (tmp_path / "organizations.csv").exists()
    forced = CliRunner().invoke(main, [*args, "--force"])
    assert forced.exit_code == 0, forced.output
    assert (tmp_path / "organizations.csv").exists()
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "keep me"


def test_cli_refuses_a_file_as_output(tmp_path):
    file = tmp_path / "ledger.csv"
    file.write_text("", encoding="utf-8")
    result = CliRunner().invoke(main, ["synth", "--orgs", "5", "--activities", "5", "-o", str(file)])
    assert result.exit_code == 2
    assert "not a folder" in result.output


def test_cli_shows_progress_on_stderr_for_large_ledgers(tmp_path):
    result = CliRunner().invoke(main, ["synth", "--orgs", "300", "--activities", "30000",
                                       "-o", str(tmp_path / "big")])
    assert result.exit_code == 0, result.output
    assert "generating" in result.stderr
    assert "generating" not in result.stdout
    assert "30,000" in result.stdout


def test_cli_cannot_write_says_so(tmp_path):
    blocker = tmp_path / "file.txt"
    blocker.write_text("", encoding="utf-8")
    result = CliRunner().invoke(main, ["synth", "--orgs", "5", "--activities", "5",
                                       "-o", str(blocker / "inside")])
    assert result.exit_code == 1
    assert "cannot write" in result.output
    assert "Traceback" not in result.output


def test_a_mass_meeting_joins_the_first_k_organisations():
    from cojian_graph.graph.build import collaboration_edges

    plain = synthetic_ledger(60, 120, seed=4)
    ledger = synthetic_ledger(60, 120, seed=4, mass_meeting=40)
    assert ledger.size("activities") == plain.size("activities") + 1
    meeting = ledger.participations[ledger.participations["activity_id"] == "MASS"]
    assert meeting["organization_id"].tolist() == ledger.organizations["id"].tolist()[:40]
    edges = collaboration_edges(ledger)
    inside = edges[edges["source"].isin(meeting["organization_id"]) & edges["target"].isin(meeting["organization_id"])]
    assert len(inside) == 40 * 39 // 2  # every pair of the meeting is tied
    with pytest.raises(CojianError):
        synthetic_ledger(10, 5, seed=0, mass_meeting=11)
