"""text_table: alignment in terminal cells, number formats, cutting and control characters."""

import numpy as np
import pandas as pd

from cojian_graph.textable import cell_width, text_table


def test_mixed_columns_align_in_terminal_cells():
    frame = pd.DataFrame({"name": ["ab", "铸钢党总支"], "n": [1, 22], "x": [1.5, np.nan],
                          "w": [2.0, 3.0]})
    # name: widest cell 铸钢党总支 = 10 cells; numbers right-aligned; NaN as –; whole floats bare.
    assert text_table(frame).split("\n") == [
        "name         n      x  w",
        "----------  --  -----  -",
        "ab           1  1.500  2",
        "铸钢党总支  22      –  3",
    ]


def test_long_text_is_cut_and_control_characters_are_neutralised():
    frame = pd.DataFrame({"t": ["铸钢党总支", "a\x1bb", "铸钢党总支"]})
    lines = text_table(frame, max_text=4).split("\n")
    assert lines == ["t", "---", "铸…", "a\ufffdb", "铸…"]
    assert all(cell_width(line) <= 4 for line in lines)


def test_no_columns_keeps_one_line_per_row():
    assert text_table(pd.DataFrame(index=range(2))).split("\n") == ["", "", "", ""]


def test_a_mapping_of_columns_prints_as_the_dataframe_does():
    columns = {
        "id": np.array(["a", "铸钢党总支", "c"], dtype=object),
        "n": np.array([1, 22, 3], dtype=np.int64),
        "x": np.array([1.5, np.nan, 0.25]),
        "w": np.array([2.0, 3.0, np.nan]),
        "flag": np.array([True, False, True]),
        "note": np.array(["ok", None, "a\x1bb"], dtype=object),
    }
    expected = text_table(pd.DataFrame(columns))
    assert text_table(columns) == expected
    assert text_table({name: values.tolist() for name, values in columns.items() if name != "note"}) == \
        text_table(pd.DataFrame(columns).drop(columns="note"))
    assert expected.split("\n") == [
        "id           n      x  w   flag  note",
        "----------  --  -----  -  -----  ----",
        "a            1  1.500  2   True  ok",
        "铸钢党总支  22      –  3  False  –",
        "c            3  0.250  –   True  a\ufffdb",
    ]


def test_a_mapping_without_columns_has_no_rows():
    assert text_table({}) == "\n"
