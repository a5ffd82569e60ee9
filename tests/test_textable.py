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
