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
        assert store.revision == 0 and store.schema_revision() == "0001"
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


def test_a_server_that_is_not_there_is_a_clear_error():
    with pytest.raises(StoreError, match="cannot connect"):
        Store("postgresql+psycopg://nobody@/nothing?host=/nonexistent&port=1", create=True)
    with pytest.raises(StoreError, match="not a database URL"):
        Store("nonsense://x")


def test_the_migrations_make_the_tables_the_metadata_describes(store_url):
    from sqlalchemy import create_engine, inspect

    from cojian_graph.store.schema import metadata

    Store(store_url, create=True).close()
    engine = create_engine(store_url)
    inspector = inspect(engine)
    for name, table in metadata.tables.items():
        assert [c["name"] for c in inspector.get_columns(name)] == [c.name for c in table.columns], name
        assert inspector.get_pk_constraint(name)["constrained_columns"] == [c.name for c in table.primary_key], name
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
    result = runner.invoke(main, ["db", "export", "--db", store_url, "-o", str(tmp_path / "old.json"), "--as-of", "1"])
    assert result.exit_code == 0
    same(read_ledger(tmp_path / "old.json"), read_ledger("data"))


def test_a_missing_sqlite_store_is_not_created_by_opening_it(tmp_path):
    path = tmp_path / "missing.sqlite"
    with pytest.raises(StoreError, match="cojian db init"):
        Store(f"sqlite:///{path}")
    assert not path.exists()
