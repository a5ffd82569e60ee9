"""The ecosystem map of a large view, drawn with WebGL by sigma.js on a graphology graph.

vis-network draws on a 2D canvas and redraws every organisation and tie on each frame: at a few
thousand organisations hovering and zooming stall. sigma.js draws the same data with WebGL, so a view
of 10^4 organisations and 2·10^4 ties still pans, zooms and answers the mouse. :func:`network_html`
decides which of the two draws a page (:func:`choose_renderer`); this module writes the WebGL page
from the same data as vis-network's (:func:`~cojian_graph.render.network_html.network_data`): the
same positions, colours, labels and tooltips, every organisation drawn as a disc (sigma draws no
stars or squares, so the legend leaves the circles' shapes out).

sigma.js 3.0.3 and graphology 0.26.0 (both MIT) are vendored in ``render/vendor/`` with their licences,
the npm tarballs' integrity and the files' SHA-256 (``MANIFEST.json``); ``scripts/vendor_js.py``
refreshes and checks them. The page inlines them: it opens offline and loads nothing. The same safety
rules as vis-network's page hold: tooltips are set with ``textContent``, the data is JSON that cannot
end its ``<script>``, every text in the HTML goes through ``html.escape``, and the Content-Security-Policy
allows only the page's three scripts, by their SHA-256.
"""

from __future__ import annotations

import html
import math
from functools import cache
from pathlib import Path

from ..errors import CojianError
from .page import PAGE_HEAD

__all__ = ["WEBGL_ABOVE", "WEBGL_LABELS", "choose_renderer", "vendored", "webgl_page"]

#: Above this many organisations a map is drawn with WebGL (sigma.js) instead of vis-network's canvas;
#: it is also where the explorer opens a view on its groups (graph.aggregate.AGGREGATE_ABOVE).
WEBGL_ABOVE = 1_500

RENDERERS = ("auto", "vis", "webgl")

#: How many organisations (the largest) carry a label on a WebGL map by default; sigma.js shows those
#: of them that fit without overlapping (one per cell of its label grid), more as one zooms in.
WEBGL_LABELS = 300

_VENDOR = Path(__file__).resolve().parent / "vendor"


def choose_renderer(n_nodes: int, renderer: str = "auto") -> str:
    """``"vis"`` (vis-network, which draws stars and squares and arcs, for views up to
    :data:`WEBGL_ABOVE` organisations) or ``"webgl"`` (sigma.js, beyond); ``renderer`` forces one.

    >>> choose_renderer(200), choose_renderer(20_000), choose_renderer(200, "webgl")
    ('vis', 'webgl', 'webgl')
    """
    if renderer not in RENDERERS:
        raise CojianError(f"未知的绘图方式 unknown renderer: {renderer!r}; 可选 valid: {', '.join(RENDERERS)}")
    if renderer != "auto":
        return renderer
    return "webgl" if n_nodes > WEBGL_ABOVE else "vis"


@cache
def vendored(name: str) -> str:
    """A vendored script (``sigma.min.js``, ``graphology.umd.min.js``), safe to inline in a ``<script>``."""
    path = _VENDOR / name
    if not path.exists():
        raise CojianError(f"找不到随包附带的 {name} / the vendored {name} is missing from cojian_graph/render/vendor "
                          "(python scripts/vendor_js.py --write)")
    return path.read_text(encoding="utf-8").replace("</script", "<\\/script")


def node_scale(n_nodes: int) -> float:
    """How much smaller than on vis-network's map an organisation is drawn: WebGL maps hold thousands
    of them in the same frame (a quarter of the size at 10^4 organisations, at most the same size).

    >>> node_scale(100), node_scale(10_000)
    (1.0, 0.25)
    """
    return min(1.0, max(0.2, 25.0 / math.sqrt(max(n_nodes, 1))))


_TEXT = {
    "zh": {"no_webgl": "此浏览器无法用 WebGL 绘图：请换用较新的浏览器，或按组查看。",
           "hint": "悬停查看详情；滚轮缩放，拖动平移（WebGL 绘图）。"},
    "en": {"no_webgl": "This browser cannot draw with WebGL: use a recent browser, or view the groups.",
           "hint": "Hover for details; scroll to zoom, drag to pan (drawn with WebGL)."},
}


