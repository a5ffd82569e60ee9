"""生态圈 Ecosystem map: the collaboration network, drawn with fixed positions and a legend."""

from __future__ import annotations

import functools
import time
from dataclasses import replace

import networkx as nx
import streamlit as st

from app_pages import common
from app_pages.common import choice, current_spec, graph, guard, lang, ledger, network_html, spec_key, tr
from cojian_graph.graph.aggregate import AGGREGATE_ABOVE, GROUP_BY, drawn_as
from cojian_graph.i18n import t
from cojian_graph.render import COLOR_BY, LAYOUTS
from cojian_graph.render.network_html import MAX_DRAWN_TIES
from cojian_graph.render.style import SIZE_BY

#: Views larger than this open without their isolated organisations (a toggle shows them).
HIDE_ISOLATED_ABOVE = 300
#: The period slider's value for the whole view; the seconds each year is shown while playing.
ALL = "all"
PLAY_SECONDS = 1.5

st.title(tr("map.title"))
st.caption(tr("map.intro"))


def size_options() -> dict[str, str]:
    """Measure id → label, the quick ones first, then the registry's measures that can size a node
    (not the community number, which is a label, nor the E-I index, which runs from −1 to 1)."""
    from cojian_graph.analysis import MEASURES

    language = lang()
    options = {key: (zh if language == "zh" else en) for key, (zh, en) in SIZE_BY.items()
               if key not in MEASURES or MEASURES[key].sizable}
    for key, measure in MEASURES.items():
        if measure.sizable:
            options.setdefault(key, measure.label(language))
    return options


def downloads(G, page: str, *, layout: str, size_by: str, color_by: str, whole=None) -> None:
    """One button per export format; files other than the page are written only when clicked (from
    ``whole()`` when given: the graph of every tie, where ``G`` holds only those drawn)."""
    from cojian_graph import export

    language = lang()
    data = ledger()
    cols = st.columns(4)

    def image(fmt: str) -> bytes:
        return export.image_bytes(whole() if whole else G, data, fmt, layout=layout, size_by=size_by,
                                  color_by=color_by, lang=language)

    def graph_file(fmt: str) -> bytes:
        return export.graph_bytes(whole() if whole else G, fmt)

    for position, fmt in enumerate(f for f in export.EXPORT_FORMATS.values() if f.kind in ("page", "image", "graph")):
        if fmt.kind == "page":
            content = functools.partial(str.encode, page, "utf-8")
        else:
            content = functools.partial(image if fmt.kind == "image" else graph_file, fmt.id)
        cols[position % 4].download_button(
            fmt.label(language), data=content, file_name=f"cojian-network{fmt.suffix}", mime=fmt.mime,
            key=f"download_{fmt.id}", on_click="ignore",
        )


def _years(spec) -> list[str]:
    """The years of the view's dated activities, first to last (every year between included)."""
    from cojian_graph.analysis.timeline import period_axis, periods_of
    from cojian_graph.graph import filter_ledger

    numbers = periods_of(filter_ledger(ledger(), replace(spec, focus=None, hops=1)).column("activities", "date"))
    return [str(year) for year in period_axis(numbers).tolist()]


def _to_the_end_of(data, spec, year: int):
    """The view's activities dated up to the end of ``year`` (the ledger the map shows then), and the
    ids of those dated in ``year``."""
    from cojian_graph.analysis.timeline import activities_only, periods_of
    from cojian_graph.graph import filter_ledger

    view = filter_ledger(data, replace(spec, focus=None, hops=1))
    numbers = periods_of(view.column("activities", "date"))
    return (activities_only(view, (numbers >= 0) & (numbers <= year)),
            view.column("activities", "id")[numbers == year])


@st.cache_resource(max_entries=2, show_spinner=False)
def _history(digest: str, key: str, _ledger, _spec):
    """The view's ties per year (:func:`~cojian_graph.graph.history.tie_history`), shared by every session
    (70 MB for a million ties: two views kept)."""
    from cojian_graph.graph.history import tie_history

    return tie_history(_ledger, _spec)


@st.cache_resource(max_entries=16, show_spinner=False)
def _snapshot(digest: str, key: str, year: int, hide: bool, _ledger, _spec):
    """The view's graph at the end of ``year`` (activities dated then or before) as the map draws it:
    its strongest ties, the ties new that year in ``graph["new_ties"]``, how many in ``new_count``."""
    from cojian_graph.errors import UnknownNodeError
    from cojian_graph.graph import drawn_graph

    if _spec.focus is None:  # the view's ties counted once per year, then each year in a fraction of a second
        return _history(digest, key, _ledger, _spec).graph_at(year, limit=MAX_DRAWN_TIES, connected_only=hide)
    until, that_year = _to_the_end_of(_ledger, _spec, year)
    try:
        return drawn_graph(until, _spec, limit=MAX_DRAWN_TIES, new_among=that_year, connected_only=hide)
    except UnknownNodeError:  # the focus had not joined yet
        return nx.Graph(ties=0, new_count=0, new_ties=frozenset())


