"""`make screenshots` keeps working: docs/screenshots.py starts its own demo server, finds the
demo's pages, and saves a small PNG of each (here one, to keep the suite quick)."""

from __future__ import annotations

import importlib.util
import re
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from supervision import ROOT

pytestmark = pytest.mark.browser


def _png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", header[16:24])
    return width, height


def test_the_screenshot_script_takes_the_readme_pictures(tmp_path: Path) -> None:
    script = ROOT / "docs" / "screenshots.py"
    done = subprocess.run(
        [sys.executable, str(script), "--out", str(tmp_path), "--only", "thread"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    shot = tmp_path / "thread.png"
    assert _png_size(shot) == (1280, 800)
    assert shot.stat().st_size < 150_000  # stored in 256 colours


def test_the_readme_shows_the_pictures_the_script_takes() -> None:
    spec = importlib.util.spec_from_file_location("screenshots", ROOT / "docs" / "screenshots.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["screenshots"] = module  # dataclasses look their module up there
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules["screenshots"]
    names = {shot.name for shot in module.SHOTS}
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert set(re.findall(r"docs/screenshots/([\w-]+)\.png", readme)) == names
    assert {path.stem for path in (ROOT / "docs" / "screenshots").glob("*.png")} == names
