"""Component styles for widgets that draw rich Text themselves."""

from __future__ import annotations

from rich.style import Style
from textual.widget import Widget


def foreground_style(widget: Widget, component: str) -> Style:
    """A component's colour and text style without its background, so a row or line keeps its own.

    The full style has colours like ``$text-muted`` blended with the background (they are
    translucent); the partial one has the text style (bold, underline) as set in CSS.
    """
    full = widget.get_component_rich_style(component)
    return widget.get_component_rich_style(component, partial=True) + Style(color=full.color)
