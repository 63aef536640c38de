"""Benchmark the staff enterprise directory at a realistic volume.

    python bench/directory.py [--enterprises 5000] [--repeat 30]

Seeds enterprises with valid USCCs (bulk_create) into a throwaway SQLite database in a temporary
folder, unless DATABASE_URL names another database (then the seeded rows, all with references
starting ``BEN-``, are removed at the end). Requests the directory through Django's test client as
a program officer with two-factor authentication, for each page size and for searches, and prints
a Markdown table: median and p90 time, SQL queries per request, rows shown, and the ratio to a
baseline page (the landing page) measured in the same run.
"""

import argparse
import os
import platform
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)  # the project, not bench/ (whose queue.py would shadow the standard library)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hkhz_portal.settings.dev")
os.environ.setdefault("DEBUG", "false")  # measure what production runs, not the debug page machinery
EXTERNAL_DB = "DATABASE_URL" in os.environ
if not EXTERNAL_DB:
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp(prefix='hkhz-bench-')}/bench.sqlite3"

import django  # noqa: E402
import opencc  # noqa: E402

django.setup()

from allauth.account.models import EmailAddress  # noqa: E402
from allauth.mfa.totp.internal.auth import TOTP  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from enterprises.choices import HangzhouDistrict, Headcount, Kind, Residency, Sector, Stage  # noqa: E402
from enterprises.identifiers import USCC_ALPHABET, make_uscc  # noqa: E402
from enterprises.models import Enterprise  # noqa: E402
from hkhz_portal.accounts.models import Unit, User  # noqa: E402
from hkhz_portal.accounts.roles import Role, UnitKind  # noqa: E402
from hkhz_portal.accounts.services import assign_role  # noqa: E402
from tests.totp import totp_code  # noqa: E402

PASSWORD = "bench-only-password-1"  # noqa: S105 (a throwaway database)
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105

PREFIX = "BEN-"
SECTOR_WEIGHTS = {
    Sector.BIOPHARMA: 30,
    Sector.MEDICAL_DEVICES: 15,
    Sector.AI_DATA: 14,
    Sector.ICT_SEMICONDUCTORS: 10,
    Sector.NEW_MATERIALS: 7,
    Sector.GREEN_ENERGY: 7,
    Sector.FINTECH: 6,
    Sector.ADVANCED_MANUFACTURING: 8,
    Sector.OTHER: 3,
}
# Pinyin and characters side by side, so a firm's two names say the same thing.
WORDS = [
    ("Xihu", "西湖"),
    ("Qiantang", "钱塘"),
    ("Binjiang", "滨江"),
    ("Yunqi", "云栖"),
    ("Zhijiang", "之江"),
    ("Liangzhu", "良渚"),
    ("Tianmu", "天目"),
    ("Jinsha", "金沙"),
    ("Hengyuan", "恒远"),
    ("Ruixin", "瑞鑫"),
    ("Kangtai", "康泰"),
    ("Huaxin", "华新"),
    ("Bochuang", "博创"),
    ("Zhiyuan", "致远"),
    ("Tongxin", "同心"),
    ("Mingde", "明德"),
    ("Jiahe", "嘉禾"),
    ("Shengshi", "盛世"),
]
TRADES = {
    Sector.BIOPHARMA: ("Biopharmaceutical", "生物医药"),
    Sector.MEDICAL_DEVICES: ("Medical Technology", "医疗科技"),
    Sector.AI_DATA: ("Intelligent Technology", "智能科技"),
    Sector.ICT_SEMICONDUCTORS: ("Microelectronics", "微电子"),
    Sector.NEW_MATERIALS: ("New Materials", "新材料"),
    Sector.GREEN_ENERGY: ("New Energy", "新能源"),
    Sector.FINTECH: ("Financial Technology", "金融科技"),
    Sector.ADVANCED_MANUFACTURING: ("Intelligent Equipment", "智能装备"),
    Sector.OTHER: ("Technology", "科技"),
}


def org_body(n: int) -> str:
    """Eight USCC-alphabet characters, unique per n: "BN" and n in base 31."""
    digits = ""
    for _ in range(6):
        n, r = divmod(n, 31)
        digits = USCC_ALPHABET[r] + digits
    return "BN" + digits


