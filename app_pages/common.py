"""What every page of the explorer shares: the loaded ledger, the sidebar filters, the language,
the URL's query string, cached library calls and the error boundary.

UI only: every figure comes from ``cojian_graph``; this module decides where it goes on screen.
"""

from __future__ import annotations

import functools
import os
import sys
import threading
import weakref
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext, suppress
from pathlib import Path

import streamlit as st
from streamlit.errors import StreamlitAPIException

from cojian_graph.analysis.registry import MEASURES
from cojian_graph.appstate import (
    DEFAULT_PAGE,
    LANGS,
    OPTION_KEYS,
    ViewState,
    escape_markdown,
    problems_table,
    state_from_query,
    state_to_query,
)
from cojian_graph.errors import CojianError, LedgerError
from cojian_graph.graph import GraphFilter, filtered_graph
from cojian_graph.i18n import t
from cojian_graph.ledger import Ledger
from cojian_graph.model import CIRCLES, LINKS, SECTORS, TIE_WEIGHTS, label_of

ROOT = Path(__file__).resolve().parent.parent

#: Page options each page keeps in the URL (see ``appstate.OPTION_KEYS``).
PAGE_OPTIONS: dict[str, tuple[str, ...]] = {
    "map": ("layout", "size", "color", "until", "show", "group_by", "drill"),
    "rankings": ("measure", "layer", "top"),
    "organization": ("org",),
    "timeline": ("period", "window"),
    "recommend": ("org",),
}

#: Session-state keys of the widgets whose options are ids shown as labels (kept as ids across a
#: language switch by :func:`_keep_language`).
ID_STATE_PREFIXES = ("f_", "opt_")

FILTER_KEYS = ("f_links", "f_circles", "f_sectors", "f_years", "f_undated", "f_period", "f_minw", "f_tw", "f_search",
               "f_focus", "f_hops")
FILTER_DEFAULTS = {"f_links": [], "f_circles": [], "f_sectors": [], "f_undated": True, "f_period": "", "f_minw": 1,
                   "f_tw": "count", "f_search": "", "f_focus": "", "f_hops": 1}


# -- language --------------------------------------------------------------------------------------


def lang() -> str:
    """The language of the session: "zh" (default) or "en"."""
    value = st.session_state.get("lang")
    if value in LANGS:
        return value
    value = st.session_state.get("_lang", "zh")
    return value if value in LANGS else "zh"


def _keep_language() -> None:
    """The language switch's callback: keep every choice the user made, as ids.

    Clicking the selected language again deselects it: the language is kept instead. Streamlit
    keeps a selection widget's value as its *label* (what ``format_func`` showed), so after a
    switch the labels of the old language match no option of the new one and the choices were lost
    or came back as labels. Before the rerun, each choice is read back as ids (with the old
    language's labels, which are still registered) and stored again as ids, which the widgets of
    the new language then show with their own labels.
    """
    ss = st.session_state
    if ss.get("lang") in LANGS:
        ss["_lang"] = ss["lang"]
    else:
        ss["lang"] = ss.get("_lang", "zh")
    for key in list(ss.keys()):
        if isinstance(key, str) and key.startswith(ID_STATE_PREFIXES):
            with suppress(StreamlitAPIException):  # a widget whose value cannot be set (none so far)
                ss[key] = ss[key]


def tr(key: str, **values) -> str:
    """The UI string ``key`` in the session's language."""
    return t(key, lang(), **values)


# -- the ledger ------------------------------------------------------------------------------------


def bundled_path() -> str:
    """The ledger the app was started on.

    ``streamlit run app.py -- PATH``, else ``$COJIAN_LEDGER``, else the bundled ``data/``.
    """
    if Path(sys.argv[0]).name == "app.py" and len(sys.argv) > 1:
        return sys.argv[1]
    return os.environ.get("COJIAN_LEDGER") or str(ROOT / "data")


@st.cache_resource(show_spinner=False)
def _read_bundled(path: str) -> Ledger:
    from cojian_graph.io import read_ledger

    return read_ledger(path)


def store_url() -> str | None:
    """The store the app shows (``COJIAN_DB``, set by ``cojian app --db``), unless started on a file."""
    if Path(sys.argv[0]).name == "app.py" and len(sys.argv) > 1:
        return None
    return os.environ.get("COJIAN_DB") or None


