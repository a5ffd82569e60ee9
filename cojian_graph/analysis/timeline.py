"""How the ecosystem grew: the ledger per period — activities, new partners, new and lost ties, partner
retention, the internal/external balance, ties that became multiplex — and each organisation's trend.

Periods are years, half-years (``2021-H2``) or quarters (``2021-Q3``). An activity dated by its year
only has no half-year or quarter: it is counted apart (``coarse``), as undated activities are
(``undated``), never silently dropped or silently placed. Every period between the first and the last
is in the tables, even an empty one.

Definitions (per period *p*; a *tie* is a pair of organisations with a joint activity, an
organisation's *partners* are those it has ties with; with ``focus``, only the focal organisation's
ties and partners count):

- ``activities``: activities dated in *p*; ``active``: organisations taking part in them.
- ``new_partners``: organisations whose first joint activity (with anyone; with ``focus``, with it) is in *p*.
- ``new_ties``: ties whose first joint activity is in *p*.
- ``lost_ties``: ties active in the window before (the ``window`` periods ending at *p* − ``window``)
  and not in the window ending at *p*. With ``window=1``: active last period, not this one.
- ``retention``: the share of the organisations with a joint activity in the window before that have
  one in this window (with ``focus``: of its partners); empty where the window before had none.
- ``ei``: the Krackhardt–Stern E-I index of the ties active in *p*, the focal organisation counting
  as inside the company: (external − internal) / (external + internal).
- ``multiplex_new``: ties that reach a second link type in *p* (counting every joint activity so far).

Examples
--------
>>> from cojian_graph.testing import tiny_ledger
>>> table = growth(tiny_ledger()).table
>>> table[["activities", "new_ties", "new_partners"]].values.tolist()
[[1, 1, 2], [1, 1, 1]]
>>> list(table.index), growth(tiny_ledger()).undated
(['2021', '2022'], 2)
"""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ..columns import isin, positions
from ..model import LINK_IDS
from ..periods import PERIODS, parse_period, period_axis, period_labels, periods_of

if TYPE_CHECKING:
    import pandas as pd

    from ..ledger import Ledger

__all__ = ["PERIODS", "Growth", "activities_only", "during", "growth", "parse_period", "period_axis", "period_labels",
           "periods_of", "rank_changes", "rank_over_time", "theil_sen", "trends", "until"]

#: The columns of :attr:`Growth.table`, in order.
GROWTH_COLUMNS = ("activities", "active", "new_partners", "new_ties", "lost_ties", "retention", "ei",
                  "multiplex_new")


def _distinct(values: np.ndarray) -> np.ndarray:
    """The distinct values of an int64 array, sorted (a sort: numpy's hash-based unique is several
    times slower on millions of keys)."""
    values = np.sort(values, kind="stable")
    return values[np.r_[True, values[1:] != values[:-1]]] if len(values) else values


def _codes(values: np.ndarray) -> tuple[int, np.ndarray]:
    """The number of distinct values and each value's code among them (0 … count − 1, in sorted order)."""
    if not len(values):
        return 0, np.empty(0, dtype=np.int64)
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    codes = np.cumsum(np.r_[True, ordered[1:] != ordered[:-1]]) - 1
    inverse = np.empty(len(values), dtype=np.int64)
    inverse[order] = codes
    return int(codes[-1]) + 1, inverse


@dataclass(frozen=True)
class Growth:
    """The growth tables of a ledger (see the module's definitions)."""

    period: str
    #: One row per period (index: its label), the columns of :data:`GROWTH_COLUMNS`.
    table: pd.DataFrame
    #: One row per period and link: ``activities``, ``new_ties``, ``lost_ties`` in that link's layer.
    by_link: pd.DataFrame
    #: Activities without a date, and activities dated more coarsely than the period: not in the tables.
    undated: int
    coarse: int


