"""Panels that apps add to the dashboard.

``hkhz_portal/`` never imports an app, so the dashboard cannot ask an app for its panel.
Instead each app registers its panels in its ``AppConfig.ready()``::

    from hkhz_portal.core import dashboard

    dashboard.register("enterprises", template="enterprises/_dashboard_panel.html", context=panel_context)

``context(user)`` returns the panel's data (a dict the template reads as ``panel``), or
``None`` to leave the panel out for that user. Panels show in ``order``, then by name.
Keep a context function's query count fixed: the dashboard is every user's first page.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    name: str
    template: str
    context: Callable[[object], dict | None]
    order: int = 100


@dataclass(frozen=True)
class ShownPanel:
    template: str
    context: dict


_panels: dict[str, Panel] = {}


def register(name: str, *, template: str, context: Callable[[object], dict | None], order: int = 100) -> None:
    """Add (or, under the same name, replace) a panel; ``ready()`` may run more than once."""
    _panels[name] = Panel(name=name, template=template, context=context, order=order)


def panels_for(user) -> list[ShownPanel]:
    """The panels this user sees, each with its data, in order."""
    shown = []
    for panel in sorted(_panels.values(), key=lambda p: (p.order, p.name)):
        context = panel.context(user)
        if context is not None:
            shown.append(ShownPanel(template=panel.template, context=context))
    return shown