def webgl_page(data: dict, *, lang: str, title: str, legend: str, height: str, heading: bool, font: str,
               text: dict) -> str:
    """The WebGL page of ``data`` (vis-network's compact data, from ``network_data(..., compact=True)``)."""
    from .network_html import _hash_of, _script_json

    scale = node_scale(len(data["nodes"]))
    nodes = [{"id": node["id"], "l": node["label"] or None, "t": node["title"], "x": node["x"], "y": -node["y"],
              "s": round(node["size"] * scale, 2), "c": node["c"],
              **({"f": 1} if "font" in node else {})}  # the focal organisations and the view's focus: always labelled
             for node in data["nodes"]]
    edges = [{"s": edge["from"], "d": edge["to"], "z": round(max(1.5, min(edge["width"], 8.0) * max(scale, 0.5)), 2),
              "c": edge["color"], **{key: edge[key] for key in ("w", "m", "t", "a", "n") if key in edge}}
             for edge in data["edges"]]
    payload = {"nodes": nodes, "edges": edges, "acts": data.get("acts", []),
               "text": {**text, "no_webgl": " / ".join(_TEXT[first]["no_webgl"] for first in (lang, "en" if lang == "zh"
                                                                                                  else "zh"))},
               "font": font}
    if "frame" in data:  # the whole layout's frame, in sigma's coordinates (y up)
        left, top, right, bottom = data["frame"]
        payload["frame"] = [left, -bottom, right, -top]
    drawing = _DRAWING.replace("__DATA__", _script_json(payload))
    scripts = (vendored("graphology.umd.min.js"), vendored("sigma.min.js"))
    hint = _TEXT[lang]["hint"]
    return _PAGE.format(
        script_hashes=" ".join(_hash_of(script) for script in (*scripts, drawing)),
        lang="zh-CN" if lang == "zh" else "en",
        title=html.escape(title, quote=True),
        height=height,
        font=font,
        legend=legend,
        heading=(f'<h1>{html.escape(title, quote=True)}</h1>\n<p class="hint">{html.escape(hint)}</p>\n'
                 if heading else ""),
        empty="" if nodes else f'<p class="empty">{html.escape(text["empty"])}</p>',
        graphology=scripts[0],
        sigma=scripts[1],
        drawing=drawing,
    )


_PAGE = PAGE_HEAD + """<style>
#tooltip {{ position: absolute; z-index: 10; pointer-events: none; white-space: pre-wrap; max-width: 420px;
  font-family: {font}; font-size: 13px; background: #f5f4ed; border: 1px solid #808074; border-radius: 3px;
  box-shadow: 3px 3px 10px rgba(0, 0, 0, 0.2); padding: 5px; color: #000; }}
</style>
</head>
<body>
{heading}<div id="wrap"><div id="network"><div id="tooltip" role="tooltip" hidden></div></div>\
<div id="legend">{legend}</div>{empty}</div>
<script>{graphology}</script>
<script>{sigma}</script>
<script>{drawing}</script>
</body>
</html>
"""

