"""The ledger store on SQLite and on a real PostgreSQL server: schema, import, read back, history."""

from __future__ import annotations

import pandas as pd
import pytest

from cojian_graph.io import read_ledger
from cojian_graph.schema import TABLES
from cojian_graph.store import Store, StoreError
from cojian_graph.synth import synthetic_ledger
from cojian_graph.testing import tiny_ledger


def same(left, right) -> None:
    for name in TABLES:
        pd.testing.assert_frame_equal(left.table(name), right.table(name))
    assert left.content_hash() == right.content_hash()


def test_an_empty_database_is_initialised_and_refused_before(store_url):
    with pytest.raises(StoreError, match="cojian db init"):
        Store(store_url)
    with Store(store_url, create=True) as store:
        assert store.revision == 0 and store.schema_revision() == "0003"
        assert store.ledger().size("organizations") == 0
    with Store(store_url) as store:  # now at the latest schema: opens without create
        assert store.revision == 0


@pytest.mark.parametrize("source", ["tiny", "bundled", "synthetic"])
def test_import_then_read_back_gives_the_same_ledger(store_url, source, bundled):
    ledger = {"tiny": tiny_ledger, "bundled": lambda: bundled,
              "synthetic": lambda: synthetic_ledger(300, 1000, seed=3)}[source]()
    with Store(store_url, create=True) as store:
        plan = store.import_ledger(ledger, user="clerk", note="first import")
        assert plan.revision == 1
        assert plan.added == {name: ledger.size(name) for name in TABLES}
        same(store.ledger(), ledger)


def test_extra_columns_and_their_order_come_back(store_url, tmp_path):
    ledger = tiny_ledger()
    orgs = ledger.organizations.assign(备注=["a", "", "c", "d"], contact=["", "x", "", ""])
    with_extra = type(ledger).from_frames(orgs, ledger.activities, ledger.participations, validate=False)
    with Store(store_url, create=True) as store:
        store.import_ledger(with_extra, user="clerk")
        back = store.ledger()
        assert list(back.organizations.columns)[-2:] == ["备注", "contact"]
        same(back, with_extra)


def test_a_second_import_is_one_revision_of_its_differences(store_url):
    first = tiny_ledger()
    orgs = first.organizations.copy()
    orgs.loc[orgs["id"] == "b", "name"] = "车间第一党支部"
    parts = first.participations[first.participations["organization_id"] != "d"]
    acts = first.activities[first.activities["id"] != "x4"]
    second = type(first).from_frames(orgs[orgs["id"] != "d"], acts, parts, validate=False)
    with Store(store_url, create=True) as store:
        store.import_ledger(first, user="clerk")
        preview = store.import_ledger(second, user="leader", dry_run=True)
        assert preview.revision is None and store.revision == 1  # nothing written
        assert (preview.added, preview.changed, preview.deleted) == (
            {"organizations": 0, "activities": 0, "participations": 0},
            {"organizations": 1, "activities": 0, "participations": 0},
            {"organizations": 1, "activities": 1, "participations": 1})
        assert store.import_ledger(second, user="leader", note="清理").revision == 2
        same(store.ledger(), second)
        assert store.import_ledger(second, user="leader").revision is None  # nothing to change
        log = store.log()
        assert [(entry["rev"], entry["user"], entry["note"]) for entry in log] == [
            (1, "clerk", ""), (2, "leader", "清理")]
        renamed = next(c for c in log[1]["changes"] if c["table"] == "organizations" and c["after"])
        assert (renamed["before"]["name"], renamed["after"]["name"]) == ("车间党支部", "车间第一党支部")
        same(store.as_of(1), first)
        same(store.as_of(2), second)
        assert store.as_of(0).size("organizations") == 0


def test_as_of_a_date(store_url):
    import datetime as dt

    with Store(store_url, create=True) as store:
        store.import_ledger(tiny_ledger(), user="clerk")
        today = dt.datetime.now(dt.UTC).date()
        assert store.as_of(today).content_hash() == tiny_ledger().content_hash()
        assert store.as_of(today - dt.timedelta(days=1)).size("organizations") == 0
        with pytest.raises(StoreError, match="not a revision number or date"):
            store.as_of("last christmas")


