"""``python -m tests.bench.scale seed|measure|load|all`` (see docs/performance.md)."""

from __future__ import annotations

from tests.bench.scale.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