@st.cache_resource(show_spinner=False)
def _store(url: str):
    from cojian_graph.store import Store

    return Store(url)


@st.cache_resource(max_entries=4, show_spinner=False)
def _store_ledger(url: str, revision: int) -> Ledger:
    return _store(url).ledger()


@st.cache_resource(max_entries=4, show_spinner=False)
def _store_as_of(url: str, revision: int) -> Ledger:
    return _store(url).as_of(revision)


def as_of() -> int | None:
    """The past revision this session looks at (None: the latest)."""
    rev = st.session_state.get("as_of")
    return int(rev) if rev and store_url() is not None and st.session_state.get("uploaded_ledger") is None else None


def ledger() -> Ledger:
    """The ledger this session explores: the uploaded one, else the store's latest revision (read
    once per revision for the whole server: a change committed by another process shows on the next
    rerun), else the file the app was started on."""
    uploaded = st.session_state.get("uploaded_ledger")
    if uploaded is not None:
        return uploaded
    url = store_url()
    if url is not None:
        past = as_of()
        return _store_as_of(url, past) if past is not None else _store_ledger(url, _store(url).revision)
    return _read_bundled(bundled_path())


_HASHES: weakref.WeakKeyDictionary[Ledger, str] = weakref.WeakKeyDictionary()


def ledger_hash(data: Ledger) -> str:
    """``data.content_hash()``, computed once per ledger object (it keys every cache)."""
    digest = _HASHES.get(data)
    if digest is None:
        digest = _HASHES[data] = data.content_hash()
    return digest


def ledger_name() -> str:
    name = st.session_state.get("uploaded_name")
    if name:
        return name
    url = store_url()
    if url is not None:
        past = as_of()
        return f"{_safe_url(url)} · rev {past if past is not None else _store(url).revision}"
    return Path(bundled_path()).name


