"""The compiled graph engine behind the measures: igraph, reached without its plotting baggage.

Every measure takes either a networkx graph or a :class:`Net` and returns a ``pd.Series`` indexed
by node id; under it, an array function (``degree_values(net)`` …) gives the values in vertex order.
A ``Net`` is the igraph form of a collaboration graph (vertices in a fixed order; edge weights,
per-link counts and node attributes as numpy arrays) with a small cache, so that
:func:`~cojian_graph.analysis.rank.rank_table` converts once and every measure reuses it.
:func:`net_from_ledger` builds it straight from the ledger's columns, without a networkx graph and
without pandas (which ``cojian rank`` never imports).

``import igraph`` imports ``matplotlib.pyplot`` (for ``igraph.plot``) whenever matplotlib is
installed, which costs about 0.7 s. :func:`igraph_module` hides matplotlib during that import unless
``matplotlib.pyplot`` is loaded already, so igraph falls back to its placeholder; this process then
cannot draw with ``igraph.plot(..., backend="matplotlib")``, which cojian-graph never does (its
images are drawn with matplotlib directly).

Examples
--------
>>> from cojian_graph.testing import tiny_ledger
>>> net = net_from_ledger(tiny_ledger())
>>> net.ids, net.g.ecount(), net.weights().tolist()
(('a', 'b', 'c', 'd'), 3, [2.0, 2.0, 1.0])
"""

from __future__ import annotations

import itertools
import random
import sys
import threading
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from ..errors import CojianError
from ..model import LINK_IDS

if TYPE_CHECKING:
    import igraph
    import networkx as nx
    import pandas as pd

    from ..graph.filters import GraphFilter
    from ..ledger import Ledger

__all__ = ["Net", "as_net", "igraph_module", "igraph_of", "net_from_graph", "net_from_ledger", "net_from_tables",
           "seeded"]

COUNT_COLUMNS: tuple[str, ...] = tuple(f"n_{link}" for link in LINK_IDS)
NODE_COLUMNS = ("name", "name_en", "kind", "circle", "sector")


def igraph_module():
    """``igraph``, imported without pulling in ``matplotlib.pyplot`` unless pyplot is loaded already.

    igraph asks for matplotlib once, while it is imported (``find_matplotlib``): if ``import
    matplotlib`` works it imports ``matplotlib.pyplot`` too, otherwise it keeps placeholders. So
    ``matplotlib`` is hidden during that import (its ``sys.modules`` entry is None, and restored to
    the module already loaded, if any, right after), whether or not something imported matplotlib
    before (the Streamlit app has, for its images). Where pyplot is loaded already, igraph gets it
    as usual: importing it costs nothing then.
    """
    if "igraph" in sys.modules:
        return sys.modules["igraph"]
    if "matplotlib.pyplot" in sys.modules:
        import igraph

        return igraph
    loaded = sys.modules.get("matplotlib")
    sys.modules["matplotlib"] = None  # type: ignore[assignment]  # makes `import matplotlib` fail
    try:
        import igraph
    finally:
        if sys.modules.get("matplotlib", 0) is None:
            if loaded is None:
                del sys.modules["matplotlib"]
            else:
                sys.modules["matplotlib"] = loaded
    return igraph


@contextmanager
def seeded(seed: int = 0) -> Iterator[None]:
    """igraph's random numbers from a generator seeded with ``seed`` for the block.

    igraph's ARPACK solver (eigenvector centrality, PageRank) starts from a random vector, so
    unseeded results differ in the last bits from run to run, enough to reorder tied organisations;
    Leiden visits nodes in a random order; the force layout starts from random positions. The
    block gives the calling thread's igraph a ``random.Random(seed)`` (the sequence
    ``random.seed(seed)`` would give, without touching the global ``random`` state) and Python's
    ``random`` back after it. igraph's generator is per thread and only the main thread's is set
    up by igraph itself: the explorer computes on Streamlit's script threads, where unseeded
    results used to change from run to run. One block runs at a time in a process, which also
    covers igraph builds whose generator is shared by all threads.
    """
    ig = igraph_module()
    with _SEEDED:
        ig.set_random_number_generator(random.Random(seed))
        try:
            yield
        finally:
            ig.set_random_number_generator(random)


