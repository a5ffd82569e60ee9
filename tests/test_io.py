"""Readers and writers: CSV folder (encodings), Excel workbook (typed cells, formulas), JSON, the template."""

from __future__ import annotations

import datetime as dt
import json

import openpyxl
import pandas as pd
import pytest

from cojian_graph.errors import CojianError, LedgerError
from cojian_graph.io import (
    read_csv_folder,
    read_excel,
    read_json,
    read_ledger,
    write_csv_folder,
    write_excel,
    write_json,
    write_ledger,
    write_template,
)
from cojian_graph.ledger import Ledger
from cojian_graph.model import LINKS
from cojian_graph.schema import TABLES

HEADERS = {name: table.column_names for name, table in TABLES.items()}
ORGS = [["a", "铸钢党总支", "Cast Steel", "general_branch", "focal", "company"],
        ["b", "地方小学", "", "school", "external", "education"]]
ACTS = [["x1", "联学党课", "", "learning", "2021-07", "", "", "三、4"]]
PARTS = [["x1", "a", "host"], ["x1", "b", "partner"]]


def csv_text(header, rows):
    return "\n".join(",".join(row) for row in [header, *rows]) + "\n"


def write_folder(folder, encoding="utf-8", newline="\n"):
    for name, rows in (("organizations", ORGS), ("activities", ACTS), ("participations", PARTS)):
        text = csv_text(HEADERS[name], rows).replace("\n", newline)
        (folder / f"{name}.csv").write_bytes(text.encode(encoding))
    return folder


def problems(call, *args):
    with pytest.raises(LedgerError) as caught:
        call(*args)
    return caught.value.problems


def assert_same(left: Ledger, right: Ledger):
    for name in TABLES:
        pd.testing.assert_frame_equal(left.table(name), right.table(name))


# --- CSV folder -------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16"])
def test_csv_encodings_are_detected(tmp_path, encoding):
    ledger = read_csv_folder(write_folder(tmp_path, encoding))
    assert ledger.organizations["name"].tolist() == ["铸钢党总支", "地方小学"]
    assert ledger.organizations.columns[0] == "id"  # no BOM left in the first header
    assert ledger.activities["source"].tolist() == ["三、4"]


def test_csv_with_windows_line_endings(tmp_path):
    ledger = read_csv_folder(write_folder(tmp_path, "gb18030", newline="\r\n"))
    assert ledger.participations["role"].tolist() == ["host", "partner"]