class _Pairs:
    """Every pair of co-participants of the placed activities: organisation codes (low, high), the
    period number and the link code of their activity."""

    def __init__(self, ledger: Ledger, numbers: np.ndarray):
        from ..graph.build import _co_participations

        act_ids = ledger.column("activities", "id")
        part_acts = positions(ledger.column("participations", "activity_id"), act_ids)
        self.org_ids = ledger.column("organizations", "id")
        part_orgs = positions(ledger.column("participations", "organization_id"), self.org_ids)
        keep = (part_acts >= 0) & (part_orgs >= 0)
        keep[keep] &= numbers[part_acts[keep]] >= 0
        low, high, acts = _co_participations(part_acts[keep], part_orgs[keep])
        distinct = low != high
        self.low, self.high, acts = low[distinct], high[distinct], acts[distinct]
        self.period = numbers[acts]
        self.link = positions(ledger.column("activities", "link_type")[acts], LINK_IDS)
        self.part_orgs, self.part_period = part_orgs[keep], numbers[part_acts[keep]]
        self.ties, self.tie = _codes(self.low * len(self.org_ids) + self.high)  # each pair's tie

    def focus_code(self, focus: str) -> int:
        """The code of organisation ``focus``; CojianError when the ledger has none of that id."""
        found = np.flatnonzero(self.org_ids == focus)
        if not len(found):
            from ..errors import CojianError

            raise CojianError(f"台账中没有组织“{focus}” / no organisation '{focus}' in the ledger")
        return int(found[0])

    def partners(self, focus: int | None) -> tuple[np.ndarray, np.ndarray]:
        """(organisation code, period) of each side of each pair; with ``focus`` (a code, its pairs
        only): the partner's side only."""
        if focus is None:
            return np.r_[self.low, self.high], np.r_[self.period, self.period]
        return np.where(self.low == focus, self.high, self.low), self.period

    def select(self, mask: np.ndarray) -> _Pairs:
        out = object.__new__(_Pairs)
        out.org_ids, out.part_orgs, out.part_period, out.ties = self.org_ids, self.part_orgs, self.part_period, \
            self.ties
        out.low, out.high, out.period, out.link, out.tie = (self.low[mask], self.high[mask], self.period[mask],
                                                            self.link[mask], self.tie[mask])
        return out


def growth(ledger: Ledger, period: str = "year", *, window: int = 1, focus: str | None = None) -> Growth:
    """The growth tables of ``ledger`` per ``period`` (year, half or quarter); ``window`` periods for
    lost ties and retention; ``focus``: count only this organisation's ties and partners."""
    import pandas as pd

    if window < 1:
        raise ValueError("window must be at least 1")
    numbers = periods_of(ledger.column("activities", "date"), period)
    undated, coarse = int((numbers == -1).sum()), int((numbers == -2).sum())
    axis = period_axis(numbers)
    if not len(axis):
        empty = pd.DataFrame(columns=list(GROWTH_COLUMNS))
        return Growth(period, empty, pd.DataFrame(columns=["period", "link", "activities", "new_ties", "lost_ties"]),
                      undated, coarse)
    labels = period_labels(axis, period)
    pairs = _Pairs(ledger, numbers)
    focus_code = None
    if focus is not None:
        focus_code = pairs.focus_code(focus)
        pairs = pairs.select((pairs.low == focus_code) | (pairs.high == focus_code))

    table = pd.DataFrame(index=pd.Index(labels, name="period"))
    table["activities"] = np.bincount(numbers[numbers >= 0] - axis[0], minlength=len(axis))
    table["active"] = _active_per_period(pairs, axis, focus_code)
    table["new_partners"] = _new_partners(pairs, axis, focus_code)
    new, lost = _new_and_lost(pairs, axis, window)
    table["new_ties"], table["lost_ties"] = new, lost
    table["retention"] = _retention(pairs, axis, window, focus_code)
    table["ei"] = _ei(ledger, pairs, axis)
    table["multiplex_new"] = _multiplex_new(pairs, axis)

    rows = []
    link_numbers = positions(ledger.column("activities", "link_type"), LINK_IDS)
    for code, link in enumerate(LINK_IDS):
        acts = np.bincount(numbers[(numbers >= 0) & (link_numbers == code)] - axis[0], minlength=len(axis))
        new, lost = _new_and_lost(pairs.select(pairs.link == code), axis, window)
        rows += [{"period": label, "link": link, "activities": int(a), "new_ties": int(n), "lost_ties": int(x)}
                 for label, a, n, x in zip(labels, acts, new, lost, strict=True)]
    return Growth(period, table, pd.DataFrame(rows), undated, coarse)


