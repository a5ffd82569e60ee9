"""The growth pictures: snapshots per period checked by hand, new ties drawn in orange, Chinese glyphs
present, one GIF frame per period, and the CLI's --frames."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from cojian_graph.ledger import Ledger
from cojian_graph.render.frames import NEW_TIE, snapshots, write_growth
from cojian_graph.synth import synthetic_timeline
from cojian_graph.testing import dated_ledger


@pytest.fixture(scope="module")
def hand() -> Ledger:
    return dated_ledger()


def ties(*pairs) -> set:
    return {frozenset(pair) for pair in pairs}


def test_snapshots_accumulate_and_name_the_new_ties(hand):
    frames, apart = snapshots(hand)
    assert apart == 1 and [frame.label for frame in frames] == ["2020", "2021", "2022"]
    assert [set(frame.new_ties) for frame in frames] == [
        ties("FA", "FB"), ties("AC"), ties("FC", "FD", "CD")]
    assert [sorted(frame.graph.nodes) for frame in frames] == [
        ["A", "B", "F"], ["A", "B", "C", "F"], ["A", "B", "C", "D", "F"]]


def test_small_multiples_draw_new_ties_in_orange_with_chinese_glyphs(tmp_path, hand):
    from PIL import Image

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing glyph would warn
        write_growth(hand, tmp_path / "growth.png", dpi=60)
    image = np.asarray(Image.open(tmp_path / "growth.png").convert("RGB")).astype(int)
    r, g, b = image[..., 0], image[..., 1], image[..., 2]
    assert NEW_TIE == "#E67E22"  # orange: red high, green middling, blue low (also blended over white)
    near = (r > 180) & (g > 95) & (g < 190) & (b < 140) & (r - b > 90)
    thirds = np.array_split(near, 3, axis=1)  # the three panels, side by side
    assert all(part.sum() > 20 for part in thirds), [int(part.sum()) for part in thirds]
    write_growth(hand, tmp_path / "growth.pdf", lang="en")
    assert (tmp_path / "growth.pdf").read_bytes()[:5] == b"%PDF-"


def test_the_animation_has_one_frame_per_period(tmp_path):
    from PIL import Image

    ledger, facts = synthetic_timeline(60, 300, seed=2)
    write_growth(ledger, tmp_path / "growth.gif", period="half")
    gif = Image.open(tmp_path / "growth.gif")
    assert gif.n_frames == 2 * (facts["years"][1] - facts["years"][0] + 1)


def test_frames_from_the_command_line(tmp_path, hand):
    from click.testing import CliRunner

    from cojian_graph.cli import main
    from cojian_graph.io import write_ledger

    write_ledger(hand, tmp_path / "hand", "csv")
    runner = CliRunner()
    done = runner.invoke(main, ["export", str(tmp_path / "hand"), "-o", str(tmp_path / "g.gif"), "--frames"])
    assert done.exit_code == 0, done.output
    from PIL import Image

    assert Image.open(tmp_path / "g.gif").n_frames == 3
    done = runner.invoke(main, ["export", str(tmp_path / "hand"), "-o", str(tmp_path / "g.html"), "--frames"])
    assert done.exit_code == 2 and "--frames writes png, svg, pdf, gif" in done.output
