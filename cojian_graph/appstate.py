"""The explorer's state outside Streamlit: shareable URLs and uploaded ledgers.

The Streamlit app (``app.py``, ``app_pages/``) only displays; what is worth testing on its own lives
here, with no streamlit import:

- :class:`ViewState` and its query-string form (:func:`state_to_query`, :func:`state_from_query`):
  the page, the language, the graph filter, the search text and a few page options, so that a copied
  link opens the same view. Decoding never fails: whatever is unknown or malformed in the URL is
  dropped and the rest is kept.
- :func:`ledger_from_uploads`: the files a user uploads (the three CSV files, an Excel workbook or a
  JSON file, as bytes) read into a :class:`~cojian_graph.ledger.Ledger` through
  :func:`cojian_graph.io.read_ledger`, with problems naming the files as the user uploaded them.

Examples
--------
>>> from cojian_graph.graph import GraphFilter
>>> state = ViewState(page="map", lang="en", spec=GraphFilter(links=("brand", "learning"), min_weight=2))
>>> query = state_to_query(state)
>>> query
{'page': 'map', 'lang': 'en', 'links': 'brand,learning', 'minw': '2'}
>>> state_from_query(query) == state
True
>>> state_from_query({"links": "brand,nonsense", "minw": "-3", "from": "abc"}).spec
GraphFilter(links=('brand',), circles=(), sectors=(), year_min=None, year_max=None, include_undated=True, \
period=None, min_weight=1, tie_weight='count', focus=None, hops=1)
"""

from __future__ import annotations

import dataclasses
import re
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePath

from .errors import CojianError, LedgerError, Problem
from .graph.filters import GraphFilter
from .ledger import Ledger
from .model import CIRCLES, SECTORS, TIE_WEIGHTS, resolve_label, resolve_link
from .schema import TABLES

__all__ = [
    "DEFAULT_PAGE",
    "LANGS",
    "OPTION_KEYS",
    "PAGES",
    "STORE_PAGES",
    "UPLOAD_TYPES",
    "ViewState",
    "activities_by_year",
    "escape_markdown",
    "ledger_bytes",
    "ledger_from_uploads",
    "problems_table",
    "state_from_query",
    "state_to_query",
    "template_bytes",
]

#: The explorer's pages by their URL path, in menu order.
PAGES: tuple[str, ...] = ("overview", "map", "rankings", "links", "timeline", "organization", "recommend", "data")
#: The pages of an explorer on a store (after the others): the desk and the history of changes.
STORE_PAGES: tuple[str, ...] = ("desk", "history")
DEFAULT_PAGE = "overview"
LANGS: tuple[str, ...] = ("zh", "en")

#: Page options kept in the URL besides the filter (their valid values are the pages' business).
OPTION_KEYS: tuple[str, ...] = ("layout", "size", "color", "measure", "layer", "top", "org", "period", "window",
                                 "until", "show", "group_by", "drill")

#: File name endings the upload accepts.
UPLOAD_TYPES: tuple[str, ...] = ("csv", "xlsx", "json")

_MAX_VALUE = 200  # characters kept of any one query value
_MAX_ITEMS = 50  # items kept of any list value
_YEAR_RANGE = (1900, 2200)
_MAX_HOPS = 10
_MAX_WEIGHT = 10_000


@dataclass(frozen=True, slots=True)
class ViewState:
    """What a shareable link restores: page, language, filter, search text and page options.

    Attributes
    ----------
    page : one of :data:`PAGES`
    lang : "zh" or "en"
    spec : GraphFilter
        The sidebar's filters (links, circles, sectors, years, minimum weight, focus and hops).
    search : str
        The text typed into the sidebar's name search.
    options : tuple of (key, value) pairs
        Page options (keys from :data:`OPTION_KEYS`), e.g. ``(("layout", "concentric"),)``.
    """

    page: str = DEFAULT_PAGE
    lang: str = "zh"
    spec: GraphFilter = field(default_factory=GraphFilter)
    search: str = ""
    options: tuple[tuple[str, str], ...] = ()

    def option(self, key: str, default: str | None = None) -> str | None:
        """The page option ``key``, or ``default``."""
        return dict(self.options).get(key, default)


