"""The explorer's user-interface strings in Chinese and English.

:data:`MESSAGES` maps a message id to its ``(中文, English)`` pair; :func:`t` picks one and fills in
``{placeholders}``. Names of links, circles, kinds and sectors are not here: they live in the
registries of :mod:`cojian_graph.model`. No streamlit import: the table is tested on its own.

Examples
--------
>>> t("page.map", "zh"), t("page.map", "en")
('生态圈', 'Ecosystem map')
>>> t("overview.years", "en", first=2020, last=2023, undated=2)
'Activities from 2020 to 2023; 2 undated.'
>>> t("no.such.key", "en", default="fallback")
'fallback'
"""

from __future__ import annotations

import string
from types import MappingProxyType

__all__ = ["MESSAGES", "placeholders", "t"]

_MESSAGES: dict[str, tuple[str, str]] = {
    # pages
    "page.overview": ("概览", "Overview"),
    "page.map": ("生态圈", "Ecosystem map"),
    "page.rankings": ("排名", "Rankings"),
    "page.links": ("八联", "Eight links"),
    "page.timeline": ("时间", "Timeline"),
    "page.recommend": ("建议", "Recommendations"),
    "page.organization": ("组织", "Organisation"),
    "page.data": ("数据", "Data"),
    "page.desk": ("台账维护", "Desk"),
    "page.history": ("修改记录", "History"),
    # sidebar and filters
    "sidebar.language": ("语言 Language", "语言 Language"),
    "sidebar.ledger": ("台账：{name}", "Ledger: {name}"),
    "sidebar.filters": ("筛选", "Filters"),
    "filter.links": ("八联类型", "Link types"),
    "filter.circles": ("圈层", "Circles"),
    "filter.sectors": ("领域", "Sectors"),
    "filter.all": ("全部", "All"),
    "filter.years": ("年份", "Years"),
    "filter.undated": ("包括未注明日期的活动", "Include undated activities"),
    "filter.period": ("时段（半年、季度）", "Period (half-year, quarter)"),
    "filter.period_all": ("全部时段", "every period"),
    "filter.period_help": ("只看一个半年或季度内的活动。只注明年份或未注明日期的活动无法归入，不计入。",
                           "Show the activities of one half-year or quarter only. Activities dated by the year "
                           "alone, or undated, cannot be placed in one and are left out."),
    "filter.period_note": ("只计 {period} 的活动；{apart} 项活动只注明年份或未注明日期，未计入。",
                           "Only the activities of {period}; {apart} dated by the year alone or undated are left "
                           "out."),
    "filter.no_years": ("台账中的活动未注明年份，无法按年份筛选。",
                        "The ledger's activities carry no years, so there is no year filter."),
    "filter.one_year": ("台账中的活动都在 {year} 年。", "All dated activities are from {year}."),
    "filter.min_weight": ("最少共同活动数", "Minimum joint activities"),
    "filter.tie_weight": ("关系权重", "Tie weight"),
    "map.hide_isolated": ("隐藏孤立组织（{count}）", "Hide isolated organisations ({count})"),
    "map.hide_isolated_help": ("没有合作关系的组织；超过 300 个组织的视图默认隐藏",
                               "Organisations without ties; hidden by default in views of over 300 organisations"),
    "map.until": ("截至年份（位置不变，橙色为当年新建的合作关系）",
                  "As at the end of (positions fixed; orange: ties new that year)"),
    "map.until_all": ("全部", "all"),
    "map.until_help": ("逐年查看网络的成长：每个组织都在整个视图中的位置，当年新建的合作关系以橙色显示",
                       "See the network grow year by year: every organisation stays where it is in the whole view; "
                       "the ties new that year are orange"),
    "map.until_note": ("截至 {year} 年底，当年新建 {new} 条合作关系",
                       "as at the end of {year}: {new} ties new that year"),
    "map.groups_until_note": ("截至 {year} 年底：组织间合作关系 {ties:,} 条（整个视图 {total:,} 条）；各组位置不变",
                              "As at the end of {year}: {ties:,} ties between organisations (the whole view: "
                              "{total:,}); every group stays in its place"),
    "map.show": ("显示", "Show"),
    "map.show_organizations": ("组织", "Organisations"),
    "map.show_groups": ("按组汇总", "Groups"),
    "map.show_help": ("超过 {above:,} 个组织的视图默认按组汇总：每组一个节点，大小为其组织数，连线为组间的共同活动",
                      "Views of over {above:,} organisations open on their groups: one node per group, sized by "
                      "its organisations, tied by the groups' joint activities"),
    "map.group_by": ("分组", "Group by"),
    "map.drill": ("查看组内组织", "Organisations of one group"),
    "map.drill_all": ("（全部组）", "(all groups)"),
    "map.groups_note": ("按组汇总：{groups} 组，代表 {nodes:,} 个组织、{ties:,} 条合作关系；"
                        "组内的 {hidden:,} 条合作关系不画成连线（见节点提示）。选择一个组可查看其中的组织。",
                        "Groups: {groups} groups standing for {nodes:,} organisations and {ties:,} ties; the "
                        "{hidden:,} ties inside groups are not drawn (see each node's tooltip). Choose a group "
                        "to see its organisations."),
    "map.drill_note": ("{group}：视图 {total:,} 个组织中的 {nodes:,} 个", "{group}: {nodes:,} of the view's "
                       "{total:,} organisations"),
    "progress.aggregate": ("正在按组汇总", "Grouping the organisations"),
    "map.play": ("▶ 播放", "▶ Play"),
    "map.play_help": ("逐年播放网络的成长", "Step through the years"),
    "map.strongest": ("只画出最强的 {shown:,} 条合作关系", "only the strongest {shown:,} ties are drawn"),
    "map.isolated_hidden": ("已隐藏 {count} 个孤立组织", "{count} isolated organisations hidden"),
    "url.from_upload": (
        "这个链接是在上传的台账上生成的；上传的台账只属于当时的浏览器会话，这里显示的是服务器上的台账“{name}”。"
        "链接中的筛选条件已应用于此台账，无法对应的条件（如不存在的组织）已忽略。",
        "This link was made on an uploaded ledger, which belongs to that browser session only; this is the "
        "server's ledger “{name}”. The link's filters apply to it, and those that do not fit it (an "
        "organisation it does not hold) are ignored."),
    "progress.rank_table": ("正在计算排名", "Computing the rankings"),
    "progress.organization": ("正在计算该组织的指标", "Computing this organisation's measures"),
    "progress.summary": ("正在计算网络概况", "Summarising the network"),
    "progress.page": ("正在绘制网络图", "Drawing the network"),
    "progress.layout": ("正在计算布局", "Laying out the network"),
    "progress.queued": ("{label}：等待空闲的计算进程…", "{label}: waiting for a free worker…"),
    "progress.stop": ("停止计算", "Stop"),
    "progress.stopped": ("{label}已停止。可以先缩小视图（筛选），再重新计算。",
                         "{label}: stopped. Narrow the view with a filter first, or compute it again."),
    "progress.again": ("重新计算", "Compute again"),
    "org.rank_button": ("计算排名", "Compute the ranking"),
    "org.rank_later": ("排名需要计算全网的指标；大型网络请先在“排名”页计算，或点击下面的按钮。",
                       "The rank needs the measures of the whole network; for a large network compute it on "
                       "the Rankings page, or with the button below."),
    "filter.min_weight_help": ("只显示至少有这么多项共同活动的合作关系",
                               "Show only ties with at least this many joint activities"),
    "filter.search": ("按名称搜索组织", "Search organisations by name"),
    "filter.search_placeholder": ("输入名称的一部分", "Part of a name"),
    "filter.search_hits": ("找到 {count} 个组织", "{count} organisation(s) found"),
    "filter.most_active": ("共 {count:,} 个组织，列出参与活动最多的 {shown:,} 个；输入名称的一部分可找到其他组织",
                           "{count:,} organisations; listed: the {shown:,} most active. Type part of a name to "
                           "find the others."),
    "filter.focus": ("聚焦组织", "Focus on an organisation"),
    "filter.no_focus": ("（不聚焦）", "(no focus)"),
    "filter.focus_unknown": ("台账中没有组织 {focus}，已取消聚焦。",
                             "There is no organisation {focus} in the ledger; focus cleared."),
    "filter.hops": ("邻域半径（步数）", "Neighbourhood radius (hops)"),
    "filter.hops_help": ("显示与聚焦组织相隔不超过这么多步的组织",
                         "Show organisations at most this many steps from the focus"),
    "filter.reset": ("重置筛选", "Reset filters"),
    # errors
    "error.generic": ("出错了", "Something went wrong"),
    "error.ledger": ("台账有 {count} 个问题，未加载。请按下表修改后重新上传。",
                     "The ledger has {count} problem(s) and was not loaded. "
                     "Fix them as listed and upload again."),
    "problems.file": ("文件", "File"),
    "problems.row": ("行", "Row"),
    "problems.column": ("列", "Column"),
    "problems.problem": ("问题", "Problem"),
    "problems.fix": ("修改方法", "How to fix"),
    # common table columns
    "column.link": ("八联类型", "Link type"),
    "column.metaphor": ("案例中的比喻", "Case study's metaphor"),
    "column.activities": ("活动数", "Activities"),
    "column.circle": ("圈层", "Circle"),
    "column.sector": ("领域", "Sector"),
    "column.kind": ("类型", "Kind"),
    "column.organization": ("组织", "Organisation"),
    "column.organizations": ("组织数", "Organisations"),
    "column.measure": ("指标", "Measure"),
    "column.value": ("数值", "Value"),
    "column.year": ("年份", "Year"),
    "column.title": ("活动", "Activity"),
    "column.date": ("日期", "Date"),
    "column.role": ("角色", "Role"),
    "column.partner": ("合作伙伴", "Partner"),
    "column.weight": ("共同活动", "Joint activities"),
    "column.multiplexity": ("联建类型数", "Link types"),
    "column.rank": ("名次", "Rank"),
    "column.count": ("数量", "Count"),
    # overview
    "overview.title": ("党建共建生态圈 · 概览", "Party-building co-construction ecosystem · Overview"),
    "overview.intro": (
        "台账中的组织、活动和八联一览。左侧筛选适用于所有页面。",
        "What the ledger holds: organisations, activities and the eight links. "
        "The filters on the left apply to every page.",
    ),
    "overview.ledger": ("台账：{name}", "Ledger: {name}"),
    "overview.organizations": ("组织", "Organisations"),
    "overview.activities": ("活动", "Activities"),
    "overview.participations": ("参与记录", "Participations"),
    "overview.ties": ("合作关系（当前视图）", "Ties (this view)"),
    "overview.ties_help": ("当前筛选下，共同参加过活动的组织对数",
                           "Pairs of organisations that took part in an activity together, "
                           "under the filters"),
    "overview.years": ("活动年份：{first} 至 {last} 年；{undated} 项未注明日期。",
                       "Activities from {first} to {last}; {undated} undated."),
    "overview.one_year": ("活动年份：{year} 年；{undated} 项未注明日期。",
                          "Activities from {year}; {undated} undated."),
    "overview.no_years": ("活动未注明年份。", "The activities carry no years."),
    "overview.by_link": ("各联建类型的活动", "Activities per link"),
    "overview.by_circle": ("各圈层的组织", "Organisations per circle"),
    "overview.network": ("当前视图的网络概况", "The network of this view"),
    "overview.paths_sampled": ("网络较大，平均路径长度为抽样估计：从 {samples} 个随机组织出发搜索，"
                               "95% 置信区间 ±{error} 步；直径为精确值（iFUB）。",
                               "The network is large: the average path length is estimated from searches out of "
                               "{samples} random organisations, 95 % confidence interval ±{error} steps; the "
                               "diameter is exact (iFUB)."),
    "overview.diameter_bounds": ("直径的搜索达到上限：直径介于 {low} 与 {high} 之间。",
                                 "The diameter's search reached its limit: it lies between {low} and {high}."),
    # map
    "map.title": ("共建生态圈", "Co-construction ecosystem"),
    "map.intro": (
        "节点为组织，连线为共同参加的活动；悬停连线可查看背后的活动，悬停节点可查看关键数据。",
        "Nodes are organisations, edges their joint activities; hover over an edge for the activities "
        "behind it, over a node for its key figures.",
    ),
    "map.layout": ("布局", "Layout"),
    "map.size_by": ("节点大小", "Node size"),
    "map.color_by": ("节点颜色", "Node colour"),
    "map.height": ("高度（像素）", "Height (pixels)"),
    "map.empty": ("当前筛选下没有组织。请放宽筛选条件。",
                  "No organisation matches these filters. Widen them."),
    "map.counts": ("{nodes} 个组织，{edges} 条合作关系", "{nodes} organisations, {edges} ties"),
    "map.downloads": ("导出", "Export"),
    "map.iframe_alt": ("共建生态圈网络图", "Co-construction ecosystem network"),
    # rankings
    "rankings.title": ("合作中心性排名", "Collaboration centrality rankings"),
    "rankings.intro": (
        "按所选指标为组织排名；可调整综合得分的权重，并下载排名表。",
        "Organisations ranked by the chosen measure; adjust the composite score's weights and "
        "download the table.",
    ),
    "rankings.measure": ("排名指标", "Measure"),
    "rankings.layer": ("网络层", "Layer"),
    "rankings.layer_all": ("全部八联", "All eight links"),
    "rankings.top": ("柱状图显示前 N 名", "Bar chart of the top N"),
    "rankings.weights": ("综合得分权重", "Composite score weights"),
    "rankings.weights_help": ("各指标在综合得分中的权重，会自动按总和归一化",
                              "Weight of each measure in the composite score, normalised to sum to 1"),
    "rankings.chart": ("前 {top} 名：{measure}", "Top {top}: {measure}"),
    "rankings.download_csv": ("下载 CSV", "Download CSV"),
    "rankings.download_xlsx": ("下载 Excel（XLSX）", "Download Excel (XLSX)"),
    "rankings.empty": ("当前视图中没有组织可以排名。", "No organisation in this view to rank."),
    "rankings.estimated": ("网络较大，以下路径中心性为抽样估计（命令行 `cojian rank --exact` 可精确计算）：",
                           "The network is large: these path measures are estimates from sampled organisations "
                           "(`cojian rank --exact` computes them exactly):"),
    "rankings.composite": ("综合得分", "Composite score"),
    "rankings.weights_zero": ("权重全为 0，已改用默认权重。",
                              "All weights are 0; the default weights are used."),
    # eight links
    "links.title": ("八联：组织 × 联建类型", "The eight links: organisations × link types"),
    "links.intro": (
        "每个组织参加了哪些联建类型的活动，各类型的总量和年度变化，以及内结与外联的比例。",
        "Which links each organisation took part in, the totals and the years per link, and the "
        "split between internal pairing and external linkage.",
    ),
    "links.heatmap": ("组织 × 联建类型（活动数）", "Organisations × link types (activities)"),
    "links.heatmap_top": ("显示参加活动最多的 {top} 个组织（共 {count} 个）。",
                          "Showing the {top} most active of {count} organisations."),
    "links.totals": ("各联建类型的活动总数", "Activities per link"),
    "links.over_years": ("各联建类型的年度活动", "Activities per link over the years"),
    "links.no_years": ("当前视图的活动未注明年份。", "The activities in this view carry no years."),
    "links.split": ("内结与外联", "Internal and external"),
    "links.split_help": (
        "每类联建的共同活动，分为同侧（公司内部之间，或集团及地方组织之间）与跨内外（公司内部与外部之间）；"
        "核心组织算作公司内部。",
        "Joint activities per link, split into same-side ties (between organisations inside the company, "
        "or between outside ones) and ties across the company's boundary; the focal organisation counts "
        "as inside.",
    ),
    "links.ei": ("E-I 指数（按共同活动）", "E-I index (by joint activities)"),
    "links.ei_help": (
        "(跨内外的共同活动 − 同侧的共同活动) / 全部共同活动，取值 −1 至 1：越接近 1 越偏向外联"
        "（Krackhardt & Stern 1988，按活动数加权；概览页的 E-I 指数按合作关系计数）。",
        "(joint activities across − same side) / all joint activities, from −1 to 1: closer to 1 leans to "
        "external linkage (Krackhardt & Stern 1988, weighted by activities; the overview's E-I index "
        "counts ties).",
    ),
    "links.empty": ("当前视图中没有活动。", "No activity in this view."),
    "links.within": ("同侧", "Same side"),
    "links.across": ("跨内外", "Across inside/outside"),
    # organisation
    "org.title": ("组织档案", "Organisation profile"),
    "org.choose": ("选择组织", "Choose an organisation"),
    "org.none": ("台账中没有组织。", "The ledger has no organisation."),
    "org.partners": ("合作伙伴", "Partners"),
    "org.history": ("修改记录（本组织及其参与记录）", "History (this organisation and its participations)"),
    "org.no_history": ("没有修改记录", "No changes recorded"),
    "org.no_partners": ("当前视图中没有合作伙伴。", "No partner in this view."),
    "org.activities": ("参加的活动", "Activities taken part in"),
    "org.profile": ("联建类型分布", "Link profile"),
    "org.measures": ("指标与名次", "Measures and rank"),
    "org.measures_alone": ("以上是本组织的指标，按全网定义计算；中介中心性、社区、综合得分与名次需要计算全网排名。",
                           "This organisation's measures, as the whole view defines them; betweenness, the "
                           "community, the composite score and the rank need the whole ranking."),
    "org.rank_of": ("名次（共 {count} 个组织）", "Rank (of {count})"),
    "org.ego": ("自我中心网络", "Ego network"),
    "org.ego_all": ("画出全部 {count} 个合作伙伴", "Draw all {count} partners"),
    "org.ego_strongest": ("图中是共同活动最多的 {shown} 个合作伙伴（共 {count} 个）及其间的合作关系；"
                          "打开上方开关可画出全部。",
                          "Drawn: the {shown} partners with the most joint activities (of {count}) and the ties "
                          "among them; turn on the switch above to draw them all."),
    "org.ego_ties": ("它们之间共有 {total:,} 条合作关系，图中画出最强的 {shown:,} 条（本组织的合作关系全部画出）。",
                     "They have {total:,} ties among them; the strongest {shown:,} are drawn (every tie of this "
                     "organisation among them)."),
    "org.filtered_out": ("当前筛选条件排除了该组织。", "The filters leave this organisation out."),
    "org.focus_button": ("在侧栏中聚焦此组织", "Focus on it in the sidebar"),
    # data
    "data.title": ("台账数据", "Ledger data"),
    "data.intro": (
        "查看台账的三张表；上传自己的台账（Excel 工作簿、三个 CSV 文件或 JSON），"
        "仅在此浏览器会话中替换内置台账。",
        "The ledger's three tables. Upload your own ledger (an Excel workbook, the three CSV files or "
        "JSON) to explore it instead of the bundled one, in this browser session only.",
    ),
    "data.tables": ("表格", "Tables"),
    "data.upload": ("上传台账", "Upload a ledger"),
    "data.upload_help": ("一个 .xlsx 或 .json 文件，或三个 CSV 文件"
                         "（organizations、activities、participations）",
                         "one .xlsx or .json file, or the three CSV files (organizations, activities, "
                         "participations)"),
    "data.load": ("加载上传的台账", "Load the uploaded ledger"),
    "data.loaded": ("已加载上传的台账：{name}（{orgs} 个组织，{acts} 项活动）",
                    "Loaded the uploaded ledger: {name} ({orgs} organisations, {acts} activities)"),
    "data.using_upload": ("正在查看上传的台账：{name}", "Exploring the uploaded ledger: {name}"),
    "data.revert": ("改回内置台账", "Back to the bundled ledger"),
    "data.template": ("下载空白模板（Excel）", "Download the blank template (Excel)"),
    "data.template_help": ("按模板填写台账后上传", "Fill in the template, then upload it"),
    "data.download": ("下载当前台账", "Download this ledger"),
    "data.download_xlsx": ("Excel 工作簿", "Excel workbook"),
    "data.download_json": ("JSON", "JSON"),
    "data.rows": ("{count} 行", "{count} rows"),
    # network summary keys (analysis.network_summary)
    "summary.organizations": ("组织数", "Organisations"),
    "summary.ties": ("合作关系数", "Ties"),
    "summary.joint_activities": ("共同活动总数（按关系计）", "Joint activities (summed over ties)"),
    "summary.isolated": ("孤立组织数", "Isolated organisations"),
    "summary.density": ("密度", "Density"),
    "summary.components": ("连通分量数", "Connected components"),
    "summary.largest_component": ("最大连通分量的组织数", "Organisations in the largest component"),
    "summary.average_path_length": ("平均路径长度（步）", "Average path length (steps)"),
    "summary.diameter": ("直径（步）", "Diameter (steps)"),
    "summary.average_clustering": ("平均聚类系数", "Average clustering"),
    "summary.transitivity": ("传递性", "Transitivity"),
    "summary.ei_index": ("E-I 指数（按合作关系，公司内外）", "E-I index (by ties, inside/outside the company)"),
    "summary.modularity": ("模块度", "Modularity"),
    "summary.communities": ("社群数", "Communities"),
    # looking at a past revision of a store
    "sidebar.as_of": ("查看版本", "Version shown"),
    "sidebar.as_of_latest": ("最新（修订 {rev}）", "Latest (revision {rev})"),
    "sidebar.as_of_date": ("或某日结束时（UTC）", "Or as at the end of a day (UTC)"),
    "sidebar.as_of_before": ("{date} 之前台账库还没有修订", "The store had no revision before the end of {date}"),
    "sidebar.as_of_help": ("选择一个修订，所有页面显示台账在该修订之后的样子；修改只能在最新版本上进行",
                           "Choose a revision: every page shows the ledger as it was after it; changes are made on "
                           "the latest version only"),
    # who is using the explorer
    "access.title": ("登录 · 党建共建生态圈", "Sign in · party-building co-construction"),
    "access.name": ("用户名", "Name"),
    "access.password": ("密码", "Password"),
    "access.sign_in": ("登录", "Sign in"),
    "access.sign_out": ("退出登录", "Sign out"),
    "access.signed_in": ("当前用户：{name}（{role}）", "Signed in: {name} ({role})"),
    "access.guest": ("访客", "guest"),
    "access.sign_in_first": ("请先登录", "Please sign in first"),
    "access.fill_both": ("请填写用户名和密码", "Enter your name and password"),
    "access.sso_sign_in": ("使用单位账号登录", "Sign in with your organisation's account"),
    "access.sso_unconfigured": ("单点登录尚未配置：请在 .streamlit/secrets.toml 的 [auth] 中"
                                "填写身份提供方（见 docs/desk.md）",
                                "Single sign-on is not configured: describe the identity provider under [auth] in "
                                ".streamlit/secrets.toml (see docs/desk.md)"),
    "access.sso_no_account": ("您已通过单位账号登录为 {name}，但在这个台账库中还没有账号。请管理员运行：",
                              "You are signed in as {name} with your organisation's account, but have no account in "
                              "this store yet. Ask an administrator to run:"),
    "access.no_admin": ("这个台账库还没有管理员账号。请在服务器上运行下面的命令创建第一个管理员：",
                        "This store has no administrator yet. Create the first one on the server with:"),
    # the desk
    "desk.title": ("台账维护", "Ledger desk"),
    "desk.intro": ("记录活动、修改或删除记录、合并组织、批量修改、导入工作簿。"
                   "每次保存是一次修订，可在“修改记录”页查看和撤销。",
                   "Record an activity, edit or delete records, merge organisations, edit many at once, import a "
                   "workbook. Each save is one revision, listed (and revertible) on the History page."),
    "desk.read_only": ("您的账号只能查看，不能修改台账。需要修改时请联系管理员。",
                       "Your account may read the ledger, not change it. Ask an administrator if you need to."),
    "desk.as_of": ("正在查看修订 {rev} 时的台账；修改只能在最新版本上进行（在侧栏选择“最新”）。",
                   "You are looking at the ledger as of revision {rev}; changes are made on the latest version "
                   "(choose “Latest” in the sidebar)."),
    "desk.section": ("操作", "Task"),
    "desk.tab_record": ("记录活动", "Record an activity"),
    "desk.tab_edit": ("修改或删除", "Edit or delete"),
    "desk.tab_merge": ("合并组织", "Merge organisations"),
    "desk.tab_bulk": ("批量修改", "Edit many"),
    "desk.tab_import": ("导入工作簿", "Import a workbook"),
    "desk.f_title": ("活动名称 *", "Title (Chinese) *"),
    "desk.f_title_en": ("英文名称", "Title (English)"),
    "desk.f_link": ("八联类型 *", "Link type *"),
    "desk.f_date": ("日期（年、年月或具体日期）", "Date (year, month or day)"),
    "desk.f_description": ("活动内容", "Description"),
    "desk.f_outcome": ("成效", "Outcome"),
    "desk.f_source": ("来源", "Source"),
    "desk.f_id": ("活动编号", "Activity id"),
    "desk.f_id_help": ("留空则使用 {id}", "Leave empty to use {id}"),
    "desk.f_role": ("角色", "Role"),
    "desk.participants": ("参与组织", "Participants"),
    "desk.find": ("查找组织（简体、繁体或英文均可）", "Find (Simplified, Traditional or English)"),
    "desk.find_placeholder": ("输入名称的一部分", "part of a name"),
    "desk.pick": ("选择", "Choose"),
    "desk.pick_placeholder": ("请选择", "Choose one"),
    "desk.more_matches": ("只列出前 {shown} 个，共 {count} 个匹配；请输入更多文字缩小范围",
                          "showing the first {shown} of {count} matches; type more to narrow"),
    "desk.add": ("加入", "Add"),
    "desk.remove": ("移除", "Remove"),
    "desk.none": ("（未填）", "(none)"),
    "desk.new": ("新", "new"),
    "desk.new_org": ("添加台账中没有的新组织", "Add an organisation the ledger does not have yet"),
    "desk.add_org": ("添加并加入参与组织", "Add it as a participant"),
    "desk.new_org_needs": ("新组织需要编号和名称", "A new organisation needs an id and a name"),
    "desk.new_org_exists": ("编号“{id}”已被使用", "The id '{id}' is already used"),
    "desk.needs_participants": ("请至少加入一个参与组织", "Add at least one participant"),
    "desk.note": ("说明（可选，记入修改记录）", "Note (optional, kept in the history)"),
    "desk.save": ("保存活动", "Save the activity"),
    "desk.save_changes": ("保存修改", "Save changes"),
    "desk.saved": ("已保存为修订 {rev}", "Saved as revision {rev}"),
    "desk.see_map": ("在生态圈中查看", "See it on the map"),
    "desk.unchanged": ("没有需要保存的修改", "Nothing to save: no field changed"),
    "desk.edit_what": ("修改", "Edit"),
    "desk.editing": ("基于版本 {version} 修改；保存时若他人已修改，会请您逐项选择",
                     "Editing version {version}; if someone else saves first, you choose field by field"),
    "desk.gone": ("该记录已不存在（"
                  "可能刚被他人删除）", "This record no longer exists (someone may have just deleted it)"),
    "desk.delete": ("删除", "Delete"),
    "desk.delete_confirm": ("确认删除“{name}”", "Yes, delete “{name}”"),
    "desk.reload": ("重新读取最新内容", "Reload the latest version"),
    "desk.conflict": ("{count} 条记录在您编辑期间已被他人修改，您的修改尚未保存。请逐项选择保留哪个值：",
                      "{count} record(s) were changed by someone else while you edited; your change is not saved "
                      "yet. Choose, field by field, which value to keep:"),
    "desk.conflict_versions": ("您基于版本 {base}，现为版本 {now}", "you edited version {base}; it is now {now}"),
    "desk.conflict_gone": ("此记录已被他人删除；保存将重新添加它", "Someone deleted this record; saving adds it again"),
    "desk.c_field": ("字段", "Field"),
    "desk.c_before": ("原值", "Before"),
    "desk.c_yours": ("您的", "Yours"),
    "desk.c_theirs": ("他人的（现值）", "Theirs (now)"),
    "desk.keep": ("{field}：保留", "{field}: keep"),
    "desk.keep_yours": ("您的：{value}", "yours: {value}"),
    "desk.keep_theirs": ("他人的：{value}", "theirs: {value}"),
    "desk.save_choices": ("按所选保存", "Save as chosen"),
    "desk.discard": ("放弃我的修改", "Discard my change"),
    "desk.cancel": ("取消", "Cancel"),
    "desk.merge_help": ("同一单位在台账中有两个名称时，"
                        "把其中一个合并到另一个：参与记录转到保留的组织，另一个删除。合并是一次修订，可以撤销。",
                        "When one body appears under two names, merge one into the other: its participations move "
                        "to the one kept and it is deleted. The merge is one revision and can be reverted."),
    "desk.merge_keep": ("保留", "Keep"),
    "desk.merge_away": ("合并进来并删除", "Merge in and delete"),
    "desk.merge": ("合并", "Merge"),
    "desk.merge_conflict": ("合并期间这些记录被他人修改了，"
                            "请重试", "Someone changed these records meanwhile; try again"),
    "desk.import_help": ("上传工作簿、JSON 或三个 CSV 文件：先预览将新增、修改、删除的记录，确认后作为一次修订写入。",
                         "Upload a workbook, a JSON file or three CSV files: preview what will be added, changed and "
                         "deleted, then write it as one revision."),
    "desk.preview": ("预览", "Preview"),
    "desk.import_plan": ("导入“{name}”将：", "Importing “{name}” will:"),
    "desk.i_table": ("表", "Table"),
    "desk.i_added": ("新增", "Added"),
    "desk.i_changed": ("修改", "Changed"),
    "desk.i_deleted": ("删除", "Deleted"),
    "desk.import": ("确认导入", "Import"),
    # the history page
    "history.title": ("修改记录", "History of changes"),
    "history.intro": ("台账库的每次修订：谁、何时、为什么，以及每个字段修改前后的值。"
                      "撤销一次修订会生成新的修订，历史不会被改写。",
                      "Every revision of the store: who, when, why, and each field before and after. Reverting a "
                      "revision makes a new one; history is never rewritten."),
    "history.users": ("用户", "Users"),
    "history.find_org": ("查找组织", "Find an organisation"),
    "history.organization": ("组织", "Organisation"),
    "history.link": ("八联类型", "Link type"),
    "history.dates": ("日期范围", "Dates"),
    "history.count": ("显示 {shown} 次修订，共 {count} 次", "{shown} of {count} revisions shown"),
    "history.c_rev": ("修订", "Revision"),
    "history.c_at": ("时间（UTC）", "Time (UTC)"),
    "history.c_user": ("用户", "User"),
    "history.c_action": ("操作", "Action"),
    "history.c_note": ("说明", "Note"),
    "history.c_table": ("表", "Table"),
    "history.c_record": ("记录", "Record"),
    "history.c_kind": ("类型", "Kind"),
    "history.c_field": ("字段", "Field"),
    "history.c_before": ("修改前", "Before"),
    "history.c_after": ("修改后", "After"),
    "history.pick": ("查看修订", "Show revision"),
    "history.detail_limit": ("只显示前 {limit} 项修改", "Only the first {limit} changed fields are shown"),
    "history.revert": ("撤销修订 {rev}", "Revert revision {rev}"),
    "history.reverted": ("已撤销修订 {rev}（新修订 {new}）", "Revision {rev} reverted (new revision {new})"),
    "history.revert_conflict": ("无法撤销修订 {rev}：其中的记录之后又被修改过", "Revision {rev} cannot be reverted: "
                                "a later revision changed its records"),
    "history.revert_invalid": ("无法撤销修订 {rev}：{problem}", "Revision {rev} cannot be reverted: {problem}"),
    # the recommendations page and the briefing
    "recommend.title": ("下一步建在哪里", "Where to build next"),
    "recommend.intro": ("深化已有的合作，拓展新的伙伴。每条建议都附有原因；"
                        "拓展对象的排序方法经过检验，见 docs/recommendations.md。",
                        "Deepen the ties we have, and approach new partners. Each suggestion gives its reason; how "
                        "well the approach ranking predicts was measured (docs/recommendations.md)."),
    "recommend.for": ("为哪个组织提建议", "Advise which organisation"),
    "recommend.working": ("正在计算建议…", "Working out the suggestions…"),
    "recommend.deepen": ("深化：已有的合作", "Deepen: the ties we have"),
    "recommend.deepen_help": ("至少两项共同活动、却只通过一种联开展的合作，以及台账最后一年没有活动的合作。",
                              "Ties of at least two joint activities that all run through one link, and ties with "
                              "no activity in the ledger's last year."),
    "recommend.approach": ("拓展：尚未合作的组织", "Approach: not yet tied"),
    "recommend.approach_help": ("与我们有共同伙伴、但还没有合作的组织，按加权资源分配指数排序：共同伙伴越多、"
                                "与它们合作越专一，得分越高；大会几乎不算介绍。",
                                "Organisations that share partners with us but have not worked with us, ranked by "
                                "the weighted resource allocation index: more shared partners, with closer ties, "
                                "score higher; a mass meeting introduces almost no one."),
    "recommend.single_link": ("只有一种联", "one link only"),
    "recommend.faded": ("近期没有活动", "faded"),
    "recommend.partner": ("伙伴", "Partner"),
    "recommend.organization": ("组织", "Organisation"),
    "recommend.kind": ("类型", "Kind"),
    "recommend.activities": ("共同活动", "Joint activities"),
    "recommend.circle": ("圈层", "Circle"),
    "recommend.score": ("得分", "Score"),
    "recommend.reason": ("原因", "Reason"),
    "recommend.no_deepen": ("没有需要深化的合作。", "No tie to deepen."),
    "recommend.no_approach": ("{name}已与所有通过伙伴间接相连的组织建立了合作，没有新的拓展对象。",
                              "{name} already works with every organisation it reaches through a partner: there "
                              "is no one new to approach."),
    "report.heading": ("分析报告", "Briefing"),
    "report.help": ("按当前视图（筛选、语言、截至）生成共建分析报告，点击后开始生成。",
                    "The briefing of the current view (filters, language, as-of), made when you click."),
    "report.docx": ("下载 Word 报告", "Download the briefing (Word)"),
    "report.pdf": ("下载 PDF 报告", "Download the briefing (PDF)"),
    "report.file": ("共建分析报告", "co-construction-briefing"),
    # the timeline page
    "timeline.title": ("共建生态圈的成长", "How the ecosystem grew"),
    "timeline.intro": ("按时段看共建活动、新伙伴、新建和中断的合作关系、伙"
                       "伴留存与内外平衡，以及上升和减弱的伙伴、排名的变化。"
                       "侧栏的筛选适用；选定“聚焦组织”时只计该组织的合作关系和伙伴。",
                       "Per period: co-construction activities, new partners, ties made and lost, partner retention "
                       "and the inside/outside balance; partners rising and fading; who climbed in the rankings. "
                       "The sidebar's filters apply; with a focus, only that organisation's ties and partners count."),
    "timeline.periods": ("时段", "Periods"),
    "timeline.window": ("窗口（时段数）", "Window (periods)"),
    "timeline.window_help": ("判断关系中断和伙伴留存时比较的时段数：1 表示与上一时段比较",
                             "How many periods are compared for lost ties and retention: 1 compares with the "
                             "period before"),
    "timeline.focus": ("只计“{name}”的合作关系和伙伴", "Only the ties and partners of “{name}” count"),
    "timeline.apart": ("另有 {undated} 项活动未注明日期、{coarse} 项只注明年份（无法分到所选时段），未计入以下图表",
                       "{undated} undated activities and {coarse} dated by their year only (which fit no period "
                       "chosen) are not in the charts below"),
    "timeline.apart_year": ("另有 {undated} 项活动未注明日期，未计入以下图表",
                            "{undated} undated activities are not in the charts below"),
    "timeline.none": ("当前视图中没有注明日期的活动，无法按时间分析。",
                      "The view holds no dated activity: there is nothing to show over time."),
    "timeline.one_period": ("注明日期的活动都在 {period}：至少需要两个时段才能看出变化。",
                            "Every dated activity is in {period}: changes need at least two periods."),
    "timeline.latest": ("以上为最近一个时段"
                        "（{period}）的数字", "The figures above are for the latest period ({period})"),
    "timeline.period": ("时段", "Period"),
    "timeline.activities": ("活动数", "Activities"),
    "timeline.new_partners": ("新伙伴", "New partners"),
    "timeline.new_partners_help": ("首次参与共建活动的组织（选定聚焦组织时：首次与之共建的组织）",
                                   "Organisations in their first joint activity (with a focus: their first with it)"),
    "timeline.new_ties": ("新建合作关系", "New ties"),
    "timeline.lost_ties": ("中断的合作关系", "Lost ties"),
    "timeline.lost_help": ("前 {window} 个时段有共建、本 {window} 个时段没有的合作关系",
                           "Ties active in the {window} periods before and not in these {window}"),
    "timeline.retention": ("伙伴留存", "Partner retention"),
    "timeline.retention_help": ("上一窗口有共建的组织中，本窗口仍有共建的比例",
                                "The share of the organisations active in the window before that are active in "
                                "this one"),
    "timeline.multiplex": ("新的多元关系", "Ties turning multiplex"),
    "timeline.ei": ("内外平衡（E-I）", "Inside/outside balance (E-I)"),
    "timeline.ei_help": ("E-I 指数：(外部关系 − 内部关系) / 全部关系；正值表示对外联系多于内部联系。",
                         "E-I index: (outside − inside ties) / all ties; above zero, more ties outward than inward."),
    "timeline.by_link": ("各时段、各联建类型的活动", "Activities per period and link"),
    "timeline.growth": ("伙伴与关系", "Partners and ties"),
    "timeline.balance": ("留存与内外平衡", "Retention and balance"),
    "timeline.count": ("数量", "Count"),
    "timeline.share": ("比例", "Share"),
    "timeline.c_activities": ("活动", "Activities"),
    "timeline.c_active": ("活跃组织", "Active"),
    "timeline.c_new_partners": ("新伙伴", "New partners"),
    "timeline.c_new_ties": ("新关系", "New ties"),
    "timeline.c_lost_ties": ("中断关系", "Lost ties"),
    "timeline.c_retention": ("伙伴留存", "Retention"),
    "timeline.c_ei": ("E-I 指数", "E-I index"),
    "timeline.c_multiplex_new": ("新多元关系", "New multiplex"),
    "timeline.trends": ("上升和减弱的伙伴", "Rising and fading partners"),
    "timeline.trends_help": ("趋势为各时段共建活动数的 Theil–Sen 斜率"
                             "（任意两个时段间变化率的中位数，不受个别大会影响），单位：每时段活动数。",
                             "The trend is the Theil–Sen slope of joint activities per period (the median of the "
                             "changes between every two periods, which one mass meeting hardly moves), in activities "
                             "per period."),
    "timeline.rising": ("上升最快", "Rising most"),
    "timeline.fading": ("减弱最多", "Fading most"),
    "timeline.no_trend": ("没有", "None"),
    "timeline.slope": ("趋势（每时段）", "Trend (per period)"),
    "timeline.series": ("各时段活动", "Activities per period"),
    "timeline.last_active": ("最近一次", "Last active"),
    "timeline.ranks": ("排名的变化", "How the rankings changed"),
    "timeline.ranks_need_two": ("至少需要两个时段", "This needs at least two periods"),
    "timeline.ranks_progress": ("正在计算各时段的排名", "Ranking each period"),
    "timeline.bump_help": ("最近一个时段排名前 {top} 的组织，在各时段（累计至该时段末）的综合共建指数名次",
                           "The top {top} of the latest period: their composite rank at the end of each period "
                           "(everything up to then)"),
    "timeline.from": ("起（时段 · 名次）", "From (period · rank)"),
    "timeline.to": ("至（时段 · 名次）", "To (period · rank)"),
    "timeline.climbed": ("上升名次", "Places climbed"),
    "timeline.climbers": ("上升最多", "Climbed most"),
    "timeline.fallers": ("下降最多", "Fell most"),
}

#: Message id → (中文, English). Read-only.
MESSAGES: MappingProxyType[str, tuple[str, str]] = MappingProxyType(_MESSAGES)


def t(key: str, lang: str = "zh", default: str | None = None, **values) -> str:
    """The message ``key`` in ``lang`` ("zh" or "en"), with ``{placeholders}`` filled from ``values``.

    An unknown key gives ``default`` (or the key itself), so a missing string never breaks a page;
    the tests check that every key the pages use exists.
    """
    pair = MESSAGES.get(key)
    if pair is None:
        return default if default is not None else key
    text = pair[1] if lang == "en" else pair[0]
    return text.format(**values) if values else text


def placeholders(text: str) -> set[str]:
    """The names of the ``{placeholders}`` in ``text``.

    >>> sorted(placeholders("{a} and {b}"))
    ['a', 'b']
    """
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}
