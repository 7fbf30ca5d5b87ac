"""The calibration pages in Chromium, checked by axe-core (WCAG 2.2 AA) on the demo workspace:
the peer circle's report as its facilitator and as a rater, a rater's feedback, the gold form,
the form for a new vignette, and a calibration vignette's page with its reviewers' agreement."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from browser_support import LiveSite, axe_violations, browser_app, chromium, open_page, serving

from supervision.demo.accounts import DEMO_PASSWORD
from supervision.demo.workspace import build_workspace, demo_email
from supervision.extensions import db
from supervision.models import Case

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Iterator[LiveSite]:
    with pytest.MonkeyPatch.context() as monkeypatch:
        app = browser_app(tmp_path_factory, worker_id, monkeypatch)
        with app.app_context():
            workspace = build_workspace()
            db.session.commit()
            app.config["TEST_PEER_GROUP"] = workspace.groups[1].id
            app.config["TEST_ROUND"] = db.session.scalars(
                db.select(Case.id).where(Case.is_calibration.is_(True)).order_by(Case.id)
            ).first()
        with serving(app) as base:
            yield LiveSite(base, app)


def test_calibration_pages_pass_axe(site: LiveSite) -> None:
    group, case = site.app.config["TEST_PEER_GROUP"], site.app.config["TEST_ROUND"]
    pages = {
        "elena": [
            f"/groups/{group}/calibration",
            f"/groups/{group}/calibration/new",
            f"/cases/{case}/calibration/gold",
            f"/cases/{case}/reviews/list",
        ],
        "tomas": [
            f"/groups/{group}/calibration",
            f"/cases/{case}/calibration/feedback",
            f"/cases/{case}",
        ],
    }
    problems: dict[str, list[str]] = {}
    errors: list[str] = []
    with chromium() as browser:
        for handle, paths in pages.items():
            context = browser.new_context()
            page: Any = open_page(context, site, demo_email(handle), "/", errors, DEMO_PASSWORD)
            for path in paths:
                response = page.goto(site.url(path))
                assert response is not None and response.status == 200, (handle, path)
                if found := axe_violations(page):
                    problems[f"{handle} {path}"] = found
            context.close()
    assert not problems, problems
    assert not errors, errors