_SEEDED = threading.RLock()


@dataclass(eq=False)
class Net:
    """A collaboration graph in igraph form.

    Attributes
    ----------
    g : igraph.Graph
        Undirected, vertex ``i`` is organisation ``ids[i]``; no edge attributes (they live here).
    ids : tuple
        Node ids in vertex order.
    node_attrs : dict of str to ndarray
        Node attributes (``name``, ``circle``, ``n_<link>`` … where known), each an array in vertex
        order (object arrays may hold None where a node lacks the attribute). A DataFrame indexed by
        id is accepted too and turned into arrays.
    edge_weight : ndarray
        ``weight`` of each edge (joint activities; 1.0 where a graph has no weights).
    edge_counts : ndarray or None
        ``(m, 8)`` joint activities per link type, None when the graph does not carry them.
    graph : dict
        Graph attributes (``filter`` for a view built by :func:`net_from_ledger`).
    edge_evidence : ndarray or None
        The ids of the activities behind each edge (an object array of tuples), when asked for
        (``net_from_ledger(..., evidence=True)``): what a graph file writes beside each tie.
    """

    g: igraph.Graph
    ids: tuple
    node_attrs: dict
    edge_weight: np.ndarray
    edge_counts: np.ndarray | None = None
    graph: dict = field(default_factory=dict)
    cache: dict = field(default_factory=dict, repr=False)
    edge_evidence: np.ndarray | None = field(default=None, repr=False)

    def __post_init__(self):
        if hasattr(self.node_attrs, "columns"):  # a DataFrame indexed by id (the former form)
            frame = self.node_attrs.reindex(list(self.ids))
            self.node_attrs = {str(column): frame[column].to_numpy() for column in frame.columns}

    @property
    def n(self) -> int:
        return len(self.ids)

    @property
    def m(self) -> int:
        return len(self.edge_weight)

    @property
    def nodes(self) -> pd.DataFrame:
        """The node attributes as a DataFrame indexed by id (built on first use; imports pandas)."""
        if "nodes" not in self.cache:
            import pandas as pd

            self.cache["nodes"] = pd.DataFrame(
                {name: (values.tolist() if values.dtype == object else values)
                 for name, values in self.node_attrs.items()},
                index=pd.Index(list(self.ids), name="id"))
        return self.cache["nodes"]

    def edges(self) -> np.ndarray:
        """``(m, 2)`` int array of vertex indices."""
        if "edges" not in self.cache:
            self.cache["edges"] = _int_rows(self.g.get_edgelist(), 2)
        return self.cache["edges"]

    def weights(self, weight: str | None = "weight") -> np.ndarray:
        """Edge weights as floats (all ones when ``weight`` is None)."""
        if weight is None:
            return np.ones(self.m)
        if weight != "weight":
            raise CojianError(f"未知的权重属性 unknown weight attribute {weight!r}; "
                              "可选 valid: 'weight' or None")
        return self.edge_weight.astype(float)

    def distances(self, weight: str | None = "weight") -> list[float] | None:
        """Edge lengths for path measures: ``1 / weight`` (None, i.e. one step per edge, when unweighted)."""
        if weight is None:
            return None
        key = ("distances", weight)
        if key not in self.cache:  # one list per weight: path measures key their shared work on it
            self.cache[key] = (1.0 / self.weights(weight)).tolist()
        return self.cache[key]

    def shortest_distances(self, sources, lengths: list[float] | None) -> np.ndarray:
        """``(len(sources), n)``: the shortest distance from each of ``sources`` to every vertex (inf where
        unreached, 0 at itself), along ties of ``lengths`` (:meth:`distances`; None: one step each).

        From :data:`SCIPY_DISTANCES_FROM` distances on, scipy's Dijkstra on the ties as a sparse matrix (kept
        on the net per list of lengths): igraph's search hands its distances back as lists of Python
        floats, whose making took most of its time (16 sources at 10^5 organisations: 0.23 s against
        0.77 s). Fewer are igraph's, which spares a small view scipy's import (0.2 s).
        """
        if len(sources) * self.n < SCIPY_DISTANCES_FROM:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                found = self.g.distances(source=list(sources), weights=lengths)
            return np.asarray(found, dtype=np.float64).reshape(len(sources), self.n)
        from scipy.sparse import csr_array
        from scipy.sparse.csgraph import dijkstra

        held = self.cache.get("csgraph")
        if held is None or held[0] is not lengths:
            edges = self.edges()
            values = np.ones(self.m) if lengths is None else np.asarray(lengths, dtype=np.float64)
            ends = (np.r_[edges[:, 0], edges[:, 1]], np.r_[edges[:, 1], edges[:, 0]])
            held = (lengths, csr_array((np.r_[values, values], ends), shape=(self.n, self.n)))
            self.cache["csgraph"] = held
        return dijkstra(held[1], directed=True, indices=np.asarray(sources, dtype=np.int64),
                        unweighted=lengths is None).reshape(len(sources), self.n)

    def series(self, values, name: str) -> pd.Series:
        """``values`` in vertex order as a float Series indexed by node id (imports pandas)."""
        import pandas as pd

        return pd.Series(np.asarray(values, dtype=float) if not isinstance(values, pd.Series) else values,
                         index=pd.Index(self.ids, name="id"), name=name)

    def attribute(self, name: str, default: str = "") -> np.ndarray:
        """A node attribute in vertex order as an object array (``default`` where missing)."""
        values = self.node_attrs.get(name)
        if values is None:
            return np.full(self.n, default, dtype=object)
        out = np.array(values, dtype=object)
        if out.dtype == object:
            missing = [_missing(value) for value in out.tolist()]
            if any(missing):
                out[np.asarray(missing, dtype=bool)] = default
        return out

    def numeric(self, name: str) -> np.ndarray | None:
        """A numeric node attribute as floats in vertex order (0 where missing); None when absent."""
        values = self.node_attrs.get(name)
        if values is None:
            return None
        if values.dtype.kind in "biuf":
            out = values.astype(float)
        else:
            out = np.array([0.0 if _missing(value) else value for value in values.tolist()], dtype=float)
        out[np.isnan(out)] = 0.0
        return out

    def pair_keys(self, u: np.ndarray, v: np.ndarray) -> np.ndarray:
        """The key of each vertex pair, either way round: lower end × n + higher end (as :meth:`edge_keys`)."""
        return np.minimum(u, v) * self.n + np.maximum(u, v)

    def edge_keys(self) -> tuple[np.ndarray, np.ndarray]:
        """Each edge's key (lower end × n + higher end), sorted, and the edge index of each sorted key
        (cached): a pair is an edge where its key is found among them."""
        if "edge_keys" not in self.cache:
            edges = self.edges()
            keys = self.pair_keys(edges[:, 0], edges[:, 1])
            order = np.argsort(keys, kind="stable")
            self.cache["edge_keys"] = (keys[order], order)
        return self.cache["edge_keys"]

    def edge_ids(self, pairs: np.ndarray) -> np.ndarray:
        """Edge index of each vertex pair in ``pairs`` (``(k, 2)``); every pair must be an edge.

        A binary search in the sorted edge keys (vectorised; no Python call per pair).
        """
        if len(pairs) == 0:
            return np.zeros(0, dtype=np.int64)
        keys, order = self.edge_keys()
        wanted = self.pair_keys(pairs[:, 0], pairs[:, 1])
        return order[np.searchsorted(keys, wanted)]

    def neighbour_counts(self, codes: np.ndarray, n_codes: int) -> np.ndarray:
        """``(n, n_codes)``: for each vertex, how many neighbours have each code."""
        edges = self.edges()
        size = self.n * n_codes
        keys = np.concatenate([edges[:, 0] * n_codes + codes[edges[:, 1]], edges[:, 1] * n_codes + codes[edges[:, 0]]])
        return np.bincount(keys, minlength=size).reshape(self.n, n_codes).astype(np.int64)


