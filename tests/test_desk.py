"""The desk's operations on a store (SQLite and PostgreSQL): recording, merging, reverting, authorised on
the server by the role the store holds when the change is made; the history as a table; finding
organisations under any spelling."""

from __future__ import annotations

import pytest

from cojian_graph.names import find_organizations, fold, pick_organizations
from cojian_graph.store import Store, StoreError
from cojian_graph.store.accounts import Accounts, PermissionDenied
from cojian_graph.store.desk import Desk, activity_edits, changes_table, grid_edits, merge_edits
from cojian_graph.testing import tiny_ledger

PASSWORD = "a-long-enough-password"


@pytest.fixture
def store(store_url):
    with Store(store_url, create=True) as store:
        store.import_ledger(tiny_ledger(), user="clerk")
        yield store


def parts(store) -> set[tuple[str, str, str]]:
    ledger = store.ledger()
    return set(zip(*(ledger.column("participations", c).tolist()
                     for c in ("activity_id", "organization_id", "role")), strict=True))


def test_merging_moves_participations_and_is_one_revertible_revision(store):
    desk = Desk(store, None, "clerk")
    before = parts(store)
    # c (x2 partner, x3 partner) merges into b (x1 partner, x2 partner): x2 is shared, x3 moves
    assert desk.merge("b", "c", note="同一单位") == 2
    assert parts(store) == (before - {("x2", "c", "partner"), ("x3", "c", "partner")}) | {("x3", "b", "partner")}
    assert store.record("organizations", ("c",)) is None
    entry = store.log(since=1)[0]
    assert (entry["action"], entry["note"], entry["user"]) == ("merge", "同一单位", "clerk")
    assert desk.revert(2) == 3
    assert parts(store) == before and store.record("organizations", ("c",)) is not None


def test_a_merge_keeps_the_role_the_kept_organisation_lacked(store):
    from cojian_graph.store import Edit

    store.apply([Edit("participations", ("x2", "b"), {"role": ""}, 1)], user="clerk")
    Desk(store, None, "clerk").merge("b", "c")
    assert ("x2", "b", "partner") in parts(store)


def test_merging_an_organisation_into_itself_or_a_missing_one_is_refused(store):
    for keep, away, words in (("a", "a", "two different"), ("a", "zz", "no organisation")):
        with pytest.raises(StoreError, match=words):
            merge_edits(store, keep, away)
    assert store.revision == 1


def test_a_viewer_cannot_change_anything_and_a_demoted_editor_stops_at_once(store):
    accounts = Accounts(store)
    accounts.add("leader", PASSWORD, role="viewer")
    accounts.add("clerk", PASSWORD, role="editor")
    viewer = Desk(store, accounts, "leader")
    edits = activity_edits({"id": "x9", "title": "联合党课", "link_type": "learning"}, {"a": "host", "b": ""})
    for attempt in (lambda: viewer.apply(edits), lambda: viewer.merge("b", "c"), lambda: viewer.revert(1),
                    lambda: viewer.import_ledger(tiny_ledger())):
        with pytest.raises(PermissionDenied, match="editor"):
            attempt()
    assert store.revision == 1
    editor = Desk(store, accounts, "clerk")
    assert editor.apply(edits, note="五月") == 2
    assert store.log(since=1)[0]["user"] == "clerk"
    accounts.set_role("clerk", "viewer")
    with pytest.raises(PermissionDenied):
        editor.revert(2)
    assert store.revision == 2


def test_recording_an_activity_with_a_new_partner_is_one_revision(store):
    new = {"id": "e", "name": "新伙伴", "kind": "enterprise", "circle": "external", "sector": "local_enterprise"}
    edits = activity_edits({"id": "x9", "title": "联合党课", "link_type": "黨員聯學", "date": "2024年5月"},
                           {"a": "host", "e": "partner"}, [new])
    assert Desk(store, None, "clerk").apply(edits) == 2
    ledger = store.ledger()
    assert ("x9", "e", "partner") in parts(store)
    assert ledger.activities.set_index("id").loc["x9", ["link_type", "date"]].tolist() == ["learning", "2024-05"]


def test_the_history_table_lists_each_changed_field(store):
    from cojian_graph.store import Edit

    store.apply([Edit("organizations", ("b",), {"name": "车间第二党支部"}, 1)], user="王五", note="改名")
    store.apply([Edit("participations", ("x4", "d"), None, 1), Edit("activities", ("x4",), None, 1)], user="李四")
    table = changes_table(store.log(since=1))
    rename = table[table["rev"] == 2]
    assert rename[["user", "note", "table", "record", "kind", "field", "before", "after"]].values.tolist() == [
        ["王五", "改名", "organizations", "b", "change", "name", "车间党支部", "车间第二党支部"]]
    deleted = table[table["rev"] == 3]
    assert set(deleted["kind"]) == {"delete"}
    assert deleted.loc[deleted["table"] == "participations", "organization"].tolist() == ["d", "d", "d"]
    assert ("title", "青年联谊", "") in set(zip(deleted["field"], deleted["before"], deleted["after"], strict=True))