def _safe_url(url: str) -> str:
    """A store's URL without its password."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


# -- cached library calls --------------------------------------------------------------------------


def spec_key(spec: GraphFilter) -> str:
    return repr(spec)


@st.cache_resource(max_entries=24, show_spinner=False)
def _graph(digest: str, key: str, _ledger: Ledger, _spec: GraphFilter):
    return filtered_graph(_ledger, _spec)


def graph(spec: GraphFilter | None = None):
    """The collaboration graph of the current view (cached on the ledger's content and the filter).

    The graph is shared between reruns and sessions: read it, never change it.
    """
    spec = current_spec() if spec is None else spec
    data = ledger()
    return _graph(ledger_hash(data), spec_key(spec), data, spec)


class _Results:
    """Results of long computations, shared by every session of this server process (a small
    least-recently-used store behind a lock). Unlike ``st.cache_data``, it can say whether a result
    is there before computing it, so that a computation shows its progress and a hit shows nothing."""

    def __init__(self, size: int = 24):
        self.size = size
        self.items: OrderedDict = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            if key not in self.items:
                return None
            self.items.move_to_end(key)
            return self.items[key]

    def put(self, key, value) -> None:
        with self.lock:
            self.items[key] = value
            self.items.move_to_end(key)
            while len(self.items) > self.size:
                self.items.popitem(last=False)


#: How many results of each kind the server keeps (``computed``'s key starts with its kind).
RESULT_SIZES = {"rank_table": 24, "rank_over_time": 8, "layout": 8, "page": 24, "summary": 24, "report": 4,
                "aggregate": 8, "organization": 64}


@st.cache_resource(show_spinner=False)
def _result_stores() -> dict[str, _Results]:
    return {kind: _Results(size) for kind, size in RESULT_SIZES.items()}


def _results(kind: str = "rank_table") -> _Results:
    return _result_stores()[kind]


#: A computation shows its progress bar once it has run this long (a quick one shows nothing).
QUIET_SECONDS = 0.3


def computed(key: tuple, compute, label: str):
    """``compute(progress)`` once per ``key`` for the whole server, in a child process
    (:mod:`cojian_graph.jobs`): the server keeps answering every other session meanwhile. This session
    shows a progress bar named ``label`` (with the step the computation reports) while it waits;
    leaving the page or changing a filter stops the wait, and the computation too when no other
    session waits for it. The stored result otherwise. ``key[0]`` is the kind of result
    (:data:`RESULT_SIZES`)."""
    from cojian_graph.jobs import jobs

    results = _results(key[0])
    value = results.get(key)
    if value is not None:
        return value
    ss = st.session_state
    if ss.get("_stopped") == key:  # this session stopped it: wait for the person to ask again
        st.info(tr("progress.stopped", label=label))
        st.button(tr("progress.again"), on_click=ss.pop, args=("_stopped", None), key="compute_again")
        end_page()
    job = jobs().submit(key, compute)
    job.attach()
    slot = None
    try:
        if not job.wait(QUIET_SECONDS):
            slot = st.empty()
            box = slot.container()
            bar = box.progress(0.0, text=f"{label} …")
            box.button(tr("progress.stop"), on_click=ss.__setitem__, args=("_stopped", key),
                       key=f"compute_stop_{key[0]}_{abs(hash(key))}")  # a page may wait for two in one run
            while not job.wait(0.25):  # each st call lets Streamlit stop this run (a rerun, a closed tab)
                done, total, step = job.progress
                text = (tr("progress.queued", label=label) if job.state == "queued" else
                        f"{label} · {step} ({min(done + 1, total)}/{total})" if step else f"{label} …")
                bar.progress(min(done / max(total, 1), 1.0), text=text)
    finally:
        job.detach()
    if slot is not None:
        slot.empty()
    value = job.result()
    results.put(key, value)
    return value


def _rank_key(spec: GraphFilter, layer: str | None, weights: dict | None, sort_by: str | None) -> tuple:
    """The store's key of a rank table: the defaults spelled out (the default weights, sorting by the
    composite index) name the same table as the defaults left out, so pages share it."""
    from cojian_graph.analysis.composite import DEFAULT_WEIGHTS

    if weights is not None and {key: float(value) for key, value in weights.items()} == dict(DEFAULT_WEIGHTS):
        weights = None
    frozen = tuple(sorted(weights.items())) if weights else None
    return ("rank_table", ledger_hash(ledger()), spec_key(spec), layer or None, frozen,
            None if sort_by == "composite" else sort_by)


def rank_table(*, layer: str | None = None, weights: dict | None = None, sort_by: str | None = None,
               spec: GraphFilter | None = None):
    """The rank table of the current view, computed once per ledger, filter and options for the
    whole server, with a progress bar naming the measure being computed. A copy: change it freely."""
    from cojian_graph.analysis import rank_table as compute

    spec = current_spec() if spec is None else spec
    data = ledger()
    language = lang()

    def run(progress):
        def named(done: int, total: int, measure: str) -> None:
            progress(done, total, MEASURES[measure].label(language) if measure in MEASURES else measure)

        return compute(data, spec=spec, layer=layer, weights=weights, sort_by=sort_by, progress=named)

    table = computed(_rank_key(spec, layer, weights, sort_by), run, tr("progress.rank_table"))
    return table.copy()


#: Views up to this many organisations get an organisation's rank at once on its page (a few seconds
#: at most); larger ones ask first, since the rank needs every organisation's measures.
AUTO_RANK_NODES = 2_000


def organization_measures(org: str, spec: GraphFilter | None = None) -> dict[str, float]:
    """One organisation's measures in the view (:func:`cojian_graph.analysis.single.organization_measures`:
    no rank table), computed once per ledger, view and organisation for the whole server."""
    spec = current_spec() if spec is None else spec
    data = ledger()

    def run(progress):
        from cojian_graph.analysis import net_from_ledger
        from cojian_graph.analysis.single import organization_measures as compute

        return compute(net_from_ledger(data, spec), org)

    key = ("organization", ledger_hash(data), spec_key(spec), org)
    return computed(key, run, tr("progress.organization"))


def rank_table_ready(*, spec: GraphFilter | None = None) -> bool:
    """Whether the default rank table of the view is computed already (no wait to show it)."""
    spec = current_spec() if spec is None else spec
    return _results().get(_rank_key(spec, None, None, None)) is not None


def number_columns(frame, columns) -> dict:
    """``st.dataframe`` column settings that show each number column of ``frame`` as it is: whole
    numbers in full (26423, not 2.642e+04), large values with one decimal, small ones with four
    significant digits."""
    import numpy as np

    config = {}
    for column in columns:
        values = np.asarray(frame[column], dtype=float)
        finite = values[np.isfinite(values)]
        if finite.size and np.all(finite == np.round(finite)):
            fmt = "%d"
        elif finite.size and np.abs(finite).max() >= 1000:
            fmt = "%.1f"
        else:
            fmt = "%.4g"
        config[column] = st.column_config.NumberColumn(format=fmt)
    return config


def table_downloads(frame, stem: str) -> None:
    """Download buttons for a table: CSV and XLSX, written by ``cojian_graph.export``.

    The export layer neutralises cells that a spreadsheet would run as formulas.
    """
    from cojian_graph import export

    cols = st.columns(2)  # the files are written when a button is clicked, not on every rerun
    cols[0].download_button(tr("rankings.download_csv"), data=functools.partial(export.table_bytes, frame, "csv"),
                            file_name=f"{stem}.csv", mime="text/csv", key=f"dl_csv_{stem}", on_click="ignore")
    cols[1].download_button(
        tr("rankings.download_xlsx"), data=functools.partial(export.table_bytes, frame, "xlsx"),
        file_name=f"{stem}.xlsx", mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"dl_xlsx_{stem}", on_click="ignore",
    )


def network_summary(spec: GraphFilter | None = None) -> dict:
    """Figures of the whole network of the current view (computed once per view, in a child process)."""
    from cojian_graph.analysis import network_summary as summarise

    spec = current_spec() if spec is None else spec
    G = graph(spec)
    return computed(("summary", ledger_hash(ledger()), spec_key(spec)), lambda progress: summarise(G),
                    tr("progress.summary"))


def network_html(G, key: str, *, layout: str, size_by: str, color_by: str, height: int, positions=None) -> str:
    """The self-contained network page of ``G`` (computed once, in a child process; ``key`` names the
    view ``G`` shows, and ``positions`` when given)."""
    from cojian_graph.render import network_html as page
    from cojian_graph.render.network_html import prepare

    data, language = ledger(), lang()
    prepare(data, language)  # once per ledger and language, here: every page's child inherits it

    def draw(progress) -> str:
        return page(G, data, layout=layout, size_by=size_by, color_by=color_by, lang=language,
                    height=f"{height}px", heading=False, positions=positions)

    return computed(("page", ledger_hash(data), key, layout, size_by, color_by, language, height), draw,
                    tr("progress.page"))


def aggregate(spec: GraphFilter, by: str):
    """The view as one node per group (:mod:`cojian_graph.graph.aggregate`; computed once per view and
    grouping, in a child process: the communities need the whole view's Leiden partition)."""
    from cojian_graph.graph.aggregate import grouped_view

    G, data = graph(spec), ledger()
    return computed(("aggregate", ledger_hash(data), spec_key(spec), by),
                    lambda progress: grouped_view(data, spec, G, by), tr("progress.aggregate"))


def layout_of(G, key: str, layout: str) -> dict:
    """The positions of ``G``'s organisations (computed once per view, in a child process; ``key``
    names the view ``G`` shows)."""
    from cojian_graph.render.layout import compute_layout

    return computed(("layout", ledger_hash(ledger()), key, layout), lambda progress: compute_layout(G, layout),
                    tr("progress.layout"))


# -- the error boundary ----------------------------------------------------------------------------


class _PageDone(Exception):
    """Raised by :func:`end_page`: the page has shown all it has; the app goes on (sidebar, URL)."""


def end_page() -> None:
    """End the page here (inside :func:`guard`). Unlike ``st.stop()``, the app still draws the sidebar
    after the page, so a user whose filters left nothing to show can change them."""
    raise _PageDone


@contextmanager
def guard() -> Iterator[None]:
    """Show a ``CojianError`` as a message (a rejected ledger as a table of problems), never a traceback."""
    try:
        yield
    except _PageDone:
        pass
    except LedgerError as error:
        st.error(tr("error.ledger", count=len(error.problems)))
        st.dataframe(problems_table(error, lang()), hide_index=True, width="stretch")
    except CojianError as error:
        st.error(f"{tr('error.generic')}: {escape_markdown(error)}")


# -- query string and the sidebar ------------------------------------------------------------------


def init_from_query() -> None:
    """On the first run of a session, put the view the URL describes into the session state."""
    if st.session_state.get("_initialised"):
        return
    state = state_from_query(st.query_params.to_dict())
    spec = state.spec
    ss = st.session_state
    ss["lang"] = ss["_lang"] = state.lang
    ss["f_links"] = list(spec.links)
    ss["f_circles"] = list(spec.circles)
    ss["f_sectors"] = list(spec.sectors)
    ss["_years_from_query"] = (spec.year_min, spec.year_max)
    ss["f_undated"] = spec.include_undated
    ss["f_period"] = spec.period or ""
    ss["f_minw"] = spec.min_weight
    ss["f_tw"] = spec.tie_weight
    ss["f_search"] = state.search
    ss["f_focus"] = spec.focus or ""
    ss["f_hops"] = max(1, min(spec.hops, 5))
    for key, value in state.options:
        ss[f"opt_{key}"] = value
    ss["_page_from_query"] = state.page
    # a link copied from a session that had uploaded its own ledger: this session shows the server's
    ss["_link_from_upload"] = str(st.query_params.get("src", "")) == "upload"
    ss["_initialised"] = True


def reset_filters() -> None:
    """Every filter back to "all" (a widget callback, or before the sidebar is drawn)."""
    ss = st.session_state
    for key in FILTER_KEYS:
        ss.pop(key, None)
    ss.pop("_years_from_query", None)
    ss.pop("_year_bounds", None)  # the year slider starts again from the ledger's whole range


def current_spec() -> GraphFilter:
    """The filter the sidebar describes (defaults before the sidebar is drawn)."""
    ss = st.session_state
    years = ss.get("f_years")
    bounds = ss.get("_year_bounds")
    year_min = year_max = None
    if years and bounds:
        year_min = int(years[0]) if int(years[0]) > bounds[0] else None
        year_max = int(years[1]) if int(years[1]) < bounds[1] else None
    focus = ss.get("f_focus") or None
    return GraphFilter(
        links=tuple(ss.get("f_links") or ()),
        circles=tuple(ss.get("f_circles") or ()),
        sectors=tuple(ss.get("f_sectors") or ()),
        year_min=year_min, year_max=year_max,
        include_undated=bool(ss.get("f_undated", True)),
        period=ss.get("f_period") or None,
        min_weight=int(ss.get("f_minw") or 1),
        tie_weight=ss.get("f_tw") or "count",
        focus=focus,
        hops=int(ss.get("f_hops") or 1) if focus else 1,
    ).normalized()


def prepare_filters() -> None:
    """Bring the filters' session state in line with the ledger, before anything reads or draws them.

    Idempotent: ``app.py`` calls it before the page (which reads :func:`current_spec`) and
    :func:`sidebar` again before drawing, in case the page replaced the ledger.
    """
    ss = st.session_state
    try:
        data = ledger()
    except CojianError:
        return
    for key, default in FILTER_DEFAULTS.items():  # after a reset, widgets start from these
        ss.setdefault(key, default)
    sectors = _sector_options(data)
    ss["f_sectors"] = [sector for sector in ss.get("f_sectors") or () if sector in sectors]
    years = data.years().dropna()
    low, high = (int(years.min()), int(years.max())) if not years.empty else (None, None)
    if low is None or low == high:
        ss["_year_bounds"] = None
        ss.pop("f_years", None)
    elif ss.get("_year_bounds") != (low, high):  # a new ledger: start from its whole range
        wanted = ss.pop("_years_from_query", (None, None))
        start = wanted[0] if wanted[0] is not None else low
        end = wanted[1] if wanted[1] is not None else high
        ss["f_years"] = (max(low, min(start, high)), min(high, max(end, low)))
        ss["_year_bounds"] = (low, high)
    focus = ss.get("f_focus")
    if focus and focus not in set(data.organizations["id"]):
        ss["_focus_unknown"] = focus
        ss["f_focus"] = ""


def sidebar() -> None:
    """The language switch and the filters shared by every page.

    ``app.py`` draws it after the page: the page's network is then sent to the browser before the
    sidebar's widgets, whose code the browser loads on demand and which would hold back the drawing.
    """
    with st.sidebar:
        _language_switch()
        language = lang()
        st.caption(tr("sidebar.ledger", name=escape_markdown(ledger_name())))
        _as_of_choice(language)
        try:
            data = ledger()
        except CojianError:
            return
        prepare_filters()
        st.header(tr("sidebar.filters"))
        st.multiselect(tr("filter.links"), options=list(LINKS), key="f_links",
                       format_func=lambda link: LINKS[link].text(language),
                       placeholder=tr("filter.all"))
        st.multiselect(tr("filter.circles"), options=list(CIRCLES), key="f_circles",
                       format_func=lambda circle: label_of(CIRCLES, circle, language),
                       placeholder=tr("filter.all"))
        st.multiselect(tr("filter.sectors"), options=_sector_options(data), key="f_sectors",
                       format_func=lambda sector: label_of(SECTORS, sector, language),
                       placeholder=tr("filter.all"))
        _year_filter(data)
        st.number_input(tr("filter.min_weight"), min_value=1, max_value=10_000, step=1, key="f_minw",
                        help=tr("filter.min_weight_help"))
        st.selectbox(tr("filter.tie_weight"), options=list(TIE_WEIGHTS), key="f_tw",
                     format_func=lambda scheme: TIE_WEIGHTS[scheme].text(language),
                     help=TIE_WEIGHTS["newman"].description_zh if language == "zh"
                     else TIE_WEIGHTS["newman"].description_en)
        st.divider()
        _focus_filter(data, language)
        st.button(tr("filter.reset"), on_click=reset_filters, width="stretch", key="reset_filters")
        _report_downloads(data, language)


def _report_file(data: Ledger, spec: GraphFilter, language: str, name: str, fmt: str) -> bytes:
    """The briefing of the view as a .docx or .pdf file, made when its button is clicked. Its sections
    are worked out in a child process once per view for both formats (the server keeps the last
    few); each file is then written from them."""
    from cojian_graph.jobs import jobs
    from cojian_graph.report import build_report, report_bytes

    key = ("report", ledger_hash(data), spec_key(spec), language, name)
    results = _results("report")
    report = results.get(key)
    if report is None:  # a download button's callback: no page to show progress on
        report = jobs().submit(key, lambda progress: build_report(data, spec=spec, lang=language, name=name)).result()
        results.put(key, report)
    return report_bytes(report, fmt)


def _report_downloads(data: Ledger, language: str) -> None:
    """The briefing of the current view, on every page: one button per format."""
    from cojian_graph.report import REPORT_FORMATS

    st.divider()
    st.subheader(tr("report.heading"))
    st.caption(tr("report.help"))
    spec, name = current_spec(), ledger_name()
    for suffix, (mime, _) in REPORT_FORMATS.items():
        fmt = suffix.lstrip(".")
        st.download_button(tr(f"report.{fmt}"), data=functools.partial(_report_file, data, spec, language, name, fmt),
                           file_name=f"{tr('report.file')}{suffix}", mime=mime, key=f"report_{fmt}",
                           on_click="ignore", width="stretch")


#: How many past revisions the sidebar offers to look at (the history page reaches every one).
AS_OF_CHOICES = 500


def _as_of_choice(language: str) -> None:
    """On a store: look at the ledger as it was after a past revision (every page follows)."""
    url = store_url()
    if url is None or st.session_state.get("uploaded_ledger") is not None:
        return
    revisions = _store(url).revisions(limit=AS_OF_CHOICES)
    if len(revisions) < 2:
        return
    labels = {row["rev"]: f"{row['rev']} · {row['at'][:16].replace('T', ' ')} · {row['user']}" for row in revisions}
    latest = tr("sidebar.as_of_latest", rev=revisions[0]["rev"])
    options = [0, *(row["rev"] for row in revisions[1:])]
    chosen = st.session_state.get("as_of")
    if isinstance(chosen, int) and 0 < chosen < revisions[0]["rev"] and chosen not in options:
        options.append(chosen)  # an older revision, reached by its date
    elif chosen not in options:
        st.session_state["as_of"] = 0
    st.selectbox(tr("sidebar.as_of"), options=options, key="as_of", help=tr("sidebar.as_of_help"),
                 format_func=lambda rev: latest if rev == 0 else labels.get(rev, str(rev)))
    st.date_input(tr("sidebar.as_of_date"), value=None, key="as_of_date", on_change=_as_of_from_date,
                  args=(url, revisions[0]["rev"]), format="YYYY-MM-DD")
    note = st.session_state.pop("_as_of_note", None)
    if note:
        st.caption(note)


def _as_of_from_date(url: str, latest: int) -> None:
    """The date picker's callback: show the ledger as it was at the end of that day (UTC)."""
    ss = st.session_state
    day = ss.get("as_of_date")
    if day is None:
        return
    rev = _store(url).revision_at(day)
    if rev == 0:
        ss["_as_of_note"] = tr("sidebar.as_of_before", date=day.isoformat())
        return
    ss["as_of"] = 0 if rev >= latest else rev


def sidebar_language() -> None:
    """The language switch alone (the sign-in page's sidebar)."""
    with st.sidebar:
        _language_switch()


def _language_switch() -> None:
    st.segmented_control(
        tr("sidebar.language"), options=list(LANGS), key="lang",
        format_func=lambda code: {"zh": "中文", "en": "English"}[code],
        selection_mode="single", on_change=_keep_language,
    )


def _sector_options(data: Ledger) -> list[str]:
    """The registry's sectors present in the ledger or already chosen, in registry order."""
    present = set(data.organizations["sector"]) | set(st.session_state.get("f_sectors") or ())
    return [sector for sector in SECTORS if sector in present]


def _year_filter(data: Ledger) -> None:
    bounds = st.session_state.get("_year_bounds")
    if not bounds:
        years = data.years().dropna()
        if years.empty:
            st.caption(tr("filter.no_years"))
        else:
            st.caption(tr("filter.one_year", year=int(years.min())))
        return
    st.slider(tr("filter.years"), min_value=bounds[0], max_value=bounds[1], key="f_years", step=1)
    st.checkbox(tr("filter.undated"), key="f_undated")
    _period_filter(data)


def _period_filter(data: Ledger) -> None:
    """One half-year or quarter, where the ledger's dates have months (years: the slider above)."""
    from cojian_graph.periods import period_labels, periods_of

    ss = st.session_state
    dates = data.column("activities", "date")
    options = [""]
    for kind in ("half", "quarter"):
        numbers = periods_of(dates, kind)
        options += period_labels(sorted(set(numbers[numbers >= 0].tolist())), kind)
    chosen = ss.get("f_period") or ""
    if chosen not in options:  # from a link: kept, so that the view says what it shows
        options.append(chosen)
    if len(options) == 1:
        return
    every = tr("filter.period_all")
    st.selectbox(tr("filter.period"), options, key="f_period", help=tr("filter.period_help"),
                 format_func=lambda label: label or every)
    if chosen:
        kind = "half" if "H" in chosen else "quarter"
        apart = int((periods_of(dates, kind) < 0).sum())
        st.caption(tr("filter.period_note", period=chosen, apart=apart))


def _focus_filter(data: Ledger, language: str) -> None:
    from cojian_graph.names import pick_organizations

    ss = st.session_state
    names = name_lookup(data, language)
    st.text_input(tr("filter.search"), key="f_search", placeholder=tr("filter.search_placeholder"))
    search = (ss.get("f_search") or "").strip()
    unknown = ss.pop("_focus_unknown", None)
    if unknown:
        st.warning(tr("filter.focus_unknown", focus=escape_markdown(unknown)))
    listed, count = pick_organizations(data, search, PICKER_OPTIONS, keep=[ss.get("f_focus")])
    picker_caption(search, count)
    no_focus = tr("filter.no_focus")  # format functions may run outside the script: bind texts now
    st.selectbox(tr("filter.focus"), options=["", *listed], key="f_focus",
                 format_func=lambda org: names.get(org, org) if org else no_focus)
    if ss.get("f_focus"):
        st.slider(tr("filter.hops"), min_value=1, max_value=5, key="f_hops", help=tr("filter.hops_help"))


def choose_organization(label: str, data: Ledger, spec: GraphFilter, names: dict[str, str]) -> str:
    """The organisation a page is about, chosen in a selectbox kept in the URL (``opt_org``): by
    default the sidebar's focus, else the focal organisation, else the first. A ledger of more than
    :data:`PICKER_OPTIONS` organisations gets a search box beside it. Ends the page with a message
    when the ledger has none."""
    from cojian_graph.model import Circle
    from cojian_graph.names import pick_organizations

    orgs = data.column("organizations", "id")
    if not len(orgs):
        st.info(tr("org.none"))
        end_page()
    focal = next((org for org, circle in zip(orgs, data.column("organizations", "circle"), strict=True)
                  if circle == Circle.FOCAL), orgs[0])
    default, search, where = spec.focus or focal, "", nullcontext()
    if len(orgs) > PICKER_OPTIONS:
        finder, where = st.columns([1, 2])
        with finder:
            search = st.text_input(tr("filter.search"), key="org_find", placeholder=tr("filter.search_placeholder"))
    listed, count = pick_organizations(data, search, PICKER_OPTIONS, keep=[st.session_state.get("opt_org"), default])
    with where:
        picked = choice(label, listed, "opt_org", default=default, format_func=lambda key: names.get(key, key))
        picker_caption(search, count)
    return picked


#: Most organisations a picker lists (the sidebar's focus, the organisation page's choice): a selectbox
#: sends every option to the browser, which draws them all on each visit (10^4 options cost the
#: organisation page about a second). Beyond it a picker lists the most active organisations, and
#: its search box finds any other.
PICKER_OPTIONS = 500


def picker_caption(search: str, count: int) -> None:
    """Say what a picker lists: how many organisations a search found, and, when there are more than
    it lists, that they are the most active and a search finds the others."""
    if count > PICKER_OPTIONS:
        st.caption(tr("filter.most_active", count=count, shown=PICKER_OPTIONS))
    elif search:
        st.caption(tr("filter.search_hits", count=count))


def name_lookup(data: Ledger, language: str | None = None) -> dict[str, str]:
    """Organisation id → display name in ``language`` (the other language, then the id, when empty)."""
    language = language or lang()
    first, second = ("name", "name_en") if language == "zh" else ("name_en", "name")
    orgs = data.organizations
    return {
        org: (a or b or org)
        for org, a, b in zip(orgs["id"], orgs[first], orgs[second], strict=True)
    }


def link_notice() -> None:
    """Say, once, that a link made on an uploaded ledger opened on the server's ledger instead."""
    if st.session_state.pop("_link_from_upload", False) and st.session_state.get("uploaded_ledger") is None:
        st.info(tr("url.from_upload", name=escape_markdown(ledger_name())))


def page_from_query() -> str | None:
    """The page the URL asked for on the session's first run (once), or None."""
    page = st.session_state.pop("_page_from_query", None)
    return page if page and page != DEFAULT_PAGE else None


def sync_query(page: str) -> None:
    """Write the current view into the URL's query string, so that a copied link restores it."""
    ss = st.session_state
    try:
        spec = current_spec()
    except CojianError:
        spec = GraphFilter()
    options = tuple(
        (key, str(ss[f"opt_{key}"]))
        for key in PAGE_OPTIONS.get(page, ())
        if key in OPTION_KEYS and ss.get(f"opt_{key}") not in (None, "")
        and ss.get(f"opt_{key}") != ss.get(f"_default_opt_{key}")
    )
    state = ViewState(page=page, lang=lang(), spec=spec, search=(ss.get("f_search") or "").strip(),
                      options=options)
    query = state_to_query(state)
    if ss.get("uploaded_ledger") is not None:  # a copied link says its view was of an uploaded ledger
        query["src"] = "upload"
    if st.query_params.to_dict() != query:
        st.query_params.from_dict(query)


def choice(label: str, options: list, key: str, *, default=None, format_func=str, widget=None, **kwargs):
    """A selectbox (or ``widget``) kept in ``st.session_state[key]``; a stale value is dropped.

    ``default`` (else the first option) is used when the session has no value, and is left out of the URL.
    """
    ss = st.session_state
    if key in ss and ss[key] not in options:
        del ss[key]
    if not options:
        return None
    default = default if default in options else options[0]
    ss[f"_default_{key}"] = default
    if key not in ss:
        ss[key] = default
    widget = widget or st.selectbox
    return widget(label, options=options, key=key, format_func=format_func, **kwargs)