def _active_per_period(pairs: _Pairs, axis: np.ndarray, focus: int | None) -> np.ndarray:
    """Organisations taking part in the period's activities (with a focus: its partners then)."""
    orgs, periods = (pairs.part_orgs, pairs.part_period) if focus is None else pairs.partners(focus)
    keys = _distinct((periods - axis[0]) * (len(pairs.org_ids) + 1) + orgs)
    return np.bincount(keys // (len(pairs.org_ids) + 1), minlength=len(axis))


def _new_partners(pairs: _Pairs, axis: np.ndarray, focus: int | None) -> np.ndarray:
    """Organisations whose first joint activity (with anyone; with the focus) falls in each period."""
    orgs, periods = pairs.partners(focus)
    first = np.full(len(pairs.org_ids), np.iinfo(np.int64).max)
    np.minimum.at(first, orgs, periods)
    found = first[first != np.iinfo(np.int64).max]
    return np.bincount(found - axis[0], minlength=len(axis))


def _tie_periods(pairs: _Pairs, axis: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct (tie, period) with a joint activity: tie codes and period offsets."""
    both = _distinct(pairs.tie * len(axis) + (pairs.period - axis[0]))
    return both // len(axis), both % len(axis)


def _new_and_lost(pairs: _Pairs, axis: np.ndarray, window: int) -> tuple[np.ndarray, np.ndarray]:
    n = len(axis)
    if not len(pairs.low):
        return np.zeros(n, dtype=np.int64), np.zeros(n, dtype=np.int64)
    tie, offset = _tie_periods(pairs, axis)
    count = pairs.ties
    first = np.full(count, n)
    np.minimum.at(first, tie, offset)
    new = np.bincount(first, minlength=n + 1)[:n]
    active = np.zeros((count, n), dtype=bool)
    active[tie, offset] = True
    in_window = _windowed(active, window)  # active in the window ending at each period
    lost = np.zeros(n, dtype=np.int64)
    for p in range(window, n):
        lost[p] = int((in_window[:, p - window] & ~in_window[:, p]).sum())
    return new, lost


def _windowed(active: np.ndarray, window: int) -> np.ndarray:
    """Whether each row is active in any of the ``window`` periods ending at each period."""
    totals = np.cumsum(active, axis=1, dtype=np.int64)
    shifted = np.zeros_like(totals)
    shifted[:, window:] = totals[:, :-window]
    return (totals - shifted) > 0


def _retention(pairs: _Pairs, axis: np.ndarray, window: int, focus: int | None) -> np.ndarray:
    n = len(axis)
    orgs, periods = pairs.partners(focus)
    out = np.full(n, np.nan)
    if not len(orgs):
        return out
    active = np.zeros((len(pairs.org_ids), n), dtype=bool)
    active[orgs, periods - axis[0]] = True
    in_window = _windowed(active, window)
    for p in range(window, n):
        before = in_window[:, p - window]
        if before.any():
            out[p] = float((before & in_window[:, p]).sum() / before.sum())
    return out


def _ei(ledger: Ledger, pairs: _Pairs, axis: np.ndarray) -> np.ndarray:
    from .circulation import DEFAULT_MERGE

    circles = ledger.column("organizations", "circle")
    inside = np.asarray([DEFAULT_MERGE.get(circle, circle) == "internal" for circle in circles.tolist()])
    out = np.full(len(axis), np.nan)
    if not len(pairs.low):
        return out
    keys = _distinct((pairs.low * len(pairs.org_ids) + pairs.high) * len(axis) + (pairs.period - axis[0]))
    tie, offset = keys // len(axis), keys % len(axis)
    low, high = tie // len(pairs.org_ids), tie % len(pairs.org_ids)
    external = inside[low] != inside[high]
    ext = np.bincount(offset, weights=external, minlength=len(axis))
    total = np.bincount(offset, minlength=len(axis))
    has = total > 0
    out[has] = (2 * ext[has] - total[has]) / total[has]
    return out


def _multiplex_new(pairs: _Pairs, axis: np.ndarray) -> np.ndarray:
    """Ties whose second distinct link type first appears in each period."""
    n = len(axis)
    if not len(pairs.low):
        return np.zeros(n, dtype=np.int64)
    # the first period of each (tie, link); a tie becomes multiplex at the second smallest of them
    keys = pairs.tie * len(LINK_IDS) + np.maximum(pairs.link, 0)
    order = np.lexsort((pairs.period, keys))
    keys, periods = keys[order], pairs.period[order]
    starts = np.r_[True, keys[1:] != keys[:-1]]
    first_tie, first_period = keys[starts] // len(LINK_IDS), periods[starts]
    order = np.lexsort((first_period, first_tie))
    first_tie, first_period = first_tie[order], first_period[order]
    position = np.arange(len(first_tie)) - np.searchsorted(first_tie, first_tie)
    second = first_period[position == 1]
    return np.bincount(second - axis[0], minlength=n)


def trends(ledger: Ledger, period: str = "year", *, focus: str | None = None) -> pd.DataFrame:
    """Each organisation's joint activities per period (with ``focus``: its joint activities with the
    focal organisation), and their trend: the Theil–Sen slope (the median of the slopes between every
    two periods; one exceptional period, a mass meeting, moves it little), in joint activities per
    period. Sorted from the most rising to the most fading; ``counts`` holds the series (for a
    sparkline), ``first`` and ``last`` the periods of its first and last joint activity."""
    import pandas as pd

    numbers = periods_of(ledger.column("activities", "date"), period)
    columns = ["id", "slope", "total", "first", "last", "counts"]
    axis = period_axis(numbers)
    if not len(axis):
        return pd.DataFrame(columns=columns)
    pairs = _Pairs(ledger, numbers)
    if focus is not None:
        code = pairs.focus_code(focus)
        orgs, periods = pairs.select((pairs.low == code) | (pairs.high == code)).partners(code)
    else:  # joint activities: each activity with another participant counted once per organisation
        orgs, periods = _joint_participations(ledger, numbers)
    counts = np.zeros((len(pairs.org_ids), len(axis)), dtype=np.int64)
    np.add.at(counts, (orgs, periods - axis[0]), 1)
    labels = period_labels(axis, period)
    present = np.flatnonzero(counts.sum(axis=1))
    series = counts[present]
    slopes = theil_sen(series)
    active = series > 0
    first = active.argmax(axis=1)
    last = len(axis) - 1 - active[:, ::-1].argmax(axis=1)
    rows = [(str(pairs.org_ids[org]), float(slope), int(total), labels[a], labels[b], row)
            for org, slope, total, a, b, row in zip(present.tolist(), slopes.tolist(), series.sum(axis=1).tolist(),
                                                    first.tolist(), last.tolist(), series.tolist(), strict=True)]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.sort_values(["slope", "total", "id"], ascending=[False, False, True], kind="stable",
                             ignore_index=True)


def theil_sen(series: np.ndarray) -> np.ndarray:
    """The Theil–Sen slope of each row of ``series`` against 0, 1, 2, …: the median of the slopes
    between every two of its points (Sen 1968), all rows at once; 0 for a single point.

    >>> theil_sen(np.array([[1, 1, 0], [0, 1, 1], [2, 1, 2]])).tolist()
    [-0.5, 0.5, 0.0]
    """
    series = np.asarray(series, dtype=float)
    if series.shape[1] < 2:
        return np.zeros(len(series))
    i, j = np.triu_indices(series.shape[1], k=1)
    return np.median((series[:, j] - series[:, i]) / (j - i), axis=1)


def _joint_participations(ledger: Ledger, numbers: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(organisation code, period) of every participation in a placed activity with another participant."""
    act_ids = ledger.column("activities", "id")
    org_ids = ledger.column("organizations", "id")
    acts = positions(ledger.column("participations", "activity_id"), act_ids)
    orgs = positions(ledger.column("participations", "organization_id"), org_ids)
    keep = (acts >= 0) & (orgs >= 0)
    acts, orgs = acts[keep], orgs[keep]
    sizes = np.bincount(acts, minlength=len(act_ids))
    joint = (numbers[acts] >= 0) & (sizes[acts] >= 2)
    return orgs[joint], numbers[acts[joint]]


def rank_over_time(ledger: Ledger, period: str = "year", *, measure: str = "composite", cumulative: bool = True,
                   window: int = 1, progress=None) -> pd.DataFrame:
    """The rank of every organisation at each period, by ``measure``: on the ledger up to the end of
    the period (``cumulative``) or within the ``window`` periods ending there. Organisations without
    a joint activity yet (or in the window) are left out of that period.

    Where the whole view's rank table estimates the path measures (see
    :func:`~cojian_graph.analysis.sampling.should_sample`), every period's does, so that the periods' ranks
    are found alike (an earlier, smaller period was searched exactly, at more cost than the whole view); on a
    large view the periods are shared with a forked child (at 10^4 organisations and six years: 11.7 s → 6.5 s).

    Returns a long table: ``period``, ``id``, ``rank`` (1 = first), ``value``; ``progress(done,
    total, label)`` is called per period.
    """
    import pandas as pd

    from .engine import PARALLEL_MIN_NODES, can_fork, cores_taken, start_child
    from .rank import rank_table, view_net
    from .sampling import should_sample

    numbers = periods_of(ledger.column("activities", "date"), period)
    columns = ["period", "id", "rank", "value"]
    axis = period_axis(numbers)
    if not len(axis):
        return pd.DataFrame(columns=columns)
    labels = period_labels(axis, period)
    exact = False if should_sample(view_net(ledger)) else None
    subs = []
    for number in axis.tolist():
        low = axis[0] if cumulative else number - window + 1
        sub = activities_only(ledger, (numbers >= low) & (numbers <= number))
        subs.append(sub if sub.size("participations") else None)
    org_ids = ledger.column("organizations", "id")

    def ranked(step: int) -> np.ndarray:
        """Period ``step``'s organisations (rows of ``ledger``), ranks and values, one after the other."""
        table = rank_table(subs[step], measures=[measure], sort_by=measure, exact=exact)
        ranks = table[measure].rank(ascending=_lower_is_better(measure), method="min").to_numpy(dtype=float)
        return np.r_[positions(table["id"].to_numpy(), org_ids), ranks, table[measure].to_numpy(dtype=float)]

    # the largest periods first, each to whichever process has less work so far
    todo = sorted((step for step, sub in enumerate(subs) if sub is not None),
                  key=lambda step: -subs[step].size("participations"))
    theirs: list[int] = []
    if len(todo) > 1 and ledger.size("organizations") >= PARALLEL_MIN_NODES and can_fork():
        loads = [0, 0]
        for step in todo:
            side = int(loads[1] < loads[0])
            loads[side] += subs[step].size("participations")
            if side:
                theirs.append(step)

    def share(send) -> None:
        with cores_taken():
            for step in theirs:
                send(ranked(step).tobytes())

    # each side's rank tables then search on one core (they would fork children of their own)
    child = start_child(share) if theirs else None
    found: dict[int, np.ndarray] = {}
    try:
        with cores_taken() if child is not None else nullcontext():
            for step in todo:
                if step not in theirs:
                    if progress is not None:
                        progress(len(found), len(axis), labels[step])
                    found[step] = ranked(step)
    except BaseException:
        if child is not None:
            child.stop()
        raise
    if child is not None:
        for step in theirs:
            data = child.message()
            if data is None:
                break
            found[step] = np.frombuffer(data, dtype=np.float64)
        if not child.succeeded():  # computed here instead
            found.update((step, ranked(step)) for step in theirs if step not in found)
    if progress is not None:
        progress(len(axis), len(axis), "")
    frames = []
    for step in sorted(found):
        rows, ranks, values = np.split(found[step], 3)
        frames.append(pd.DataFrame({"period": labels[step], "id": org_ids[rows.astype(np.int64)],
                                    "rank": ranks.astype(int), "value": values}))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)