def test_organisations_are_found_under_any_spelling():
    ledger = tiny_ledger()
    assert find_organizations(ledger, "鑄鋼") == ["a"]  # Traditional for 铸钢
    assert find_organizations(ledger, "車間") == ["b"]
    assert find_organizations(ledger, "ＷＯＲＫＳＨＯＰ") == ["b"]  # full-width, any case, English name
    assert find_organizations(ledger, "") == ["a", "b", "c", "d"]
    assert find_organizations(ledger, "不存在") == []
    assert fold("黨員聯學") == "党员联学"
    assert find_organizations(ledger, "支部\0w") == []  # no match across b's name and English name


def test_a_picker_lists_the_most_active_beyond_its_limit():
    # participations in the tiny ledger, counted by hand: a 3, b 2, c 2, d 1
    ledger = tiny_ledger()
    assert pick_organizations(ledger, "", 4) == (["a", "b", "c", "d"], 4)  # all fit: the ledger's order
    assert pick_organizations(ledger, "", 2) == (["a", "b"], 4)  # b before c: equal, b first in the ledger
    assert pick_organizations(ledger, "", 2, keep=["d"]) == (["d", "a", "b"], 4)  # the chosen one stays
    assert pick_organizations(ledger, "", 2, keep=["zz", None, "", "a", "d", "d"]) == (["d", "a", "b"], 4)
    assert pick_organizations(ledger, "黨", 1) == (["a"], 3)  # 党 in a, b, c: the most active of them
    assert pick_organizations(ledger, "branch", 2) == (["a", "b"], 3)  # a, b, d (English names)
    assert pick_organizations(ledger, "小学", 2) == (["d"], 1)
    assert pick_organizations(ledger, "不存在", 2, keep=["c"]) == (["c"], 0)


def test_an_organisations_own_history(store):
    from cojian_graph.store import Edit

    store.apply([Edit("organizations", ("b",), {"name": "车间第二党支部"}, 1)], user="王五")
    store.apply([Edit("organizations", ("a",), {"name": "铸钢党总支（新）"}, 1)], user="李四")  # not b's
    store.apply([Edit("participations", ("x4", "b"), {"role": "partner"}, 0)], user="张三")
    history = store.log_of("b")
    assert [(entry["rev"], entry["user"]) for entry in history] == [(1, "clerk"), (2, "王五"), (4, "张三")]
    assert [len(entry["changes"]) for entry in history] == [3, 1, 1]  # b and its two participations; then one each
    assert all(change["key"][-1] == "b" for entry in history for change in entry["changes"])
    assert store.log_of("b%")[:1] == []  # a LIKE wildcard in an id is only text


def test_a_grid_of_edits_is_one_revision_and_a_stale_row_refuses_it_whole(store):
    from cojian_graph.store import ConflictError, Edit

    opened = {org: store.record("organizations", (org,)) for org in ("a", "b", "c")}
    rows = [{**opened["a"][0], "name": "铸钢党总支（改）"}, dict(opened["b"][0]),
            {**opened["c"][0], "name_en": None}]  # a cell emptied in the grid
    edits = grid_edits("organizations", opened, rows)
    assert [(e.key, dict(e.values)) for e in edits] == [
        (("a",), {"name": "铸钢党总支（改）"}), (("c",), {"name_en": ""})]
    # meanwhile someone changes c: the grid's change is refused whole
    store.apply([Edit("organizations", ("c",), {"name": "地方部门"}, 1)], user="王五")
    with pytest.raises(ConflictError) as caught:
        Desk(store, None, "clerk").apply(edits)
    assert [c.key for c in caught.value.conflicts] == [("c",)]
    assert store.record("organizations", ("a",))[0]["name"] == "铸钢党总支" and store.revision == 2
    fresh = {org: store.record("organizations", (org,)) for org in ("a", "c")}  # the grid opened again
    again = [{**fresh["a"][0], "name": "铸钢党总支（改）"}, {**fresh["c"][0], "name_en": None}]
    assert Desk(store, None, "clerk").apply(grid_edits("organizations", fresh, again)) == 3
    assert store.record("organizations", ("c",))[0] == {**fresh["c"][0], "name_en": ""}  # 王五's name kept