def test_a_change_needs_a_user(store_url):
    with Store(store_url, create=True) as store, pytest.raises(StoreError, match="user"):
        store.import_ledger(tiny_ledger(), user=" ")
    with Store(store_url) as store:
        assert store.revision == 0 and store.ledger().size("organizations") == 0  # nothing half-written


def test_a_database_from_a_newer_schema_is_refused(store_url):
    from sqlalchemy import create_engine, text

    Store(store_url, create=True).close()
    engine = create_engine(store_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    for create in (False, True):
        with pytest.raises(StoreError, match="newer than this program"):
            Store(store_url, create=create)


def test_a_store_at_an_older_schema_is_upgraded_with_its_records(store_url):
    from alembic import command

    from cojian_graph.store.core import _alembic_config

    with Store(store_url, create=True) as store:
        store.import_ledger(tiny_ledger(), user="clerk")
    command.downgrade(_alembic_config(store_url), "0001")  # as a store made by the first release
    with pytest.raises(StoreError, match="needs an upgrade"):
        Store(store_url)
    with Store(store_url, create=True) as store:  # cojian db init
        assert store.schema_revision() == "0003"
        same(store.ledger(), tiny_ledger())
        assert store.apply([Edit("organizations", ("b",), {"name": "车间党支部（新）"}, 1)], user="clerk") == 2


def test_a_server_that_is_not_there_is_a_clear_error():
    with pytest.raises(StoreError, match="cannot connect"):
        Store("postgresql+psycopg://nobody@/nothing?host=/nonexistent&port=1", create=True)
    with pytest.raises(StoreError, match="not a database URL"):
        Store("nonsense://x")


def test_the_migrations_make_the_tables_the_metadata_describes(store_url):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlalchemy import create_engine, inspect

    from cojian_graph.store.schema import metadata

    Store(store_url, create=True).close()
    engine = create_engine(store_url)
    inspector = inspect(engine)
    for name, table in metadata.tables.items():
        assert [c["name"] for c in inspector.get_columns(name)] == [c.name for c in table.columns], name
        assert inspector.get_pk_constraint(name)["constrained_columns"] == [c.name for c in table.primary_key], name
    with engine.connect() as connection:  # Alembic's own comparison: tables, columns, types, indexes
        assert compare_metadata(MigrationContext.configure(connection), metadata) == []
    engine.dispose()


def test_bundled_round_trip_through_a_file(store_url, tmp_path, bundled):
    from cojian_graph.io import write_ledger

    with Store(store_url, create=True) as store:
        store.import_ledger(bundled, user="clerk")
        write_ledger(store.ledger(), tmp_path / "out.xlsx")
    same(read_ledger(tmp_path / "out.xlsx"), bundled)


def test_the_db_commands(store_url, tmp_path):
    from click.testing import CliRunner

    from cojian_graph.cli import main

    runner = CliRunner()
    assert runner.invoke(main, ["db", "import", "data", "--db", store_url]).exit_code == 1  # not initialised
    result = runner.invoke(main, ["db", "init", "--db", store_url])
    assert result.exit_code == 0 and "revision 0" in result.stdout
    result = runner.invoke(main, ["db", "import", "data", "--db", store_url, "--dry-run"])
    assert result.exit_code == 0 and "organizations: +17 ~0 -0" in result.stdout and "nothing written" in result.stdout
    result = runner.invoke(main, ["db", "import", "data", "--db", store_url, "--user", "张三", "--note", "初始"])
    assert result.exit_code == 0 and "revision 1" in result.stdout
    result = runner.invoke(main, ["db", "log", "--db", store_url])
    assert "张三" in result.stdout and "初始" in result.stdout and "108" in result.stdout  # 17 + 28 + 63 records
    out = tmp_path / "out.json"
    assert runner.invoke(main, ["db", "export", "--db", store_url, "-o", str(out)]).exit_code == 0
    same(read_ledger(out), read_ledger("data"))
    assert runner.invoke(main, ["db", "export", "--db", store_url, "-o", str(out)]).exit_code == 1  # needs --force
    result = runner.invoke(main, ["db", "revert", "1", "--db", store_url, "--note", "重来"])
    assert result.exit_code == 0 and "revision 2" in result.stdout
    assert Store(store_url).ledger().size("organizations") == 0
    result = runner.invoke(main, ["db", "revert", "7", "--db", store_url])
    assert result.exit_code == 1 and "no revision 7" in result.stderr
    result = runner.invoke(main, ["db", "export", "--db", store_url, "-o", str(tmp_path / "old.json"), "--as-of", "1"])
    assert result.exit_code == 0
    same(read_ledger(tmp_path / "old.json"), read_ledger("data"))


def test_a_missing_sqlite_store_is_not_created_by_opening_it(tmp_path):
    path = tmp_path / "missing.sqlite"
    with pytest.raises(StoreError, match="cojian db init"):
        Store(f"sqlite:///{path}")
    assert not path.exists()


# -- edits, conflicts, revert ------------------------------------------------------------------------

from cojian_graph.errors import LedgerError  # noqa: E402
from cojian_graph.store import ConflictError, Edit  # noqa: E402


@pytest.fixture
def filled(store_url):
    store = Store(store_url, create=True)
    store.import_ledger(tiny_ledger(), user="clerk")
    yield store
    store.close()


def test_record_an_activity_with_its_participants_in_one_revision(filled):
    edits = [
        Edit("organizations", ("e",),
             {"name": "新伙伴", "kind": "企业", "circle": "external", "sector": "地方企业"}, 0),
        Edit("activities", ("x5",), {"title": "联合党课", "link_type": "黨員聯學", "date": "2023年5月"}, 0),
        Edit("participations", ("x5", "a"), {"role": "host"}, 0),
        Edit("participations", ("x5", "e"), {"role": "partner"}, 0),
    ]
    rev = filled.apply(edits, user="clerk", note="五月党课")
    assert rev == 2
    ledger = filled.ledger()
    acts = ledger.activities.set_index("id")
    assert acts.loc["x5", ["link_type", "date"]].tolist() == ["learning", "2023-05"]  # normalised as a file is
    assert filled.record("organizations", ("e",))[0]["kind"] == "enterprise"
    assert filled.record("activities", ("x5",))[1] == 1
    assert len(filled.log(since=1)[0]["changes"]) == 4


def test_a_stale_edit_is_refused_with_both_values(store_url, filled):
    _, version = filled.record("organizations", ("b",))
    other = Store(store_url)  # a second editor, on the same database
    try:
        other.apply([Edit("organizations", ("b",), {"name": "车间第二党支部"}, version)], user="王五")
        with pytest.raises(ConflictError) as caught:
            filled.apply([Edit("organizations", ("b",), {"name": "车间第三党支部"}, version)], user="李四")
    finally:
        other.close()
    conflict = caught.value.conflicts[0]
    assert (conflict.base_version, conflict.current_version) == (1, 2)
    assert ("name", "车间第三党支部", "车间第二党支部") in conflict.fields
    assert "车间第二党支部" in str(caught.value)
    assert filled.record("organizations", ("b",))[0]["name"] == "车间第二党支部"  # not overwritten
    assert filled.revision == 2


def test_adding_a_record_that_exists_is_a_conflict(filled):
    with pytest.raises(ConflictError):
        filled.apply([Edit("organizations", ("a",), {"name": "重复"}, 0)], user="clerk")


def test_a_change_that_breaks_the_ledger_is_refused_whole(filled):
    # deleting an organisation that still takes part in activities: refused, not cascaded
    with pytest.raises(LedgerError) as caught:
        filled.apply([Edit("organizations", ("c",), None, 1),
                      Edit("organizations", ("a",), {"name": "改名"}, 1)], user="clerk")
    assert {p.code for p in caught.value.problems} == {"unknown_organization"}
    assert filled.revision == 1 and filled.record("organizations", ("a",))[0]["name"] == "铸钢党总支"
    with pytest.raises(LedgerError, match="unknown link type"):
        filled.apply([Edit("activities", ("x1",), {"link_type": "联欢"}, 1)], user="clerk")


# Each change breaks one rule the readers enforce; the store reads only the records the change
# touches, so each rule is checked where a record it needs is not in the change itself.
BROKEN_CHANGES = {
    "the last participant of an activity leaves": (
        [Edit("participations", ("x4", "d"), None, 1)], {("activity_without_participants", "activities")}),
    "an activity deleted while it has participants": (
        [Edit("activities", ("x3",), None, 1)], {("unknown_activity", "participations")}),
    "a participation naming an organisation that does not exist": (
        [Edit("participations", ("x1", "zz"), {"role": "partner"}, 0)], {("unknown_organization", "participations")}),
    "a participation naming an organisation deleted by the same change": (
        [Edit("participations", ("x4", "d"), None, 1), Edit("activities", ("x4",), None, 1),
         Edit("organizations", ("d",), None, 1), Edit("participations", ("x1", "d"), {"role": "partner"}, 0)],
        {("unknown_organization", "participations")}),
    "a new activity without participants": (
        [Edit("activities", ("x9",), {"title": "空活动", "link_type": "learning"}, 0)],
        {("activity_without_participants", "activities")}),
    "a bad value beside a valid one": (
        [Edit("activities", ("x2",), {"date": "明年"}, 1), Edit("organizations", ("b",), {"kind": "enterprise"}, 1)],
        {("bad_date", "activities")}),
}


@pytest.mark.parametrize("case", BROKEN_CHANGES)
def test_a_change_is_checked_against_the_records_it_does_not_touch(filled, case):
    edits, expected = BROKEN_CHANGES[case]
    with pytest.raises(LedgerError) as caught:
        filled.apply(edits, user="clerk")
    assert {(problem.code, problem.file) for problem in caught.value.problems} == expected
    assert filled.revision == 1
    same(filled.ledger(), tiny_ledger())


def test_changes_that_keep_the_ledger_valid_are_committed(filled):
    # the last participant leaves together with its activity; a participant leaves an activity that keeps one;
    # an organisation joins an activity it is not yet in; an activity's title changes (its participants untouched)
    edits = [Edit("participations", ("x4", "d"), None, 1), Edit("activities", ("x4",), None, 1),
             Edit("participations", ("x2", "c"), None, 1), Edit("participations", ("x3", "d"), {"role": "partner"}, 0),
             Edit("activities", ("x1",), {"title": "联学党课（一）"}, 1)]
    assert filled.apply(edits, user="clerk") == 2
    ledger = filled.ledger()
    assert ledger.size("activities") == 3 and ledger.size("participations") == 8 - 2 + 1
    assert ledger.activities.set_index("id").loc["x1", "title"] == "联学党课（一）"


def test_no_statement_of_a_change_scans_a_ledger_table(tmp_path):
    """A change reads only what it touches: SQLite's plan for every statement a change runs finds
    ledger records through an index (a scan would make each change cost the size of the store)."""
    from sqlalchemy import event

    store = Store(f"sqlite:///{tmp_path / 'store.sqlite'}", create=True)
    store.import_ledger(tiny_ledger(), user="clerk")
    statements = []
    event.listen(store.engine, "before_cursor_execute",
                 lambda conn, cursor, statement, parameters, context, many: statements.append((statement, parameters)))
    store.apply([Edit("activities", ("x5",), {"title": "联合党课", "link_type": "learning"}, 0),
                 Edit("participations", ("x5", "a"), {"role": "host"}, 0),
                 Edit("participations", ("x5", "c"), {}, 0), Edit("participations", ("x2", "c"), None, 1),
                 Edit("organizations", ("b",), {"name": "改名"}, 1)], user="clerk")
    store.apply([Edit("participations", ("x4", "d"), None, 1), Edit("activities", ("x4",), None, 1),
                 Edit("organizations", ("d",), None, 1)], user="clerk")
    store.revert(3, user="clerk")
    plans = []
    with store.engine.connect() as connection:
        for statement, parameters in statements:
            if statement.lstrip().upper().startswith(("SELECT", "UPDATE", "DELETE")):
                plan = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters).all()
                plans += [(statement, row[-1]) for row in plan]
    store.close()
    assert plans, "no statement seen"
    scans = [(statement, step) for statement, step in plans
             if step.startswith("SCAN") and any(f"SCAN {name}" in step for name in TABLES)]
    assert not scans, scans