def activities_only(ledger: Ledger, keep: np.ndarray) -> Ledger:
    """The part of ``ledger`` made of the activities ``keep`` selects, their participations, and the
    organisations taking part in them (with another organisation: the network at that time has no
    one who had not yet worked with anyone)."""
    act_of_part = positions(ledger.column("participations", "activity_id"), ledger.column("activities", "id"))
    keep_part = np.zeros(len(act_of_part), dtype=bool)
    found = act_of_part >= 0
    keep_part[found] = keep[act_of_part[found]]
    sub = ledger.take(activities=keep, participations=keep_part)
    orgs, _ = _joint_participations(sub, np.zeros(sub.size("activities"), dtype=np.int64))
    keep_org = np.zeros(sub.size("organizations"), dtype=bool)
    keep_org[orgs] = True
    members = set(sub.column("organizations", "id")[keep_org].tolist())
    return sub.take(organizations=keep_org,
                    participations=isin(sub.column("participations", "organization_id"), members))


def during(ledger: Ledger, label: str) -> tuple[Ledger, int]:
    """The network of one period (``2022``, ``2022-H1``, ``2022-Q3``): its activities, their
    participants; and how many activities could not be placed (undated, or too coarsely dated)."""
    kind, number = parse_period(label)
    numbers = periods_of(ledger.column("activities", "date"), kind)
    return activities_only(ledger, numbers == number), int((numbers < 0).sum())


