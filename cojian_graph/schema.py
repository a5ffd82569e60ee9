"""The ledger's three tables and their columns, as data.

Readers, writers, validation, the Excel template and the docs are built from ``TABLES``.
In memory every cell is a ``str`` and an empty cell is ``""``: the ledger keeps what the user
typed (after trimming), and derived values (years, ids as integers) are computed where needed.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

__all__ = ["TABLES", "Column", "Table"]


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    zh: str
    en: str
    required: bool
    help_zh: str
    help_en: str

    def header(self) -> str:
        """The bilingual header used in the Excel template: ``"名称 name"``."""
        return f"{self.zh} {self.name}"


@dataclass(frozen=True, slots=True)
class Table:
    name: str  # also the CSV file stem and the Excel sheet name
    zh: str
    en: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]  # columns whose combination must be unique

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]

    @property
    def filename(self) -> str:
        return f"{self.name}.csv"


ORGANIZATIONS = Table(
    "organizations", "组织", "Organisations",
    (
        Column("id", "编号", "ID", True, "组织的唯一编号，如 org01", "a unique id, e.g. org01"),
        Column("name", "名称", "Name", True, "组织名称（简体中文）", "name in Simplified Chinese"),
        Column("name_en", "英文名称", "English name", False, "英文名称", "English name"),
        Column("kind", "类型", "Kind", True, "组织类型，见“说明”表", "kind of organisation, see the notes sheet"),
        Column("circle", "圈层", "Circle", True,
               "focal（核心）、internal（公司内部）或 external（集团及地方）",
               "focal, internal (inside the company) or external (group or locality)"),
        Column("sector", "领域", "Sector", True, "所属领域，见“说明”表", "sector, see the notes sheet"),
    ),
    key=("id",),
)

ACTIVITIES = Table(
    "activities", "活动", "Activities",
    (
        Column("id", "编号", "ID", True, "活动的唯一编号，如 act01", "a unique id, e.g. act01"),
        Column("title", "标题", "Title", True, "活动名称（简体中文）", "title in Simplified Chinese"),
        Column("title_en", "英文标题", "English title", False, "英文标题", "English title"),
        Column("link_type", "八联类型", "Link type", True,
               "八联之一：编号、中文或英文名称均可", "one of the eight links, by id, Chinese or English name"),
        Column("date", "日期", "Date", False,
               "年份或日期：2021、2021-07 或 2021-07-01；不详则留空",
               "a year or date: 2021, 2021-07 or 2021-07-01; empty when unknown"),
        Column("description", "内容", "Description", False, "活动内容", "what was done"),
        Column("outcome", "成效", "Outcome", False, "成果、奖项、机制等", "results, awards, mechanisms"),
        Column("source", "来源", "Source", False, "记录出处", "where the record comes from"),
    ),
    key=("id",),
)

PARTICIPATIONS = Table(
    "participations", "参与", "Participations",
    (
        Column("activity_id", "活动编号", "Activity ID", True, "活动表中的编号", "an id from the activities table"),
        Column("organization_id", "组织编号", "Organisation ID", True,
               "组织表中的编号", "an id from the organisations table"),
        Column("role", "角色", "Role", False,
               "主办、共建方、参与方、受益方……", "host, partner, participant, beneficiary…"),
    ),
    key=("activity_id", "organization_id"),
)

TABLES: MappingProxyType[str, Table] = MappingProxyType(
    {table.name: table for table in (ORGANIZATIONS, ACTIVITIES, PARTICIPATIONS)}
)
