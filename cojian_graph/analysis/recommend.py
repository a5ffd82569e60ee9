"""Where to build next (建议): ties to deepen, organisations to approach, and how well the scores
behind them predicted what really happened.

- :func:`deepen`: an organisation's existing ties that are frequent but run through a single link
  type, and ties that faded (no joint activity in the last ``window`` periods of the ledger), with
  the reason in words.
- :func:`approach`: organisations not yet tied to it, ranked by a link-prediction score, with the
  partners they share. The default is the weighted resource allocation index (Lü & Zhou 2009) on
  the collaboration network weighted as Newman's collaboration network (1/(k−1) per activity of k
  participants): a unit of resource spreads from an organisation through its activities to their
  participants and on to theirs, so that a mass meeting introduces no one in particular:
  ``s(u, v) = Σ_z w(u, z) · w(z, v) / s(z)`` over the partners ``z`` they share (``s(z)``: z's
  strength), one sparse product with scipy. networkx's unweighted resource allocation and
  Adamic–Adar indices are there to compare with.
- :func:`evaluate`: hide the last period of a dated ledger, score every organisation's candidates on
  the rest, and measure precision@k and AUC against the ties that period really made, beside a random
  ranking and the most active organisations. A score that does not beat both is not offered
  (:data:`SHIPPED` lists those that did; see docs/recommendations.md).

Examples
--------
>>> from cojian_graph.testing import dated_ledger
>>> approach(dated_ledger(), "B")[["id", "score", "shared"]].values.tolist()
[['A', 1.0, 1], ['C', 0.25, 1], ['D', 0.25, 1]]
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

import numpy as np

from ..errors import CojianError, UnknownNodeError
from ..model import LINKS

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd

    from ..graph import GraphFilter
    from ..ledger import Ledger

__all__ = ["BASELINES", "SCORES", "SHIPPED", "approach", "deepen", "evaluate", "focal_organization"]

#: Link-prediction scores: id → (中文, English, networkx function name or None for the weighted index).
SCORES = {
    "weighted_resource_allocation": ("加权资源分配指数（按活动规模折算）",
                                     "weighted resource allocation (by activity size)", None),
    "resource_allocation": ("资源分配指数", "resource allocation index", "resource_allocation_index"),
    "adamic_adar": ("Adamic–Adar 指数", "Adamic–Adar index", "adamic_adar_index"),
}
#: What a score must beat: a random order, and the candidates ranked by how many activities they had.
BASELINES = {"random": ("随机排序", "random order"), "most_active": ("最活跃的组织", "most active organisations")}
#: The scores offered as recommendations: those that beat both baselines in docs/recommendations.md.
SHIPPED = ("weighted_resource_allocation",)


def focal_organization(ledger: Ledger) -> str:
    """The id of the ledger's focal organisation (circle ``focal``); CojianError when there is none."""
    ids = ledger.column("organizations", "id")[ledger.column("organizations", "circle") == "focal"]
    if not len(ids):
        raise CojianError("台账中没有核心组织（圈层 focal），请指定组织 / the ledger has no focal organisation (circle "
                          "focal): name one")
    return str(ids[0])


class _View:
    """The organisations and ties of a view as its tables and sparse matrices (no networkx graph):
    a view of a million ties is read in about a second."""

    def __init__(self, ledger: Ledger, spec: GraphFilter | None, tie_weight: str, *, evidence: bool = False):
        from dataclasses import replace

        import scipy.sparse as sparse

        from ..graph import GraphFilter
        from ..graph.build import joint_activities
        from ..graph.filters import view_tables

        nodes, edges = view_tables(ledger, replace((spec or GraphFilter()).normalized(), tie_weight=tie_weight),
                                   evidence=evidence)
        self.nodes, self.edges = nodes.set_index("id", drop=False), edges
        self.ids = nodes["id"].tolist()
        self.index = {org: position for position, org in enumerate(self.ids)}
        source = np.fromiter(map(self.index.__getitem__, edges["source"]), dtype=np.int64, count=len(edges))
        target = np.fromiter(map(self.index.__getitem__, edges["target"]), dtype=np.int64, count=len(edges))
        rows, columns = np.r_[source, target], np.r_[target, source]
        n = len(self.ids)
        self.A = sparse.csr_matrix((np.r_[edges["weight"], edges["weight"]].astype(float), (rows, columns)),
                                   shape=(n, n))
        joint = joint_activities(edges)
        self.joint = sparse.csr_matrix((np.r_[joint, joint], (rows, columns)), shape=(n, n))

    def check(self, org: str) -> int:
        if org not in self.index:
            raise UnknownNodeError(f"当前视图中没有组织 {org!r} / no organisation {org!r} in this view")
        return self.index[org]

    def neighbours(self, org: str) -> set[str]:
        position = self.index[org]
        return {self.ids[j] for j in self.A.indices[self.A.indptr[position]:self.A.indptr[position + 1]]}

    def ties_of(self, org: str) -> pd.DataFrame:
        """``org``'s rows of the edge table, with the other end as ``partner``."""
        mine = self.edges[(self.edges["source"] == org) | (self.edges["target"] == org)]
        return mine.assign(partner=np.where(mine["source"] == org, mine["target"], mine["source"]))