def until(ledger: Ledger, when: str) -> tuple[Ledger, int]:
    """The network as of the end of ``when`` (a date as people write it: ``2022``, ``2022-06``,
    ``2022年6月30日``): the activities dated then or before (an activity dated by its year or month
    only counts as in that year or month), with their participants; and how many undated activities
    were left out."""
    from ..errors import CojianError
    from ..validate import parse_date

    end = parse_date(str(when))
    if end is None:
        raise CojianError(f"无法识别的日期 unrecognised date: {when!r}（写成 2022、2022-06 或 2022-06-30 / write 2022, "
                          "2022-06 or 2022-06-30)")
    dates = ledger.column("activities", "date").tolist()
    keep = np.fromiter((bool(date) and date[:len(end)] <= end[:len(date)] for date in dates), dtype=bool,
                       count=len(dates))
    return activities_only(ledger, keep), sum(1 for date in dates if not date)


def _lower_is_better(measure: str) -> bool:
    from .registry import MEASURES

    about = MEASURES.get(measure)
    return about is not None and not about.higher_is_better


def rank_changes(ranks: pd.DataFrame) -> pd.DataFrame:
    """From :func:`rank_over_time`: each organisation's rank in the first and the last period it is
    ranked in, and how many places it climbed (negative: fell), most climbed first."""
    import pandas as pd

    if ranks.empty:
        return pd.DataFrame(columns=["id", "from_period", "from_rank", "to_period", "to_rank", "climbed"])
    order = {label: position for position, label in enumerate(dict.fromkeys(ranks["period"]))}
    frame = ranks.assign(step=ranks["period"].map(order)).sort_values(["id", "step"], kind="stable")
    first = frame.groupby("id").first()
    last = frame.groupby("id").last()
    out = pd.DataFrame({"id": first.index, "from_period": first["period"].to_numpy(),
                        "from_rank": first["rank"].to_numpy(), "to_period": last["period"].to_numpy(),
                        "to_rank": last["rank"].to_numpy()})
    out["climbed"] = out["from_rank"] - out["to_rank"]
    return out.sort_values(["climbed", "to_rank", "id"], ascending=[False, True, True], kind="stable",
                           ignore_index=True)
