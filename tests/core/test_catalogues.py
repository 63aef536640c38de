"""The message catalogues are current: every string the code marks for translation has a
translation in 简体中文 and 繁體中文. Extraction needs GNU gettext (xgettext)."""

import shutil
from pathlib import Path

from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

from tests.conftest import require

LANGUAGES = ("zh_Hans", "zh_Hant")


SOURCES = ("hkhz_portal", "enterprises", "programs", "funds", "templates", "static", "locale")


def _untranslated(path: Path) -> list[str]:
    with path.open("rb") as handle:
        catalogue = read_po(handle)
    missing = []
    for message in catalogue:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
        if message.fuzzy or not all(strings):
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
    return missing


def test_every_marked_string_is_translated(tmp_path, monkeypatch):
    """Extract into a copy of the sources (makemessages merges what the catalogues already
    hold), then look for entries still empty or fuzzy."""
    require(shutil.which("xgettext") is not None, "GNU gettext (apt-get install gettext)")
    base = Path(settings.BASE_DIR)
    for name in SOURCES:
        if (base / name).exists():
            shutil.copytree(base / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    monkeypatch.chdir(tmp_path)
    with override_settings(LOCALE_PATHS=[tmp_path / "locale"]):
        call_command("makemessages", locale=list(LANGUAGES), no_obsolete=True, verbosity=0)
    problems = {}
    for language in LANGUAGES:
        missing = _untranslated(tmp_path / "locale" / language / "LC_MESSAGES" / "django.po")
        if missing:
            problems[language] = missing
    assert not problems, f"Untranslated strings (run `make messages` and translate them): {problems}"