def _int_rows(rows: list[tuple[int, ...]], width: int) -> np.ndarray:
    """igraph's list of vertex tuples as a ``(len(rows), width)`` int64 array (``np.fromiter`` over
    the flattened tuples: about twice as fast as ``np.array`` on 20,000 triangles)."""
    flat = np.fromiter(itertools.chain.from_iterable(rows), dtype=np.int64, count=width * len(rows))
    return flat.reshape(-1, width)


def _missing(value) -> bool:
    """None, NaN or pandas' NA: a node without this attribute."""
    if value is None:
        return True
    if isinstance(value, float):
        return value != value
    return type(value).__name__ == "NAType"


def _array(values: list) -> np.ndarray:
    """One node attribute's values as an array: numeric when they all are numbers, else objects."""
    if values and all(isinstance(value, int | float) and not isinstance(value, bool) for value in values):
        return np.asarray(values)
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def as_net(G) -> Net:
    """``G`` as a :class:`Net`: itself when it is one, converted from a networkx graph, or the whole
    collaboration graph of a :class:`~cojian_graph.ledger.Ledger`."""
    from ..ledger import Ledger

    if isinstance(G, Net):
        return G
    if isinstance(G, Ledger):
        return net_from_ledger(G)
    return net_from_graph(G)


def net_from_graph(G: nx.Graph) -> Net:
    """Convert an undirected networkx graph. Missing ``weight`` counts as 1 (networkx's convention)."""
    if G.is_directed() or G.is_multigraph():
        raise CojianError("协作图须为无向简单图 / the collaboration graph must be an undirected simple graph")
    ig = igraph_module()
    ids = tuple(G.nodes)
    index = {node: position for position, node in enumerate(ids)}
    edge_list, weights, counts = [], [], []
    has_counts = True
    for u, v, data in G.edges(data=True):
        if u == v:
            continue  # a self-loop is not a collaboration
        edge_list.append((index[u], index[v]))
        weights.append(data.get("weight", 1))
        if has_counts:
            row = [data.get(column) for column in COUNT_COLUMNS]
            if any(value is None for value in row):
                has_counts = False
            else:
                counts.append(row)
    weight_array = np.asarray(weights, dtype=float)
    if len(weight_array) and not (weight_array > 0).all():
        raise CojianError("边权重须为正数 / edge weights must be positive (they count joint activities)")
    g = ig.Graph(n=len(ids), edges=edge_list)
    data = [attrs for _, attrs in G.nodes(data=True)]
    names = list(dict.fromkeys(name for attrs in data for name in attrs))
    nodes = {str(name): _array([attrs.get(name) for attrs in data]) for name in names}
    edge_counts = np.asarray(counts, dtype=np.int64).reshape(-1, len(COUNT_COLUMNS)) if has_counts else None
    return Net(g, ids, nodes, weight_array, edge_counts, dict(G.graph))


