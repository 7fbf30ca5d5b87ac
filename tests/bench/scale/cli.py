"""``python -m tests.bench.scale`` commands.

- ``seed --size S``: load a world into ``bench_<S>`` (PostgreSQL) or ``instance/bench_<S>.sqlite``.
- ``measure --size S``: time the key pages of a seeded world under gunicorn.
- ``bench``: seed and measure each size (BENCH_SIZE; on PostgreSQL small then large, so the
  growth is reported), print the table, write ``instance/bench/scale.json``.
- ``profile --page P``: a cProfile of one key page (in-process) on a seeded world.
- ``load``: the locust run on the large world (load.py), seeded first unless it already is.

``BENCH_REUSE=1`` measures an already seeded world again instead of seeding it afresh.

The database: ``BENCH_DATABASE_URL`` or ``TEST_DATABASE_URL`` names the server; on PostgreSQL
each size gets its own database ``bench_<size>`` on it (never the test database itself).
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

from tests.bench.scale import report
from tests.bench.scale.measure import measure_pages, scanner_throughput
from tests.bench.scale.pages import PAGES
from tests.bench.scale.presets import PRESETS
from tests.bench.scale.queries import profile_page
from tests.bench.scale.seed import bench_app, is_seeded, seed, served_settings
from tests.bench.scale.server import REPO, serving

OUTPUT = REPO / "instance" / "bench" / "scale.json"


def server_url() -> str:
    return os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL") or ""


def is_postgres(url: str) -> bool:
    return url.startswith(("postgresql", "postgres://"))


def database_url(size: str) -> str:
    url = server_url()
    if is_postgres(url):
        parsed = make_url(url.replace("postgres://", "postgresql://", 1))
        return parsed.set(database=f"bench_{size}").render_as_string(hide_password=False)
    return f"sqlite:///{REPO / 'instance' / f'bench_{size}.sqlite'}"


def default_sizes() -> list[str]:
    if chosen := os.environ.get("BENCH_SIZE"):
        return [s.strip() for s in chosen.split(",") if s.strip()]
    return ["small", "large"] if is_postgres(server_url()) else ["small"]


def run_size(size: str, n: int, reseed: bool) -> dict[str, Any]:
    url = database_url(size)
    result: dict[str, Any] = {"size": size, "database": make_url(url).get_backend_name()}
    if reseed and os.environ.get("BENCH_REUSE") == "1" and is_seeded(url, PRESETS[size]):
        print(f"==> Reusing the seeded {size} world (BENCH_REUSE=1)", flush=True)
    elif reseed:
        print(f"==> Seeding the {size} world ({url.split('@')[-1]})", flush=True)
        result["seed"] = seed(url, PRESETS[size])
        print(
            f"    {result['seed']['total_rows']:,} rows in {result['seed']['seconds']['total']} s"
        )
    print(f"==> Measuring the {size} world: {n} requests per page and per bare route", flush=True)
    with serving(url) as base:
        result["pages"] = measure_pages(base, url, n=n)
    result["machine"] = report.machine()
    return result


def bench(sizes: list[str], n: int, reseed: bool, output: Path) -> dict[str, Any]:
    runs = {size: run_size(size, n, reseed) for size in sizes}
    small = runs.get("small", {}).get("pages")
    for size, run in runs.items():
        report.judge(run["pages"], small if size == "large" else None)
    results = {"runs": runs, "scanner": scanner_throughput()}
    for size, run in runs.items():
        print(
            f"\n{size} ({run['database']}), {run['machine']['measured_at']}, "
            f"load average {run['machine']['load_average']}"
        )
        print(report.table(run["pages"]))
    print("\n" + report.scanner_lines(results["scanner"]))
    report.write(output, results)
    print(f"\nJSON: {output}")
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.bench.scale")
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("seed", "measure", "bench"):
        command = sub.add_parser(name)
        command.add_argument("--size", action="append", choices=sorted(PRESETS))
        command.add_argument("--requests", type=int, default=int(os.environ.get("BENCH_N", 200)))
        command.add_argument("--output", type=Path, default=OUTPUT)
    profile = sub.add_parser("profile", help="cProfile one key page, in-process")
    profile.add_argument("--size", default=os.environ.get("BENCH_SIZE", "large"))
    profile.add_argument("--page", default="case_page", choices=[p.name for p in PAGES])
    load = sub.add_parser("load")
    load.add_argument("--size", default=os.environ.get("BENCH_SIZE", "large"))
    load.add_argument("--users", type=int, default=int(os.environ.get("LOAD_USERS", 50)))
    load.add_argument("--seconds", type=int, default=int(os.environ.get("LOAD_SECONDS", 60)))
    load.add_argument("--seed", action="store_true", help="seed the world first")
    args = parser.parse_args(argv)
    if args.command == "load":
        from tests.bench.scale.load import run_load

        url = database_url(args.size)
        reseed = args.seed or not is_seeded(url, PRESETS[args.size])
        return run_load(url, args.size, args.users, args.seconds, reseed)
    if args.command == "profile":
        page = next(p for p in PAGES if p.name == args.page)
        print(profile_page(bench_app(database_url(args.size), **served_settings()), page))
        return 0
    sizes = args.size or default_sizes()
    if args.command == "seed":
        for size in sizes:
            print(seed(database_url(size), PRESETS[size]))
        return 0
    bench(sizes, args.requests, reseed=args.command == "bench", output=args.output)
    return 0
