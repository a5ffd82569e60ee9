"""The ledger desk's operations: record an activity, edit, delete, merge organisations, import, revert,
each made on someone's behalf and authorised on the server; and the history as tables.

A :class:`Desk` is a store, the accounts that may change it and the person acting. Every change
asks the accounts, at the moment it is made, whether that person is (still) an editor: a page that
showed an edit button to someone who has since lost the role cannot make the change.

Examples
--------
>>> import tempfile, pathlib
>>> from cojian_graph.store import Store
>>> from cojian_graph.testing import tiny_ledger
>>> store = Store(f"sqlite:///{pathlib.Path(tempfile.mkdtemp()) / 's.sqlite'}", create=True)
>>> _ = store.import_ledger(tiny_ledger(), user="clerk")
>>> desk = Desk(store, None, "clerk")  # no accounts: the single local user
>>> desk.merge("c", "d", note="同一单位 same body")
2
>>> sorted(p["activity_id"] for p, _ in store.participations_of("c"))
['x2', 'x3', 'x4']
>>> store.close()
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .types import Edit, StoreError

__all__ = ["Desk", "activity_edits", "changes_table", "grid_edits", "merge_edits", "new_id"]


@dataclass(frozen=True)
class Desk:
    """Changes to ``store`` made by ``user``. ``accounts`` None: the single local user of an explorer
    bound to this machine (``make run``), who may do everything."""

    store: object
    accounts: object | None
    user: str
    sso: bool = False  # the user signed in through single sign-on: only an SSO account counts

    def require(self, role: str = "editor") -> None:
        """:class:`~cojian_graph.store.accounts.PermissionDenied` unless ``user`` has ``role`` now."""
        if self.accounts is not None:
            self.accounts.require(self.user, role, sso=self.sso)

    def apply(self, edits: Iterable[Edit], *, note: str = "", action: str = "edit") -> int | None:
        self.require("editor")
        return self.store.apply(edits, user=self.user, note=note, action=action)

    def revert(self, rev: int, *, note: str = "") -> int:
        self.require("editor")
        return self.store.revert(rev, user=self.user, note=note)

    def import_ledger(self, ledger, *, note: str = "", dry_run: bool = False):
        self.require("editor")
        return self.store.import_ledger(ledger, user=self.user, note=note, dry_run=dry_run)

    def merge(self, keep: str, away: str, *, note: str = "") -> int | None:
        """Merge organisation ``away`` into ``keep`` as one revision (see :func:`merge_edits`)."""
        self.require("editor")
        return self.store.apply(merge_edits(self.store, keep, away), user=self.user, note=note, action="merge")


def activity_edits(activity: Mapping[str, str], participants: Mapping[str, str],
                   new_organizations: Iterable[Mapping[str, str]] = ()) -> list[Edit]:
    """The edits that record one activity (its fields, ``id`` included) with its participants
    (organisation id → role, "" for none) and any organisations new to the ledger, as one change."""
    key = str(activity.get("id", "")).strip()
    fields = {name: str(value) for name, value in activity.items() if name != "id"}
    edits = [Edit("organizations", (str(org["id"]).strip(),),
                  {name: str(value) for name, value in org.items() if name != "id"}, 0)
             for org in new_organizations]
    edits.append(Edit("activities", (key,), fields, 0))
    edits += [Edit("participations", (key, str(org)), {"role": str(role or "")}, 0)
              for org, role in participants.items()]
    return edits


def grid_edits(table: str, opened: Mapping[str, tuple[Mapping[str, str], int]],
               rows: Iterable[Mapping[str, object]]) -> list[Edit]:
    """The edits of a grid of records: ``opened`` holds each record as it was read (fields and
    version, by id), ``rows`` the grid's rows after editing (an ``id`` and the fields). Each row that
    differs becomes one edit of the fields that changed, based on the version read; an empty cell
    is "" (a grid gives None).

    >>> opened = {"a": ({"id": "a", "name": "甲", "kind": "enterprise"}, 3)}
    >>> grid_edits("organizations", opened, [{"id": "a", "name": "甲厂", "kind": "enterprise"}])
    [Edit(table='organizations', key=('a',), values={'name': '甲厂'}, base_version=3)]
    """
    edits = []
    for row in rows:
        key = str(row["id"])
        fields, version = opened[key]
        changed = {name: text for name, value in row.items() if name != "id"
                   and (text := "" if value is None else str(value)) != str(fields.get(name, ""))}
        if changed:
            edits.append(Edit(table, (key,), changed, version))
    return edits


def merge_edits(store, keep: str, away: str) -> list[Edit]:
    """The edits that merge organisation ``away`` into ``keep`` (the same body under two names):
    each of ``away``'s participations moves to ``keep`` (with its role and extra columns) unless
    ``keep`` already takes part in that activity (then ``keep``'s own record stays, and gets
    ``away``'s role if it had none); then ``away`` is deleted."""
    keep, away = str(keep).strip(), str(away).strip()
    if keep == away:
        raise StoreError("请选择两个不同的组织 / choose two different organisations")
    found = store.records("organizations", [(keep,), (away,)])
    for org in (keep, away):
        if (org,) not in found:
            raise StoreError(f"没有组织“{org}” / there is no organisation '{org}'")
    gone = found[(away,)]
    mine = {fields["activity_id"]: (fields, version) for fields, version in store.participations_of(keep)}
    edits = []
    for fields, version in store.participations_of(away):
        activity = fields["activity_id"]
        edits.append(Edit("participations", (activity, away), None, version))
        moved = {name: value for name, value in fields.items() if name not in ("activity_id", "organization_id")}
        if activity not in mine:
            edits.append(Edit("participations", (activity, keep), moved, 0))
        elif not mine[activity][0].get("role") and moved.get("role"):
            edits.append(Edit("participations", (activity, keep), {"role": moved["role"]}, mine[activity][1]))
    edits.append(Edit("organizations", (away,), None, gone[1]))
    return edits


def new_id(existing: Iterable[str], prefix: str) -> str:
    """``prefix-NN``, the first number after those ``existing`` ids already use with this prefix.

    >>> new_id(["learning-01", "learning-07", "brand-02"], "learning")
    'learning-08'
    """
    used = set(existing)
    numbers = [int(tail) for name in used if name.startswith(f"{prefix}-")
               and (tail := name[len(prefix) + 1:]).isdigit()]
    number = max(numbers, default=0) + 1
    while f"{prefix}-{number:02d}" in used:
        number += 1
    return f"{prefix}-{number:02d}"


def changes_table(log: Iterable[dict]):
    """The history (``Store.log()``) as a table: one row per field a revision changed, with its
    revision, time, user, action, note, table, record (key as text), the activity and organisation
    it concerns, the field, and its value before and after ("" where the record did not exist)."""
    import pandas as pd

    from ..schema import TABLES

    rows = []
    for revision in log:
        for change in revision["changes"]:
            table, key = change["table"], change["key"]
            before, after = change["before"] or {}, change["after"] or {}
            activity = key[0] if table in ("activities", "participations") else ""
            organization = key[0] if table == "organizations" else key[1] if table == "participations" else ""
            kind = "add" if not before else "delete" if not after else "change"
            names = [*TABLES[table].column_names, *dict.fromkeys([*before.get("extra", {}), *after.get("extra", {})])]
            for field in names:
                old = before.get(field, before.get("extra", {}).get(field, ""))
                new = after.get(field, after.get("extra", {}).get(field, ""))
                if old != new or (kind != "change" and field in TABLES[table].key):
                    rows.append({"rev": revision["rev"], "at": revision["at"], "user": revision["user"],
                                 "action": revision["action"], "note": revision["note"], "table": table,
                                 "record": " · ".join(key), "kind": kind, "activity": activity,
                                 "organization": organization, "field": field, "before": str(old),
                                 "after": str(new)})
    columns = ["rev", "at", "user", "action", "note", "table", "record", "kind", "activity", "organization",
               "field", "before", "after"]
    return pd.DataFrame(rows, columns=columns)
