"""台账维护 Desk: record an activity, edit or delete a record, merge two organisations, edit many
records at once, import a workbook. Each is one change of the store, checked on the server (the
account's role, the readers' rules, the versions the editor saw); a conflict is shown field by field.

UI only: the edits are built and checked by ``cojian_graph.store``.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages import access, common
from app_pages.common import guard, lang, tr
from cojian_graph.appstate import UPLOAD_TYPES, escape_markdown, ledger_from_uploads, problems_table
from cojian_graph.errors import LedgerError
from cojian_graph.model import CIRCLES, KINDS, LINKS, ROLES, SECTORS, label_of
from cojian_graph.names import find_organizations, fold
from cojian_graph.schema import TABLES
from cojian_graph.store import ConflictError, Edit
from cojian_graph.store.desk import activity_edits, grid_edits, new_id

#: Columns chosen from a registry (shown by name, stored as ids).
CODED = {"kind": KINDS, "circle": CIRCLES, "sector": SECTORS, "link_type": LINKS, "role": ROLES}
#: What a new partner added on the spot starts as (the clerk changes what differs).
NEW_PARTNER = {"kind": "other", "circle": "external", "sector": "other"}
#: How many matches a picker offers at once (type more to narrow).
PICK_LIMIT = 200

st.title(tr("desk.title"))
st.caption(tr("desk.intro"))


def _flash(key: str, **values) -> None:
    st.session_state["_desk_flash"] = (key, values)


def _show_flash() -> None:
    flash = st.session_state.pop("_desk_flash", None)
    if flash:
        st.success(tr(flash[0], **flash[1]))
        if flash[0] == "desk.saved":
            st.page_link("app_pages/map.py", label=tr("desk.see_map"))


def _save(edits: list[Edit], note: str, action: str, *, base: dict | None = None) -> list | None:
    """Commit ``edits`` through the session's desk. Success: a message and a fresh page. A conflict:
    kept for the conflict view. Problems with the ledger: returned, to be shown beside the fields."""
    try:
        rev = access.desk().apply(edits, note=note, action=action)
    except ConflictError as error:
        st.session_state["_conflict"] = {"edits": edits, "note": note, "action": action, "base": base or {},
                                         "conflicts": error.conflicts}
        st.rerun()
    except LedgerError as error:
        return error.problems
    if rev is None:
        st.session_state["_desk_flash"] = ("desk.unchanged", {})
    else:
        _flash("desk.saved", rev=rev)
    return None


def _problems(problems, places: dict) -> None:
    """Each problem beside the field it concerns (``places``: (table, column) → container), the rest below."""
    language = lang()
    rest = []
    for problem in problems:
        place = places.get((problem.file, problem.column)) or places.get((problem.file, None))
        both = [f"{escape_markdown(problem.message_zh)} — {escape_markdown(problem.fix_zh)}",
                f"{escape_markdown(problem.message_en)} — {escape_markdown(problem.fix_en)}"]
        if place is not None:  # in both languages, the session's first
            place.error("\n\n".join(both if language == "zh" else both[::-1]))
        else:
            rest.append(problem)
    if rest:
        st.error(tr("error.ledger", count=len(rest)))
        st.dataframe(problems_table(LedgerError(rest), language), hide_index=True)


def _label(column: str, value: str, language: str) -> str:
    return label_of(CODED[column], value, language) if value else tr("desk.none")


# -- conflicts -------------------------------------------------------------------------------------


def _conflict_view(language: str) -> None:
    """Someone else changed a record this session was editing: each field with its value before,
    yours and theirs; choose per field, then save again on their version."""
    ss = st.session_state
    pending = ss.get("_conflict")
    if not pending:
        return
    with st.container(border=True):
        st.warning(tr("desk.conflict", count=len(pending["conflicts"])))
        choices = {}
        for index, conflict in enumerate(pending["conflicts"]):
            st.markdown(f"**{escape_markdown(conflict.table)} · {escape_markdown(' · '.join(conflict.key))}** — "
                        + tr("desk.conflict_versions", base=conflict.base_version,
                             now=conflict.current_version if conflict.current_version is not None else "—"))
            if conflict.current_version is None:
                st.info(tr("desk.conflict_gone"))
                continue
            base = pending["base"].get((conflict.table, tuple(conflict.key)), {})
            mine = [(field, yours, theirs) for field, yours, theirs in conflict.fields if yours is not None]
            st.dataframe(pd.DataFrame(
                [(field, base.get(field, ""), yours, theirs) for field, yours, theirs in mine],
                columns=[tr("desk.c_field"), tr("desk.c_before"), tr("desk.c_yours"), tr("desk.c_theirs")]),
                hide_index=True)
            for field, yours, theirs in mine:
                keep = st.radio(tr("desk.keep", field=field), ["yours", "theirs"], horizontal=True,
                                key=f"conflict_{index}_{field}",
                                format_func=lambda side, y=yours, t=theirs: tr(f"desk.keep_{side}",
                                                                                value=y if side == "yours" else t))
                choices[(conflict.table, tuple(conflict.key), field)] = yours if keep == "yours" else theirs
        cols = st.columns(2)
        if cols[0].button(tr("desk.save_choices"), type="primary", key="conflict_save"):
            edits = []
            versions = {(c.table, tuple(c.key)): c.current_version for c in pending["conflicts"]}
            for edit in pending["edits"]:
                where = (edit.table, tuple(edit.key))
                if where not in versions:
                    edits.append(edit)
                    continue
                if versions[where] is None:  # deleted by someone else: adding it again is a new record
                    if edit.values is not None:
                        edits.append(Edit(edit.table, edit.key, dict(edit.values), 0))
                    continue
                values = None if edit.values is None else {
                    field: choices.get((*where, field), value) for field, value in edit.values.items()}
                edits.append(Edit(edit.table, edit.key, values, versions[where]))
            ss.pop("_conflict", None)
            problems = _save(edits, pending["note"], pending["action"])
            if problems:
                _problems(problems, {})
            else:
                st.rerun()
        if cols[1].button(tr("desk.discard"), key="conflict_discard"):
            ss.pop("_conflict", None)
            st.rerun()


# -- record an activity ----------------------------------------------------------------------------


def _add_participant(key: str, picker: str) -> None:
    org = st.session_state.get(picker)
    if org and org not in st.session_state[key]:
        st.session_state[key].append(org)


def _remove_participant(key: str, org: str) -> None:
    st.session_state[key] = [other for other in st.session_state[key] if other != org]


def _add_new_organization(round_: int, known: set[str]) -> None:
    ss = st.session_state
    new = {column: str(ss.get(f"rec_new_{column}_{round_}", "") or "").strip()
           for column in TABLES["organizations"].column_names}
    if not new["id"] or not new["name"]:
        ss["_rec_new_error"] = tr("desk.new_org_needs")
        return
    if new["id"] in known or any(org["id"] == new["id"] for org in ss["_rec_new"]):
        ss["_rec_new_error"] = tr("desk.new_org_exists", id=new["id"])
        return
    ss["_rec_new"].append(new)
    ss[f"rec_parts_{round_}"].append(new["id"])
    ss["_rec_new_round"] = ss.get("_rec_new_round", 0) + 1  # empty fields for the next one


def _record_form(data, language: str) -> None:
    ss = st.session_state
    round_ = ss.setdefault("_rec_round", 0)  # raised after a save: every field starts empty again

    def key(name: str) -> str:
        return f"rec_{name}_{round_}"

    ss.setdefault("_rec_new", [])
    ss.setdefault(key("parts"), [])
    places = {}
    cols = st.columns(2)
    title = cols[0].text_input(tr("desk.f_title"), key=key("title"))
    places[("activities", "title")] = cols[0].empty()
    title_en = cols[1].text_input(tr("desk.f_title_en"), key=key("title_en"))
    link = cols[0].selectbox(tr("desk.f_link"), list(LINKS), key=key("link"),
                             format_func=lambda link_id: LINKS[link_id].text(language))
    places[("activities", "link_type")] = cols[0].empty()
    date = cols[1].text_input(tr("desk.f_date"), key=key("date"), placeholder="2024-05-20 · 2024年5月 · 2024")
    places[("activities", "date")] = cols[1].empty()
    description = st.text_area(tr("desk.f_description"), key=key("description"), height=80)
    cols = st.columns(2)
    outcome = cols[0].text_input(tr("desk.f_outcome"), key=key("outcome"))
    source = cols[1].text_input(tr("desk.f_source"), key=key("source"))
    suggested = new_id(data.activities["id"], link)
    activity_id = cols[0].text_input(tr("desk.f_id"), key=key("id"), placeholder=suggested,
                                     help=tr("desk.f_id_help", id=suggested))
    places[("activities", "id")] = cols[0].empty()

    st.markdown(f"**{tr('desk.participants')}**")
    pending = {org["id"]: org for org in ss["_rec_new"]}
    names = {**common.name_lookup(data, language),
             **{org: f"{new['name']}（{tr('desk.new')}）" for org, new in pending.items()}}
    cols = st.columns([2, 2, 1])
    search = cols[0].text_input(tr("desk.find"), key=key("find"), placeholder=tr("desk.find_placeholder"))
    matches = find_organizations(data, search) + [org for org in pending if not search or fold(search) in fold(org)
                                                  or fold(search) in fold(pending[org]["name"])]
    if len(matches) > PICK_LIMIT:
        cols[0].caption(tr("desk.more_matches", shown=PICK_LIMIT, count=len(matches)))
    cols[1].selectbox(tr("desk.pick"), matches[:PICK_LIMIT], key=key("pick"),
                      format_func=lambda org: names.get(org, org), index=None, placeholder=tr("desk.pick_placeholder"))
    cols[2].button(tr("desk.add"), key=key("add"), on_click=_add_participant, args=(key("parts"), key("pick")))
    roles = {}
    for org in ss[key("parts")]:
        row = st.columns([3, 2, 1])
        row[0].markdown(escape_markdown(names.get(org, org)))
        roles[org] = row[1].selectbox(tr("desk.f_role"), ["", *ROLES], key=key(f"role_{org}"),
                                      label_visibility="collapsed",
                                      format_func=lambda role: _label("role", role, language))
        row[2].button(tr("desk.remove"), key=key(f"remove_{org}"), on_click=_remove_participant,
                      args=(key("parts"), org))
    places[("participations", None)] = st.empty()

    with st.expander(tr("desk.new_org")):
        new_round = ss.get("_rec_new_round", 0)
        cols = st.columns(3)
        for position, column in enumerate(TABLES["organizations"].columns):
            where = cols[position % 3]
            label = column.zh if language == "zh" else column.en
            if column.name in CODED:  # a new partner is most often outside the company: sensible defaults
                options = list(CODED[column.name])
                where.selectbox(label, options, key=f"rec_new_{column.name}_{new_round}",
                                index=options.index(NEW_PARTNER.get(column.name, options[0])),
                                format_func=lambda value, c=column.name: _label(c, value, language))
            else:
                where.text_input(label, key=f"rec_new_{column.name}_{new_round}")
        st.button(tr("desk.add_org"), key=key("add_org"), on_click=_add_new_organization,
                  args=(new_round, set(data.organizations["id"])))
        error = ss.pop("_rec_new_error", None)
        if error:
            st.error(error)
        places[("organizations", None)] = st.empty()

    note = st.text_input(tr("desk.note"), key=key("note"))
    if st.button(tr("desk.save"), type="primary", key=key("save")):
        if not ss[key("parts")]:
            places[("participations", None)].error(tr("desk.needs_participants"))
            return
        activity = {"id": activity_id.strip() or suggested, "title": title, "title_en": title_en, "link_type": link,
                    "date": date, "description": description, "outcome": outcome, "source": source}
        edits = activity_edits(activity, roles, [org for org in ss["_rec_new"] if org["id"] in roles])
        problems = _save(edits, note, "record")
        if problems:
            _problems(problems, places)
            return
        ss["_rec_round"] = round_ + 1
        ss["_rec_new"] = []
        st.rerun()


# -- edit or delete one record ---------------------------------------------------------------------


def _activity_matches(data, search: str) -> list[str]:
    acts = data.activities
    wanted = fold(search)
    return [act for act, title, title_en in zip(acts["id"], acts["title"], acts["title_en"], strict=True)
            if not wanted or wanted in fold(act) or wanted in fold(title) or wanted in fold(title_en)]


def _find_records(data, language: str, prefix: str) -> tuple[str, list[str]]:
    """Which table (organisations or activities), a search in any spelling, and the ids it matches,
    at most :data:`PICK_LIMIT` (the caption says when there are more)."""
    table = st.radio(tr("desk.edit_what"), ["organizations", "activities"], horizontal=True, key=f"{prefix}_table",
                     format_func=lambda name: TABLES[name].zh if language == "zh" else TABLES[name].en)
    search = st.text_input(tr("desk.find"), key=f"{prefix}_find", placeholder=tr("desk.find_placeholder"))
    matches = find_organizations(data, search) if table == "organizations" else _activity_matches(data, search)
    if len(matches) > PICK_LIMIT:
        st.caption(tr("desk.more_matches", shown=PICK_LIMIT, count=len(matches)))
    return table, matches[:PICK_LIMIT]


def _edit_form(data, language: str) -> None:
    ss = st.session_state
    store = common._store(common.store_url())
    table, matches = _find_records(data, language, "edit")
    if table == "organizations":
        names = common.name_lookup(data, language)
    else:
        titles = dict(zip(data.activities["id"], data.activities["title"], strict=True))
        names = {act: f"{title} ({act})" for act, title in titles.items()}
    picked = st.selectbox(tr("desk.pick"), matches, key=f"edit_pick_{table}", index=None,
                          format_func=lambda record: names.get(record, record), placeholder=tr("desk.pick_placeholder"))
    if picked is None:
        return
    base = ss.get("_edit_base")
    if base is None or (base["table"], base["key"]) != (table, picked):
        found = store.record(table, (picked,))  # the version this form is based on, kept until it is saved
        if found is None:
            st.info(tr("desk.gone"))
            return
        base = ss["_edit_base"] = {"table": table, "key": picked, "fields": found[0], "version": found[1]}
    fields, version = base["fields"], base["version"]
    st.caption(tr("desk.editing", version=version))
    places = {}
    with st.form(f"edit_{table}_{picked}_{version}"):
        values = {}
        for column in TABLES[table].columns:
            if column.name == "id":
                continue
            label = column.zh if language == "zh" else column.en
            current = str(fields.get(column.name, ""))
            if column.name in CODED:
                options = list(CODED[column.name]) if column.required else ["", *CODED[column.name]]
                if current not in options:
                    options.append(current)
                values[column.name] = st.selectbox(label, options, index=options.index(current),
                                                   format_func=lambda v, c=column.name: _label(c, v, language))
            elif column.name == "description":
                values[column.name] = st.text_area(label, value=current, height=80)
            else:
                values[column.name] = st.text_input(label, value=current)
            places[(table, column.name)] = st.empty()
        note = st.text_input(tr("desk.note"))
        saved = st.form_submit_button(tr("desk.save_changes"), type="primary")
    if saved:
        changed = {name: value for name, value in values.items() if value != str(fields.get(name, ""))}
        if not changed:
            st.info(tr("desk.unchanged"))
            return
        problems = _save([Edit(table, (picked,), changed, version)], note, "edit",
                         base={(table, (picked,)): fields})
        if problems:
            _problems(problems, places)
            return
        ss.pop("_edit_base", None)
        st.rerun()
    with st.expander(tr("desk.delete")):
        confirm = st.checkbox(tr("desk.delete_confirm", name=escape_markdown(names.get(picked, picked))),
                              key=f"delete_confirm_{table}_{picked}")
        if st.button(tr("desk.delete"), disabled=not confirm, key=f"delete_{table}_{picked}"):
            edits = [Edit(table, (picked,), None, version)]
            if table == "activities":  # an activity goes with its participations
                parts = data.participations
                found = store.records("participations", [(picked, org) for org in
                                                         parts.loc[parts["activity_id"] == picked, "organization_id"]])
                edits = [Edit("participations", key, None, version) for key, (_, version) in found.items()] + edits
            problems = _save(edits, "", "delete", base={(table, (picked,)): fields})
            if problems:
                _problems(problems, {})
                return
            ss.pop("_edit_base", None)
            st.rerun()
    st.button(tr("desk.reload"), key="edit_reload", on_click=lambda: ss.pop("_edit_base", None))


# -- merge -------------------------------------------------------------------------------------------


def _merge_form(data, language: str) -> None:
    names = common.name_lookup(data, language)
    orgs = list(data.organizations["id"])
    st.caption(tr("desk.merge_help"))
    cols = st.columns(2)
    search = cols[0].text_input(tr("desk.find"), key="merge_find", placeholder=tr("desk.find_placeholder"))
    matches = find_organizations(data, search)[:PICK_LIMIT] if search else orgs[:PICK_LIMIT]
    keep = cols[0].selectbox(tr("desk.merge_keep"), matches, index=None, key="merge_keep",
                             format_func=lambda org: names.get(org, org), placeholder=tr("desk.pick_placeholder"))
    away = cols[1].selectbox(tr("desk.merge_away"), [org for org in matches if org != keep], index=None,
                             key="merge_away", format_func=lambda org: names.get(org, org),
                             placeholder=tr("desk.pick_placeholder"))
    note = st.text_input(tr("desk.note"), key="merge_note")
    if st.button(tr("desk.merge"), type="primary", disabled=not (keep and away), key="merge_go"):
        try:
            rev = access.desk().merge(keep, away, note=note)
        except ConflictError:
            st.warning(tr("desk.merge_conflict"))
            return
        except LedgerError as error:
            _problems(error.problems, {})
            return
        _flash("desk.saved", rev=rev)
        st.rerun()


# -- many at once ------------------------------------------------------------------------------------


def _bulk_form(data, language: str) -> None:
    """Several records of one table in a grid; saving makes one change of every edited row, based on
    the versions read when the grid was opened."""
    ss = st.session_state
    store = common._store(common.store_url())
    table, ids = _find_records(data, language, "bulk")
    opened = ss.get("_bulk_base")
    if opened is None or opened["table"] != table or opened["ids"] != ids:
        found = store.records(table, [(record,) for record in ids])  # the versions the grid is based on
        opened = ss["_bulk_base"] = {"table": table, "ids": ids,
                                     "rows": {record: found[(record,)] for record in ids if (record,) in found}}
    columns = TABLES[table].column_names
    frame = pd.DataFrame([{column: str(fields.get(column, "")) for column in columns}
                          for fields, _ in opened["rows"].values()], columns=columns)
    config = {"id": st.column_config.TextColumn(disabled=True)}
    for column in columns:
        if column in CODED:
            config[column] = st.column_config.SelectboxColumn(options=list(CODED[column]))
    edited = st.data_editor(frame, hide_index=True, column_config=config, key=f"bulk_{table}_{len(ids)}",
                            num_rows="fixed")
    note = st.text_input(tr("desk.note"), key="bulk_note")
    if st.button(tr("desk.save_changes"), type="primary", key="bulk_save"):
        edits = grid_edits(table, opened["rows"], edited.to_dict("records"))
        bases = {(table, edit.key): opened["rows"][edit.key[0]][0] for edit in edits}
        if not edits:
            st.info(tr("desk.unchanged"))
            return
        problems = _save(edits, note, "edit", base=bases)
        if problems:
            _problems(problems, {})
            return
        ss.pop("_bulk_base", None)
        st.rerun()


# -- import ------------------------------------------------------------------------------------------


def _import_form(language: str) -> None:
    ss = st.session_state
    st.caption(tr("desk.import_help"))
    with st.form("desk_import", clear_on_submit=True):
        files = st.file_uploader(tr("data.upload"), type=list(UPLOAD_TYPES), accept_multiple_files=True,
                                 label_visibility="collapsed")
        previewed = st.form_submit_button(tr("desk.preview"))
    if previewed:
        try:
            ledger = ledger_from_uploads([(file.name, file.getvalue()) for file in files or []])
            plan = access.desk().import_ledger(ledger, dry_run=True)
        except LedgerError as error:
            _problems(error.problems, {})
            return
        ss["_import"] = {"ledger": ledger, "plan": plan, "name": ", ".join(file.name for file in files)}
    pending = ss.get("_import")
    if not pending:
        return
    plan = pending["plan"]
    st.markdown(tr("desk.import_plan", name=escape_markdown(pending["name"])))
    st.dataframe(pd.DataFrame(
        [(TABLES[name].zh if language == "zh" else TABLES[name].en, plan.added[name], plan.changed[name],
          plan.deleted[name]) for name in TABLES],
        columns=[tr("desk.i_table"), tr("desk.i_added"), tr("desk.i_changed"), tr("desk.i_deleted")]),
        hide_index=True)
    if plan.empty:
        st.info(tr("desk.unchanged"))
        return
    note = st.text_input(tr("desk.note"), key="import_note")
    cols = st.columns(2)
    if cols[0].button(tr("desk.import"), type="primary", key="import_go"):
        done = access.desk().import_ledger(pending["ledger"], note=note)
        ss.pop("_import", None)
        _flash("desk.saved", rev=done.revision)
        st.rerun()
    if cols[1].button(tr("desk.cancel"), key="import_discard"):
        ss.pop("_import", None)
        st.rerun()


with guard():
    language = lang()
    if common.as_of() is not None:
        st.info(tr("desk.as_of", rev=common.as_of()))
        common.end_page()
    if not access.may_edit():
        st.info(tr("desk.read_only"))
        common.end_page()
    data = common.ledger()
    _show_flash()
    if st.session_state.get("_conflict"):  # resolve it (or discard the change) before anything else
        _conflict_view(language)
        common.end_page()
    sections = {"record": (tr("desk.tab_record"), _record_form), "edit": (tr("desk.tab_edit"), _edit_form),
                "merge": (tr("desk.tab_merge"), _merge_form), "bulk": (tr("desk.tab_bulk"), _bulk_form),
                "import": (tr("desk.tab_import"), _import_form)}
    # one section at a time, kept across reruns (a conflict shown above does not send the user back)
    section = st.segmented_control(tr("desk.section"), list(sections), key="desk_section", default="record",
                                   format_func=lambda name: sections[name][0], label_visibility="collapsed")
    st.divider()
    form = sections[section or "record"][1]
    if form is _import_form:
        form(language)
    else:
        form(data, language)