def net_from_tables(nodes: pd.DataFrame, edges: pd.DataFrame, **graph_attrs: Any) -> Net:
    """A :class:`Net` from a node table (column ``id``) and a collaboration edge table.

    The tables are those of :func:`cojian_graph.graph.node_table` and
    :func:`cojian_graph.graph.collaboration_edges`; edges whose ends are not in ``nodes`` are an error.
    """
    return _net_from_columns({str(column): nodes[column].to_numpy() for column in nodes.columns},
                             {str(column): edges[column].to_numpy() for column in edges.columns}, **graph_attrs)


def net_from_ledger(ledger: Ledger, spec: GraphFilter | None = None, *, evidence: bool = False) -> Net:
    """The view ``spec`` selects, as a :class:`Net`, built from the ledger's columns (no networkx
    graph, no pandas); with ``evidence``, each edge's activities too (:attr:`Net.edge_evidence`).

    Same nodes, edges and vertex order as :func:`cojian_graph.graph.filtered_graph` (a test holds
    the two together): the organisations of the filtered ledger in table order, the edges of
    :func:`~cojian_graph.graph.build.edge_columns` with at least ``spec.min_weight`` joint
    activities, and with ``spec.focus`` the ``spec.hops``-step neighbourhood of the focus.
    """
    from ..graph.build import edge_columns, joint_activities, node_columns
    from ..graph.filters import GraphFilter, filter_ledger, require_focus

    spec = (spec or GraphFilter()).normalized()
    require_focus(ledger, spec)
    sub = filter_ledger(ledger, spec)
    nodes = node_columns(sub)
    edges = edge_columns(sub, evidence=evidence, tie_weight=spec.tie_weight, sizes_from=ledger, ends="rows")
    if spec.min_weight > 1:
        strong = joint_activities(edges) >= spec.min_weight
        edges = {key: values[strong] for key, values in edges.items()}
    net = _net_from_columns(nodes, edges, rows=True, filter=spec)
    if spec.focus is None:
        return net
    if spec.focus not in net.ids:  # filtered out by circle or sector
        keep = np.zeros(0, dtype=np.int64)
    else:
        keep = np.asarray(sorted(net.g.neighborhood(net.ids.index(spec.focus), order=spec.hops)),
                          dtype=np.int64)
    return _subnet(net, keep)


