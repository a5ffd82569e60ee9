"""cojian_graph.appstate: the explorer's URL state and uploaded ledgers, tested without Streamlit."""

from __future__ import annotations

import io
import json
from urllib.parse import parse_qs, urlencode

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cojian_graph.appstate import (
    PAGES,
    ViewState,
    activities_by_year,
    ledger_bytes,
    ledger_from_uploads,
    problems_table,
    state_from_query,
    state_to_query,
    template_bytes,
)
from cojian_graph.errors import CojianError, LedgerError
from cojian_graph.graph import GraphFilter
from cojian_graph.io import read_ledger, write_ledger
from cojian_graph.model import LINK_IDS

# -- query string ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "state",
    [
        ViewState(),
        ViewState(page="rankings", lang="en"),
        ViewState(page="map", spec=GraphFilter(links=("learning", "brand"), circles=("external",))),
        ViewState(spec=GraphFilter(sectors=("education", "local_government"), year_min=2020, year_max=2023,
                                   include_undated=False, min_weight=3)),
        ViewState(page="organization", spec=GraphFilter(focus="zhugang", hops=2), search="铸钢",
                  options=(("org", "zhugang"),)),
        ViewState(page="map",
                  options=(("layout", "concentric"), ("size", "betweenness"), ("color", "sector"))),
    ],
)
def test_state_survives_a_round_trip_through_a_real_url(state):
    url_query = urlencode(state_to_query(state))
    assert state_from_query(parse_qs(url_query)) == state


def test_defaults_give_an_empty_query_string():
    assert state_to_query(ViewState()) == {}


def test_hops_is_only_written_with_a_focus():
    assert "hops" not in state_to_query(ViewState(spec=GraphFilter(hops=3)))


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"links": "党员联学,Joint brand building,黨員聯學"}, GraphFilter(links=("learning", "brand"))),
        ({"circles": "External,内结,外太空"}, GraphFilter(circles=("external", "internal"))),
        ({"links": "nothing,<script>"}, GraphFilter()),
        ({"minw": "0"}, GraphFilter()),
        ({"minw": "1e9"}, GraphFilter()),
        ({"minw": "4"}, GraphFilter(min_weight=4)),
        ({"from": "2024", "to": "2021"}, GraphFilter(year_min=2021, year_max=2024)),
        ({"from": "99999"}, GraphFilter()),
        ({"hops": "-1", "focus": "a"}, GraphFilter(focus="a")),
        ({"hops": "3", "focus": "  a "}, GraphFilter(focus="a", hops=3)),
        ({"undated": "no"}, GraphFilter(include_undated=False)),
    ],
)
def test_filter_values_are_read_leniently(params, expected):
    assert state_from_query(params).spec == expected


def test_unknown_page_and_language_fall_back_to_defaults():
    state = state_from_query({"page": "../../etc/passwd", "lang": "fr"})
    assert (state.page, state.lang) == ("overview", "zh")


def test_the_last_of_repeated_values_counts():
    assert state_from_query({"lang": ["en", "zh"], "page": ["map", "data"]}).page == "data"


def test_every_page_is_reachable_by_url():
    assert [state_from_query({"page": page}).page for page in PAGES] == list(PAGES)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.text(max_size=12),
                       st.one_of(st.text(max_size=300), st.lists(st.text(max_size=30)))))
def test_garbage_never_raises_and_always_gives_a_usable_filter(params):
    state = state_from_query(params)
    assert state.page in PAGES and state.lang in ("zh", "en")
    state.spec.normalized()  # a valid filter: raises CojianError otherwise
    assert state_from_query(state_to_query(state)) == state


def test_the_filter_read_from_a_url_selects_the_same_graph(tiny):
    from cojian_graph.graph import filtered_graph

    spec = state_from_query({"links": "brand,service", "circles": "focal,external"}).spec
    assert sorted(filtered_graph(tiny, spec).edges()) == [("a", "c")]


# -- uploads ---------------------------------------------------------------------------------------


def _files(folder):
    return [(path.name, path.read_bytes()) for path in sorted(folder.iterdir())]


def test_three_csv_files_upload(tiny, tmp_path):
    write_ledger(tiny, tmp_path / "csv", "csv")
    ledger = ledger_from_uploads(_files(tmp_path / "csv"))
    assert ledger.content_hash() == tiny.content_hash()


def test_csv_files_are_matched_by_name_whatever_their_order_and_prefix(tiny, tmp_path):
    write_ledger(tiny, tmp_path / "csv", "csv")
    files = [(f"2024 台账 {name.replace('.csv', '')} (1).csv", content)
             for name, content in _files(tmp_path / "csv")]
    assert ledger_from_uploads(files[::-1]).content_hash() == tiny.content_hash()


@pytest.mark.parametrize("suffix", ["xlsx", "json"])
def test_one_workbook_or_json_file_uploads(tiny, tmp_path, suffix):
    path = tmp_path / f"mine.{suffix}"
    write_ledger(tiny, path)
    ledger = ledger_from_uploads([(path.name, path.read_bytes())])
    assert len(ledger.organizations) == 4 and ledger.content_hash() == tiny.content_hash()