def _whole_at(spec, year: int, hide: bool) -> nx.Graph:
    """The view's graph at the end of ``year`` with every tie (for the downloads; not kept)."""
    from cojian_graph.graph import filtered_graph

    G = filtered_graph(_to_the_end_of(ledger(), spec, year)[0], spec)
    return G.subgraph([node for node, degree in G.degree() if degree]).copy() if hide else G


def _groups_at(spec, grouped, year: int) -> nx.Graph:
    """The view's groups (``grouped``, the whole view's) at the end of ``year``: the same groups, with
    the organisations, activities and ties they had then (computed once, in a child process)."""
    from cojian_graph.graph.aggregate import grouped_until

    data = ledger()
    return common.computed(("aggregate", common.ledger_hash(data), spec_key(spec), grouped.graph["by"], year),
                           lambda progress: grouped_until(_to_the_end_of(data, spec, year)[0], spec, grouped),
                           tr("progress.aggregate"))


def _as_at(spec, year: int, hide: bool):
    data = ledger()
    return _snapshot(common.ledger_hash(data), spec_key(spec), year, hide, data, spec)


def chosen(key: str, options: list) -> str:
    """The value :func:`choice` will show for ``key``: the session's, else the first option."""
    value = st.session_state.get(key)
    return value if value in options else options[0]