def state_to_query(state: ViewState) -> dict[str, str]:
    """The query-string parameters of ``state``: only what differs from the defaults, ids not names.

    >>> state_to_query(ViewState())
    {}
    >>> state_to_query(ViewState(spec=GraphFilter(year_min=2020, include_undated=False, focus="a", hops=2)))
    {'from': '2020', 'undated': '0', 'focus': 'a', 'hops': '2'}
    """
    spec = state.spec
    query: dict[str, str] = {}
    if state.page != DEFAULT_PAGE:
        query["page"] = state.page
    if state.lang != "zh":
        query["lang"] = state.lang
    for key, values in (("links", spec.links), ("circles", spec.circles), ("sectors", spec.sectors)):
        if values:
            query[key] = ",".join(values)
    if spec.year_min is not None:
        query["from"] = str(spec.year_min)
    if spec.year_max is not None:
        query["to"] = str(spec.year_max)
    if not spec.include_undated:
        query["undated"] = "0"
    if spec.period:
        query["during"] = spec.period
    if spec.min_weight != 1:
        query["minw"] = str(spec.min_weight)
    if spec.tie_weight != "count":
        query["tw"] = spec.tie_weight
    if spec.focus is not None:
        query["focus"] = spec.focus
        if spec.hops != 1:
            query["hops"] = str(spec.hops)
    if state.search:
        query["q"] = state.search
    for key, value in state.options:
        if key in OPTION_KEYS and value:
            query[key] = value
    return query


def state_from_query(params: Mapping[str, object]) -> ViewState:
    """The :class:`ViewState` that query-string ``params`` describe; never raises.

    ``params`` maps a key to a string or a list of strings (the last one counts), as Streamlit's
    ``st.query_params`` or ``urllib.parse.parse_qs`` give them. Unknown keys, unknown link types,
    circles or sectors, malformed numbers and out-of-range values are dropped; link types, circles
    and sectors may also be given by their Chinese or English names.

    >>> state_from_query({"page": "rankings", "lang": "EN", "links": ["x", "品牌联建,learning"]}).page
    'rankings'
    >>> state_from_query({"page": "<script>", "lang": "fr", "from": "2023", "to": "2020"})
    ViewState(page='overview', lang='zh', spec=GraphFilter(links=(), circles=(), sectors=(), \
year_min=2020, year_max=2023, include_undated=True, period=None, min_weight=1, tie_weight='count', focus=None, \
hops=1), search='', options=())
    """
    get = _getter(params)
    page = (get("page") or "").strip().lower()
    lang = (get("lang") or "").strip().lower()
    links = tuple(dict.fromkeys(
        link for link in (resolve_link(text) for text in _split(get("links"))) if link is not None
    ))
    circles = _labels(CIRCLES, get("circles"))
    sectors = _labels(SECTORS, get("sectors"))
    year_min = _int(get("from"), *_YEAR_RANGE)
    year_max = _int(get("to"), *_YEAR_RANGE)
    if year_min is not None and year_max is not None and year_min > year_max:
        year_min, year_max = year_max, year_min
    undated = (get("undated") or "1").strip().lower() not in ("0", "false", "no", "off")
    period = _period(get("during"))
    min_weight = _int(get("minw"), 1, _MAX_WEIGHT) or 1
    tie_weight = (get("tw") or "").strip().lower()
    focus = (get("focus") or "").strip() or None
    hops = _int(get("hops"), 0, _MAX_HOPS)
    spec = GraphFilter(
        links=links, circles=circles, sectors=sectors, year_min=year_min, year_max=year_max,
        include_undated=undated, period=period, min_weight=min_weight,
        tie_weight=tie_weight if tie_weight in TIE_WEIGHTS else "count",
        focus=focus, hops=1 if hops is None else hops,
    )
    options = tuple((key, value) for key in OPTION_KEYS if (value := (get(key) or "").strip()))
    return ViewState(
        page=page if page in PAGES or page in STORE_PAGES else DEFAULT_PAGE,
        lang=lang if lang in LANGS else "zh",
        spec=spec,
        search=(get("q") or "").strip(),
        options=options,
    )