def _net_from_columns(nodes: dict[str, np.ndarray], edges: dict[str, np.ndarray], *, rows: bool = False,
                      **graph_attrs: Any) -> Net:
    """A :class:`Net` from node columns (``id`` first) and edge columns (``source``, ``target``,
    ``weight``, ``n_<link>``), as :func:`~cojian_graph.graph.build.node_columns` and
    :func:`~cojian_graph.graph.build.edge_columns` give them: the ends as ids, or with ``rows`` as positions
    in the nodes' order (``edge_columns(..., ends="rows")``)."""
    from ..columns import positions

    ids = tuple(nodes["id"].tolist())
    source, target = edges["source"], edges["target"]
    if not rows:
        source, target = positions(source, ids), positions(target, ids)
    if (source < 0).any() or (target < 0).any() or (len(source) and max(source.max(), target.max()) >= len(ids)):
        raise CojianError("边表中有不在节点表里的组织 / the edge table names organisations not in the nodes")
    g = igraph_of(len(ids), np.column_stack([source, target]))
    counts = None
    if all(column in edges for column in COUNT_COLUMNS):
        counts = np.column_stack([edges[column] for column in COUNT_COLUMNS]).astype(np.int64)
        counts = counts.reshape(-1, len(COUNT_COLUMNS))
    weight = np.asarray(edges["weight"], dtype=float) if "weight" in edges else np.ones(len(source))
    attrs = {name: values for name, values in nodes.items() if name != "id"}
    return Net(g, ids, attrs, weight, counts, dict(graph_attrs), edge_evidence=edges.get("activities"))


def igraph_of(n: int, pairs: np.ndarray):
    """An undirected igraph graph of ``n`` vertices and the ``(m, 2)`` vertex pairs, in order
    (``add_edges`` takes the array as it is: a third of the time of a list of pairs)."""
    g = igraph_module().Graph(n=n)
    if len(pairs):
        g.add_edges(np.ascontiguousarray(pairs, dtype=np.int64))
    return g


def _subnet(net: Net, keep: np.ndarray) -> Net:
    """The subgraph of ``net`` induced by the vertices ``keep`` (increasing), in the same order."""
    new = np.full(net.n, -1, dtype=np.int64)
    new[keep] = np.arange(len(keep))
    edges = net.edges()
    inside = (new[edges[:, 0]] >= 0) & (new[edges[:, 1]] >= 0) if len(edges) else np.zeros(0, dtype=bool)
    pairs = new[edges[inside]].reshape(-1, 2)
    ids = tuple(np.asarray(net.ids, dtype=object)[keep].tolist()) if len(keep) else ()
    attrs = {name: values[keep] for name, values in net.node_attrs.items()}
    counts = net.edge_counts[inside] if net.edge_counts is not None else None
    evidence = net.edge_evidence[inside] if net.edge_evidence is not None else None
    return Net(igraph_of(len(keep), pairs), ids, attrs, net.edge_weight[inside], counts, dict(net.graph),
               edge_evidence=evidence)


