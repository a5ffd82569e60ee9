"""What the map pages share (vis-network's, :mod:`~cojian_graph.render.network_html`, and the WebGL one,
:mod:`~cojian_graph.render.webgl`)."""

from __future__ import annotations

#: The head of every map page: the Content-Security-Policy that allows only the page's scripts (by their
#: hashes), and the styles both pages use; each page adds its own and closes the head.
PAGE_HEAD = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src {script_hashes}; \
style-src 'unsafe-inline'; img-src data:; font-src data:; connect-src 'none'; base-uri 'none'; \
form-action 'none'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
html, body {{ margin: 0; padding: 0; font-family: {font}; color: #222; background: #fff; }}
h1 {{ font-size: 18px; font-weight: 600; margin: 8px 12px; }}
#wrap {{ position: relative; display: flex; align-items: flex-start; border-top: 1px solid #e5e5e5; }}
#network {{ position: relative; flex: 1 1 auto; min-width: 0; height: {height}; }}
#legend {{ flex: 0 0 auto; max-width: 32%; max-height: {height}; overflow: auto; background: #fff;
  border-left: 1px solid #eee; padding: 6px 10px; font-size: 12px; }}
.legend-heading {{ font-weight: 600; margin: 4px 0 2px; }}
.legend-item {{ display: flex; align-items: center; gap: 6px; line-height: 18px; }}
.swatch {{ display: inline-block; width: 12px; height: 12px; border-radius: 50%; border: 1px solid #555; }}
.symbol {{ display: inline-block; width: 14px; text-align: center; }}
.line {{ display: inline-block; width: 18px; height: 4px; border-radius: 2px; }}
.hint {{ color: #777; font-size: 12px; margin: 0 12px 6px; }}
.empty, .no-webgl {{ position: absolute; top: 40%; width: 100%; text-align: center; color: #777; }}
</style>
"""