def seed(count: int, rng: random.Random) -> None:
    sectors, weights = zip(*SECTOR_WEIGHTS.items(), strict=True)
    districts = list(HangzhouDistrict)
    rows = []
    for i in range(count):
        sector = rng.choices(sectors, weights)[0]
        roll = rng.random()
        kind = Kind.MAINLAND if roll < 0.8 else Kind.HONG_KONG if roll < 0.95 else Kind.OVERSEAS
        (w1, z1), (w2, z2) = rng.sample(WORDS, 2)
        trade_en, trade_zh = TRADES[sector]
        mainland = kind == Kind.MAINLAND
        district = rng.choice(districts) if mainland else ""
        if mainland:
            name_en, name_zh = (
                f"Hangzhou {w1}{w2.lower()} {trade_en} Co., Ltd. {i}",
                f"杭州{z1}{z2}{trade_zh}有限公司{i}",
            )
        else:
            name_en, name_zh = f"{w1} {w2} {trade_en} Limited {i}", f"{z1}{z2}{trade_zh}有限公司{i}"
        enterprise = Enterprise(
            reference=f"{PREFIX}2026-{i + 1:05d}",
            legal_name_en=name_en,
            legal_name_zh=name_zh,
            kind=kind,
            uscc=make_uscc("9", "1", district.value if district else "330106", org_body(i)) if mainland else None,
            hk_br=f"{80000000 + i}" if kind == Kind.HONG_KONG else None,
            district=district,
            city="Hangzhou" if mainland else "Hong Kong",
            sector=sector,
            stage=rng.choice(list(Stage)),
            headcount=rng.choice(list(Headcount)),
            data_residency=Residency.MAINLAND if mainland else Residency.HONG_KONG,
        )
        enterprise.refresh_search_names()  # as the profile services do; bulk_create bypasses them
        rows.append(enterprise)
    Enterprise.objects.bulk_create(rows, batch_size=500)


def officer(unit: Unit | None = None, role: Role = Role.PROGRAM_OFFICER) -> User:
    """A staff member of ``role`` in ``unit`` (a program officer of the bench's platform unit by
    default), with a verified address and TOTP, to sign in with ``sign_in``."""
    user = User.objects.create_user(f"bench-{role.replace('_', '-')}-{os.getpid()}@bench.invalid", PASSWORD)
    if unit is None:
        unit, _ = Unit.objects.get_or_create(
            code="bench-platform",
            defaults={"kind": UnitKind.PLATFORM, "name_en": "Bench", "name_zh_hans": "基准", "name_zh_hant": "基準"},
        )
    assign_role(user, role, unit=unit, actor=None)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    TOTP.activate(user, TOTP_SECRET)
    return user


def sign_in(user) -> Client:
    """Sign the officer in as a person does: password, then a code from the authenticator app
    (staff pages need a session that passed the second factor)."""
    client = Client(HTTP_HOST="localhost")
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302, ("password refused", response.status_code)
    response = client.post(response.url, {"code": totp_code(TOTP_SECRET)})
    assert response.status_code == 302, ("second factor refused", response.status_code)
    return client


def request_times(client, scenarios, repeat, *, warmed=None) -> dict[str, list[float]]:
    """``{label: [ms, …]}``: every scenario ``(label, path, params)`` requested ``repeat`` times,
    round-robin, so that a busy neighbour on the machine slows all of them alike, after three
    warm-up requests each (then ``warmed()``, if given)."""
    for _label, path, params in scenarios:
        for _ in range(3):  # warm caches: templates, translations, the database's pages
            response = client.get(path, params)
            assert response.status_code == 200, (path, params, response.status_code)
    if warmed is not None:
        warmed()
    times = {label: [] for label, _path, _params in scenarios}
    for _ in range(repeat):
        for label, path, params in scenarios:
            start = time.perf_counter()
            client.get(path, params)
            times[label].append((time.perf_counter() - start) * 1000)
    return times


def measure(client, scenarios, repeat):
    """Time every scenario (``request_times``); then count one request's queries apart from the
    timed ones."""
    times = request_times(client, scenarios, repeat)
    results = []
    for label, path, params in scenarios:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path, params)
        html = response.content.decode()
        count = re.search(r'<p class="result-count"[^>]*>\s*([\d,]+)', html)
        results.append(
            (
                label,
                {
                    "median": statistics.median(times[label]),
                    "p90": statistics.quantiles(times[label], n=10)[-1],
                    "queries": len(queries),
                    "rows": html.count(f'href="/staff/enterprises/{PREFIX}') if count else "",
                    "matches": count.group(1) if count else "",
                },
            )
        )
    return results