class _Scorer:
    """Scores of the candidates of one organisation at a time: the weighted resource allocation index
    from a :class:`_View` weighted as Newman's network, or a networkx index from a graph."""

    def __init__(self, score: str, *, view: _View | None = None, graph: nx.Graph | None = None):
        self.score, self.graph = score, graph
        if SCORES[score][2] is None:
            import scipy.sparse as sparse

            strength = np.asarray(view.A.sum(axis=1)).ravel()
            inverse = np.divide(1.0, strength, out=np.zeros_like(strength), where=strength > 0)
            self.view, self.spread = view, (sparse.diags(inverse) @ view.A).tocsr()

    def of(self, org: str, candidates: list) -> np.ndarray:
        if SCORES[self.score][2] is None:
            index = self.view.index
            row = (self.view.A[[index[org]]] @ self.spread).toarray().ravel()
            return row[[index[v] for v in candidates]]
        import networkx as nx

        scored = getattr(nx, SCORES[self.score][2])(self.graph, [(org, v) for v in candidates])
        return np.fromiter((value for *_, value in scored), dtype=float, count=len(candidates))


def _names(ledger: Ledger, lang: str) -> dict[str, str]:
    from ..render.style import display_name

    orgs = ledger.organizations
    return {row["id"]: display_name(row, lang) for row in orgs[["id", "name", "name_en"]].to_dict("records")}


def approach(ledger: Ledger, org: str | None = None, *, top: int = 5, score: str = "weighted_resource_allocation",
             spec: GraphFilter | None = None, lang: str = "zh") -> pd.DataFrame:
    """Organisations ``org`` (default: the focal one) has no tie with yet, best first.

    A candidate shares at least one partner with ``org``; it scores by ``score`` (:data:`SCORES`) on
    the collaboration network of the view ``spec``. Returns a table:
    ``id``, ``name``, ``circle``, ``sector``, ``score``, ``shared`` (partners in common),
    ``activities`` (the candidate's; equal scores are ranked by it), ``via`` (the shared partners'
    names, strongest ties first, at most three) and ``reason`` (a sentence).
    """
    import pandas as pd

    if score not in SCORES:
        raise CojianError(f"未知的推荐分数 unknown score {score!r}; 可选 valid: {', '.join(SCORES)}")
    org = org or focal_organization(ledger)
    weighted = SCORES[score][2] is None
    view = _View(ledger, spec, "newman" if weighted else "count")
    position = view.check(org)
    near = view.neighbours(org)
    reached = (view.A[[position]] @ view.A).indices  # organisations two steps away
    candidates = sorted({view.ids[j] for j in reached} - near - {org})
    if weighted:
        scorer = _Scorer(score, view=view)
    else:
        from ..graph import graph_from_tables

        scorer = _Scorer(score, graph=graph_from_tables(view.nodes.reset_index(drop=True), view.edges))
    scores = scorer.of(org, candidates) if candidates else np.zeros(0)
    names = _names(ledger, lang)

    def joint(a: str, b: str) -> int:  # joint activities, whatever the weight
        return int(view.joint[view.index[a], view.index[b]])

    rows = []
    for candidate, value in zip(candidates, scores.tolist(), strict=True):
        shared = sorted(near & view.neighbours(candidate), key=lambda u: (-min(joint(org, u), joint(candidate, u)), u))
        via = "、".join(names.get(u, u) for u in shared[:3]) if lang == "zh" else ", ".join(
            names.get(u, u) for u in shared[:3])
        more = len(shared) - 3
        if lang == "zh":
            reason = f"与我们有 {len(shared)} 个共同伙伴：{via}" + (" 等" if more > 0 else "")
        else:
            reason = f"shares {len(shared)} partner{'s' if len(shared) != 1 else ''} with us: {via}" + (
                f" and {more} more" if more > 0 else "")
        data = view.nodes.loc[candidate]
        rows.append({"id": candidate, "name": names.get(candidate, candidate), "circle": data.get("circle", ""),
                     "sector": data.get("sector", ""), "score": float(value), "shared": len(shared),
                     "activities": int(data.get("activities", 0) or 0), "via": via, "reason": reason})
    table = pd.DataFrame(rows, columns=["id", "name", "circle", "sector", "score", "shared", "activities", "via",
                                        "reason"])
    # as evaluate() ranks: equal scores by the candidate's activities
    return table.sort_values(["score", "activities", "id"], ascending=[False, False, True], kind="stable").head(
        top).reset_index(drop=True)


