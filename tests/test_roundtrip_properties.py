"""Property tests: any valid ledger round-trips unchanged through the CSV folder, Excel and JSON formats."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from cojian_graph.io import read_ledger, write_csv_folder, write_ledger
from cojian_graph.io.encoding import _looks_like_gb18030
from cojian_graph.ledger import Ledger
from cojian_graph.model import CIRCLES, KINDS, LINK_IDS, ROLES, SECTORS
from cojian_graph.schema import TABLES
from cojian_graph.validate import INVISIBLE_IN_IDS

# Broad Unicode (CJK included), minus what no spreadsheet cell can hold: control characters (Cc),
# lone surrogates (Cs) and unassigned code points (Cn, which include XML's forbidden U+FFFE/U+FFFF).
_characters = st.characters(blacklist_categories=("Cc", "Cs", "Cn"))
_cjk = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
_tricky = st.sampled_from([
    "=1+1", "=HYPERLINK(\"http://x\")", "+1", "-1", "@SUM(A1)", "NaN", "nan", "None", "NA", "N/A", "null",
    "007", "1e5", "7.0", "TRUE", "#N/A", "'quoted", "\"", "a,b", "2021-07-01", "1,000", "　中　文　",
])


def _trimmed(text: str) -> bool:
    return text == text.strip()


# cells are trimmed on reading, so generated text neither starts nor ends with white space
text = st.one_of(
    st.text(_characters, min_size=1, max_size=12),
    st.text(_cjk, min_size=1, max_size=8),
    _tricky,
).map(str.strip).filter(bool)
optional_text = st.one_of(st.just(""), text)
# ids may not hold invisible or text-direction characters (they are refused: two ids would look alike)
id_text = text.filter(lambda value: not INVISIBLE_IN_IDS.search(value))
# text as a Chinese ledger written in GB18030 holds: ASCII, common (GB2312) characters, Chinese punctuation
def _in_gb2312(char: str) -> bool:
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


_gb2312 = st.sampled_from([chr(code) for code in range(0x4E00, 0x9FA6) if _in_gb2312(chr(code))])
chinese_text = st.one_of(
    st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1, max_size=8),
    st.text(_gb2312, min_size=1, max_size=8),
    st.sampled_from(["铸钢党总支", "“党员先锋”志愿队", "共建·共享", "（第一）", "党建+"]),
).map(str.strip).filter(bool)
dates = st.one_of(
    st.just(""),
    st.integers(1900, 2100).map(str),
    st.tuples(st.integers(1900, 2100), st.integers(1, 12)).map(lambda ym: f"{ym[0]:04d}-{ym[1]:02d}"),
    st.dates().map(lambda day: day.isoformat()).filter(lambda iso: len(iso) == 10 and iso[0] != "0"),
)
EXTRA_NAMES = ["备注", "note", "联系人 contact", "x_extra"]


@st.composite
def ledgers(draw, text=text, id_text=id_text) -> Ledger:
    optional_text = st.one_of(st.just(""), text)
    org_ids = draw(st.lists(id_text, min_size=1, max_size=6, unique=True))
    act_ids = draw(st.lists(id_text, min_size=1, max_size=5, unique=True))
    organizations = pd.DataFrame({
        "id": org_ids,
        "name": [draw(text) for _ in org_ids],
        "name_en": [draw(optional_text) for _ in org_ids],
        "kind": [draw(st.sampled_from(list(KINDS))) for _ in org_ids],
        "circle": [draw(st.sampled_from(list(CIRCLES))) for _ in org_ids],
        "sector": [draw(st.sampled_from(list(SECTORS))) for _ in org_ids],
    })
    for extra in draw(st.lists(st.sampled_from(EXTRA_NAMES), max_size=2, unique=True)):
        organizations[extra] = [draw(optional_text) for _ in org_ids]
    activities = pd.DataFrame({
        "id": act_ids,
        "title": [draw(text) for _ in act_ids],
        "title_en": [draw(optional_text) for _ in act_ids],
        "link_type": [draw(st.sampled_from(LINK_IDS)) for _ in act_ids],
        "date": [draw(dates) for _ in act_ids],
        "description": [draw(optional_text) for _ in act_ids],
        "outcome": [draw(optional_text) for _ in act_ids],
        "source": [draw(optional_text) for _ in act_ids],
    })
    rows = []
    for activity in act_ids:
        members = draw(st.lists(st.sampled_from(org_ids), min_size=1, max_size=len(org_ids), unique=True))
        rows += [(activity, member, draw(st.sampled_from(["", *ROLES]))) for member in members]
    participations = pd.DataFrame(rows, columns=["activity_id", "organization_id", "role"])
    if draw(st.booleans()):
        participations["备注"] = [draw(optional_text) for _ in rows]
    return Ledger.from_frames(organizations, activities, participations)


def assert_same(left: Ledger, right: Ledger) -> None:
    for name in TABLES:
        pd.testing.assert_frame_equal(left.table(name), right.table(name))


# Each example costs a few pandas validations and an Excel file: keep the counts modest.
_settings = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_settings
@given(ledger=ledgers())
def test_every_format_round_trips(ledger):
    with tempfile.TemporaryDirectory() as folder:
        for target in ("folder", "ledger.xlsx", "ledger.json"):
            path = Path(folder) / target
            write_ledger(ledger, path)
            assert_same(read_ledger(path), ledger)


@settings(_settings, max_examples=25)
@given(ledger=ledgers(chinese_text, chinese_text))
def test_csv_in_gb18030_round_trips(ledger):
    with tempfile.TemporaryDirectory() as folder:
        write_csv_folder(ledger, folder, encoding="gb18030")
        # Bytes that are valid UTF-8 and GB18030 with different meanings are read as UTF-8 (first
        # in the order the brief prescribes) unless they look like an accident (see io.encoding);
        # the property is about the files whose encoding can be told.
        for file in Path(folder).iterdir():
            data = file.read_bytes()
            try:
                as_utf8 = data.decode("utf-8")
            except UnicodeDecodeError:
                continue
            assume(as_utf8 == data.decode("gb18030") or _looks_like_gb18030(data, as_utf8))
        assert_same(read_ledger(folder), ledger)


@settings(_settings, max_examples=25)
@given(ledger=ledgers())
def test_validation_is_idempotent(ledger):
    again = Ledger.from_frames(ledger.organizations, ledger.activities, ledger.participations)
    assert_same(again, ledger)
    assert again.content_hash() == ledger.content_hash()
