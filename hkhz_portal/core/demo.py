"""Demo data that apps add to ``manage.py seed_demo``.

``hkhz_portal/`` never imports an app, so each app registers its seeder in its
``AppConfig.ready()``::

    from hkhz_portal.core import demo

    demo.register_seeder("enterprises", seed_demo_enterprises, order=10)

``seed_demo`` first creates the demo units and users (``hkhz_portal.accounts.demo``), then
calls each seeder in ``order`` (then by name) with no arguments. A seeder adds only what is
missing, so running the command again changes nothing, and returns one line for the
command to print (what it created, what was already there).
"""

from collections.abc import Callable

_seeders: dict[str, tuple[int, Callable[[], str]]] = {}


def register_seeder(name: str, seeder: Callable[[], str], *, order: int = 100) -> None:
    """Add (or, under the same name, replace) a seeder; ``ready()`` may run more than once."""
    _seeders[name] = (order, seeder)


def seeders() -> list[Callable[[], str]]:
    """The registered seeders, in the order they run."""
    return [seeder for _name, (_order, seeder) in sorted(_seeders.items(), key=lambda item: (item[1][0], item[0]))]