def test_a_missing_csv_file_is_a_problem_naming_it(tiny, tmp_path):
    write_ledger(tiny, tmp_path / "csv", "csv")
    files = [entry for entry in _files(tmp_path / "csv") if entry[0] != "participations.csv"]
    with pytest.raises(LedgerError) as caught:
        ledger_from_uploads(files)
    assert [(p.file, p.code) for p in caught.value.problems] == [("participations.csv", "missing_file")]


def test_the_files_sent_are_checked_even_when_one_is_missing(tiny, tmp_path):
    write_ledger(tiny, tmp_path / "csv", "csv")
    files = dict(_files(tmp_path / "csv"))
    activities = files["activities.csv"].decode("utf-8-sig").replace(",learning,", ",联谊,", 1)
    upload = [("organizations.csv", files["organizations.csv"]), ("活动.csv", activities.encode())]
    with pytest.raises(LedgerError) as caught:
        ledger_from_uploads(upload)
    assert [(p.file, p.row, p.code) for p in caught.value.problems] == [
        ("participations.csv", None, "missing_file"), ("活动.csv", 2, "unknown_link_type")]


def test_an_unrecognised_extra_file_rejects_an_otherwise_good_upload(tiny, tmp_path):
    write_ledger(tiny, tmp_path / "csv", "csv")
    upload = [*_files(tmp_path / "csv"), ("notes.csv", b"a,b\n1,2\n")]
    with pytest.raises(LedgerError) as caught:
        ledger_from_uploads(upload)
    assert [(p.file, p.code) for p in caught.value.problems] == [("notes.csv", "unknown_csv_file")]


def test_csv_files_that_name_no_table_are_listed_with_the_missing_tables():
    with pytest.raises(LedgerError) as caught:
        ledger_from_uploads([("a.csv", b"x\n1\n"), ("b.csv", b"y\n2\n")])
    assert [p.code for p in caught.value.problems] == ["unknown_csv_file"] * 2 + ["missing_file"] * 3


def test_problems_name_the_uploaded_file_and_row(tiny, tmp_path):
    write_ledger(tiny, tmp_path / "csv", "csv")
    files = dict(_files(tmp_path / "csv"))
    orgs = pd.read_csv(io.BytesIO(files["organizations.csv"]), dtype=str, keep_default_na=False)
    orgs.loc[2, "circle"] = "somewhere"  # third record: spreadsheet row 4
    upload = [("my_organizations.csv", orgs.to_csv(index=False).encode()),
              ("activities.csv", files["activities.csv"]),
              ("participations.csv", files["participations.csv"])]
    with pytest.raises(LedgerError) as caught:
        ledger_from_uploads(upload)
    problems = caught.value.problems
    assert any(p.file == "my_organizations.csv" and p.row == 4 and p.column == "circle"
               for p in problems), problems
    assert not any("cojian-upload" in p.file for p in problems)
    table = problems_table(caught.value, "en")
    assert list(table.columns) == ["File", "Row", "Column", "Problem", "How to fix"]
    assert "my_organizations.csv" in set(table["File"])


def test_a_broken_workbook_is_rejected_with_problems_not_a_traceback():
    with pytest.raises(CojianError) as caught:
        ledger_from_uploads([("ledger.xlsx", b"this is not a zip file")])
    assert "cojian-upload" not in str(caught.value)


def test_broken_json_is_rejected():
    with pytest.raises(CojianError):
        ledger_from_uploads([("ledger.json", b"{not json")])


@pytest.mark.parametrize(
    "files",
    [
        [],
        [("ledger.xls", b"old excel")],
        [("ledger.xlsx", b"x"), ("ledger.json", b"{}")],
        [("organizations.csv", b"id\n"), ("ledger.json", b"{}")],
    ],
)
def test_wrong_combinations_are_refused_in_both_languages(files):
    with pytest.raises(CojianError) as caught:
        ledger_from_uploads(files)
    message = str(caught.value)
    assert any("\u4e00" <= char <= "\u9fff" for char in message) and "upload" in message.lower()


def test_downloads_read_back_as_the_same_ledger(tiny, tmp_path):
    for format, suffix in (("excel", "xlsx"), ("json", "json")):
        path = tmp_path / f"back.{suffix}"
        path.write_bytes(ledger_bytes(tiny, format))
        assert read_ledger(path).content_hash() == tiny.content_hash()
    assert json.loads(ledger_bytes(tiny, "json"))  # valid JSON
    with pytest.raises(CojianError):
        ledger_bytes(tiny, "pdf")


def test_the_template_is_an_excel_workbook_with_the_three_sheets():
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(template_bytes()))
    assert {"organizations", "activities", "participations"} <= set(book.sheetnames)


def test_activities_by_year_counts_dated_activities_per_link(tiny):
    table = activities_by_year(tiny)
    assert list(table.columns) == list(LINK_IDS)
    assert table.loc[2021].sum() == 1 and table.loc[2022, "service"] == 1  # x1 2021; x3 2022; x2, x4 undated
    assert int(table.to_numpy().sum()) == 2
