"""Take the README's screenshots from the real pages of a freshly loaded demo workspace.

Starts its own demo server (development settings, a temporary SQLite database built by the real
migrations, the demo loaded, served from a thread), logs in as demo people with Debian's
Chromium driven by Playwright, saves each page as an optimized PNG in docs/screenshots/, and
stops the server. Run it with `make screenshots`:

    .venv/bin/python docs/screenshots.py [--port 5200] [--out docs/screenshots] [--only NAME...]
"""

from __future__ import annotations

import argparse
import io
import logging
import os
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask_migrate import upgrade
from PIL import Image
from playwright.sync_api import Page, sync_playwright
from sqlalchemy import select
from werkzeug.serving import make_server

from supervision import create_app
from supervision.demo.accounts import DEMO_PASSWORD
from supervision.demo.people import demo_email
from supervision.demo.workspace import build_workspace
from supervision.extensions import db
from supervision.models import Case, Review, ReviewStatus, Thread

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
DESKTOP = {"width": 1280, "height": 800}
SCROLL_TO_TOP_JS = "(el) => window.scrollTo(0, el.getBoundingClientRect().top + scrollY - 16)"
PHONE = {"width": 375, "height": 1000}  # a phone's width; tall enough for the author's desk


@dataclass(frozen=True)
class Shot:
    name: str  # docs/screenshots/<name>.png
    who: str  # the demo handle to log in as
    path: Callable[[dict[str, int]], str]  # the page, from the demo's ids
    viewport: dict[str, int]
    touch: bool = False
    # Scroll this element to the top of the window first (None: the top of the page).
    scroll_to: str | None = None


SHOTS = [
    Shot("case-page", "tomas", lambda ids: f"/cases/{ids['annotated_case']}", DESKTOP),
    Shot(
        "case-page-author-phone",
        "amara",
        lambda ids: f"/cases/{ids['annotated_case']}",
        PHONE,
        touch=True,
    ),
    Shot(
        "gate",
        "sam",
        lambda ids: f"/cases/{ids['draft_case']}/share",
        DESKTOP,
        scroll_to="h2:has-text('Possible identifiers')",
    ),
    Shot("review-form", "tomas", lambda ids: f"/reviews/{ids['draft_review']}/edit", DESKTOP),
    Shot("thread", "amara", lambda ids: f"/discussions/{ids['thread']}", DESKTOP),
]


@contextmanager
def demo_server(port: int) -> Iterator[tuple[str, dict[str, int]]]:
    """The app in development mode on a new SQLite database with the demo loaded, served on
    ``port`` from a thread; yields its URL and the ids of the pages to show."""
    with tempfile.TemporaryDirectory(prefix="attune-screenshots-") as tmp:
        os.environ.update(
            SUPERVISION_ENV="development",
            DATABASE_URL=f"sqlite:///{tmp}/demo.sqlite",
            SUPERVISION_RATELIMIT_ENABLED="0",  # one login per shot
        )
        app = create_app()
        with app.app_context():
            upgrade()  # the real migrations, as `make run` does
            build_workspace()
            db.session.commit()
            ids = demo_ids()
        server = make_server("127.0.0.1", port, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_port}", ids
        finally:
            server.shutdown()
            thread.join(timeout=10)


def demo_ids() -> dict[str, int]:
    """The ids of the pages to show, found by what the demo content says."""

    def case(start: str) -> int | None:
        return db.session.scalar(select(Case.id).where(Case.title.startswith(start)))

    ids = {
        "annotated_case": case("She went quiet"),
        "draft_case": case("A thank-you card"),
        "draft_review": db.session.scalar(
            select(Review.id).where(Review.status == ReviewStatus.DRAFT).order_by(Review.id)
        ),
        "thread": db.session.scalar(
            select(Thread.id).where(Thread.title.startswith("The urge to fix"))
        ),
    }
    missing = [name for name, value in ids.items() if value is None]
    if missing:
        raise SystemExit(f"The demo has no {', '.join(missing)}: update demo_ids in {__file__}.")
    return {name: value for name, value in ids.items() if value is not None}


def log_in(page: Page, base: str, handle: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("Email address").fill(demo_email(handle))
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
    if "/login" in page.url:
        raise SystemExit(f"Could not log in as {handle}.")


def optimized_png(png: bytes) -> bytes:
    """The screenshot in at most 256 colours: a third of the size, the text as crisp."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    small = image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    out = io.BytesIO()
    small.save(out, format="PNG", optimize=True)
    return out.getvalue()


def take(shots: list[Shot], base: str, ids: dict[str, int], out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    saved = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        try:
            for shot in shots:
                options: dict[str, Any] = {"viewport": shot.viewport, "reduced_motion": "reduce"}
                if shot.touch:
                    options.update(has_touch=True, is_mobile=True, device_scale_factor=1)
                context = browser.new_context(**options)
                page = context.new_page()
                log_in(page, base, shot.who)
                page.goto(f"{base}{shot.path(ids)}")
                page.wait_for_load_state("networkidle")
                if shot.scroll_to:
                    page.locator(shot.scroll_to).first.evaluate(SCROLL_TO_TOP_JS)
                target = out_dir / f"{shot.name}.png"
                target.write_bytes(optimized_png(page.screenshot()))
                saved.append(target)
                context.close()
        finally:
            browser.close()
    return saved


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0, help="server port (default: a free one)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--only", nargs="*", help="names of the shots to take (default: all)")
    args = parser.parse_args(argv)
    logging.disable(logging.INFO)  # neither each migration nor each request: only the files
    shots = [s for s in SHOTS if not args.only or s.name in args.only]
    with demo_server(args.port) as (base, ids):
        for path in take(shots, base, ids, args.out):
            print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}", end=" ")
            print(f"({path.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