def deepen(ledger: Ledger, org: str | None = None, *, top: int = 10, window: int = 1, min_activities: int = 2,
           spec: GraphFilter | None = None, lang: str = "zh") -> pd.DataFrame:
    """Existing ties of ``org`` (default: the focal organisation) worth deepening, best first.

    - ``single_link``: at least ``min_activities`` joint activities, all of one link type. The reason
      names the link types that ``org`` runs with other partners of the same sector, if any.
    - ``faded``: a tie with dated joint activities, none in the ledger's last ``window`` years.

    Ranked by joint activities (more first). Returns ``id``, ``name``, ``kind``, ``activities``,
    ``links``, ``first``, ``last`` (years of the first and last dated joint activity), ``reason``.
    """
    import pandas as pd

    from ..periods import periods_of

    org = org or focal_organization(ledger)
    view = _View(ledger, spec, "count", evidence=True)
    view.check(org)
    ties = view.ties_of(org)
    sector = view.nodes["sector"].to_dict()
    names = _names(ledger, lang)
    year_of = dict(zip(ledger.column("activities", "id").tolist(),
                       periods_of(ledger.column("activities", "date")).tolist(), strict=True))
    link_of = dict(zip(ledger.column("activities", "id").tolist(), ledger.column("activities", "link_type").tolist(),
                       strict=True))
    dated = [year for year in year_of.values() if year >= 0]
    latest = max(dated) if dated else None
    sector_links: dict[str, Counter] = {}
    for partner, acts in zip(ties["partner"], ties["activities"], strict=True):
        sector_links.setdefault(sector.get(partner, ""), Counter()).update(link_of[act] for act in acts)

    link_order = {link: position for position, link in enumerate(LINKS)}

    def link_name(link: str) -> str:
        return LINKS[link].text(lang) if link in LINKS else link

    rows = []
    for partner, acts in zip(ties["partner"], ties["activities"], strict=True):
        links = sorted({link_of[act] for act in acts}, key=lambda link: link_order.get(link, len(link_order)))
        years = sorted(year_of[act] for act in acts if year_of[act] >= 0)
        first, last = (years[0], years[-1]) if years else (None, None)
        since = (f"（自 {first} 年）" if lang == "zh" else f" since {first}") if first else ""
        if len(acts) >= min_activities and len(links) == 1:
            others = [link for link, _ in sector_links[sector.get(partner, "")].most_common()
                      if link != links[0]][:2]
            if lang == "zh":
                reason = f"{len(acts)} 项共建活动{since}，均为{link_name(links[0])}"
                if others:
                    reason += f"；同领域的其他伙伴还与我们开展{'、'.join(map(link_name, others))}"
            else:
                reason = f"{len(acts)} joint activities{since}, all {link_name(links[0])}"
                if others:
                    reason += f"; other partners of this sector also run {', '.join(map(link_name, others))} with us"
            rows.append((partner, "single_link", len(acts), links, first, last, reason))
        elif last is not None and latest is not None and last <= latest - window:
            reason = (f"{len(acts)} 项共建活动，最近一次在 {last} 年" if lang == "zh"
                      else f"{len(acts)} joint activities, the last in {last}")
            rows.append((partner, "faded", len(acts), links, first, last, reason))
    table = pd.DataFrame(rows, columns=["id", "kind", "activities", "links", "first", "last", "reason"])
    table.insert(1, "name", [names.get(partner, partner) for partner in table["id"]])
    table["links"] = [", ".join(links) for links in table["links"]]
    table = table.sort_values(["activities", "id"], ascending=[False, True], kind="stable")
    return table.head(top).reset_index(drop=True).astype({"first": "Int64", "last": "Int64"})


