"""The desk and history pages with Streamlit's AppTest, on a SQLite store made from the bundled ledger:
recording an activity (partners found under Traditional spellings), problems shown beside the fields,
editing and its conflicts, merging, reverting, looking at a past revision; who may do what."""

from __future__ import annotations

import getpass
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from cojian_graph.io import read_ledger
from cojian_graph.store import Edit, Store
from cojian_graph.store.accounts import Accounts, PermissionDenied
from cojian_graph.store.desk import Desk

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
PASSWORD = "a-long-enough-password"


@pytest.fixture
def store_app(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    with Store(url, create=True) as store:
        store.import_ledger(read_ledger(ROOT / "data"), user="clerk")
    monkeypatch.setenv("COJIAN_DB", url)
    monkeypatch.setenv("COJIAN_SIGNIN", "0")  # the single local user, as make run on 127.0.0.1
    monkeypatch.delenv("COJIAN_LEDGER", raising=False)
    return url


def page(name: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    at.switch_page(f"app_pages/{name}.py").run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def add_participant(at: AppTest, search: str, org: str, round_: int = 0) -> None:
    at.text_input(key=f"rec_find_{round_}").input(search).run()
    picker = at.selectbox(key=f"rec_pick_{round_}")
    names = dict(zip(read_ledger(ROOT / "data").organizations["id"], read_ledger(ROOT / "data").organizations["name"],
                     strict=True))
    assert names[org] in picker.options, picker.options  # the search found it (the picker shows names)
    picker.set_value(org).run()
    at.button(key=f"rec_add_{round_}").click().run()


def test_record_an_activity_found_under_traditional_spellings(store_app):
    at = page("desk")
    at.text_input(key="rec_title_0").input("联合主题党日").run()
    at.selectbox(key="rec_link_0").set_value("learning").run()
    at.text_input(key="rec_date_0").input("2024年5月").run()
    add_participant(at, "鑄鋼", "zhugang")  # Traditional for 铸钢
    at.selectbox(key="rec_role_zhugang_0").set_value("host").run()
    add_participant(at, "", "company_party_orgs")
    at.text_input(key="rec_note_0").input("五月党日").run()
    at.button(key="rec_save_0").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert any("已保存为修订 2" in s.value for s in at.success)
    with Store(store_app) as store:
        entry = store.log(since=1)[0]
        assert (entry["user"], entry["note"], entry["action"]) == (getpass.getuser(), "五月党日", "record")
        ledger = store.ledger()
    acts = ledger.activities
    new = acts[acts["title"] == "联合主题党日"].iloc[0]
    assert (new["link_type"], new["date"]) == ("learning", "2024-05")
    parts = ledger.participations
    assert set(zip(parts.loc[parts["activity_id"] == new["id"], "organization_id"],
                   parts.loc[parts["activity_id"] == new["id"], "role"], strict=True)) == {
        ("zhugang", "host"), ("company_party_orgs", "")}
    assert at.text_input(key="rec_title_1").value == ""  # a fresh form for the next one


def test_problems_are_shown_beside_the_fields_and_nothing_is_saved(store_app):
    at = page("desk")
    at.text_input(key="rec_date_0").input("去年夏天").run()
    add_participant(at, "", "zhugang")
    at.button(key="rec_save_0").click().run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert any("“标题”为空" in e and "is empty" in e for e in errors), errors  # under the title, in both languages
    assert any("去年夏天" in e for e in errors), errors  # the date it cannot read, under the date
    with Store(store_app) as store:
        assert store.revision == 1


def test_an_edit_based_on_a_stale_version_shows_the_conflict_field_by_field(store_app):
    at = page("desk")
    at.segmented_control(key="desk_section").set_value("edit").run()
    at.radio(key="edit_table").set_value("organizations").run()
    at.selectbox(key="edit_pick_organizations").set_value("zhugang").run()
    form_name = next(t for t in at.text_input if t.value == "中车眉山车辆有限公司铸钢分公司党总支")
    with Store(store_app) as store:  # meanwhile someone else renames it
        _, version = store.record("organizations", ("zhugang",))
        store.apply([Edit("organizations", ("zhugang",), {"name": "铸钢分公司党总支（他人）"}, version)], user="王五")
    form_name.input("铸钢分公司党总支（我的）")  # a form: sent with its submit button
    next(b for b in at.button if b.label == "保存修改" and b.form_id).click().run()
    assert not at.exception
    assert any("已被他人修改" in w.value for w in at.warning)
    radio = at.radio(key="conflict_0_name")
    assert "他人的：铸钢分公司党总支（他人）" in radio.options  # the labels, as shown
    radio.set_value("yours").run()
    at.button(key="conflict_save").click().run()
    assert any("已保存为修订 3" in s.value for s in at.success)
    with Store(store_app) as store:
        assert store.record("organizations", ("zhugang",))[0]["name"] == "铸钢分公司党总支（我的）"
        assert [row["user"] for row in store.revisions()][:2] == [getpass.getuser(), "王五"]  # both kept in the log


def test_merge_then_revert_on_the_history_page(store_app):
    at = page("desk")
    at.segmented_control(key="desk_section").set_value("merge").run()
    at.selectbox(key="merge_keep").set_value("zhugang").run()
    at.selectbox(key="merge_away").set_value("company_party_orgs").run()
    at.button(key="merge_go").click().run()
    assert any("已保存为修订 2" in s.value for s in at.success)
    with Store(store_app) as store:
        assert store.record("organizations", ("company_party_orgs",)) is None
    at.switch_page("app_pages/history.py").run()
    assert not at.exception
    assert at.selectbox(key="history_rev").value == 2
    at.button(key="revert_2").click().run()
    assert any("已撤销修订 2" in s.value for s in at.success), [s.value for s in at.success]
    with Store(store_app) as store:
        assert store.record("organizations", ("company_party_orgs",)) is not None
        assert store.ledger().content_hash() == store.as_of(1).content_hash()


def test_every_page_shows_a_past_revision(store_app):
    with Store(store_app) as store:
        store.apply([Edit("organizations", ("newcomer",), {"name": "新伙伴", "kind": "enterprise",
                                                            "circle": "external", "sector": "local_enterprise"}, 0)],
                    user="clerk")
    at = page("overview")
    metric = next(m for m in at.metric if m.label == "组织")
    assert metric.value == "18"
    at.selectbox(key="as_of").set_value(1).run()
    assert next(m for m in at.metric if m.label == "组织").value == "17"
    # or by a date: the end of a day before the change (its time moved back, as if made in 2023)
    from sqlalchemy import create_engine, text

    engine = create_engine(store_app)
    with engine.begin() as connection:
        connection.execute(text("UPDATE revisions SET at = '2022-12-31T09:00:00+00:00' WHERE rev = 1"))
        connection.execute(text("UPDATE revisions SET at = '2023-07-01T09:00:00+00:00' WHERE rev = 2"))
    engine.dispose()
    import datetime as dt

    at.selectbox(key="as_of").set_value(0).run()
    assert next(m for m in at.metric if m.label == "组织").value == "18"
    at.date_input(key="as_of_date").set_value(dt.date(2023, 6, 30)).run()
    assert at.selectbox(key="as_of").value == 1
    assert next(m for m in at.metric if m.label == "组织").value == "17"
    at.date_input(key="as_of_date").set_value(dt.date(2022, 1, 1)).run()  # before the store existed
    assert any("之前台账库还没有修订" in c.value for c in at.sidebar.caption)
    assert at.selectbox(key="as_of").value == 1  # unchanged
    at.switch_page("app_pages/desk.py").run()
    assert any("修订 1" in i.value for i in at.info)  # no editing of the past
    assert not [b for b in at.button if b.key and b.key.startswith(("rec_", "merge_", "edit_"))]


def test_a_viewer_sees_no_desk_and_the_server_refuses_its_change(store_app, monkeypatch):
    monkeypatch.setenv("COJIAN_SIGNIN", "1")
    with Store(store_app) as store:
        accounts = Accounts(store)
        accounts.add("leader", PASSWORD, role="viewer")
        accounts.add("admin", PASSWORD, role="admin")
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    assert at.title[0].value.startswith("登录")  # nothing but the sign-in form
    assert not at.metric
    at.text_input(key="signin_name").input("leader")
    at.text_input(key="signin_password").input(PASSWORD)
    at.button[0].click().run()
    assert not at.exception
    at.switch_page("app_pages/desk.py").run()
    assert any("只能查看" in i.value for i in at.info)
    # the server's check, whatever a page shows: the desk of this account refuses the change
    token = at.session_state["_token"]
    with Store(store_app) as store:
        account = Accounts(store).account_of(token)
        desk = Desk(store, Accounts(store), account.name)
        with pytest.raises(PermissionDenied, match="editor"):
            desk.apply([Edit("organizations", ("zhugang",), {"name": "改"}, 1)])
        assert store.revision == 1


def test_an_organisations_profile_shows_its_own_history(store_app):
    with Store(store_app) as store:
        store.apply([Edit("organizations", ("zhugang",), {"name": "铸钢分公司党总支"}, 1)], user="王五", note="简称")
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["page"] = "organization"
    at.query_params["org"] = "zhugang"
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    history = next(frame.value for frame in at.dataframe if "修改后" in frame.value.columns)
    first = history.iloc[0]
    assert (first["修订"], first["用户"], first["说明"], first["字段"], first["修改后"]) == (
        2, "王五", "简称", "name", "铸钢分公司党总支")
    assert set(history["修订"]) == {1, 2}


def test_the_history_is_filtered_by_user_organisation_link_and_date(store_app):
    with Store(store_app) as store:
        store.apply([Edit("organizations", ("zhugang",), {"name": "铸钢分公司党总支"}, 1)], user="王五")
        acts = store.ledger().activities
        learning = acts.loc[acts["link_type"] == "learning", "id"].iloc[0]
        store.apply([Edit("activities", (learning,), {"outcome": "效果良好"}, 1)], user="李四")
    at = page("history")

    def shown() -> list[int]:
        table = next(frame.value for frame in at.dataframe if "修订" in frame.value.columns)
        return table["修订"].tolist()

    assert shown() == [3, 2, 1]
    at.multiselect(key="history_users").set_value(["王五"]).run()
    assert shown() == [2]
    at.multiselect(key="history_users").set_value([]).run()
    at.text_input(key="history_find").input("鑄鋼分公司黨總支").run()  # Traditional spelling
    at.selectbox(key="history_org").set_value("zhugang").run()
    assert shown() == [2, 1]  # its rename, and the import that added it
    at.text_input(key="history_find").input("").run()
    at.selectbox(key="history_link").set_value("learning").run()
    assert shown() == [3, 1]
    at.selectbox(key="history_link").set_value(None).run()
    import datetime as dt

    at.date_input(key="history_dates").set_value((dt.date(2020, 1, 1), dt.date(2020, 12, 31))).run()
    assert shown() == []
    assert not at.exception


def test_guests_read_but_never_change_when_the_operator_allows_it(store_app, monkeypatch):
    monkeypatch.setenv("COJIAN_SIGNIN", "1")
    monkeypatch.setenv("COJIAN_ANONYMOUS", "1")
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    assert not at.exception
    assert {m.label: m.value for m in at.metric}["组织"] == "17"  # reads without signing in
    assert any("访客" in c.value for c in at.sidebar.caption)
    at.switch_page("app_pages/desk.py").run()
    assert any("只能查看" in i.value for i in at.info)
    at.switch_page("app_pages/history.py").run()
    assert not [b for b in at.button if b.key and b.key.startswith("revert_")]


def test_a_recorded_activity_changes_the_rankings(store_app):
    import itertools

    import pandas as pd

    parts = pd.read_csv(ROOT / "data" / "participations.csv", dtype=str, keep_default_na=False)
    partners = {org: set() for org in parts["organization_id"]}
    for _, group in parts.groupby("activity_id"):
        for a, b in itertools.combinations(set(group["organization_id"]), 2):
            partners[a].add(b)
            partners[b].add(a)
    first, second = next((a, b) for a, b in itertools.combinations(sorted(partners), 2) if b not in partners[a])
    at = page("desk")
    at.text_input(key="rec_title_0").input("联合党课").run()
    add_participant(at, "", first)
    add_participant(at, "", second)
    at.button(key="rec_save_0").click().run()
    assert any("已保存为修订 2" in s.value for s in at.success)
    at.switch_page("app_pages/rankings.py").run()
    assert not at.exception
    table = next(frame.value for frame in at.dataframe if "合作伙伴数" in frame.value.columns).set_index("ID")
    assert table.loc[first, "合作伙伴数"] == len(partners[first]) + 1
    assert table.loc[second, "合作伙伴数"] == len(partners[second]) + 1


def test_a_guest_never_acts_as_an_account_of_the_same_name(store_app, monkeypatch):
    monkeypatch.setenv("COJIAN_SIGNIN", "1")
    monkeypatch.setenv("COJIAN_ANONYMOUS", "1")
    with Store(store_app) as store:  # an editor account that happens to bear the guest's display name
        Accounts(store).add("访客", PASSWORD, role="editor")

    def script():  # what a change from a guest's session would run on the server
        import streamlit as st

        from app_pages import access

        st.write(access.account().name)
        try:
            access.desk()
        except Exception as error:  # the test reads its type
            st.write(type(error).__name__)
        else:
            st.write("a desk")

    at = AppTest.from_function(script, default_timeout=60)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert [m.value for m in at.markdown] == ["访客", "SignInError"]


def test_the_grid_opens_every_matching_record_at_its_version(store_app):
    at = page("desk")
    at.segmented_control(key="desk_section").set_value("bulk").run()
    assert not at.exception
    grid = at.dataframe[-1].value
    assert list(grid["id"]) == list(read_ledger(ROOT / "data").organizations["id"])
    assert all(version == 1 for _, version in at.session_state["_bulk_base"]["rows"].values())
    at.text_input(key="bulk_find").input("鑄鋼").run()  # narrowed by a Traditional spelling
    assert set(at.dataframe[-1].value["id"]) == {org for org, name in zip(
        read_ledger(ROOT / "data").organizations["id"], read_ledger(ROOT / "data").organizations["name"],
        strict=True) if "铸钢" in name}
