"""Ledgers people really keep, and hostile ones: every reader rejects or reads correctly, never
crashes, hangs, exhausts memory or garbles text.

Each case names the problem a user sees (code, row, column); the memory cases run the real command in
a child process and read its peak memory from the kernel.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from cojian_graph.errors import LedgerError
from cojian_graph.io import read_ledger, write_ledger
from cojian_graph.testing import tiny_ledger

ORGS = "id,name,kind,circle,sector\na,甲党支部,party_branch,focal,company\nb,乙党支部,party_branch,internal,company\n"
ACTS = "id,title,link_type,date\nx,联学,learning,2021\n"
PARTS = "activity_id,organization_id,role\nx,a,host\nx,b,partner\n"


def folder(tmp_path: Path, orgs=ORGS, acts=ACTS, parts=PARTS, encoding="utf-8") -> Path:
    """A CSV folder; ``encoding`` is that of organizations.csv (the others are UTF-8)."""
    out = tmp_path / "ledger"
    out.mkdir(exist_ok=True)
    for name, text in (("organizations", orgs), ("activities", acts), ("participations", parts)):
        data = text if isinstance(text, bytes) else text.encode(encoding if name == "organizations" else "utf-8")
        (out / f"{name}.csv").write_bytes(data)
    return out


def problems(path) -> list:
    with pytest.raises(LedgerError) as caught:
        read_ledger(path)
    return caught.value.problems


def codes(path) -> list[str]:
    return [problem.code for problem in problems(path)]


# The child's own peak: VmHWM of its memory map (made at exec). Not ru_maxrss, which Linux carries
# over from the parent at fork and through exec: a child of a pytest worker that had grown to 600 MB
# would report 600 MB whatever it used.
_PEAK = ("import sys\nfrom cojian_graph.cli import main\n"
         "try:\n    main(sys.argv[1:])\nexcept SystemExit as exit:\n    code = exit.code\nelse:\n    code = 0\n"
         "peak = next(line.split()[1] for line in open('/proc/self/status') if line.startswith('VmHWM:'))\n"
         "print(peak, file=sys.stderr)\n"
         "sys.exit(code)")


def peak_of_command(*args: str, timeout: float = 120) -> tuple[subprocess.CompletedProcess, float]:
    """Run ``cojian ARGS`` in a child process; its result and its own peak resident memory in MB
    (the child reports its VmHWM as the last line of stderr, which is then taken off)."""
    result = subprocess.run([sys.executable, "-c", _PEAK, *args], capture_output=True, text=True, timeout=timeout)
    *rest, peak = result.stderr.rstrip("\n").split("\n")
    result.stderr = "\n".join(rest)
    return result, int(peak) / 1024


# -- encodings --------------------------------------------------------------------------------------


def test_big5_is_read_as_the_traditional_chinese_it_is(tmp_path):
    orgs = ORGS.replace("甲党支部", "甲黨支部").replace("乙党支部", "鑄鋼黨總支")
    ledger = read_ledger(folder(tmp_path, orgs=orgs, encoding="big5"))
    assert ledger.organizations["name"].tolist() == ["甲黨支部", "鑄鋼黨總支"]


def test_latin1_is_refused_with_its_encoding_named_never_garbled(tmp_path):
    orgs = ORGS.replace("甲党支部", "Québec").replace("乙党支部", "Zürich")
    found = problems(folder(tmp_path, orgs=orgs, encoding="latin-1"))
    assert [p.code for p in found] == ["unreadable_file"]
    assert "Windows-1252" in found[0].message_en and "UTF-8" in found[0].fix_en


def test_a_file_mixing_utf8_and_gb18030_is_refused_naming_lines(tmp_path):
    data = (ORGS.split("\n")[0] + "\n").encode() + "a,甲党支部,party_branch,focal,company\n".encode() + \
        "b,乙党支部,party_branch,internal,company\n".encode("gb18030")
    found = problems(folder(tmp_path, orgs=data))
    assert found[0].code == "unreadable_file"
    assert "line 2 is UTF-8, line 3 is not" in found[0].message_en


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
def test_the_usual_encodings_still_read(tmp_path, encoding):
    assert read_ledger(folder(tmp_path, encoding=encoding)).organizations["name"].tolist() == ["甲党支部", "乙党支部"]


# -- characters -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("bad", "code"), [("\u200b", "invisible_in_id"), ("\u202e", "invisible_in_id"),
                                           ("\u2066", "invisible_in_id"), ("\x07", "bad_character")])
def test_look_alike_and_control_characters_in_ids_are_refused(tmp_path, bad, code):
    orgs = ORGS.replace("\nb,", f"\nb{bad},")
    parts = PARTS.replace("x,b,", f"x,b{bad},")
    found = problems(folder(tmp_path, orgs=orgs, parts=parts))
    assert {(p.code, p.row, p.column) for p in found} >= {(code, 3, "id"), (code, 3, "organization_id")}


def test_a_stray_byte_order_mark_before_an_id_is_dropped(tmp_path):
    parts = PARTS.replace("x,b,", "\ufeffx,b,")
    ledger = read_ledger(folder(tmp_path, parts=parts))
    assert ledger.participations["activity_id"].tolist() == ["x", "x"]


def test_json_with_a_lone_surrogate_or_control_characters_is_refused_naming_the_cell(tmp_path):
    document = json.loads(json.dumps(_document()))
    document["organizations"][0]["name"] = "甲\ud800"
    document["organizations"][1]["name"] = "乙\x1b[31m红"
    path = tmp_path / "ledger.json"
    path.write_text(json.dumps(document), encoding="utf-8")  # ensure_ascii: the surrogate as \ud800
    found = problems(path)
    assert [(p.code, p.row, p.column) for p in found] == [("bad_character", 1, "name"), ("bad_character", 2, "name")]
    assert "unpaired surrogate" in found[0].message_en and "control character" in found[1].message_en


def test_escape_sequences_in_a_bad_value_are_never_echoed_raw(tmp_path):
    acts = ACTS.replace("learning", "\x1b]0;pwned\x07learning")
    found = problems(folder(tmp_path, acts=acts))
    text = "\n".join(p.describe() for p in found)
    assert "\x1b" not in text and "\x07" not in text
    assert "\\x1b" in text


def test_an_oversized_cell_is_named_as_such(tmp_path):
    acts = ACTS.replace("联学,", "联学" + "长" * 1_000_000 + ",")
    assert codes(folder(tmp_path, acts=acts)) == ["cell_too_long"]
    acts = ACTS.replace("联学,", "联学" + "长" * 40_000 + ",")
    assert [(p.code, p.row, p.column) for p in problems(folder(tmp_path, acts=acts))] == [
        ("cell_too_long", 2, "title")]


# -- CSV structure ------------------------------------------------------------------------------------


def test_blank_lines_before_the_header_are_skipped_and_counted(tmp_path):
    ledger = read_ledger(folder(tmp_path, orgs="\n\n" + ORGS))
    assert ledger.organizations["id"].tolist() == ["a", "b"]
    bad = "\n\n" + ORGS.replace("focal", "nowhere")
    assert [(p.code, p.row) for p in problems(folder(tmp_path, orgs=bad))] == [("unknown_circle", 4)]


def test_two_files_for_one_table_are_ambiguous(tmp_path):
    path = folder(tmp_path)
    (path / "组织.csv").write_text(ORGS, encoding="utf-8")
    found = problems(path)
    assert [p.code for p in found] == ["ambiguous_table"]
    assert "organizations.csv" in found[0].message_en and "组织.csv" in found[0].message_en


# -- JSON ------------------------------------------------------------------------------------------


def _document() -> dict:
    return {"format": "cojian-ledger", "version": 1,
            "organizations": [{"id": "a", "name": "甲", "kind": "party_branch", "circle": "focal",
                               "sector": "company"},
                              {"id": "b", "name": "乙", "kind": "party_branch", "circle": "internal",
                               "sector": "company"}],
            "activities": [{"id": "x", "title": "联学", "link_type": "learning", "date": "2021"}],
            "participations": [{"activity_id": "x", "organization_id": "a"},
                               {"activity_id": "x", "organization_id": "b"}]}


@pytest.mark.parametrize(("text", "words"), [
    ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
    ('{"organizations": [{"id": ' + "9" * 5000 + "}]}", "unusable number"),
    ('{"organizations": [{"id": Infinity}]}', "unusable number"),
    ('{"organizations": [{"id": NaN}]}', "unusable number"),
    ('{"organizations": [{"id": 1e999}]}', "unusable number"),
])
def test_json_that_would_crash_the_parser_is_a_problem(tmp_path, text, words):
    path = tmp_path / "ledger.json"
    path.write_text(text, encoding="utf-8")
    found = problems(path)
    assert [p.code for p in found] == ["unreadable_file"] and words in found[0].message_en


def test_json_repeated_keys_and_object_cells_are_problems_of_their_record(tmp_path):
    document = _document()
    document["organizations"][1]["sector"] = {"nested": "object"}
    text = json.dumps(document, ensure_ascii=False).replace('"name": "甲"', '"name": "甲", "name": "丙"')
    path = tmp_path / "ledger.json"
    path.write_text(text, encoding="utf-8")
    found = [(p.code, p.row, p.column) for p in problems(path)]
    assert ("unreadable_file", 1, "name") in found and ("unreadable_file", 2, "sector") in found


# -- Excel -----------------------------------------------------------------------------------------


def _workbook(tmp_path: Path, name: str = "ledger.xlsx", edit=None) -> Path:
    path = tmp_path / name
    write_ledger(tiny_ledger(), path)
    if edit is not None:
        workbook = openpyxl.load_workbook(path)
        edit(workbook)
        workbook.save(path)
    return path


def _replace_part(path: Path, part: str, data: bytes, *, compression=zipfile.ZIP_DEFLATED) -> Path:
    source = zipfile.ZipFile(path)
    out = path.with_name("edited-" + path.name)
    with zipfile.ZipFile(out, "w", compression) as target:
        for item in source.infolist():
            target.writestr(item.filename, data if item.filename == part else source.read(item.filename))
    return out


def test_merged_cells_take_their_top_left_value(tmp_path):
    def merge(workbook):
        sheet = workbook["participations"]
        assert [sheet[f"A{row}"].value for row in (4, 5, 6)] == ["x2", "x2", "x2"]
        sheet["A5"] = None
        sheet["A6"] = None
        sheet.merge_cells("A4:A6")

    ledger = read_ledger(_workbook(tmp_path, edit=merge))
    assert ledger.participations["activity_id"].tolist() == read_ledger(_workbook(tmp_path, "plain.xlsx")) \
        .participations["activity_id"].tolist()


def test_a_formula_without_a_saved_value_is_named_not_called_empty(tmp_path):
    def formula(workbook):
        workbook["organizations"]["B3"] = '=CONCAT("车间", "党支部")'  # openpyxl saves no value

    found = problems(_workbook(tmp_path, edit=formula))
    assert [(p.code, p.row, p.column) for p in found][:1] == [("unreadable_file", 3, "name")]
    assert "formula" in found[0].message_en


def test_a_hidden_sheet_that_could_be_the_same_table_is_ambiguous(tmp_path):
    def hidden(workbook):
        copy = workbook.copy_worksheet(workbook["organizations"])
        copy.title = "组织"
        copy.sheet_state = "hidden"

    found = problems(_workbook(tmp_path, edit=hidden))
    assert [p.code for p in found] == ["ambiguous_table"]
    assert "hidden: 组织" in found[0].message_en


def test_a_truncated_sheet_is_a_problem_not_a_traceback(tmp_path):
    path = _workbook(tmp_path)
    xml = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")
    found = problems(_replace_part(path, "xl/worksheets/sheet1.xml", xml[: len(xml) // 2]))
    assert [p.code for p in found] == ["unreadable_file"]


def test_entity_expansion_is_refused(tmp_path):
    path = _workbook(tmp_path)
    laughs = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              + "".join(f'<!ENTITY lol{i} "{"&lol%s;" % ("" if i == 1 else i - 1) * 10}">' for i in range(1, 10))
              + ']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
              '<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>')
    found = problems(_replace_part(path, "xl/worksheets/sheet1.xml", laughs.encode()))
    assert [p.code for p in found] == ["unreadable_file"]
    assert "EntitiesForbidden" in found[0].message_en


def test_a_zip_bomb_is_refused_before_it_is_opened(tmp_path):
    path = _workbook(tmp_path)
    bomb = _replace_part(path, "xl/worksheets/sheet2.xml", b" " * (64 * 2**20))
    found = problems(bomb)
    assert [p.code for p in found] == ["too_large"] and "zip bomb" in found[0].message_en


def test_a_cell_in_the_last_column_on_every_row_costs_no_memory(tmp_path):
    def far(workbook):
        sheet = workbook["participations"]
        for row in range(2, 20_002):
            sheet.cell(row=row, column=16_384, value="x")

    path = _workbook(tmp_path, edit=far)
    result, peak_mb = peak_of_command("validate", str(path))
    assert result.returncode == 1, result.stderr
    assert "data beyond column 256" in result.stdout + result.stderr
    print(f"\n[memory] validate: {peak_mb:.0f} MB")
    assert peak_mb < 600, f"validate took {peak_mb:.0f} MB"


def test_fuzzed_readers_raise_nothing_but_ledger_errors(tmp_path):
    """Random mutations of good files of each format: rejected with problems or read, never a crash."""
    import random

    rng = random.Random(20261201)
    good = {"csv": folder(tmp_path), "xlsx": _workbook(tmp_path), "json": tmp_path / "ledger.json"}
    write_ledger(tiny_ledger(), good["json"])
    originals = {"csv": (good["csv"] / "organizations.csv").read_bytes(), "xlsx": good["xlsx"].read_bytes(),
                 "json": good["json"].read_bytes()}
    for round_ in range(150):
        kind = ("csv", "xlsx", "json")[round_ % 3]
        data = bytearray(originals[kind])
        for _ in range(rng.randint(1, 8)):
            action = rng.random()
            at = rng.randrange(len(data))
            if action < 0.4:
                data[at] = rng.randrange(256)
            elif action < 0.7:
                del data[at:at + rng.randint(1, 64)]
            else:
                data[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))
        target = good["csv"] / "organizations.csv" if kind == "csv" else tmp_path / f"fuzz.{kind}"
        target.write_bytes(bytes(data))
        with contextlib.suppress(LedgerError):  # rejected is fine; anything else fails the test
            read_ledger(good["csv"] if kind == "csv" else target)
    (good["csv"] / "organizations.csv").write_bytes(originals["csv"])
    for size in (0, 1, 7, 100, 5000):  # random bytes, of every format
        for suffix in (".xlsx", ".json"):
            path = tmp_path / f"noise{size}{suffix}"
            path.write_bytes(bytes(rng.randrange(256) for _ in range(size)))
            with pytest.raises(LedgerError):
                read_ledger(path)
