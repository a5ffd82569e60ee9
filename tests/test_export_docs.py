"""docs/exports.md names every format, table, layout, colour scheme and CLI option (kept in sync)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cojian_graph.cli.export_cmd import export as export_command
from cojian_graph.export import EXPORT_FORMATS, TABLES
from cojian_graph.render.layout import LAYOUTS
from cojian_graph.render.style import COLOR_BY

DOC = (Path(__file__).resolve().parent.parent / "docs" / "exports.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", [*EXPORT_FORMATS, *TABLES, *LAYOUTS, *COLOR_BY])
def test_every_choice_is_documented(name):
    assert f"`{name}`" in DOC or f"|{name}" in DOC or f"{name}|" in DOC


@pytest.mark.parametrize("option", [opt for param in export_command.params for opt in param.opts
                                    if opt.startswith("--") and opt not in ("--output", "--format", "--force")])
def test_every_option_is_documented(option):
    assert option in DOC