def ledger_from_uploads(files: Sequence[tuple[str, bytes]]) -> Ledger:
    """A ledger from uploaded files: the three CSV files, one Excel workbook or one JSON file.

    Parameters
    ----------
    files : sequence of (file name, content) pairs
        CSV files are matched to tables by name: ``organizations.csv``, ``activities.csv`` and
        ``participations.csv`` (the Chinese table names 组织, 活动, 参与 also work, and a name
        may carry a prefix or suffix, as in ``2024_activities (1).csv``).

    Returns
    -------
    Ledger

    Raises
    ------
    LedgerError
        The ledger was read but rejected, or CSV files are missing; problems name the files as
        uploaded.
    CojianError
        Nothing was uploaded, or the files are not one of the accepted combinations.
    """
    files = [(PurePath(str(name)).name, bytes(content)) for name, content in files]
    if not files:
        raise CojianError("没有上传文件 / no file was uploaded")
    suffixes = {_suffix(name) for name, _ in files}
    unknown = sorted(name for name, _ in files if _suffix(name) not in UPLOAD_TYPES)
    if unknown:
        raise CojianError(
            f"不支持的文件类型 unsupported file type: {', '.join(unknown)}；"
            "请上传三个 CSV 文件、一个 Excel 工作簿（.xlsx）或一个 JSON 文件 / "
            "upload the three CSV files, one Excel workbook (.xlsx) or one JSON file"
        )
    if suffixes != {"csv"} and len(files) != 1:
        raise CojianError(
            "请只上传一个 Excel 或 JSON 文件，或者三个 CSV 文件 / "
            "upload one Excel or JSON file, or the three CSV files"
        )
    source = ", ".join(name for name, _ in files)
    with tempfile.TemporaryDirectory(prefix="cojian-upload-") as tmp:
        folder = Path(tmp)
        matching: list[Problem] = []
        if suffixes == {"csv"}:
            # the files that match one table each are read and checked even when others are
            # missing or unclear, so that every problem is listed at once
            names, matching = _csv_tables(files)
            for table, (_, content) in names.items():
                (folder / TABLES[table].filename).write_bytes(content)
            uploaded = {TABLES[table].filename: name for table, (name, _) in names.items()}
            path = folder
        else:
            name, content = files[0]
            path = folder / f"ledger.{_suffix(name)}"
            path.write_bytes(content)
            uploaded = {path.name: name}
        try:
            from .io import read_ledger

            ledger = read_ledger(path)
        except LedgerError as error:
            # a table without its file is already one of `matching`'s problems
            found = [_renamed(problem, tmp, uploaded) for problem in error.problems
                     if not (matching and problem.code == "missing_table")]
            raise LedgerError([*matching, *found], source=source) from None
        except CojianError as error:
            message = str(error).replace(str(folder) + "/", "").replace(str(folder), "")
            for internal, name in uploaded.items():
                message = message.replace(internal, name)
            raise CojianError(message) from None
        if matching:  # every table was read, but a file was left over (e.g. an unrecognised name)
            raise LedgerError(matching, source=source)
        return ledger


# -- helpers ---------------------------------------------------------------------------------------


def _getter(params: Mapping[str, object]):
    def get(key: str) -> str | None:
        try:
            value = params.get(key)
        except Exception:  # a mapping that misbehaves is treated as empty
            return None
        if isinstance(value, list | tuple):
            value = value[-1] if value else None
        if value is None:
            return None
        return str(value)[:_MAX_VALUE * 10 if key in ("links", "circles", "sectors") else _MAX_VALUE]

    return get


def _split(text: str | None) -> list[str]:
    if not text:
        return []
    parts = [part.strip() for part in text.replace("，", ",").split(",")]
    return [part for part in parts if part][:_MAX_ITEMS]


def _labels(registry, text: str | None) -> tuple[str, ...]:
    return tuple(dict.fromkeys(
        label for label in (resolve_label(registry, part) for part in _split(text)) if label is not None
    ))


def _period(text: str | None) -> str | None:
    """A period as the views write it (``2022-H1``), or None when ``text`` is not one.

    >>> _period("2022上半年"), _period("2022-H3"), _period(None)
    ('2022-H1', None, None)
    """
    from .periods import parse_period, period_labels

    if not text or len(text) > 20:
        return None
    try:
        kind, number = parse_period(text)
    except CojianError:
        return None
    return period_labels([number], kind)[0] if _YEAR_RANGE[0] <= int(text.strip()[:4]) <= _YEAR_RANGE[1] else None


def _int(text: str | None, low: int, high: int) -> int | None:
    try:
        value = int(str(text).strip())
    except (TypeError, ValueError):
        return None
    return value if low <= value <= high else None


def _suffix(name: str) -> str:
    return PurePath(name).suffix.lower().lstrip(".")


def _csv_tables(files: Iterable[tuple[str, bytes]]) -> tuple[dict[str, tuple[str, bytes]], list[Problem]]:
    """Match uploaded CSV files to the three tables by name.

    Returns the table → (name, content) of each table matched by exactly one file, and the problems:
    a file that names no table or several, a table without a file or with more than one.
    """
    found: dict[str, list[tuple[str, bytes]]] = {table: [] for table in TABLES}
    problems: list[Problem] = []
    for name, content in files:
        stem = PurePath(name).stem.lower()
        matches = [table for table, spec in TABLES.items() if spec.name in stem or spec.zh in stem]
        if len(matches) != 1:
            problems.append(Problem(
                name, None, None, "unknown_csv_file",
                "无法判断此 CSV 文件属于哪张表", "cannot tell which table this CSV file holds",
                "文件名应包含 organizations、activities 或 participations",
                "name it organizations.csv, activities.csv or participations.csv",
            ))
            continue
        found[matches[0]].append((name, content))
    for table, spec in TABLES.items():
        if not found[table]:
            problems.append(Problem(
                spec.filename, None, None, "missing_file",
                f"缺少{spec.zh}表", f"the {spec.en.lower()} table is missing",
                f"请一起上传 {spec.filename}", f"upload {spec.filename} together with the other two",
            ))
        elif len(found[table]) > 1:
            problems.append(Problem(
                ", ".join(name for name, _ in found[table]), None, None, "duplicate_file",
                f"{spec.zh}表上传了多个文件", f"more than one file for the {spec.en.lower()} table",
                "每张表只上传一个文件", "upload one file per table",
            ))
    return {table: entries[0] for table, entries in found.items() if len(entries) == 1}, problems