#: Shortest distances asked for at once from which :meth:`Net.shortest_distances` uses scipy's Dijkstra.
SCIPY_DISTANCES_FROM = 1_000_000

#: Views at least this large compute betweenness in a forked child while the parent does the rest.
PARALLEL_MIN_NODES = 400


def can_fork() -> bool:
    """True where a child process can take a share of the work: fork exists, there are two cores or
    more, no other thread runs here but those marked :func:`fork_safe` (forking a threaded process, e.g. a
    web server, risks a child stuck on a lock another thread held), and this process is not already one of
    the processes sharing out a larger piece of work (:func:`cores_taken`)."""
    import os
    import threading

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    current = threading.current_thread()
    alone = all(thread is current or getattr(thread, _FORK_SAFE, False) for thread in threading.enumerate())
    return hasattr(os, "fork") and cores >= 2 and alone and not _CORES_TAKEN


_FORK_SAFE = "cojian_fork_safe"


def fork_safe(thread):
    """Mark ``thread`` (not started yet) as one :func:`can_fork` may fork beside: it takes no lock a child
    could need (the explorer's computations watch their parent with such a thread, and still share their
    work with a child of their own). Returns the thread."""
    setattr(thread, _FORK_SAFE, True)
    return thread


_CORES_TAKEN: list[bool] = []


@contextmanager
def cores_taken():
    """Within this block, :func:`can_fork` is False: this process and the children it shares a piece of work
    with already use the cores, and each forking again would only make them wait for each other."""
    _CORES_TAKEN.append(True)
    try:
        yield
    finally:
        _CORES_TAKEN.pop()


def in_child(function) -> Callable[[], np.ndarray | None]:
    """Start ``function() -> float array`` in a forked child; return a function that waits for it.

    The result comes back through a pipe as raw float64 bytes. If the child fails, the waiting
    function returns None and the caller computes the values itself.
    """
    child = start_child(lambda send: send(np.ascontiguousarray(function(), dtype=np.float64).tobytes()))

    def wait() -> np.ndarray | None:
        data = child.message()
        if not child.succeeded() or data is None:
            return None
        return np.frombuffer(data, dtype=np.float64).copy()

    return wait


def start_child(work: Callable[[Callable[[bytes], None]], None]) -> Child:
    """Start ``work(send)`` in a forked child process; ``send(data)`` passes bytes back to this one, which
    reads them, in order, with :meth:`Child.message`. The child leaves as soon as ``work`` returns or
    fails, without running any clean-up of the parent's (open files, ``atexit``)."""
    import os

    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        status = 1
        try:
            os.close(read_end)
            with os.fdopen(write_end, "wb") as pipe:
                def send(data: bytes) -> None:
                    pipe.write(len(data).to_bytes(8, "little"))
                    pipe.write(data)
                    pipe.flush()

                work(send)
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    return Child(pid, os.fdopen(read_end, "rb"))


class Child:
    """A forked child at work (:func:`start_child`): the messages it sends, and how it ended."""

    def __init__(self, pid: int, pipe) -> None:
        self.pid, self._pipe, self._status = pid, pipe, None

    def message(self) -> bytes | None:
        """The child's next message, once it is sent; None if the child ended without sending it."""
        if self._pipe.closed:
            return None
        head = self._pipe.read(8)
        if len(head) < 8:
            return None
        size = int.from_bytes(head, "little")
        data = self._pipe.read(size)
        return data if len(data) == size else None

    def succeeded(self) -> bool:
        """Wait for the child to end (any message not read is dropped): True if its work was done."""
        import os

        if self._status is None:
            with self._pipe:
                self._pipe.read()
            self._status = os.waitpid(self.pid, 0)[1]
        return self._status == 0

    def stop(self) -> None:
        """End the child if it is still at work (what it makes is no longer wanted), and wait for it."""
        import os
        import signal

        if self._status is None:
            with suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            self.succeeded()
