"""Rendering: layouts, styling, the self-contained network page and matplotlib images.

Nothing here imports matplotlib or streamlit at import time; :mod:`.images` imports matplotlib
inside its functions.
"""

from .layout import LAYOUTS, compute_layout, concentric_layout, force_layout
from .network_html import network_html
from .style import COLOR_BY, SIZE_BY, edge_styles, legend_entries, node_styles

__all__ = [
    "COLOR_BY",
    "LAYOUTS",
    "SIZE_BY",
    "compute_layout",
    "concentric_layout",
    "draw_network",
    "edge_styles",
    "force_layout",
    "legend_entries",
    "network_html",
    "node_styles",
    "write_image",
]


def __getattr__(name):  # images pull in matplotlib: import them only when asked for
    if name in ("draw_network", "write_image"):
        from . import images

        return getattr(images, name)
    raise AttributeError(name)
