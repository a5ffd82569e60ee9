"""What the store takes and gives besides ledgers: edits, conflicts, import plans, its errors."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..errors import CojianError
from ..schema import TABLES

__all__ = ["Conflict", "ConflictError", "Edit", "ImportPlan", "StoreError"]


class StoreError(CojianError):
    """The store cannot be opened or changed: the message says why, in Chinese and English."""


@dataclass(frozen=True)
class Edit:
    """One change of one record: add it (``base_version`` 0), change its ``values`` (the fields
    given; the others stay), or delete it (``values`` None). ``base_version`` is the version the
    editor saw: if someone changed the record since, the change is refused with a conflict."""

    table: str
    key: tuple[str, ...]
    values: Mapping[str, str] | None
    base_version: int


@dataclass(frozen=True)
class Conflict:
    """A record someone else changed after the editor read it: each differing field with the
    editor's value and the value now in the store (None where the record is gone or not there)."""

    table: str
    key: tuple[str, ...]
    base_version: int
    current_version: int | None
    fields: tuple[tuple[str, str | None, str | None], ...]

    def describe(self) -> str:
        what = "; ".join(f"{name}: 您的 yours {mine!r} / 现在 now {theirs!r}" for name, mine, theirs in self.fields)
        return (f"{self.table} {list(self.key)}: 基于版本 based on version {self.base_version}, "
                f"现为 now {self.current_version}" + (f" — {what}" if what else ""))


class ConflictError(StoreError):
    """Records were changed by someone else after they were read; nothing was written.
    ``conflicts`` lists each with both values, field by field."""

    def __init__(self, conflicts: list[Conflict]):
        self.conflicts = list(conflicts)
        lines = [f"{len(self.conflicts)} 条记录已被他人修改，未保存 / {len(self.conflicts)} record(s) were changed "
                 "by someone else; nothing was saved", *(f"  - {c.describe()}" for c in self.conflicts)]
        super().__init__("\n".join(lines))


@dataclass(frozen=True)
class ImportPlan:
    """What an import adds, changes and deletes, per table; ``revision`` is None for a dry run or
    when nothing changes."""

    added: Mapping[str, int]
    changed: Mapping[str, int]
    deleted: Mapping[str, int]
    revision: int | None = None

    @property
    def empty(self) -> bool:
        return not any(self.added.values()) and not any(self.changed.values()) and not any(self.deleted.values())

    def describe(self) -> str:
        """One line per table: ``organizations: +3 ~1 -0``."""
        return "\n".join(f"{name}: +{self.added[name]} ~{self.changed[name]} -{self.deleted[name]}" for name in TABLES)


