"""A stateful property test of the store: random sequences of additions, edits, deletions, imports
and reverts, against a plain in-memory model of the ledger; after every step the store holds what
the model holds, and the ledger as of every past revision is what the model held then."""

from __future__ import annotations

import itertools
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from cojian_graph.errors import LedgerError
from cojian_graph.ledger import Ledger
from cojian_graph.schema import TABLES
from cojian_graph.store import ConflictError, Edit, Store

ORG_IDS = [f"o{i}" for i in range(6)]
ACT_IDS = [f"a{i}" for i in range(5)]
NAMES = st.sampled_from(["甲党支部", "乙工会", "丙团支部", "Québec branch", "=1+1", "丁"])
LINKS = st.sampled_from(["learning", "brand", "service", "culture"])


def _snapshot(ledger: Ledger) -> dict:
    """A ledger as {table: {key: fields}} (order aside)."""
    out = {}
    for name, table in TABLES.items():
        columns = ledger.columns(name)
        rows = zip(*(values.tolist() for values in columns.values()), strict=True)
        out[name] = {tuple(row[list(columns).index(k)] for k in table.key): dict(zip(columns, row, strict=True))
                     for row in rows}
    return out


class StoreMachine(RuleBasedStateMachine):
    def __init__(self, make_url):
        super().__init__()
        self.store = Store(make_url(), create=True)
        self.model = {name: {} for name in TABLES}
        self.history = [self._copy()]  # the model after each revision (index = revision)
        self.counter = itertools.count()

    def _copy(self) -> dict:
        return {name: {key: dict(fields) for key, fields in records.items()} for name, records in self.model.items()}

    def _version(self, table: str, key: tuple) -> int:
        found = self.store.record(table, key)
        return found[1] if found else 0

    def _commit(self, edits, apply_to_model) -> None:
        rev = self.store.apply(edits, user="tester")
        before = self._copy()
        apply_to_model()
        if rev is None:  # nothing changed: no revision
            assert self.model == before
        else:
            assert rev == len(self.history)
            self.history.append(self._copy())

    @initialize()
    def start(self):
        assert self.store.revision == 0

    @rule(org=st.sampled_from(ORG_IDS), name=NAMES)
    def add_organization(self, org, name):
        fields = {"id": org, "name": name, "name_en": "", "kind": "enterprise", "circle": "external",
                  "sector": "local_enterprise"}
        if (org,) in self.model["organizations"]:
            with pytest.raises(ConflictError):
                self.store.apply([Edit("organizations", (org,), fields, 0)], user="tester")
            return
        self._commit([Edit("organizations", (org,), fields, 0)],
                     lambda: self.model["organizations"].__setitem__((org,), fields))

    @precondition(lambda self: self.model["organizations"])
    @rule(data=st.data(), name=NAMES)
    def rename_organization(self, data, name):
        key = data.draw(st.sampled_from(sorted(self.model["organizations"])))
        version = self._version("organizations", key)
        self._commit([Edit("organizations", key, {"name": name}, version)],
                     lambda: self.model["organizations"][key].update(name=name))

    @precondition(lambda self: self.model["organizations"])
    @rule(data=st.data())
    def delete_organization(self, data):
        key = data.draw(st.sampled_from(sorted(self.model["organizations"])))
        used = any(part[1] == key[0] for part in self.model["participations"])
        edit = [Edit("organizations", key, None, self._version("organizations", key))]
        if used:  # refused, not cascaded
            with pytest.raises(LedgerError):
                self.store.apply(edit, user="tester")
            return
        self._commit(edit, lambda: self.model["organizations"].pop(key))

    @precondition(lambda self: len(self.model["organizations"]) >= 2)
    @rule(data=st.data(), act=st.sampled_from(ACT_IDS), link=LINKS)
    def record_activity(self, data, act, link):
        if (act,) in self.model["activities"]:
            return
        orgs = data.draw(st.lists(st.sampled_from(sorted(self.model["organizations"])), min_size=1, max_size=3,
                                  unique=True))
        activity = {"id": act, "title": f"活动{next(self.counter)}", "title_en": "", "link_type": link, "date": "",
                    "description": "", "outcome": "", "source": ""}
        parts = {(act, org[0]): {"activity_id": act, "organization_id": org[0], "role": ""} for org in orgs}

        def to_model():
            self.model["activities"][(act,)] = activity
            self.model["participations"].update(parts)

        self._commit([Edit("activities", (act,), activity, 0),
                      *(Edit("participations", key, fields, 0) for key, fields in parts.items())], to_model)

    @precondition(lambda self: self.model["activities"])
    @rule(data=st.data())
    def delete_activity(self, data):
        key = data.draw(st.sampled_from(sorted(self.model["activities"])))
        parts = [k for k in self.model["participations"] if k[0] == key[0]]
        edits = [Edit("participations", k, None, self._version("participations", k)) for k in parts]
        edits.append(Edit("activities", key, None, self._version("activities", key)))

        def to_model():
            for k in parts:
                self.model["participations"].pop(k)
            self.model["activities"].pop(key)

        self._commit(edits, to_model)

    @precondition(lambda self: self.model["participations"])
    @rule(data=st.data())
    def leave_activity(self, data):
        key = data.draw(st.sampled_from(sorted(self.model["participations"])))
        edit = [Edit("participations", key, None, self._version("participations", key))]
        if sum(part[0] == key[0] for part in self.model["participations"]) == 1:  # its activity's last participant
            with pytest.raises(LedgerError, match="no participating organisation"):
                self.store.apply(edit, user="tester")
            return
        self._commit(edit, lambda: self.model["participations"].pop(key))

    @precondition(lambda self: self.model["organizations"])
    @rule(data=st.data(), name=NAMES, new=st.sampled_from(ORG_IDS))
    def import_a_ledger(self, data, name, new):
        """A ledger kept elsewhere comes in whole: an organisation renamed, perhaps an activity (with its
        participations) gone, perhaps an organisation added."""
        import pandas as pd

        wanted = self._copy()
        key = data.draw(st.sampled_from(sorted(wanted["organizations"])))
        wanted["organizations"][key]["name"] = name
        if wanted["activities"] and data.draw(st.booleans()):
            act = data.draw(st.sampled_from(sorted(wanted["activities"])))
            del wanted["activities"][act]
            wanted["participations"] = {k: v for k, v in wanted["participations"].items() if k[0] != act[0]}
        wanted["organizations"].setdefault((new,), {"id": new, "name": "新组织", "name_en": "", "kind": "other",
                                                    "circle": "external", "sector": "other"})
        ledger = Ledger.from_frames(*(pd.DataFrame(list(wanted[table].values()), columns=TABLES[table].column_names)
                                      for table in TABLES))
        plan = self.store.import_ledger(ledger, user="tester")
        if plan.revision is None:
            assert wanted == self.model
            return
        assert plan.revision == len(self.history)
        self.model = wanted
        self.history.append(self._copy())

    @precondition(lambda self: self.store.revision >= 1)
    @rule(data=st.data())
    def revert(self, data):
        rev = data.draw(st.integers(1, self.store.revision))
        before, after = self.history[rev - 1], self.history[rev]
        touched = [(name, key) for name in TABLES for key in set(before[name]) | set(after[name])
                   if before[name].get(key) != after[name].get(key)]
        unchanged = all(self.model[name].get(key) == after[name].get(key) for name, key in touched)
        reverted = self._copy()
        for name, key in touched:
            if key in before[name]:
                reverted[name][key] = dict(before[name][key])
            else:
                reverted[name].pop(key, None)
        valid = all(k[1] in {o[0] for o in reverted["organizations"]} and (k[0],) in reverted["activities"]
                    for k in reverted["participations"]) and all(
            any(k[0] == a[0] for k in reverted["participations"]) for a in reverted["activities"])
        if not unchanged:
            with pytest.raises(ConflictError):
                self.store.revert(rev, user="tester")
            return
        if not valid:
            with pytest.raises(LedgerError):
                self.store.revert(rev, user="tester")
            return
        self.store.revert(rev, user="tester")
        self.model = reverted
        self.history.append(self._copy())

    @invariant()
    def store_holds_the_model(self):
        assert _snapshot(self.store.ledger()) == self.model
        assert self.store.revision == len(self.history) - 1

    @invariant()
    def every_past_revision_is_the_model_then(self):
        rev = len(self.history) - 1
        for past in {0, rev // 2, max(rev - 1, 0), rev}:
            assert _snapshot(self.store.as_of(past)) == self.history[past], past

    def teardown(self):
        self.store.close()


@pytest.mark.slow
@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_the_store_behaves_as_the_model(database, request):
    if database == "sqlite":
        folder = Path(tempfile.mkdtemp(prefix="cojian-state-"))
        counter = itertools.count()

        def make_url():
            return f"sqlite:///{folder / f'store{next(counter)}.sqlite'}"
    else:
        server = request.getfixturevalue("postgres")
        make_url = server.database
    run_state_machine_as_test(
        lambda: StoreMachine(make_url),
        settings=settings(max_examples=int(os.environ.get("COJIAN_STATE_EXAMPLES", 12)), stateful_step_count=12,
                          deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]))
