"""Who is using the explorer and what they may do: the single local user, a signed-in account, or a
guest; the sign-in form, the session cookie, the account in the sidebar.

- On a file ledger the explorer only reads: no accounts.
- On a store served on this machine only (``make run``, ``cojian app`` bound to 127.0.0.1), the
  person at the machine is its single user and may do everything; changes carry their login name.
- On a store served on any other address, or with ``COJIAN_SIGNIN=1``, everyone signs in with an
  account of the store (``cojian user add``); with ``COJIAN_ANONYMOUS=1`` guests may read.

What a page shows is a convenience; the check that counts is made by :class:`~cojian_graph.store.desk.Desk`
on the server when a change is made.
"""

from __future__ import annotations

import getpass
import json
import os

import streamlit as st

from app_pages import common
from app_pages.common import tr
from cojian_graph.appstate import escape_markdown
from cojian_graph.store.accounts import ROLES, Account, Accounts, Policy, SignInError
from cojian_graph.store.desk import Desk

#: The cookie that keeps a sign-in across page reloads (it holds the session token; the store keeps
#: only the token's hash).
COOKIE = "cojian_session"
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def mode() -> str:
    """"file" (a file ledger: read only), "local" (a store, served on this machine only), "signin"
    (accounts of the store with passwords) or "sso" (the company's single sign-on, ``COJIAN_AUTH=sso``)."""
    if common.store_url() is None or st.session_state.get("uploaded_ledger") is not None:
        return "file"
    if os.environ.get("COJIAN_AUTH") == "sso":
        return "sso"
    forced = os.environ.get("COJIAN_SIGNIN")
    if forced in ("0", "1"):  # the operator's choice (0: no sign-in, for a machine nobody else reaches)
        return "signin" if forced == "1" else "local"
    return "local" if str(st.get_option("server.address") or "") in LOOPBACK else "signin"


def anonymous_allowed() -> bool:
    return os.environ.get("COJIAN_ANONYMOUS") == "1"


@st.cache_resource(show_spinner=False)
def _accounts(url: str) -> Accounts:
    hours = float(os.environ.get("COJIAN_SESSION_HOURS") or Policy.session_hours)
    return Accounts(common._store(url), policy=Policy(session_hours=hours))


def accounts() -> Accounts:
    return _accounts(common.store_url())


def _token() -> str | None:
    """This session's token: the one it signed in with, else the cookie the browser sent."""
    ss = st.session_state
    if "_token" in ss:
        return ss["_token"]
    value = st.context.cookies.get(COOKIE)
    return value if isinstance(value, str) else None


def account() -> Account | None:
    """Who is using this session (None: nobody signed in, or a file ledger)."""
    current = mode()
    if current == "file":
        return None
    if current == "local":
        return Account(_local_user(), "admin")
    if current == "sso":
        name = _sso_name()
        role = accounts().role_of(name, sso=True) if name else None
        if role is not None:
            return Account(name, role)
        return Account(tr("access.guest"), "viewer") if anonymous_allowed() else None
    found = accounts().account_of(_token())
    if found is None and anonymous_allowed():
        return Account(tr("access.guest"), "viewer")
    return found


def _local_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "local"


def may_edit() -> bool:
    found = account()
    return found is not None and found.may("editor")


def desk() -> Desk:
    """The desk for this session's signed-in account (never a guest's: a guest's display name could
    be an account's); every change it makes is checked again on the server."""
    current = mode()
    store = common._store(common.store_url())
    if current == "local":
        return Desk(store, None, _local_user())
    name = None
    if current == "sso":
        name = _sso_name()
    elif current == "signin":
        found = accounts().account_of(_token())
        name = found.name if found is not None else None
    if not name:
        raise SignInError(tr("access.sign_in_first"))
    return Desk(store, accounts(), name, sso=current == "sso")


def _sso_name() -> str | None:
    """The identity the single sign-on gave this browser (its e-mail address, else its subject)."""
    if not st.user.is_logged_in:
        return None
    return str(st.user.get("email") or st.user.get("sub") or "") or None