def _ranking(values: np.ndarray, active: np.ndarray, tiebreak: np.ndarray) -> np.ndarray:
    """Candidates best first: by ``values``; equal values (most often: no partner in common) by how
    active the candidate was, then by ``tiebreak``."""
    return np.lexsort((tiebreak, -active, -values))


def evaluate(ledger: Ledger, *, period: str = "year", k: tuple[int, ...] = (5, 10), limit: int = 300,
             seed: int = 0) -> pd.DataFrame:
    """How well each score and baseline predicted the last period's new ties.

    The ledger's last period (of ``period``) is held back. On the network of the activities before
    it, for each organisation that made a new tie in the held-back period with an organisation
    already in that network (at most ``limit`` of them, drawn with ``seed``), every organisation it
    had no tie with is a candidate; those it then met are the positives. Each method ranks the
    candidates, equal values by the candidate's activities and then at random, the same way for every
    method (and as :func:`approach` does):

    - the :data:`SCORES`; ``random``; ``most_active`` (by the candidate's activities before the period).

    Returns one row per method: ``precision@k`` (share of the top k that were met, averaged over the
    organisations), ``auc`` (the chance that a met candidate comes before one not met in that
    ranking: the Mann–Whitney U statistic of the positions over n₁n₀, by scipy, averaged over the
    organisations), ``organisations`` and ``positives`` (new ties among them). CojianError when
    the ledger has fewer than two dated periods or no new tie between known organisations in the last.
    """
    import pandas as pd
    from scipy.stats import mannwhitneyu

    from ..graph import collaboration_edges, collaboration_graph
    from ..periods import periods_of
    from .timeline import activities_only

    numbers = periods_of(ledger.column("activities", "date"), period)
    placed = numbers[numbers >= 0]
    if len(np.unique(placed)) < 2:
        raise CojianError("需要至少两个注明日期的时段才能检验推荐 / the evaluation needs activities dated in at least "
                          "two periods")
    last = int(placed.max())
    before = activities_only(ledger, (numbers >= 0) & (numbers < last))
    train = collaboration_graph(before, evidence=False)
    weighted = _View(before, None, "newman")
    scorers = {score: _Scorer(score, view=weighted, graph=train) for score in SCORES}
    held = collaboration_edges(activities_only(ledger, numbers == last), evidence=False)
    met: dict[str, set] = {}
    for u, v in zip(held["source"].tolist(), held["target"].tolist(), strict=True):
        if u in train and v in train and not train.has_edge(u, v):
            met.setdefault(u, set()).add(v)
            met.setdefault(v, set()).add(u)
    if not met:
        raise CojianError("最后一个时段没有已知组织之间的新关系，无法检验 / the last period made no new tie between "
                          "organisations known before it: nothing to evaluate against")
    rng = np.random.default_rng(seed)
    chosen = sorted(met)
    if len(chosen) > limit:
        chosen = sorted(rng.choice(chosen, size=limit, replace=False).tolist())
    activity_count = dict(train.nodes(data="activities"))
    methods = [*SCORES, *BASELINES]
    precision = {method: {n: [] for n in k} for method in methods}
    auc = {method: [] for method in methods}
    nodes = list(train)
    positives = 0
    for u in chosen:
        near = set(train[u])
        candidates = [v for v in nodes if v != u and v not in near]
        truth = np.fromiter((v in met[u] for v in candidates), dtype=bool, count=len(candidates))
        if truth.all() or not truth.any():
            continue
        positives += int(truth.sum())
        tiebreak = rng.random(len(candidates))
        active = np.array([activity_count.get(v, 0) or 0 for v in candidates], dtype=float)
        for method in methods:
            if method in SCORES:
                values = scorers[method].of(u, candidates)
            elif method == "random":
                values = rng.random(len(candidates))
            else:
                values = active
            order = _ranking(values, active, tiebreak)
            position = np.empty(len(order), dtype=float)
            position[order] = np.arange(len(order), 0, -1)  # higher is better
            for n in k:
                precision[method][n].append(truth[order[:n]].sum() / n)
            auc[method].append(mannwhitneyu(position[truth], position[~truth]).statistic
                               / (truth.sum() * (~truth).sum()))
    rows = []
    for method in methods:
        label = SCORES.get(method) or BASELINES[method]
        rows.append({"method": method, "label_zh": label[0], "label_en": label[1],
                     **{f"precision@{n}": float(np.mean(precision[method][n])) for n in k},
                     "auc": float(np.mean(auc[method])), "organisations": len(auc[method]), "positives": positives})
    return pd.DataFrame(rows)
