"""Validation: every kind of problem is found, located (file, row, column) and coded;
good input is normalised."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from cojian_graph.errors import LedgerError
from cojian_graph.io import read_ledger
from cojian_graph.validate import PROBLEMS, canonical_header, cell_text, parse_date, validated

ORGS = """id,name,name_en,kind,circle,sector
a,铸钢党总支,,general_branch,focal,company
b,车间党支部,,party_branch,internal,company
c,地方企业党支部,,enterprise,external,local_enterprise
"""
ACTS = """id,title,title_en,link_type,date,description,outcome,source
x1,联学党课,,learning,2021,,,
x2,品牌共建,,brand,,,,
"""
PARTS = """activity_id,organization_id,role
x1,a,host
x1,b,partner
x2,a,host
x2,c,
"""


def write(folder, organizations=ORGS, activities=ACTS, participations=PARTS):
    for name, text in (("organizations", organizations), ("activities", activities),
                       ("participations", participations)):
        if text is not None:
            (folder / f"{name}.csv").write_text(text, encoding="utf-8")
    return folder


def problems_of(folder):
    with pytest.raises(LedgerError) as caught:
        read_ledger(folder)
    return caught.value.problems


def located(problems):
    return {(p.file, p.row, p.column, p.code) for p in problems}


def test_good_ledger_reads(tmp_path):
    ledger = read_ledger(write(tmp_path))
    assert ledger.organizations["id"].tolist() == ["a", "b", "c"]
    assert ledger.participations["role"].tolist() == ["host", "partner", "host", ""]


# (files to change, expected (file, row, column, code)); rows as in a spreadsheet: header is row 1
CASES = {
    "unknown_link_type": ({"activities": ACTS.replace("x2,品牌共建,,brand", "x2,品牌共建,,联谊")},
                          ("activities.csv", 3, "link_type", "unknown_link_type")),
    "unknown_circle": ({"organizations": ORGS.replace("c,地方企业党支部,,enterprise,external",
                                                      "c,地方企业党支部,,enterprise,outside")},
                       ("organizations.csv", 4, "circle", "unknown_circle")),
    "unknown_kind": ({"organizations": ORGS.replace("party_branch,internal", "小组,internal")},
                     ("organizations.csv", 3, "kind", "unknown_kind")),
    "unknown_sector": ({"organizations": ORGS.replace("local_enterprise", "farm")},
                       ("organizations.csv", 4, "sector", "unknown_sector")),
    "unknown_role": ({"participations": PARTS.replace("x1,b,partner", "x1,b,boss")},
                     ("participations.csv", 3, "role", "unknown_role")),
    "unknown_organization": ({"participations": PARTS + "x2,zz,partner\n"},
                             ("participations.csv", 6, "organization_id", "unknown_organization")),
    "unknown_activity": ({"participations": PARTS + "x9,a,partner\n"},
                         ("participations.csv", 6, "activity_id", "unknown_activity")),
    "duplicate_id": ({"organizations": ORGS + "b,另一个,,other,external,other\n"},
                     ("organizations.csv", 5, "id", "duplicate_id")),
    "duplicate_participation": ({"participations": PARTS + "x1,a,partner\n"},
                                ("participations.csv", 6, "organization_id", "duplicate_participation")),
    "empty_required": ({"activities": ACTS.replace("x2,品牌共建", "x2,")},
                       ("activities.csv", 3, "title", "empty_required")),
    "bad_date": ({"activities": ACTS.replace("learning,2021", "learning,去年")},
                 ("activities.csv", 2, "date", "bad_date")),
    "activity_without_participants": ({"activities": ACTS + "x3,无人参加,,service,2022,,,\n"},
                                      ("activities.csv", 4, "id", "activity_without_participants")),
    "missing_column": ({"organizations": ORGS.replace(",circle", ",圈").replace("focal", "focal")},
                       ("organizations.csv", None, "circle", "missing_column")),
    "duplicate_column": ({"participations": "activity_id,organization_id,role,角色\nx1,a,host,host\n"
                                            "x1,b,,\nx2,a,,\nx2,c,,\n"},
                         ("participations.csv", None, "role", "duplicate_column")),
}


@pytest.mark.parametrize("code", list(CASES))
def test_each_problem_is_located_and_coded(tmp_path, code):
    changes, expected = CASES[code]
    problems = problems_of(write(tmp_path, **changes))
    assert expected in located(problems)
    assert all(p.message_zh and p.message_en and p.fix_zh and p.fix_en for p in problems)
    assert not any("{" in text for p in problems for text in (p.message_zh, p.message_en, p.fix_zh, p.fix_en))


def test_unknown_link_type_suggests_the_closest_links(tmp_path):
    problems = problems_of(write(tmp_path, activities=ACTS.replace("learning,2021", "党员学习,2021")))
    (problem,) = problems
    assert "党员联学" in problem.fix_zh and "learning" in problem.fix_en


def test_unknown_kind_and_sector_suggest_other(tmp_path):
    problems = problems_of(write(tmp_path, organizations=ORGS.replace("enterprise,external,local_enterprise",
                                                                      "farm,external,farming")))
    assert {p.code for p in problems} == {"unknown_kind", "unknown_sector"}
    assert all("other" in p.fix_en and "其他" in p.fix_zh for p in problems)


def test_unknown_circle_lists_the_valid_circles(tmp_path):
    (problem,) = problems_of(write(tmp_path, organizations=ORGS.replace("focal", "center")))
    assert all(circle in problem.fix_en for circle in ("focal", "internal", "external"))


def test_duplicate_id_names_both_rows(tmp_path):
    (problem,) = problems_of(write(tmp_path, organizations=ORGS + "a,重复,,other,external,other\n"))
    assert problem.row == 5 and "row 2" in problem.message_en and "第 2 行" in problem.message_zh


def test_missing_file(tmp_path):
    write(tmp_path, participations=None)
    problems = problems_of(tmp_path)
    assert ("participations.csv", None, None, "missing_table") in located(problems)


def test_unreadable_file_is_a_problem_not_a_traceback(tmp_path):
    write(tmp_path)
    (tmp_path / "activities.csv").write_bytes(b"\x81\xff\xfe\x00\x9f" * 20)
    problems = problems_of(tmp_path)
    assert ("activities.csv", None, None, "unreadable_file") in located(problems)


def test_malformed_csv_is_a_problem(tmp_path):
    problems = problems_of(write(tmp_path, participations=PARTS + "x1,a,host,extra,cells\n"))
    assert [p.code for p in problems] == ["unreadable_file"]


def test_every_row_with_too_many_cells_is_named(tmp_path):
    # rows 3 and 6 (the header is row 1) have more cells than the header; nothing else is read
    parts = PARTS.replace("x1,b,partner", "x1,b,partner,extra") + "x2,b,,,\n"
    problems = problems_of(write(tmp_path, participations=parts))
    assert [(p.file, p.row, p.code) for p in problems] == [("participations.csv", 3, "unreadable_file"),
                                                           ("participations.csv", 6, "unreadable_file")]
    assert "row 3 has 4 cells but the header has only 3 columns" in problems[0].message_en
    assert "第 3 行有 4 个单元格" in problems[0].message_zh


def test_a_stray_quote_is_a_problem_not_a_guess(tmp_path):
    # an unclosed quote would swallow the rest of the file into one cell: reported, with the line
    problems = problems_of(write(tmp_path, activities=ACTS.replace("x2,品牌共建", 'x2,"品牌"共建')))
    assert [(p.file, p.code) for p in problems] == [("activities.csv", "unreadable_file")]
    assert "near line 3" in problems[0].message_en and "第 3 行附近" in problems[0].message_zh
    unclosed = problems_of(write(tmp_path, activities=ACTS.replace("x2,品牌共建", 'x2,"品牌共建')))
    assert [(p.file, p.code) for p in unclosed] == [("activities.csv", "unreadable_file")]


def test_empty_ledger(tmp_path):
    problems = problems_of(write(tmp_path, organizations="id,name,name_en,kind,circle,sector\n",
                                 activities="id,title,link_type\n",
                                 participations="activity_id,organization_id\n"))
    assert [p.code for p in problems] == ["empty_ledger"]


def test_every_problem_is_reported_at_once(tmp_path):
    problems = problems_of(write(
        tmp_path,
        organizations=ORGS.replace("focal", "center") + "a,重复,,other,external,other\n",
        activities=ACTS.replace("learning,2021", "联谊,2021-13"),
        participations=PARTS + "x9,zz,boss\n"))
    codes = sorted(p.code for p in problems)
    assert codes == sorted(["unknown_circle", "duplicate_id", "unknown_link_type", "bad_date",
                            "unknown_activity", "unknown_organization", "unknown_role"])


def test_missing_required_column_is_reported_once_not_per_row(tmp_path):
    problems = problems_of(write(tmp_path, activities=ACTS.replace(",title,", ",x,")))
    assert [(p.code, p.column) for p in problems] == [("missing_column", "title")]


def test_blank_rows_are_skipped_and_rows_keep_their_numbers(tmp_path):
    acts = ACTS.replace("x2,品牌共建,,brand,,,,\n", "\n,,,,,,,\nx2,品牌共建,,联谊,,,,\n")
    (problem,) = problems_of(write(tmp_path, activities=acts))
    assert (problem.row, problem.code) == (5, "unknown_link_type")


# --- normalisation ---------------------------------------------------------------------------


def test_normalises_spellings_and_trims(tmp_path):
    orgs = ORGS.replace("a,铸钢党总支,,general_branch,focal,company",
                        " a ,  铸钢党总支 ,, 党总支 , 核心组织 , 公司内部 ")
    acts = ACTS.replace("x1,联学党课,,learning,2021", "x1,联学党课,,黨員聯學,2021年7月1日").replace(
        "x2,品牌共建,,brand,", "x2,品牌共建,,Joint Brand Building ,2022/3")
    parts = PARTS.replace("x1,a,host", " x1 , a ,主办").replace("x1,b,partner", "x1,b,Partner")
    ledger = read_ledger(write(tmp_path, organizations=orgs, activities=acts, participations=parts))
    assert ledger.organizations.iloc[0].tolist() == [
        "a", "铸钢党总支", "", "general_branch", "focal", "company"]
    assert ledger.activities["link_type"].tolist() == ["learning", "brand"]
    assert ledger.activities["date"].tolist() == ["2021-07-01", "2022-03"]
    assert ledger.participations["role"].tolist() == ["host", "partner", "host", ""]


def test_headers_by_chinese_english_and_bilingual_names(tmp_path):
    orgs = ORGS.replace("id,name,name_en,kind,circle,sector", "编号 id,名称,English name,Kind,圈层,sector")
    ledger = read_ledger(write(tmp_path, organizations=orgs))
    assert ledger.organizations.columns.tolist() == ["id", "name", "name_en", "kind", "circle", "sector"]


def test_extra_columns_are_kept_after_the_canonical_ones(tmp_path):
    orgs = ORGS.replace("id,name,", "备注,id,name,").replace("\na,", "\n老党员多,a,").replace("\nb,", "\n,b,")
    orgs = orgs.replace("\nc,", "\n,c,")
    ledger = read_ledger(write(tmp_path, organizations=orgs))
    assert ledger.organizations.columns.tolist()[-1] == "备注"
    assert ledger.organizations["备注"].tolist() == ["老党员多", "", ""]


def test_cells_stay_as_typed(tmp_path):
    orgs = ORGS.replace("a,铸钢党总支,,", "a,NA,None,").replace("b,车间党支部,,", "b,007,NaN,")
    ledger = read_ledger(write(tmp_path, organizations=orgs))
    assert ledger.organizations["name"].tolist()[:2] == ["NA", "007"]
    assert ledger.organizations["name_en"].tolist()[:2] == ["None", "NaN"]


def test_validated_from_typed_frames():
    orgs = pd.DataFrame({"id": [1, 2], "name": ["甲", "乙"], "kind": ["other"] * 2,
                         "circle": ["focal", "external"], "sector": ["other"] * 2})
    acts = pd.DataFrame({"id": ["x"], "title": ["t"], "link_type": ["service"],
                         "date": [pd.Timestamp("2021-07-01")]})
    parts = pd.DataFrame({"activity_id": ["x", "x"], "organization_id": [1.0, 2.0]})
    ledger = validated({"organizations": orgs, "activities": acts, "participations": parts})
    assert ledger.organizations["id"].tolist() == ["1", "2"]
    assert ledger.participations["organization_id"].tolist() == ["1", "2"]
    assert ledger.activities["date"].tolist() == ["2021-07-01"]
    assert ledger.participations.columns.tolist() == ["activity_id", "organization_id", "role"]


@pytest.mark.parametrize(("text", "expected"), [
    ("", ""), ("2021", "2021"), ("2021-07", "2021-07"), ("2021-07-01", "2021-07-01"),
    ("2021/7/1", "2021-07-01"), ("2021.7", "2021-07"), ("2021年7月", "2021-07"),
    ("2021年7月1日", "2021-07-01"),
    ("２０２１年７月", "2021-07"), ("2021年", "2021"), ("2021-07-01 00:00:00", "2021-07-01"),
    ("去年", None), ("2021-13", None), ("2021-02-30", None), ("21", None), ("July 2021", None),
    ("2021-7-1-1", None),
])
def test_parse_date(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(("value", "expected"), [
    (7, "7"), (7.0, "7"), (0.25, "0.25"), (None, ""), (float("nan"), ""), ("007", "007"), (False, "FALSE"),
])
def test_cell_text(value, expected):
    assert cell_text(value) == expected


@pytest.mark.parametrize(("table", "header", "expected"), [
    ("organizations", "名称 name", "name"), ("organizations", "English name", "name_en"),
    ("organizations", "NAME_EN", "name_en"), ("activities", "八联类型", "link_type"),
    ("participations", "Organisation ID", "organization_id"), ("participations", "备注", None),
])
def test_canonical_header(table, header, expected):
    assert canonical_header(table, header) == expected


def test_problem_messages_have_matching_placeholders():
    for code, texts in PROBLEMS.items():
        assert re.fullmatch(r"[a-z_]+", code)
        assert len(texts) == 4 and all(texts)


def test_every_unicode_space_is_trimmed():
    from cojian_graph.validate import as_text

    spaces = "".join(c for c in map(chr, range(0x110000)) if c.isspace())
    assert "\u3000" in spaces
    cells = pd.Series([f"{space}x{space}" for space in spaces], dtype="str")
    assert as_text(cells).tolist() == ["x"] * len(spaces)
