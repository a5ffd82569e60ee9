"""生态圈 Ecosystem map: the collaboration network, drawn with fixed positions and a legend."""

from __future__ import annotations

import functools

import streamlit as st

from app_pages.common import choice, current_spec, graph, guard, lang, ledger, network_html, spec_key, tr
from cojian_graph.render import COLOR_BY, LAYOUTS
from cojian_graph.render.network_html import MAX_DRAWN_TIES
from cojian_graph.render.style import SIZE_BY

#: Views larger than this open without their isolated organisations (a toggle shows them).
HIDE_ISOLATED_ABOVE = 300

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


def downloads(G, page: str, *, layout: str, size_by: str, color_by: str) -> None:
    """One button per export format; files other than the page are written only when clicked."""
    from cojian_graph import export

    language = lang()
    data = ledger()
    cols = st.columns(4)
    for position, fmt in enumerate(f for f in export.EXPORT_FORMATS.values() if f.kind in ("page", "image", "graph")):
        if fmt.kind == "page":
            content = functools.partial(str.encode, page, "utf-8")
        elif fmt.kind == "image":
            content = functools.partial(export.image_bytes, G, data, fmt.id, layout=layout, size_by=size_by,
                                        color_by=color_by, lang=language)
        else:
            content = functools.partial(export.graph_bytes, G, fmt.id)
        cols[position % 4].download_button(
            fmt.label(language), data=content, file_name=f"cojian-network{fmt.suffix}", mime=fmt.mime,
            key=f"download_{fmt.id}", on_click="ignore",
        )


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
    isolated = [node for node, degree in G.degree() if degree == 0]
    hide = bool(isolated) and st.session_state.get("map_hide_isolated", G.number_of_nodes() > HIDE_ISOLATED_ABOVE)
    key = spec_key(spec)
    if hide:  # a ring of organisations without ties would fill the map
        alone = set(isolated)
        G = G.subgraph([node for node in G if node not in alone])
        key += "|connected"
    notes = [tr("map.isolated_hidden", count=len(isolated))] if hide else []
    if G.number_of_edges() > MAX_DRAWN_TIES:
        notes.append(tr("map.strongest", shown=MAX_DRAWN_TIES, total=G.number_of_edges()))
    st.caption(" · ".join([tr("map.counts", nodes=G.number_of_nodes(), edges=G.number_of_edges()), *notes]))
    if G.number_of_nodes() == 0:
        st.info(tr("map.empty"))
        page = None
    else:
        page = network_html(G, key, layout=layout, size_by=size_by, color_by=color_by, height=height)
        st.iframe(page, height=height + 16, alt=tr("map.iframe_alt"))
    with controls:
        cols = st.columns([1, 1, 1, 1, 1])
        choice(tr("map.layout"), list(LAYOUTS), "opt_layout",
               format_func=lambda key: LAYOUTS[key][1 if language == "zh" else 2], widget=cols[0].selectbox)
        choice(tr("map.size_by"), list(sizes), "opt_size", format_func=lambda key: sizes[key],
               widget=cols[1].selectbox)
        choice(tr("map.color_by"), list(COLOR_BY), "opt_color",
               format_func=lambda key: COLOR_BY[key][0 if language == "zh" else 1], widget=cols[2].selectbox)
        cols[3].slider(tr("map.height"), min_value=400, max_value=1400, value=720, step=40, key="map_height")
        if isolated:
            cols[4].toggle(tr("map.hide_isolated", count=len(isolated)), value=hide, key="map_hide_isolated",
                           help=tr("map.hide_isolated_help"))
    if page is not None:
        with st.expander(tr("map.downloads")):
            downloads(G, page, layout=layout, size_by=size_by, color_by=color_by)