def _renamed(problem: Problem, folder: str, uploaded: Mapping[str, str]) -> Problem:
    """``problem`` with the temporary folder's file names replaced by the names the user uploaded."""
    text = str(problem.file)
    text = text.replace(folder + "/", "").replace(folder, "")
    for internal, name in uploaded.items():
        if text == internal or text.endswith("/" + internal) or PurePath(internal).stem == text:
            text = name
        elif text.startswith(internal + " "):  # a sheet or table of the file: "ledger.xlsx › 组织"
            text = name + text[len(internal):]
    return dataclasses.replace(problem, file=text)


def problems_table(error: LedgerError, lang: str = "zh"):
    """The problems of a rejected ledger as a table for people: file, row, column, problem, fix.

    Headers and texts are in ``lang``; rows as the user sees them in a spreadsheet (empty when the
    problem concerns a whole file or column).

    >>> problem = Problem("organizations.csv", 3, "circle", "bad", "圈层无效", "invalid circle",
    ...                   "填 focal", "use focal")
    >>> table = problems_table(LedgerError([problem]), "en")
    >>> list(table.columns)
    ['File', 'Row', 'Column', 'Problem', 'How to fix']
    >>> table.iloc[0].tolist()
    ['organizations.csv', '3', 'circle', 'invalid circle', 'use focal']
    """
    import pandas as pd

    from .i18n import t

    headers = [t(f"problems.{name}", lang) for name in ("file", "row", "column", "problem", "fix")]
    rows = [
        (p.file, "" if p.row is None else str(p.row), p.column or "",
         p.message_zh if lang == "zh" else p.message_en, p.fix_zh if lang == "zh" else p.fix_en)
        for p in error.problems
    ]
    return pd.DataFrame(rows, columns=headers)


def activities_by_year(ledger: Ledger):
    """Activities per year and link type: a table with a row per year (dated activities only), a
    column per link id in registry order.

    >>> from cojian_graph.testing import tiny_ledger
    >>> table = activities_by_year(tiny_ledger())
    >>> table[["learning", "service"]].to_dict("index")
    {2021: {'learning': 1, 'service': 0}, 2022: {'learning': 0, 'service': 1}}
    """
    import pandas as pd

    from .model import LINK_IDS

    years = ledger.years()
    dated = ledger.activities.assign(year=years)[years.notna().to_numpy()]
    table = pd.crosstab(dated["year"].astype(int), dated["link_type"]) if len(dated) else pd.DataFrame()
    return table.reindex(columns=list(LINK_IDS), fill_value=0).rename_axis(index="year", columns=None)


def ledger_bytes(ledger: Ledger, format: str = "excel") -> bytes:
    """``ledger`` as the bytes of one file, for a download: ``"excel"`` (.xlsx) or ``"json"``.

    Written by :func:`cojian_graph.io.write_ledger`, so what is downloaded reads back unchanged.
    """
    from .io import write_ledger

    suffix = {"excel": "xlsx", "json": "json"}.get(format)
    if suffix is None:
        raise CojianError(f"不支持的下载格式 unsupported download format: {format!r}; "
                          "可选 valid: excel, json")
    with tempfile.TemporaryDirectory(prefix="cojian-download-") as tmp:
        path = Path(tmp) / f"ledger.{suffix}"
        write_ledger(ledger, path, format)
        return path.read_bytes()


def template_bytes() -> bytes:
    """The blank Excel template (:func:`cojian_graph.io.write_template`) as bytes, for a download."""
    from .io import write_template

    with tempfile.TemporaryDirectory(prefix="cojian-template-") as tmp:
        path = Path(tmp) / "cojian-template.xlsx"
        write_template(path)
        return path.read_bytes()


_MARKDOWN_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")


def escape_markdown(text: object) -> str:
    """``text`` with every ASCII punctuation character backslash-escaped, so that Markdown (and
    Streamlit's ``:icon:``, ``:color[…]`` and ``$math$`` extensions) shows it literally.

    Names, ids and file names come from users and from URLs; anything that places them in a
    Markdown element (captions, headers, messages) goes through this first.

    >>> print(escape_markdown("[x](javascript:alert(1)) <b>"))
    \\[x\\]\\(javascript\\:alert\\(1\\)\\) \\<b\\>
    >>> escape_markdown("铸钢党总支")
    '铸钢党总支'
    """
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text)).replace("\n", " ")