def test_keys_are_trimmed_and_must_be_whole(filled):
    assert filled.apply([Edit("organizations", (" b ",), {"name": "车间党支部（新）"}, 1)], user="clerk") == 2
    assert filled.record("organizations", ("b",))[0]["name"] == "车间党支部（新）"
    for key in [("",), ("x1",)]:
        with pytest.raises(StoreError, match="needs its key"):
            filled.apply([Edit("participations", key, {"role": "host"}, 0)], user="clerk")


def test_a_respelling_changes_nothing(filled):
    assert filled.apply([Edit("activities", ("x1",), {"link_type": "党员联学"}, 1)], user="clerk") is None
    assert filled.revision == 1 and filled.record("activities", ("x1",))[1] == 1


def test_delete_then_revert(filled):
    edits = [Edit("participations", ("x4", "d"), None, 1), Edit("activities", ("x4",), None, 1),
             Edit("participations", ("x2", "c"), None, 1)]
    assert filled.apply(edits, user="clerk") == 2
    assert filled.ledger().size("activities") == 3
    assert filled.revert(2, user="leader") == 3
    same(filled.ledger(), tiny_ledger())
    assert filled.as_of(2).size("activities") == 3
    assert filled.log()[-1]["action"] == "revert"
    with pytest.raises(StoreError, match="no revision 9"):
        filled.revert(9, user="leader")