with guard():
    language = lang()
    # The controls' row comes first on screen but is filled after the network: the browser loads the
    # selectboxes' code on demand, and widgets sent before the iframe would hold back its drawing.
    controls = st.container()
    sizes = size_options()
    layout = chosen("opt_layout", list(LAYOUTS))
    size_by = chosen("opt_size", list(sizes))
    color_by = chosen("opt_color", list(COLOR_BY))
    height = int(st.session_state.get("map_height", 720))
    spec = current_spec()
    G = graph(spec)
    # a large view opens on its groups (one node per circle, sector or community); one group drills down
    shows = ["groups", "organizations"] if G.number_of_nodes() > AGGREGATE_ABOVE else ["organizations", "groups"]
    show = chosen("opt_show", shows)
    group_by = chosen("opt_group_by", list(GROUP_BY))
    grouped, drill = None, ""
    if show == "groups":
        grouped = common.aggregate(spec, group_by)
        drill = st.session_state.get("opt_drill") or ""
        if drill not in grouped.graph["groups"]:
            drill = ""
        st.session_state["opt_drill"] = drill
        if drill:  # the organisations of one group, drawn as any view
            G = G.subgraph(grouped.graph["groups"][drill])
    overview = show == "groups" and not drill  # the groups themselves: sized and coloured by group
    isolated = [node for node, degree in G.degree() if degree == 0]
    hide = bool(isolated) and st.session_state.get("map_hide_isolated", G.number_of_nodes() > HIDE_ISOLATED_ABOVE)
    key = spec_key(spec) + (f"|group:{drill}" if drill else "")
    if hide:  # a ring of organisations without ties would fill the map
        alone = set(isolated)
        G = G.subgraph([node for node in G if node not in alone])
        key += "|connected"
    periods = _years(spec) if show == "organizations" or overview else []  # the years play on both
    if st.session_state.pop("_map_stop", False):  # the play reached the whole view
        st.session_state["map_play"] = False
    until = st.session_state.pop("_map_next", None) or st.session_state.get("opt_until", ALL)
    if until not in [*periods, ALL] or len(periods) < 2:
        until = ALL
    st.session_state["opt_until"] = until
    st.session_state["_default_opt_until"] = ALL  # the whole view is left out of the URL
    positions = None
    if overview:  # the groups themselves: sized and coloured by group
        G, key = grouped, f"{spec_key(spec)}|groups:{group_by}"
    base_key = key
    if len(periods) >= 2:  # the years can be stepped through: every frame on the whole view's positions
        positions = common.layout_of(G, key, layout)
        if until != ALL:  # the network (or its groups) at the end of that year
            G = _groups_at(spec, grouped, int(until)) if overview else _as_at(spec, int(until), hide)
        key += f"|until{until}"
    notes = [tr("map.isolated_hidden", count=len(isolated))] if hide and not overview else []
    if drill:
        notes.insert(0, tr("map.drill_note", group=grouped.nodes[drill]["name" if language == "zh" else "name_en"],
                           nodes=len(grouped.graph["groups"][drill]), total=grouped.graph["organizations"]))
    if until != ALL and not overview:
        notes.append(tr("map.until_note", year=until, new=G.graph["new_count"]))
    ties = G.graph.get("ties", G.number_of_edges())  # a year's graph holds only the ties it draws
    if ties > MAX_DRAWN_TIES and not overview:
        notes.append(tr("map.strongest", shown=MAX_DRAWN_TIES, total=ties))
    if overview:  # what the groups stand for, what is not drawn
        st.caption(tr("map.groups_note", groups=G.number_of_nodes(), nodes=G.graph["organizations"],
                      ties=G.graph["ties"], hidden=G.graph["hidden_ties"]))
        if until != ALL:
            st.caption(tr("map.groups_until_note", year=until, ties=G.graph["ties"], total=grouped.graph["ties"]))
        size_by, color_by = drawn_as(group_by)
    else:
        st.caption(" · ".join([tr("map.counts", nodes=G.number_of_nodes(), edges=ties), *notes]))
    if G.number_of_nodes() == 0:
        st.info(tr("map.empty"))
        page = None
    else:
        page = network_html(G, key, layout=layout, size_by=size_by, color_by=color_by, height=height,
                            positions=positions)
        st.iframe(page, height=height + 16, alt=tr("map.iframe_alt"))
    with controls:
        view_cols = st.columns([1, 1, 2])
        choice(tr("map.show"), shows, "opt_show", widget=view_cols[0].selectbox,
               format_func=lambda key: t(f"map.show_{key}", language), help=tr("map.show_help", above=AGGREGATE_ABOVE))
        if show == "groups":
            choice(tr("map.group_by"), list(GROUP_BY), "opt_group_by", widget=view_cols[1].selectbox,
                   format_func=lambda key: GROUP_BY[key][0 if language == "zh" else 1])
            names = {node: data["name" if language == "zh" else "name_en"] for node, data in grouped.nodes(data=True)}
            ordered = sorted(names, key=lambda node: -grouped.nodes[node]["organizations"])
            choice(tr("map.drill"), ["", *ordered], "opt_drill", widget=view_cols[2].selectbox,
                   format_func=lambda node: names.get(node, t("map.drill_all", language)))
        cols = st.columns([1, 1, 1, 1, 1])
        choice(tr("map.layout"), list(LAYOUTS), "opt_layout",
               format_func=lambda key: LAYOUTS[key][1 if language == "zh" else 2], widget=cols[0].selectbox)
        if not overview:
            choice(tr("map.size_by"), list(sizes), "opt_size", format_func=lambda key: sizes[key],
                   widget=cols[1].selectbox)
            choice(tr("map.color_by"), list(COLOR_BY), "opt_color",
                   format_func=lambda key: COLOR_BY[key][0 if language == "zh" else 1], widget=cols[2].selectbox)
        cols[3].slider(tr("map.height"), min_value=400, max_value=1400, value=720, step=40, key="map_height")
        if isolated and not overview:
            cols[4].toggle(tr("map.hide_isolated", count=len(isolated)), value=hide, key="map_hide_isolated",
                           help=tr("map.hide_isolated_help"))
        if len(periods) >= 2:
            row = st.columns([5, 1])
            row[0].select_slider(tr("map.until"), options=[*periods, ALL], key="opt_until",
                                 format_func=lambda value: tr("map.until_all") if value == ALL else value,
                                 help=tr("map.until_help"))
            row[1].toggle(tr("map.play"), key="map_play", help=tr("map.play_help"))
    if page is not None:
        with st.expander(tr("map.downloads")):
            downloads(G, page, layout=layout, size_by=size_by, color_by=color_by,
                      whole=None if until == ALL or overview else functools.partial(_whole_at, spec, int(until), hide))

    # playing: show the next year after a pause, until the whole view
    if st.session_state.get("map_play") and len(periods) >= 2:
        steps = [*periods, ALL]
        position = steps.index(until)
        if until == ALL:  # start from the first year
            st.session_state["_map_next"] = steps[0]
        elif position + 1 < len(steps):
            st.session_state["_map_next"] = steps[position + 1]
        if steps[position + 1:] or until == ALL:
            started = time.monotonic()
            upcoming = st.session_state["_map_next"]
            if upcoming != ALL:  # make the next year's map while this one is shown, so that it comes on time
                following = _groups_at(spec, grouped, int(upcoming)) if overview else _as_at(spec, int(upcoming), hide)
                if following.number_of_nodes():
                    network_html(following, f"{base_key}|until{upcoming}", layout=layout, size_by=size_by,
                                 color_by=color_by, height=height, positions=positions)
            time.sleep(max(0.0, PLAY_SECONDS - (time.monotonic() - started)))
            if st.session_state.get("_map_next") == ALL:
                st.session_state["_map_stop"] = True
            st.rerun()