# The page's own drawing script (its SHA-256 goes into the Content-Security-Policy). Tooltips are
# plain text (textContent); an edge's is written when it is first hovered, from the names, the figures
# and the activities' texts, each of which is sent once (data.acts).
_DRAWING = """
(function () {
  var data = __DATA__;
  var container = document.getElementById("network");
  var tooltip = document.getElementById("tooltip");
  var graph = new graphology.UndirectedGraph();
  var names = {};
  data.nodes.forEach(function (n) {
    names[n.id] = String(n.t).split("\\n")[0];  // a node's tooltip starts with its name
    graph.addNode(n.id, {x: n.x, y: n.y, size: n.s, color: n.c, label: n.l, forceLabel: !!n.f, tip: n.t});
  });
  data.edges.forEach(function (e, i) {
    graph.addEdgeWithKey(String(i), e.s, e.d, {size: e.z, color: e.c, info: e});
  });
  function edgeTip(e) {
    var lines = [names[e.s] + " \\u2014 " + names[e.d], data.text.joint.replace("{w}", e.w).replace("{m}", e.m)];
    if (e.t !== undefined) { lines.push(data.text.ties.replace("{n}", e.t)); }
    (e.a || []).forEach(function (i) { lines.push("\\u2022 " + data.acts[i]); });
    if (e.n) { lines.push(data.text.more.replace("{n}", String(e.n))); }
    return lines.join("\\n");
  }
  var hovered = null, partners = null;
  var renderer;
  function noWebGL(reason) {
    var note = document.createElement("p");
    note.className = "no-webgl";
    note.textContent = data.text.no_webgl;
    container.appendChild(note);
    document.body.setAttribute("data-drawn", "0");
    document.body.setAttribute("data-error", reason);
  }
  var probe = document.createElement("canvas");
  if (!(probe.getContext("webgl2") || probe.getContext("webgl"))) {  // asked first: sigma would fail half-made
    noWebGL("no WebGL context");
    return;
  }
  try {
    renderer = new Sigma(graph, container, {
      enableEdgeEvents: true,
      renderEdgeLabels: false,
      labelFont: data.font, labelSize: 13, labelWeight: "normal",
      labelRenderedSizeThreshold: 0, labelDensity: 0.35, labelGridCellSize: 200,
      // an organisation keeps its size on the screen as one zooms in: a dense core spreads out
      zoomToSizeRatioFunction: function () { return 1; },
      // organisations as round points, the cheapest program, and the ties hidden while the view moves:
      // a software-rendered (GPU-less) browser stays smooth at 10^4 organisations (make bench, section
      // map). The ties stay rectangles as wide as their strength, which the mouse can find (one-pixel
      // lines could hardly be hovered for their activities).
      defaultNodeType: "circle", nodeProgramClasses: {circle: Sigma.rendering.NodePointProgram},
      hideEdgesOnMove: true,
      zIndex: true,
      minCameraRatio: 0.01, maxCameraRatio: 4,
      nodeReducer: function (node, attrs) {
        if (hovered === null || node === hovered || partners.has(node)) { return attrs; }
        return Object.assign({}, attrs, {color: "#E2E2E2", label: null, forceLabel: false, zIndex: 0});
      },
      edgeReducer: function (edge, attrs) {
        if (hovered === null) { return attrs; }
        if (graph.hasExtremity(edge, hovered)) { return Object.assign({}, attrs, {zIndex: 1}); }
        return Object.assign({}, attrs, {hidden: true});
      }
    });
  } catch (error) {  // WebGL too limited for sigma.js
    noWebGL(String(error && error.message || error));
    return;
  }
  if (data.frame) {  // the whole layout's frame, whatever part of it is drawn: nothing moves between years
    renderer.setCustomBBox({x: [data.frame[0], data.frame[2]], y: [data.frame[1], data.frame[3]]});
  }
  function show(text, event) {
    tooltip.textContent = text;
    tooltip.hidden = false;
    var x = event.x + 14, y = event.y + 14;
    var w = container.clientWidth, h = container.clientHeight;
    if (x + tooltip.offsetWidth > w) { x = Math.max(0, event.x - tooltip.offsetWidth - 14); }
    if (y + tooltip.offsetHeight > h) { y = Math.max(0, event.y - tooltip.offsetHeight - 14); }
    tooltip.style.left = x + "px";
    tooltip.style.top = y + "px";
  }
  function hide() { tooltip.hidden = true; }
  renderer.on("enterNode", function (payload) {
    hovered = payload.node;
    partners = new Set(graph.neighbors(hovered));
    renderer.refresh({skipIndexation: true});
    show(graph.getNodeAttribute(payload.node, "tip"), payload.event);
  });
  renderer.on("leaveNode", function () {
    hovered = null; partners = null;
    renderer.refresh({skipIndexation: true});
    hide();
  });
  renderer.on("enterEdge", function (payload) {
    if (hovered === null) { show(edgeTip(graph.getEdgeAttribute(payload.edge, "info")), payload.event); }
  });
  renderer.on("leaveEdge", function () { if (hovered === null) { hide(); } });
  function drawn() { document.body.setAttribute("data-drawn", "1"); }
  renderer.once("afterRender", drawn);
  // the first frame may be drawn inside the constructor, before the listener above: then the next frame says so
  requestAnimationFrame(function () { requestAnimationFrame(drawn); });
  window.cojianSigma = renderer;
  window.cojianGraph = graph;
})();
"""