def test_a_revert_of_a_record_changed_since_is_refused(filled):
    filled.apply([Edit("organizations", ("b",), {"name": "一"}, 1)], user="clerk")
    filled.apply([Edit("organizations", ("b",), {"name": "二"}, 2)], user="clerk")
    with pytest.raises(ConflictError):
        filled.revert(2, user="leader")
    assert filled.revert(3, user="leader") == 4
    assert filled.record("organizations", ("b",))[0]["name"] == "一"


def _replayed(store) -> None:
    """The store's ledger equals its log replayed from nothing."""
    same(store.as_of(store.revision), store.ledger())


@pytest.mark.parametrize("workers", [6])
def test_concurrent_editors_in_threads(filled, store_url, workers):
    import threading

    outcomes: list[str] = []
    barrier = threading.Barrier(workers * 2)

    def rename(number: int) -> None:  # every one based on version 1 of the same record: one wins
        with Store(store_url) as store:
            barrier.wait()
            try:
                store.apply([Edit("organizations", ("b",), {"name": f"支部{number}"}, 1)], user=f"u{number}")
                outcomes.append("saved")
            except ConflictError:
                outcomes.append("conflict")

    def add(number: int) -> None:  # different records: every one is saved
        with Store(store_url) as store:
            barrier.wait()
            store.apply([Edit("organizations", (f"n{number}",), {"name": f"新{number}", "kind": "enterprise",
                                                                   "circle": "external", "sector": "local_enterprise"},
                              0)], user=f"a{number}")
            outcomes.append("added")

    threads = [threading.Thread(target=rename, args=(i,)) for i in range(workers)]
    threads += [threading.Thread(target=add, args=(i,)) for i in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(outcomes) == sorted(["saved"] + ["conflict"] * (workers - 1) + ["added"] * workers)
    assert filled.revision == 1 + 1 + workers  # every accepted change is one revision
    assert filled.record("organizations", ("b",))[1] == 2
    assert len([e for e in filled.log() if e["user"].startswith("u")]) == 1
    _replayed(filled)


def test_concurrent_editors_in_processes(filled, store_url):
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from cojian_graph.store import Store, Edit, ConflictError\n"
        "store = Store(sys.argv[1])\n"
        "n = sys.argv[2]\n"
        "try:\n"
        "    store.apply([Edit('organizations', ('c',), {'name': 'p' + n}, 1)], user='p' + n)\n"
        "    print('saved')\n"
        "except ConflictError:\n"
        "    print('conflict')\n"
        "store.apply([Edit('organizations', ('q' + n,), {'name': 'q' + n, 'kind': 'school', 'circle': 'external',"
        " 'sector': 'education'}, 0)], user='q' + n)\n"
    )
    processes = [subprocess.Popen([sys.executable, "-c", script, store_url, str(i)], stdout=subprocess.PIPE, text=True)
                 for i in range(4)]
    outputs = [process.communicate(timeout=120)[0].strip() for process in processes]
    assert all(process.returncode == 0 for process in processes)
    assert sorted(outputs) == ["conflict", "conflict", "conflict", "saved"]
    assert filled.revision == 1 + 1 + 4
    _replayed(filled)


