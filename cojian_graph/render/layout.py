"""Node positions: a force-directed layout and concentric circles of the internal–external circulation.

Both functions return a plain ``dict`` node → ``(x, y)`` with coordinates roughly in [-1, 1], computed
once in Python so that nothing moves after the network is drawn. The same graph and seed give the
same positions, so images and pages are reproducible.

Examples
--------
>>> from cojian_graph.graph import collaboration_graph
>>> from cojian_graph.testing import tiny_ledger
>>> G = collaboration_graph(tiny_ledger())
>>> concentric_layout(G)["a"]
(0.0, 0.0)
>>> force_layout(G, seed=1) == force_layout(G, seed=1)
True
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping

import networkx as nx

from ..model import CIRCLES, SECTORS, Circle

__all__ = ["LAYOUTS", "compute_layout", "concentric_layout", "force_layout", "layout_pairs", "pivot_mds"]

Positions = dict[Hashable, tuple[float, float]]

#: Above this many nodes the layout uses igraph's grid variant, which only repels nearby nodes:
#: 0.16 s instead of 2 s for 1,000 organisations and 15,000 ties.
GRID_ABOVE = 300
#: A component's iterations are capped so that iterations × (organisations + ties) stays under this:
#: the full 500 up to 40,000 organisations and ties; 314 at 7,600 organisations and 56,000 ties (2.1 s);
#: 106 at 22,000 and 166,000 (3.9 s). The grid's cells fill as the layout contracts, so an iteration
#: costs more the larger the component: 1.2 ms at 2,400 organisations, 6.6 ms at 7,600, 37 ms at
#: 22,000, 350 ms at 68,000.
LAYOUT_STEPS = 2 * 10**7
#: A component of more organisations is placed by pivot MDS (:func:`pivot_mds`), whose cost grows with its
#: ties (1.7 s at 68,000 organisations and 535,000 ties, where 33 iterations of the force layout took 12 s).
PIVOT_MDS_ABOVE = 20_000
#: Pivots of :func:`pivot_mds` (Brandes and Pich found 50 enough for graphs of 10^5 vertices).
PIVOTS = 50


def force_layout(
    G: nx.Graph, *, seed: int = 7, weight: str | None = "weight", iterations: int = 500
) -> Positions:
    """Force-directed positions (Fruchterman–Reingold, computed by igraph), deterministic for ``seed``.

    Parameters
    ----------
    G : networkx.Graph
    seed : int
        Seed of the initial positions and of igraph's random generator; the same graph and seed
        give the same positions.
    weight : str or None
        Edge attribute pulling collaborating organisations closer (default ``"weight"``, the
        number of joint activities); None for an unweighted layout.
    iterations : int
        Number of iterations (igraph's default, 500), fewer on very large components
        (:data:`LAYOUT_STEPS`).

    Returns
    -------
    dict
        node → ``(x, y)``, scaled to fit in [-1, 1] and centred on the origin, rounded to 6
        decimals.

    Notes
    -----
    Fruchterman and Reingold's algorithm [1]_ in igraph's C implementation. Above
    :data:`GRID_ABOVE` nodes it uses the grid variant of the same paper (repulsion only between
    nearby nodes): about 0.2 s of CPU for 1,000 organisations and 15,000 ties, where the exact
    variant takes 2 s and ``networkx.spring_layout`` about 6 s for 3,000 ties. A component of more
    than :data:`PIVOT_MDS_ABOVE` organisations is placed by pivot MDS instead (:func:`pivot_mds`).

    References
    ----------
    .. [1] T. M. J. Fruchterman and E. M. Reingold, "Graph drawing by force-directed placement",
       Software: Practice and Experience 21(11), 1129–1164, 1991.

    Examples
    --------
    >>> import networkx as nx
    >>> pos = force_layout(nx.path_graph(3), seed=0)
    >>> sorted(pos), all(-1 <= x <= 1 and -1 <= y <= 1 for x, y in pos.values())
    ([0, 1, 2], True)
    """
    import numpy as np

    nodes = list(G)
    index = {node: i for i, node in enumerate(nodes)}
    pairs = np.fromiter((index[end] for edge in G.edges() for end in edge), dtype=np.int64,
                        count=2 * G.number_of_edges()).reshape(-1, 2)
    weights = None
    if weight is not None:
        weights = np.fromiter((float(value or 1) for _, _, value in G.edges(data=weight, default=1)),
                              dtype=np.float64, count=len(pairs))
    xy = layout_pairs(len(nodes), pairs, weights, seed=seed, iterations=iterations)
    return dict(zip(nodes, map(tuple, xy.tolist()), strict=True))


def layout_pairs(n: int, pairs, weights=None, *, seed: int = 7, iterations: int = 500):
    """:func:`force_layout` of the graph of ``n`` vertices joined by ``pairs`` (an ``(m, 2)`` array of
    vertex numbers, ``weights`` beside them): an ``(n, 2)`` array, in [-1, 1], rounded to 6 decimals.

    Each connected component is laid out on its own, the largest at the centre and the others
    (isolated organisations included) on a ring around it, each scaled by its size. Laid out
    together, unconnected parts drift far apart and squeeze the main component into a dot.
    """
    import numpy as np

    from ..analysis.engine import igraph_of

    if n == 0:
        return np.zeros((0, 2))
    g = igraph_of(n, np.asarray(pairs, dtype=np.int64).reshape(-1, 2))
    if len(pairs) and weights is not None:
        g.es["weight"] = np.asarray(weights, dtype=np.float64).tolist()
    membership = np.asarray(g.connected_components().membership, dtype=np.int64)
    sizes = np.bincount(membership)
    # components largest first, then by their first vertex (igraph numbers them so)
    ranked = np.lexsort((np.arange(len(sizes)), -sizes))
    order = np.argsort(membership, kind="stable")  # the vertices component by component, each in order
    starts = np.r_[0, np.cumsum(sizes)]
    coords = np.zeros((n, 2))

    def placed(component: int) -> tuple[np.ndarray, np.ndarray]:
        members = order[starts[component]:starts[component + 1]]
        if len(members) == 1:
            return members, np.zeros((1, 2))
        return members, _component_layout(g.induced_subgraph(members.tolist()), seed, iterations,
                                          weights is not None and len(pairs) > 0)

    members, xy = placed(int(ranked[0]))
    coords[members] = xy
    others = ranked[1:]
    if len(others):
        largest = int(sizes[ranked[0]])
        radius = np.maximum(0.05, np.sqrt(sizes[others] / largest)) * (0.5 if largest > 1 else 1.0)
        centres = _ring(list(range(len(others))), 1.0 + float(radius.max()) + 0.1,
                        min_gap=2.2 * float(radius.max()))
        for index, component in enumerate(others.tolist()):
            members, xy = placed(component)
            coords[members] = np.asarray(centres[index]) + radius[index] * xy
    return _normalised(coords)


def _component_layout(g, seed: int, iterations: int, weighted: bool):
    """Positions of one connected component (an igraph graph), centred, in [-1, 1]: Fruchterman–Reingold,
    or pivot MDS above :data:`PIVOT_MDS_ABOVE` organisations."""
    import numpy as np

    from ..analysis.engine import seeded

    n, m = g.vcount(), g.ecount()
    if n > PIVOT_MDS_ABOVE:
        return _normalised(pivot_mds(g, seed=seed))
    iterations = max(1, min(iterations, LAYOUT_STEPS // (n + m)))
    start = np.random.default_rng(seed).uniform(-1, 1, size=(n, 2)) * math.sqrt(n)
    with seeded(seed):
        coords = np.asarray(
            g.layout_fruchterman_reingold(weights="weight" if weighted else None, niter=iterations,
                                          seed=start.tolist(), grid=n > GRID_ABOVE).coords,
            dtype=float,
        )
    return _normalised(coords)


def pivot_mds(g, *, pivots: int = PIVOTS, seed: int = 7):
    """Pivot MDS positions of a connected igraph graph (Brandes and Pich [1]_): an ``(n, 2)`` array.

    Classical multidimensional scaling of the steps between every organisation and ``pivots``
    organisations chosen far apart (the best-connected one, then each time the one farthest from
    those chosen): ``pivots`` breadth-first searches and a ``pivots × pivots`` eigenproblem, where a
    force layout needs many passes over every organisation. With every organisation a pivot, the axes
    are those of classical MDS, each scaled by its eigenvalue. Organisations at the same distances from
    every pivot would coincide: they are spread by a seeded jitter of 0.2 % of the drawing.

    References
    ----------
    .. [1] U. Brandes and C. Pich, "Eigensolver methods for progressive multidimensional scaling of
       large data", Graph Drawing 2006, LNCS 4372, 42–53.

    Examples
    --------
    >>> import igraph
    >>> xy = pivot_mds(igraph.Graph.Ring(8))
    >>> xy.shape
    (8, 2)
    """
    import numpy as np

    n = g.vcount()
    if n < 3:
        return np.c_[np.arange(n, dtype=float), np.zeros(n)]
    chosen = [int(np.argmax(g.degree()))]
    columns, nearest = [], np.full(n, np.inf)
    for _ in range(min(pivots, n)):
        steps = np.asarray(g.distances(source=chosen[-1])[0], dtype=np.float64)
        columns.append(steps)
        nearest = np.minimum(nearest, steps)
        chosen.append(int(np.argmax(nearest)))
    squared = np.column_stack(columns) ** 2
    centred = -0.5 * (squared - squared.mean(axis=0) - squared.mean(axis=1)[:, None] + squared.mean())
    values, vectors = np.linalg.eigh(centred.T @ centred)
    xy = centred @ vectors[:, np.argsort(values)[::-1][:2]]
    span = float(np.abs(xy).max()) or 1.0
    return xy + np.random.default_rng(seed).uniform(-0.002, 0.002, size=xy.shape) * span


def concentric_layout(G: nx.Graph, *, radii: Mapping[str, float] | None = None) -> Positions:
    """Concentric circles: the focal organisation at the centre, then internal, then external.

    Organisations whose circle is empty or unknown go on a fourth, outermost ring. On each ring,
    organisations are grouped by sector (in registry order), then ordered by name, so that a
    sector forms an arc. A crowded ring is split into several close rings.

    Parameters
    ----------
    G : networkx.Graph
        Nodes carry ``circle``, ``sector`` and ``name`` attributes (as from
        :func:`~cojian_graph.graph.collaboration_graph`).
    radii : mapping circle id → radius, optional
        Defaults: focal 0 (several focal organisations share a small ring), internal 0.5,
        external 1.0, unknown 1.3.

    Returns
    -------
    dict
        node → ``(x, y)``, rounded to 6 decimals.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.Graph()
    >>> G.add_node("f", circle="focal"); G.add_node("i", circle="internal")
    >>> G.add_node("e", circle="external")
    >>> pos = concentric_layout(G)
    >>> pos["f"], round(math.dist(pos["i"], (0, 0)), 3), round(math.dist(pos["e"], (0, 0)), 3)
    ((0.0, 0.0), 0.5, 1.0)
    """
    radius_of = {Circle.FOCAL: 0.0, Circle.INTERNAL: 0.5, Circle.EXTERNAL: 1.0, "": 1.3}
    if radii:
        radius_of.update(radii)
    sector_rank = {sector: i for i, sector in enumerate(SECTORS)}
    rings: dict[str, list] = {circle: [] for circle in radius_of}
    for node, data in G.nodes(data=True):
        circle = data.get("circle", "")
        rings[circle if circle in CIRCLES else ""].append(node)
    pos: Positions = {}
    for circle, members in rings.items():
        if not members:
            continue
        members.sort(key=lambda node: (sector_rank.get(G.nodes[node].get("sector", ""), len(sector_rank)),
                                       str(G.nodes[node].get("name", "")), str(node)))
        radius = radius_of[circle]
        if circle == Circle.FOCAL and radius == 0.0:
            if len(members) == 1:
                pos[members[0]] = (0.0, 0.0)
                continue
            radius = 0.15
        pos.update(_ring(members, radius))
    return {node: (round(x, 6) + 0.0, round(y, 6) + 0.0) for node, (x, y) in pos.items()}


#: Layout name → (function, 中文, English), for the app, the CLI and the docs.
LAYOUTS: dict[str, tuple] = {
    "force": (force_layout, "力导向", "Force-directed"),
    "concentric": (concentric_layout, "同心圆", "Concentric circles"),
}


def compute_layout(G: nx.Graph, layout: str = "force", *, seed: int = 7) -> Positions:
    """Positions by layout name (``"force"`` or ``"concentric"``); raises ``CojianError`` otherwise.

    >>> import networkx as nx
    >>> compute_layout(nx.Graph(), "circle")
    Traceback (most recent call last):
    ...
    cojian_graph.errors.CojianError: 未知的布局 unknown layout: 'circle'; 可选 valid: force, concentric
    """
    from ..errors import CojianError

    if layout not in LAYOUTS:
        raise CojianError(f"未知的布局 unknown layout: {layout!r}; 可选 valid: {', '.join(LAYOUTS)}")
    if layout == "force":
        return force_layout(G, seed=seed)
    return concentric_layout(G)


def _ring(members: list, radius: float, min_gap: float = 0.045) -> Positions:
    """Place ``members`` evenly on a ring, spilling onto slightly larger rings when too crowded."""
    pos: Positions = {}
    remaining = list(members)
    ring = 0
    while remaining:
        r = radius + ring * min_gap * 1.5
        capacity = max(1, int(2 * math.pi * r / min_gap)) if r > 0 else 1
        chunk, remaining = remaining[:capacity], remaining[capacity:]
        offset = (ring % 2) * math.pi / max(len(chunk), 1)  # stagger successive rings
        for i, node in enumerate(chunk):
            angle = math.pi / 2 - 2 * math.pi * i / len(chunk) - offset
            pos[node] = (r * math.cos(angle), r * math.sin(angle))
        ring += 1
    return pos


def _normalised(coords):
    """``coords`` centred and scaled to fit in [-1, 1], rounded to 6 decimals."""
    import numpy as np

    coords = coords - (coords.max(axis=0) + coords.min(axis=0)) / 2
    span = float(np.abs(coords).max()) or 1.0
    return np.round(coords / span, 6) + 0.0  # + 0.0 turns -0.0 into 0.0