def test_csv_written_as_utf8_with_bom(tmp_path, tiny):
    write_csv_folder(tiny, tmp_path)
    data = (tmp_path / "organizations.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and "铸钢党总支".encode() in data
    assert_same(read_csv_folder(tmp_path), tiny)


def test_csv_written_as_gb18030_on_request(tmp_path, tiny):
    write_csv_folder(tiny, tmp_path, encoding="gb18030")
    assert "铸钢党总支".encode("gb18030") in (tmp_path / "organizations.csv").read_bytes()
    assert_same(read_csv_folder(tmp_path), tiny)


def test_csv_chinese_file_names_are_accepted(tmp_path):
    write_folder(tmp_path)
    (tmp_path / "organizations.csv").rename(tmp_path / "组织.csv")
    assert len(read_csv_folder(tmp_path).organizations) == 2


def test_csv_cells_with_commas_quotes_and_newlines(tmp_path, tiny):
    activities = tiny.activities.copy()
    activities.loc[0, "description"] = '他说："联学，共建"\n第二行'
    ledger = Ledger(tiny.organizations, activities, tiny.participations)
    write_csv_folder(ledger, tmp_path)
    assert read_csv_folder(tmp_path).activities.loc[0, "description"] == '他说："联学，共建"\n第二行'


def test_csv_empty_file_is_a_problem(tmp_path):
    write_folder(tmp_path)
    (tmp_path / "activities.csv").write_bytes(b"")
    (problem,) = problems(read_csv_folder, tmp_path)
    assert (problem.file, problem.code) == ("activities.csv", "unreadable_file")


# --- Excel ------------------------------------------------------------------------------------


def make_workbook(path, sheets):
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    workbook.save(path)
    return path


def test_excel_chinese_sheet_names_bilingual_headers_and_typed_cells(tmp_path):
    path = make_workbook(tmp_path / "台账.xlsx", {
        "说明": [["随便写点什么"]],
        "组织": [["铸钢党总支共建台账"], ["编号 id", "名称 name", "类型 kind", "圈层 circle", "领域 sector"],
               [7, "甲", "党总支", "核心组织", "公司内部"], [8.0, "乙", "学校", "external", "教育"]],
        "活动": [["编号", "标题", "八联类型", "日期"],
               ["x1", "联学", "Joint study by members", dt.datetime(2021, 7, 1)],
               ["x2", "服务", "服務聯動", 2022]],
        "参与": [["活动编号", "组织编号", "角色"], ["x1", 7, "主办"], [None, None, None], ["x1", 8, None],
               ["x2", "7", "共建方"]],
    })
    ledger = read_excel(path)
    assert ledger.organizations["id"].tolist() == ["7", "8"]
    assert ledger.organizations["kind"].tolist() == ["general_branch", "school"]
    assert ledger.activities["date"].tolist() == ["2021-07-01", "2022"]
    assert ledger.activities["link_type"].tolist() == ["learning", "service"]
    assert ledger.participations["organization_id"].tolist() == ["7", "8", "7"]


def test_excel_problem_rows_are_the_sheet_rows(tmp_path):
    path = make_workbook(tmp_path / "ledger.xlsx", {
        "organizations": [HEADERS["organizations"], *ORGS],
        "activities": [HEADERS["activities"], *ACTS],
        "participations": [HEADERS["participations"], PARTS[0], [], [], ["x1", "nobody", "host"]],
    })
    (problem,) = problems(read_excel, path)
    assert (problem.file, problem.row, problem.column, problem.code) == (
        "ledger.xlsx › participations", 5, "organization_id", "unknown_organization")


def test_excel_missing_sheet(tmp_path):
    path = make_workbook(tmp_path / "ledger.xlsx", {
        "organizations": [HEADERS["organizations"], *ORGS], "activities": [HEADERS["activities"], *ACTS]})
    found = problems(read_excel, path)
    assert [(p.file, p.code) for p in found] == [("ledger.xlsx › participations", "missing_table")]


def test_excel_not_a_workbook(tmp_path):
    path = tmp_path / "ledger.xlsx"
    path.write_text("id,name\n", encoding="utf-8")
    (problem,) = problems(read_ledger, path)
    assert (problem.file, problem.code) == ("ledger.xlsx", "unreadable_file")


def test_excel_formula_like_text_is_written_as_text(tmp_path, tiny):
    organizations = tiny.organizations.copy()
    organizations.loc[0, "name"] = "=1+1"
    organizations.loc[1, "name"] = "#N/A"
    organizations.loc[2, "name"] = "007"
    ledger = Ledger(organizations, tiny.activities, tiny.participations)
    path = tmp_path / "ledger.xlsx"
    write_excel(ledger, path)
    sheet = openpyxl.load_workbook(path)["organizations"]
    assert [(sheet[f"B{row}"].value, sheet[f"B{row}"].data_type) for row in (2, 3, 4)] == [
        ("=1+1", "s"), ("#N/A", "s"), ("007", "s")]
    assert_same(read_excel(path), ledger)


def test_excel_control_characters_are_a_clear_error(tmp_path, tiny):
    organizations = tiny.organizations.copy()
    organizations.loc[0, "name"] = "a\x01b"
    with pytest.raises(CojianError, match="row 2"):
        write_excel(Ledger(organizations, tiny.activities, tiny.participations), tmp_path / "x.xlsx")


# --- JSON -------------------------------------------------------------------------------------


def test_json_document_shape(tmp_path, tiny):
    path = tmp_path / "ledger.json"
    write_json(tiny, path)
    document = json.loads(path.read_text(encoding="utf-8"))
    assert (document["format"], document["version"]) == ("cojian-ledger", 1)
    assert document["organizations"][0] == dict(zip(HEADERS["organizations"], tiny.organizations.iloc[0],
                                                    strict=True))
    assert "铸钢党总支" in path.read_text(encoding="utf-8")  # ensure_ascii=False
    assert_same(read_json(path), tiny)


def test_json_records_are_numbered_from_one(tmp_path):
    document = {"format": "cojian-ledger", "version": 1,
                "organizations": [dict(zip(HEADERS["organizations"], row, strict=True)) for row in ORGS],
                "activities": [{"id": "x1", "title": "t", "link_type": "nonsense"}],
                "participations": [{"activity_id": "x1", "organization_id": "a"}]}
    path = tmp_path / "ledger.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    (problem,) = problems(read_json, path)
    assert (problem.row, problem.column, problem.code) == (1, "link_type", "unknown_link_type")
    assert problem.file.startswith("ledger.json › activities") and "record" in problem.file


def test_json_numbers_become_text(tmp_path):
    document = {"organizations": [{"id": 7, "name": "甲", "kind": "other", "circle": "focal",
                                   "sector": "other"}],
                "activities": [{"id": "x", "title": "t", "link_type": "culture", "date": 2021}],
                "participations": [{"activity_id": "x", "organization_id": 7}]}
    path = tmp_path / "ledger.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    ledger = read_json(path)
    assert ledger.participations["organization_id"].tolist() == ["7"]
    assert ledger.activities["date"].tolist() == ["2021"]


@pytest.mark.parametrize(("text", "code"), [
    ("{not json", "unreadable_file"),
    ("[1, 2]", "unreadable_file"),
    ('{"format": "something-else"}', "unreadable_file"),
    ('{"organizations": [], "activities": []}', "missing_table"),
    ('{"organizations": [1], "activities": [], "participations": []}', "unreadable_file"),
])
def test_json_bad_documents(tmp_path, text, code):
    path = tmp_path / "ledger.json"
    path.write_text(text, encoding="utf-8")
    assert code in {p.code for p in problems(read_json, path)}


# --- read_ledger / write_ledger ---------------------------------------------------------------


@pytest.mark.parametrize("name", ["folder", "ledger.xlsx", "ledger.json"])
def test_write_then_read_each_format(tmp_path, tiny, name):
    write_ledger(tiny, tmp_path / name)
    assert_same(read_ledger(tmp_path / name), tiny)


@pytest.mark.parametrize(("name", "code"), [("missing", "not_found"), ("old.xls", "unsupported_format"),
                                            ("one.csv", "unsupported_format")])
def test_read_ledger_bad_paths(tmp_path, name, code):
    if name != "missing":
        (tmp_path / name).write_bytes(b"x")
    (problem,) = problems(read_ledger, tmp_path / name)
    assert problem.code == code


@pytest.mark.parametrize("name", ["ledger.xlsx", "ledger.json"])
def test_folder_holding_one_ledger_file_reads_it(tmp_path, tiny, name):
    write_ledger(tiny, tmp_path / name)
    assert_same(read_ledger(tmp_path), tiny)


def test_folder_without_tables_lists_the_missing_files(tmp_path):
    found = problems(read_ledger, tmp_path)
    assert [(p.file, p.code) for p in found] == [
        ("organizations.csv", "missing_table"), ("activities.csv", "missing_table"),
        ("participations.csv", "missing_table")]


def test_write_ledger_unknown_suffix(tmp_path, tiny):
    with pytest.raises(CojianError):
        write_ledger(tiny, tmp_path / "ledger.txt")
    with pytest.raises(CojianError):
        write_ledger(tiny, tmp_path / "out", format="parquet")


def test_bundled_ledger_reads(bundled):
    assert len(bundled.organizations) > 0 and len(bundled.participations) > 0


# --- template ---------------------------------------------------------------------------------


def test_template_sheets_headers_and_notes(tmp_path):
    path = tmp_path / "template.xlsx"
    write_template(path)
    workbook = openpyxl.load_workbook(path)
    for name, table in TABLES.items():
        sheet = workbook[name]
        assert [cell.value for cell in sheet[1]] == [column.header() for column in table.columns]
        assert sheet.max_row == 1  # no example rows
    notes = [str(cell) for row in workbook["说明 Notes"].iter_rows(values_only=True) for cell in row if cell]
    for link in LINKS.values():
        assert {link.id, link.zh, link.zh_hant, link.en, link.metaphor_zh} <= set(notes)
    for table in TABLES.values():
        assert all(column.help_en in notes for column in table.columns)
    validations = workbook["activities"].data_validations.dataValidation
    assert any("D2" in str(v.sqref) for v in validations)  # link_type is column D


def test_template_read_back_empty_is_an_empty_ledger(tmp_path):
    path = tmp_path / "template.xlsx"
    write_template(path)
    assert [p.code for p in problems(read_ledger, path)] == ["empty_ledger"]


def test_template_filled_in_reads(tmp_path):
    path = tmp_path / "template.xlsx"
    write_template(path)
    workbook = openpyxl.load_workbook(path)
    workbook["organizations"].append(["a", "铸钢党总支", "", "党总支", "核心组织", "公司内部"])
    workbook["organizations"].append(["b", "地方小学", "", "学校", "外联（集团及地方）", "教育"])
    workbook["activities"].append(["x1", "联学", "", "党员联学", "2021年7月", "", "", ""])
    workbook["participations"].append(["x1", "a", "主办"])
    workbook["participations"].append(["x1", "b", "共建方"])
    workbook.save(path)
    ledger = read_ledger(path)
    assert ledger.organizations["circle"].tolist() == ["focal", "external"]
    assert ledger.activities.loc[0, ["link_type", "date"]].tolist() == ["learning", "2021-07"]
    assert ledger.participations["role"].tolist() == ["host", "partner"]


# --- encodings and docs -----------------------------------------------------------------------


def test_short_gb18030_that_is_also_valid_utf8_is_read_as_gb18030():
    from cojian_graph.io.encoding import decode_text

    data = "id\n一,0\n".encode("gb18030")  # 一 = D2 BB, which is also UTF-8 for the Cyrillic һ
    assert data.decode("utf-8") == "id\nһ,0\n"
    assert decode_text(data) == ("id\n一,0\n", "gb18030")
    assert decode_text("Café,中文".encode()) == ("Café,中文", "utf-8-sig")


def test_docs_in_sync_with_schema():
    from pathlib import Path

    from cojian_graph.model import CIRCLES, KINDS, ROLES, SECTORS
    from cojian_graph.validate import PROBLEMS

    doc = (Path(__file__).resolve().parent.parent / "docs" / "ledger-format.md").read_text(encoding="utf-8")
    for table in TABLES.values():
        for column in table.columns:
            row = (f"| `{column.name}` | {column.header()} | {'yes' if column.required else ''} | "
                   f"{column.help_zh} | {column.help_en} |")
            assert row in doc, row
    for code in PROBLEMS:
        assert f"| `{code}` |" in doc, code
    for link in LINKS.values():
        assert f"| `{link.id}` | {link.zh} | {link.zh_hant} | {link.en} |" in doc
    for registry in (CIRCLES, KINDS, SECTORS, ROLES):
        assert all(f"`{item.id}` ({item.zh}, {item.en})" in doc for item in registry.values())


def test_reading_holds_the_garbage_collector_off_and_gives_it_back(tmp_path, tiny, monkeypatch):
    """The collector is off while the files are read, and on again afterwards, also after a rejected ledger
    and when two reads overlap."""
    import gc

    from cojian_graph import collector
    from cojian_graph import io as io_module
    from cojian_graph.io import csvfolder

    seen = []
    real = csvfolder.read_csv_folder

    def watching(path, progress=None):
        seen.append(gc.isenabled())
        with collector.paused():  # a second, overlapping read
            seen.append(gc.isenabled())
        seen.append(gc.isenabled())
        return real(path, progress=progress)

    monkeypatch.setitem(io_module.FORMATS, "csv", (watching, *io_module.FORMATS["csv"][1:]))
    write_ledger(tiny, tmp_path / "good")
    read_ledger(tmp_path / "good")
    assert seen == [False, False, False] and gc.isenabled()
    (tmp_path / "bad").mkdir()
    with pytest.raises(LedgerError):
        read_ledger(tmp_path / "bad")  # no files at all
    assert gc.isenabled()


@pytest.mark.parametrize("fmt", ["csv", "excel", "json"])
def test_reading_names_each_table_then_the_checks(tmp_path, tiny, fmt):
    path = tmp_path / {"csv": "ledger", "excel": "ledger.xlsx", "json": "ledger.json"}[fmt]
    write_ledger(tiny, path, fmt)
    calls = []
    read_ledger(path, progress=lambda *args: calls.append(args))
    assert [done for done, _, _ in calls] == [0, 1, 2, 3, 4] and {total for _, total, _ in calls} == {4}
    assert [label.split()[0] for _, _, label in calls[:4]] == ["读取", "读取", "读取", "检查台账"]
    assert "organizations" in calls[0][2] and "participations" in calls[2][2] and calls[4][2] == ""
