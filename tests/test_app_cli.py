"""``cojian app``: the command line that starts the explorer (the Streamlit process is not started)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from cojian_graph.cli import app_cmd, main
from cojian_graph.cli.app_cmd import app_script

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(params=[True, False], ids=["exec", "subprocess"])
def calls(request, monkeypatch):
    """Record how Streamlit would be started: exec'd on POSIX, a subprocess on Windows."""
    seen = []
    cwd = []

    def fake_run(command, **kwargs):
        seen.append((command, kwargs))
        return subprocess.CompletedProcess(command, 0)

    def fake_execve(path, command, env):
        seen.append((command, {"cwd": cwd[-1], "env": env}))

    monkeypatch.setattr(app_cmd, "_can_exec", lambda: request.param)
    monkeypatch.setattr(subprocess, "run", fake_run)
    monkeypatch.setattr(os, "execve", fake_execve)
    monkeypatch.setattr(os, "chdir", lambda path: cwd.append(Path(path)))
    return seen


def test_app_runs_streamlit_on_the_ledger_with_the_projects_config(calls):
    result = CliRunner().invoke(main, ["app", str(ROOT / "data"), "--port", "8599"])
    assert result.exit_code == 0, result.output
    (command, kwargs), *_ = calls
    # Streamlit's own command line, behind the launcher that warms the imports (cojian_graph.serve)
    assert command[:5] == [sys.executable, "-m", "cojian_graph.serve", "run", str(ROOT / "app.py")]
    assert command[command.index("--server.port") + 1] == "8599"
    assert command[command.index("--browser.gatherUsageStats") + 1] == "false"
    assert command[command.index("--server.fileWatcherType") + 1] == "none"  # a service does not reload
    assert command[-2:] == ["--", str((ROOT / "data").resolve())]
    assert kwargs["cwd"] == ROOT  # Streamlit reads .streamlit/config.toml from the working directory
    assert "http://localhost:8599" in result.output


def test_app_listens_on_this_computer_only_unless_told(calls):
    CliRunner().invoke(main, ["app"])
    first = calls[0][0]
    CliRunner().invoke(main, ["app", "--address", "0.0.0.0"])
    second = calls[-1][0]
    assert first[first.index("--server.address") + 1] == "127.0.0.1"
    assert second[second.index("--server.address") + 1] == "0.0.0.0"


def test_uploads_are_limited_to_what_a_ledger_needs():
    import tomllib

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] == 100


def test_app_without_a_path_shows_the_bundled_ledger(calls):
    result = CliRunner().invoke(main, ["app"])
    assert result.exit_code == 0, result.output
    (command, _), *_ = calls
    assert "--" not in command and command[command.index("--server.port") + 1] == "8501"


def test_sign_in_and_guests_are_the_operators_choice_never_an_open_desk(calls):
    result = CliRunner().invoke(main, ["app", "--db", "sqlite:///x.sqlite", "--sign-in", "--anonymous"])
    assert result.exit_code == 0, result.output
    env = calls[-1][1]["env"]
    assert (env["COJIAN_SIGNIN"], env["COJIAN_ANONYMOUS"]) == ("1", "1")
    CliRunner().invoke(main, ["app", "--db", "sqlite:///x.sqlite", "--no-sign-in"])
    assert calls[-1][1]["env"]["COJIAN_SIGNIN"] == "0"
    # no sign-in on an address others can reach: refused, nothing started
    count = len(calls)
    result = CliRunner().invoke(main, ["app", "--db", "sqlite:///x.sqlite", "--no-sign-in", "--address", "0.0.0.0"])
    assert result.exit_code == 2 and "anyone could change the ledger" in result.output and len(calls) == count


@pytest.mark.parametrize("args", [["app", "no/such/ledger"], ["app", "data", "--port", "0"],
                                  ["app", "data", "--port", "http"]])
def test_bad_arguments_are_usage_errors(calls, args):
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 2 and calls == []


def test_a_failing_streamlit_passes_its_exit_code_on_windows(monkeypatch):
    monkeypatch.setattr(app_cmd, "_can_exec", lambda: False)
    monkeypatch.setattr(subprocess, "run", lambda command, **kwargs: subprocess.CompletedProcess(command, 3))
    assert CliRunner().invoke(main, ["app"]).exit_code == 3


def test_the_app_script_is_the_projects_app_py():
    assert app_script() == ROOT / "app.py" and app_script().is_file()


def test_usage_statistics_are_off_in_the_projects_config():
    import tomllib

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["browser"]["gatherUsageStats"] is False


def test_the_projects_config_keeps_page_runs_light_for_a_busy_server():
    """No source watching and no full garbage collection after each page run: both ran on every page
    of every session and held the server's interpreter (docs/performance.md)."""
    import tomllib

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["fileWatcherType"] == "none"
    assert config["runner"]["postScriptGC"] is False


def test_the_launcher_lets_the_event_loop_in_every_millisecond():
    code = ("import sys\nfrom cojian_graph import serve\nsys.argv = ['streamlit', '--version']\n"
            "try:\n    serve.main()\nexcept SystemExit:\n    pass\nprint(sys.getswitchinterval())")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert float(out.stdout.split()[-1]) == pytest.approx(0.001)


def test_the_launcher_is_streamlits_command_line():
    out = subprocess.run([sys.executable, "-m", "cojian_graph.serve", "--version"], capture_output=True,
                         text=True, check=True, cwd=ROOT)
    import streamlit

    assert out.stdout.strip() == f"Streamlit, version {streamlit.__version__}"


def test_the_warm_up_imports_what_the_first_page_needs_without_pyplot():
    code = (
        "import sys\n"
        "import threading\n"
        "from cojian_graph import warmup\n"
        "assert warmup.load() == []\n"
        "assert threading.active_count() == 1  # imported before any other thread could race it\n"
        "print(warmup.failed(), sorted(m for m in ('pandas', 'altair', 'networkx', 'igraph', 'streamlit',\n"
        "      'matplotlib.pyplot', 'cojian_graph.render.network_html') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == ("[] ['altair', 'cojian_graph.render.network_html', 'igraph', 'networkx', "
                                  "'pandas']")


def test_app_on_a_store_made_from_the_bundled_ledger_on_first_run(calls, tmp_path):
    from cojian_graph.store import Store

    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    for _ in range(2):  # the second start finds the store filled and imports nothing
        result = CliRunner().invoke(main, ["app", "--db", url, "--init-from", str(ROOT / "data")])
        assert result.exit_code == 0, result.output
    with Store(url) as store:
        assert store.revision == 1 and store.ledger().size("organizations") == 17
    command, kwargs = calls[-1]
    assert kwargs["env"]["COJIAN_DB"] == url and "--" not in command
    assert "initialised" in CliRunner().invoke(main, ["app", "--db", f"sqlite:///{tmp_path / 'b.sqlite'}",
                                                      "--init-from", str(ROOT / "data")]).output
    result = CliRunner().invoke(main, ["app", "--init-from", str(ROOT / "data")], env={"COJIAN_DB": ""})
    assert result.exit_code == 2 and "--init-from goes with --db" in result.output


def test_a_path_wins_over_a_store_named_in_the_environment(calls):
    result = CliRunner().invoke(main, ["app", str(ROOT / "data")], env={"COJIAN_DB": "sqlite:///nowhere.sqlite"})
    assert result.exit_code == 0, result.output
    _, kwargs = calls[-1]
    assert "COJIAN_DB" not in kwargs["env"]
