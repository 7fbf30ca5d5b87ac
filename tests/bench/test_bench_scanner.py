"""Scanner throughput (`make bench`), in MB/s of vignette text.

Timing lives here, not in the suite: a busy machine stalls a timed test at random. The text is
the labelled held-out set, which ships with the repository, so this runs from a fresh clone; the
shared development set (../shared/deid/dev.jsonl) is measured too when it sits beside the clone.
Each prints its MB/s (best and mean round) and warns below the 1.5 MB/s target.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest

from supervision.deid import scan

pytestmark = pytest.mark.bench

REPO = Path(__file__).resolve().parents[2]
SETS = {
    "heldout": REPO / "tests" / "deid" / "heldout.jsonl",
    "dev": REPO.parent / "shared" / "deid" / "dev.jsonl",
}
MIN_MB_PER_S = 1.5  # the target: the scanner runs on every save of a case


def _texts(path: Path) -> list[str]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line)["text"] for line in fh if line.strip()]


def _scan_all(texts: list[str]) -> int:
    return sum(len(scan(t)) for t in texts)


@pytest.mark.parametrize("name", sorted(SETS))
def test_bench_scanner_throughput(benchmark, name: str) -> None:
    path = SETS[name]
    if not path.is_file():
        pytest.skip(f"{path} not found: the shared data sits beside the clone only on dev machines")
    texts = _texts(path)
    chars = sum(map(len, texts))
    benchmark(_scan_all, texts)
    # The fastest round is the scanner's own speed; slower ones measure the machine's load.
    best = chars / benchmark.stats.stats.min / 1e6
    mean = chars / benchmark.stats.stats.mean / 1e6
    benchmark.extra_info.update(characters=chars, best_mb_per_s=round(best, 2))
    print(f"\nscanner on {name}: {chars} chars, best {best:.2f} MB/s, mean {mean:.2f} MB/s")
    if best < MIN_MB_PER_S:
        # Reported, not failed: on a loaded machine even the fastest round can be slow, and a
        # benchmark that fails at random is as useless as the timed test it replaces.
        warnings.warn(
            f"scanner throughput {best:.2f} MB/s on {name} is below the {MIN_MB_PER_S} MB/s "
            "target (is the machine busy? compare the mean)",
            stacklevel=1,
        )