def _sso_gate() -> bool:
    if account() is not None and not (anonymous_allowed() and st.session_state.get("_want_sign_in")):
        return True
    st.title(tr("access.title"))
    if "auth" not in st.secrets:
        st.error(tr("access.sso_unconfigured"))
        return False
    name = _sso_name()
    if name is None:
        st.button(tr("access.sso_sign_in"), type="primary", on_click=st.login, key="sso_sign_in")
    else:  # signed in at the company, but without an account in this store
        st.warning(tr("access.sso_no_account", name=escape_markdown(name)))
        st.code(f"cojian user add {name} --sso --role viewer --db {common._safe_url(common.store_url())}",
                language="bash")
        st.button(tr("access.sign_out"), on_click=st.logout, key="sso_sign_out")
    return False


def gate() -> bool:
    """Whether the page may be shown; draws the sign-in form instead when someone must sign in."""
    if mode() == "sso":
        return _sso_gate()
    _write_cookie()
    if mode() != "signin":
        return True
    ss = st.session_state
    if accounts().account_of(_token()) is not None:
        ss.pop("_want_sign_in", None)
        return True
    if anonymous_allowed() and not ss.get("_want_sign_in"):
        return True
    sign_in_form()
    return False


def sign_in_form() -> None:
    st.title(tr("access.title"))
    if not accounts().has_admin():
        st.warning(tr("access.no_admin"))
        st.code(f"cojian user add NAME --role admin --db {common._safe_url(common.store_url())}", language="bash")
    with st.form("sign_in", border=True):
        name = st.text_input(tr("access.name"), key="signin_name")
        password = st.text_input(tr("access.password"), type="password", key="signin_password")
        submitted = st.form_submit_button(tr("access.sign_in"), type="primary")
    if submitted and not (name.strip() and password):  # Enter in the name field sends the form: no attempt
        st.info(tr("access.fill_both"))
    elif submitted:
        try:
            token = accounts().sign_in(name, password)
        except SignInError as error:
            st.error(escape_markdown(error))
        else:
            st.session_state["_token"] = token
            st.session_state["_cookie"] = token
            st.session_state.pop("signin_password", None)
            st.rerun()


def sign_out() -> None:
    accounts().sign_out(_token())
    st.session_state["_token"] = None
    st.session_state["_cookie"] = ""


def _write_cookie() -> None:
    """Store (or clear) the session cookie in the browser, once, after a sign-in or sign-out."""
    token = st.session_state.pop("_cookie", None)
    if token is None:
        return
    max_age = 0 if not token else int(accounts().policy.session_hours * 3600)
    st.html(f"<script>document.cookie = {json.dumps(COOKIE)} + '=' + {json.dumps(token)} + "
            f"'; path=/; max-age={max_age}; SameSite=Strict' + "
            "(location.protocol === 'https:' ? '; Secure' : '');</script>", unsafe_allow_javascript=True)


def sidebar() -> None:
    """Who is signed in, their role, and signing out (or in, for a guest)."""
    current = mode()
    if current == "file":
        return
    found = account()
    language = common.lang()
    if found is None:
        return
    role = ROLES.get(found.role, (found.role, found.role))[0 if language == "zh" else 1]
    st.caption(tr("access.signed_in", name=escape_markdown(found.name), role=role))
    if current == "sso":
        if _sso_name() is not None:
            st.button(tr("access.sign_out"), on_click=st.logout, key="sign_out")
        elif anonymous_allowed():
            st.button(tr("access.sign_in"), on_click=_ask_sign_in, key="sign_in_guest")
    if current == "signin":
        signed_in = accounts().account_of(_token()) is not None
        if signed_in:
            st.button(tr("access.sign_out"), on_click=sign_out, key="sign_out")
        elif anonymous_allowed():
            st.button(tr("access.sign_in"), on_click=_ask_sign_in, key="sign_in_guest")


def _ask_sign_in() -> None:
    st.session_state["_want_sign_in"] = True