def test_every_ledger_command_reads_a_store(store_url, tmp_path, monkeypatch):
    from click.testing import CliRunner

    from cojian_graph.cli import main

    runner = CliRunner()
    with Store(store_url, create=True) as store:
        store.import_ledger(read_ledger("data"), user="clerk")
        store.apply([Edit("organizations", ("prison",), {"name": "眉山监狱"}, 1)], user="clerk")
    from_file = runner.invoke(main, ["rank", "data", "-m", "degree"]).stdout
    from_store = runner.invoke(main, ["rank", "--db", store_url, "--as-of", "1", "-m", "degree"])
    assert from_store.exit_code == 0 and from_store.stdout == from_file
    now = runner.invoke(main, ["rank", "--db", store_url, "-m", "degree"]).stdout
    assert "眉山监狱" in now and "眉山监狱" not in from_file
    assert runner.invoke(main, ["stats", "--db", store_url]).exit_code == 0
    assert runner.invoke(main, ["validate", "--db", store_url]).exit_code == 0
    out = tmp_path / "x.gexf"
    assert runner.invoke(main, ["export", "--db", store_url, "-o", str(out)]).exit_code == 0 and out.exists()
    monkeypatch.setenv("COJIAN_DB", store_url)  # the environment names the store when no PATH is given
    assert "眉山监狱" in runner.invoke(main, ["rank", "-m", "degree"]).stdout
    assert "眉山监狱" not in runner.invoke(main, ["rank", "data", "-m", "degree"]).stdout  # a PATH wins
    result = runner.invoke(main, ["rank", "data", "--as-of", "1"])  # on a file, --as-of is a date of activities
    assert result.exit_code == 1 and "unrecognised date" in result.stderr
    monkeypatch.delenv("COJIAN_DB")
    result = runner.invoke(main, ["rank"])
    assert result.exit_code == 2 and "PATH or --db" in result.stderr