def measure_queue(client, scenarios, repeat, *, row_href: str) -> dict:
    """Time every scenario of a staff queue (``request_times``), then count one request's queries,
    its rows (links starting ``row_href``) and the matches it says it found (capped or not)."""
    times = request_times(client, scenarios, repeat)
    results = {}
    for label, url, params in scenarios:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, params)
        html = response.content.decode()
        count = re.search(r'<p class="result-count"[^>]*>\s*((?:More than )?[\d,]+)', html) or re.search(
            r"<p>(\d+)</p>", html
        )
        results[label] = {
            "median": statistics.median(times[label]),
            "p95": statistics.quantiles(times[label], n=20)[-1],
            "queries": len(queries),
            "rows": html.count(f'href="{row_href}'),
            "matches": count.group(1) if count else "",
        }
    return results


def database_description() -> str:
    if connection.vendor == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}" + ("" if EXTERNAL_DB else " (temporary file)")
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        return cursor.fetchone()[0].split(",")[0]


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enterprises", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    rng = random.Random(2026)

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    seed(args.enterprises, rng)
    user = officer()
    seeded = time.perf_counter() - started
    client = sign_in(user)

    sample = Enterprise.objects.filter(reference__startswith=PREFIX, kind=Kind.MAINLAND).order_by("?").first()
    zh_fragment = sample.legal_name_zh[2:6]  # e.g. "西湖云栖": matches many firms, as a real search would
    traditional = opencc.OpenCC("s2hk").convert(zh_fragment)  # "西湖雲棲": should match the same firms
    directory = reverse("enterprise_directory")
    scenarios = [
        ("Baseline: landing page", "/", {}),
        ("Directory, 25 rows", directory, {"per_page": 25}),
        ("Directory, 50 rows", directory, {"per_page": 50}),
        ("Directory, 100 rows", directory, {"per_page": 100}),
        ("Directory, 100 rows, page 20", directory, {"per_page": 100, "page": 20}),
        ("Filter sector + stage, 100 rows", directory, {"sector": "biopharma", "stage": "growth", "per_page": 100}),
        (f"Search Chinese name “{zh_fragment}”", directory, {"q": zh_fragment}),
        (f"Search it in Traditional “{traditional}”", directory, {"q": traditional}),
        ("Search by USCC", directory, {"q": sample.uscc}),
        ("Search English “photonics” (no match)", directory, {"q": "photonics"}),
    ]
    load_before = os.getloadavg()[0]
    results = measure(client, scenarios, args.repeat)
    baseline = results[0][1]["median"]

    print(f"## Directory benchmark: {args.enterprises:,} enterprises, {args.repeat} requests per row\n")
    print(
        f"Machine: {os.cpu_count()} CPUs ({cpu_model()}), Python {platform.python_version()}, "
        f"Django {django.get_version()}, {database_description()}. Seeding and migrating took {seeded:.1f} s; "
        f"load average {load_before:.1f} before the timed requests, {os.getloadavg()[0]:.1f} after.\n"
    )
    print("| request | matches | rows | median ms | p90 ms | queries | × baseline |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for label, r in results:
        print(
            f"| {label} | {r['matches']} | {r['rows']} | {r['median']:.1f} | {r['p90']:.1f} | {r['queries']} | "
            f"{r['median'] / baseline:.2f} |"
        )
    directory_queries = {r["queries"] for label, r in results if label.startswith("Directory")}
    print(f"\nQueries per directory request across page sizes: {sorted(directory_queries)}")
    by_label = dict(results)
    rows_25, rows_100 = by_label["Directory, 25 rows"], by_label["Directory, 100 rows"]
    simplified = next(r for label, r in results if label.startswith("Search Chinese name"))
    traditional = next(r for label, r in results if label.startswith("Search it in Traditional"))
    print(
        f"directory25_median_ms={rows_25['median']:.1f} directory100_median_ms={rows_100['median']:.1f} "
        f"baseline_median_ms={baseline:.1f} ratio25={rows_25['median'] / baseline:.2f} "
        f"ratio100={rows_100['median'] / baseline:.2f} queries={','.join(map(str, sorted(directory_queries)))} "
        f"simplified_matches={simplified['matches']} traditional_matches={traditional['matches']}"
    )

    if EXTERNAL_DB:
        Enterprise.objects.filter(reference__startswith=PREFIX).delete()
        user.delete()
    return 0 if len(directory_queries) == 1 else 1


if __name__ == "__main__":
    sys.exit(main())
