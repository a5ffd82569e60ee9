"""The ``cojian`` command. Each subcommand lives in its own module and is imported only when run,
so that ``cojian rank`` does not pay for matplotlib or streamlit."""

from __future__ import annotations

import importlib
import sys

import click

__all__ = ["main"]

# command name → (module, attribute, one-line help shown by `cojian --help`)
COMMANDS: dict[str, tuple[str, str, str]] = {
    "validate": ("cojian_graph.cli.validate_cmd", "validate", "检查台账 Check a ledger and summarise it."),
    "synth": ("cojian_graph.cli.synth_cmd", "synth", "生成合成台账 Write a synthetic ledger."),
    "rank": ("cojian_graph.cli.rank_cmd", "rank", "排名 Rank organisations by collaboration centrality."),
    "stats": ("cojian_graph.cli.rank_cmd", "stats", "网络概况 Summarise the collaboration network."),
    "export": ("cojian_graph.cli.export_cmd", "export", "导出 Export the network as an image, page or file."),
    "timeline": ("cojian_graph.cli.timeline_cmd", "timeline", "时间 How the ecosystem grew, period by period."),
    "recommend": ("cojian_graph.cli.recommend_cmd", "recommend", "建议 Ties to deepen, organisations to approach."),
    "report": ("cojian_graph.cli.report_cmd", "report", "报告 Write the briefing as Word or PDF."),
    "app": ("cojian_graph.cli.app_cmd", "app", "浏览器 Open the explorer in a browser."),
    "template": ("cojian_graph.cli.validate_cmd", "template", "空白模板 Write the blank Excel template."),
    "db": ("cojian_graph.cli.db_cmd", "db", "台账库 The ledger store: init, import, export, log, revert."),
    "user": ("cojian_graph.cli.user_cmd", "user", "账号 The desk's accounts: add, passwd, role, list, remove."),
}


class LazyGroup(click.Group):
    def list_commands(self, ctx):
        return [name for name, (module, _, _) in COMMANDS.items() if importlib.util.find_spec(module)]

    def get_command(self, ctx, name):
        if name not in COMMANDS:
            return None
        module, attribute, _ = COMMANDS[name]
        try:
            return getattr(importlib.import_module(module), attribute)
        except ModuleNotFoundError:
            return None

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        """Click's main, with its errors shown as every command shows its own: "错误 error: …"."""
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            result = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.ClickException as error:
            if isinstance(error, click.UsageError) and error.ctx is not None:
                click.echo(error.ctx.get_usage(), err=True)
                click.echo(f"帮助 help: {error.ctx.command_path} -h\n", err=True)
            click.echo(f"错误 error: {error.format_message()}", err=True)
            sys.exit(error.exit_code)
        except click.Abort:
            click.echo("已取消 aborted", err=True)
            sys.exit(1)
        sys.exit(result if isinstance(result, int) else 0)

    def format_commands(self, ctx, formatter):
        rows = [(name, COMMANDS[name][2]) for name in self.list_commands(ctx)]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="cojian-graph")
def main():
    """cojian：党建共建台账的网络分析 — party-building co-construction ledgers as networks.

    A ledger (共建台账) is a folder of three CSV files, an Excel workbook or a JSON file.
    """