# -- faults: a clear error, the store unchanged, nothing half-written ---------------------------------


def test_a_corrupted_sqlite_file_is_a_clear_error(tmp_path):
    path = tmp_path / "store.sqlite"
    path.write_bytes(b"this is not a database, only text pretending to be one" * 100)
    for create in (False, True):
        with pytest.raises(StoreError, match="not a database"):
            Store(f"sqlite:///{path}", create=create)


def test_a_locked_sqlite_store_refuses_the_change_and_keeps_its_content(tmp_path, monkeypatch):
    import sqlite3

    from cojian_graph.store import core

    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    with Store(url, create=True) as store:
        store.import_ledger(tiny_ledger(), user="clerk")
    monkeypatch.setattr(core, "SQLITE_BUSY_TIMEOUT_MS", 300)
    other = sqlite3.connect(tmp_path / "store.sqlite", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    try:
        with Store(url) as store:
            with pytest.raises(StoreError, match="database is locked"):
                store.apply([Edit("organizations", ("b",), {"name": "改"}, 1)], user="clerk")
            assert store.ledger().content_hash() == tiny_ledger().content_hash()  # readers still read
    finally:
        other.execute("ROLLBACK")
        other.close()
    with Store(url) as store:
        assert store.revision == 1 and store.record("organizations", ("b",))[0]["name"] == "车间党支部"


def test_a_connection_lost_in_the_middle_of_a_change_writes_nothing(postgres, monkeypatch):
    from sqlalchemy import text

    from cojian_graph.store import records

    url = postgres.database()
    with Store(url, create=True) as store:
        store.import_ledger(tiny_ledger(), user="clerk")
        real = records.append_changes

        def dies(connection, rev, log):  # the records are written; the server drops the connection
            connection.execute(text("SELECT pg_terminate_backend(pg_backend_pid())"))
            real(connection, rev, log)

        monkeypatch.setattr(records, "append_changes", dies)
        with pytest.raises(StoreError, match="nothing was changed"):
            store.apply([Edit("organizations", ("b",), {"name": "改"}, 1),
                         Edit("organizations", ("d",), {"name": "也改"}, 1)], user="clerk")
        monkeypatch.setattr(records, "append_changes", real)
    with Store(url) as store:
        assert store.revision == 1
        assert store.ledger().content_hash() == tiny_ledger().content_hash()


def test_a_server_stopped_in_the_middle_of_a_change_writes_nothing(monkeypatch):
    from conftest import new_postgres_server

    from cojian_graph.store import records

    server = new_postgres_server()  # a server of its own: this test stops it
    try:
        url = server.database()
        with Store(url, create=True) as store:
            store.import_ledger(tiny_ledger(), user="clerk")
            real = records.append_changes

            def halts(connection, rev, log):  # the records are written, the history not yet: the server stops
                server.halt()
                real(connection, rev, log)

            monkeypatch.setattr(records, "append_changes", halts)
            with pytest.raises(StoreError, match="nothing was changed"):
                store.apply([Edit("organizations", ("b",), {"name": "改"}, 1),
                             Edit("organizations", ("d",), {"name": "也改"}, 1)], user="clerk")
            monkeypatch.setattr(records, "append_changes", real)
            with pytest.raises(StoreError, match="cannot connect"):  # while it is down: a clear error
                store.ledger()
        server.start()
        with Store(url) as store:
            assert store.revision == 1
            assert store.ledger().content_hash() == tiny_ledger().content_hash()
            assert store.apply([Edit("organizations", ("b",), {"name": "改"}, 1)], user="clerk") == 2
    finally:
        server.stop()


@pytest.mark.parametrize("folder_too", [False, True], ids=["file", "file and folder"])
def test_a_read_only_sqlite_store_refuses_changes_clearly(tmp_path, folder_too):
    """A read-only file is read and refuses changes; in a read-only folder, SQLite cannot make the
    shared-memory file its WAL mode reads through, so even reading is refused: clearly, in both
    languages, the file untouched."""
    import json
    import os
    import shutil
    import stat
    import subprocess
    import sys

    folder = tmp_path / "ro"
    folder.mkdir()
    url = f"sqlite:///{folder / 'store.sqlite'}"
    with Store(url, create=True) as store:
        store.import_ledger(tiny_ledger(), user="clerk")
    before = (folder / "store.sqlite").read_bytes()
    (folder / "store.sqlite").chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    if folder_too:
        folder.chmod(0o555)
    # root writes whatever the permissions say: the check runs without the capabilities that allow it
    prefix = []
    if os.geteuid() == 0:
        if not shutil.which("setpriv"):
            pytest.skip("setpriv (util-linux) is needed to drop root's file capabilities")
        prefix = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search,-fowner", "--"]
    script = f"""
import json
from cojian_graph.store import Edit, Store, StoreError
out = {{}}
try:
    with Store({url!r}) as store:
        out["read"] = [store.revision, store.ledger().content_hash()]
        store.apply([Edit("organizations", ("b",), {{"name": "改"}}, 1)], user="clerk")
except StoreError as error:
    out["error"] = str(error)
print(json.dumps(out))
"""
    try:
        done = subprocess.run([*prefix, sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    finally:
        folder.chmod(0o755)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    if not folder_too:
        assert out["read"] == [1, tiny_ledger().content_hash()]
        assert "nothing was changed" in out["error"]
    assert "read-only" in out["error"] and "只读" in out["error"]
    assert (folder / "store.sqlite").read_bytes() == before


def test_an_edit_that_changes_nothing_makes_no_revision(filled):
    assert filled.apply([Edit("organizations", ("b",), {"name": " 车间党支部 "}, 1)], user="clerk") is None
    assert filled.apply([Edit("activities", ("x1",), {"link_type": "黨員聯學"}, 1)], user="clerk") is None  # = learning
    assert filled.revision == 1 and filled.record("activities", ("x1",))[1] == 1


@pytest.mark.slow
def test_a_hundred_thousand_participations_round_trip(store_url):
    import time

    ledger = synthetic_ledger(5000, 35_000, seed=11)
    assert ledger.size("participations") >= 100_000
    with Store(store_url, create=True) as store:
        started = time.perf_counter()
        store.import_ledger(ledger, user="clerk")
        imported = time.perf_counter() - started
        same(store.ledger(), ledger)
        print(f"\n[store] {store.engine.dialect.name}: imported {ledger.size('participations'):,} "
              f"participations in {imported:.1f} s")
