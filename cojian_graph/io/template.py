"""The blank Excel template (空白台账模板) people fill in by hand.

Three empty sheets with bilingual headers (``"名称 name"``), drop-down lists for the link type, circle,
kind, sector and role, and a notes sheet (说明 Notes) that explains every column and lists the eight
links, circles, kinds, sectors and roles. Everything in it comes from ``schema.TABLES`` and the
registries of :mod:`cojian_graph.model`. Reading the template back as it is gives the problem
``empty_ledger``; filled in, it reads like any ledger workbook.
"""

from __future__ import annotations

from pathlib import Path

from ..model import CIRCLES, KINDS, LINKS, ROLES, SECTORS
from ..schema import TABLES

__all__ = ["NOTES_SHEET", "template_notes", "write_template"]

NOTES_SHEET = "说明 Notes"

# column → (registry, heading of its list in the notes)
_CHOICES = {
    ("organizations", "kind"): KINDS,
    ("organizations", "circle"): CIRCLES,
    ("organizations", "sector"): SECTORS,
    ("participations", "role"): ROLES,
}


def template_notes() -> list[list[str]]:
    """The rows of the notes sheet: columns of each table, then the eight links and the vocabularies."""
    rows: list[list[str]] = [
        ["共建台账模板 Co-construction ledger template"],
        ["在“组织”“活动”“参与”三个表中每行填写一条记录；第 1 行是表头，请勿修改。",
         "Fill in one record per row of the three sheets; row 1 is the header, keep it as it is."],
        ["检查台账：cojian validate 台账.xlsx", "Check the ledger: cojian validate ledger.xlsx"],
        [],
        ["表 Sheet", "列 Column", "必填 Required", "说明", "Notes"],
    ]
    for table in TABLES.values():
        for column in table.columns:
            rows.append([f"{table.zh} {table.name}", column.header(), "是 yes" if column.required else "",
                         column.help_zh, column.help_en])
    rows += [[], ["八联 The eight links"],
             ["编号 id", "中文", "繁體", "English", "比喻 metaphor", "Metaphor"]]
    rows += [[link.id, link.zh, link.zh_hant, link.en, link.metaphor_zh, link.metaphor_en]
             for link in LINKS.values()]
    for title, registry in (("圈层 Circles (circle)", CIRCLES), ("组织类型 Kinds (kind)", KINDS),
                            ("领域 Sectors (sector)", SECTORS), ("角色 Roles (role)", ROLES)):
        rows += [[], [title], ["编号 id", "中文", "English", "说明", "Notes"]]
        rows += [[item.id, item.zh, item.en, item.description_zh, item.description_en]
                 for item in registry.values()]
    rows += [[], ["日期 Dates"],
             ["2021、2021-07、2021-07-01、2021/7/1、2021.7、2021年7月、2021年7月1日；不详则留空",
              "2021, 2021-07, 2021-07-01, 2021/7/1, 2021.7, 2021年7月, 2021年7月1日; leave empty if unknown"]]
    return rows


def write_template(path: str | Path) -> None:
    """Write the blank template workbook to ``path`` (``.xlsx``).

    Examples
    --------
    >>> import tempfile, pathlib, openpyxl
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "template.xlsx"
    >>> write_template(path)
    >>> openpyxl.load_workbook(path).sheetnames
    ['organizations', 'activities', 'participations', '说明 Notes', 'lists']
    """
    import openpyxl
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter, quote_sheetname
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    bold = Font(bold=True)
    required_fill = PatternFill("solid", fgColor="FCE4D6")
    optional_fill = PatternFill("solid", fgColor="EDEDED")

    # The drop-down choices live on a hidden sheet: an inline list is limited to 255 characters.
    choice_lists: dict[tuple[str, str], list[str]] = {
        ("activities", "link_type"): [link.zh for link in LINKS.values()],
        **{key: [item.zh for item in registry.values()] for key, registry in _CHOICES.items()},
    }

    sheets = {}
    for name, table in TABLES.items():
        sheet = workbook.create_sheet(name)
        sheets[name] = sheet
        for index, column in enumerate(table.columns, start=1):
            cell = sheet.cell(row=1, column=index, value=column.header())
            cell.data_type = "s"
            cell.font = bold
            cell.fill = required_fill if column.required else optional_fill
            sheet.column_dimensions[get_column_letter(index)].width = max(14, 2 * len(column.header()))
        sheet.freeze_panes = "A2"

    notes = workbook.create_sheet(NOTES_SHEET)
    for row in template_notes():
        notes.append(row)
    for row in notes.iter_rows():
        for cell in row:
            cell.data_type = "s"
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCDEF", (26, 22, 22, 40, 40, 24), strict=True):
        notes.column_dimensions[letter].width = width
    for row in notes.iter_rows(min_col=1, max_col=1):
        if row[0].value and notes.cell(row=row[0].row, column=2).value is None:
            row[0].font = Font(bold=True, size=12)

    lists = workbook.create_sheet("lists")
    lists.sheet_state = "hidden"
    for index, ((table_name, column_name), values) in enumerate(choice_lists.items(), start=1):
        letter = get_column_letter(index)
        lists.cell(row=1, column=index, value=f"{table_name}.{column_name}")
        for offset, value in enumerate(values, start=2):
            lists.cell(row=offset, column=index, value=value)
        source = f"{quote_sheetname('lists')}!${letter}$2:${letter}${len(values) + 1}"
        table = TABLES[table_name]
        position = table.column_names.index(column_name) + 1
        target = get_column_letter(position)
        validation = DataValidation(type="list", formula1=source, allow_blank=True,
                                    showErrorMessage=False)  # ids and English names are accepted too
        validation.prompt = ("可从列表中选择，也可填写编号或英文名称 "
                             "Pick from the list, or type an id or English name")
        validation.showInputMessage = True
        sheets[table_name].add_data_validation(validation)
        validation.add(f"{target}2:{target}5000")
    workbook.save(Path(path))
