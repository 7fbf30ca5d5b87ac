"""The load test's users (``make load`` runs this headless through load.py).

Each simulated person logs in with their own seeded account, then mixes the key pages with
writes through the real forms (a post in a thread of their group; reviewers also annotate a
case, through the JSON endpoint the page's script uses, CSRF header included). Every write that
got a success response is recorded with the marker in its text, so load.py can count afterwards
that each acknowledged write is in the database.
"""

from __future__ import annotations

import itertools
import json
import os
import re

from locust import HttpUser, between, events, task

from tests.bench.scale.content import vignettes
from tests.bench.scale.pages import csrf_token, login_form
from tests.bench.scale.presets import PRESETS, WORLD, member_ids
from tests.bench.scale.rows import Ctx

SIZES = PRESETS[os.environ.get("LOAD_SIZE", "large")]
RUN = os.environ.get("LOAD_RUN", "run")  # the marker's prefix: this run's writes only
ACK_FILE = os.environ.get("LOAD_ACK_FILE", "/tmp/bench_load_acks.json")  # noqa: S108
VIGNETTES = vignettes()
ACKED: dict[str, list[str]] = {"posts": [], "annotations": []}
_counter = itertools.count(1)


def accounts() -> list[tuple[int, int, bool]]:
    """(user id, group index, reviews there): members 1, 3 and 4 of each group, distinct."""
    found = []
    for g in range(SIZES.groups):
        people = member_ids(SIZES, g)
        found += [(people[1], g, True), (people[3], g, False), (people[4], g, False)]
    seen: set[int] = set()
    return [a for a in found if not (a[0] in seen or seen.add(a[0]))]  # type: ignore[func-returns-value]


ACCOUNTS = iter(accounts())
CTX = Ctx(SIZES, VIGNETTES, "", 0, [], now=None)  # type: ignore[arg-type]  (ids only)


# Seconds each simulated person waits between requests (LOAD_THINK="low,high"). With 50 people
# the offered load is at most 50 / (mean wait + response time): 0.2-1.0 s can never offer more
# than about 80 requests/s, whatever the server does. The default, 0-0.1 s, measures what the
# server can take; a person reading a case waits far longer, so this is a capacity test.
THINK = tuple(float(x) for x in os.environ.get("LOAD_THINK", "0,0.1").split(","))


class Member(HttpUser):
    wait_time = between(*THINK)

    def on_start(self) -> None:
        self.user_id, self.group_index, self.reviewer = next(ACCOUNTS)
        form = login_form(lambda: self.client.get("/login").text, self.user_id)
        response = self.client.post("/login", data=form, allow_redirects=False)
        if response.status_code != 302:
            raise RuntimeError(f"login of {self.user_id}: {response.status_code}")
        self.csrf = csrf_token(self.client.get(self._thread_path(), name="thread").text)
        # Open shared cases of the group other than the hot one (ids derived, as in rows.py):
        # a closed case takes no new annotation, and the app rightly refuses one with a 403.
        self.cases = [
            c
            for c in range(SIZES.persona_cases + 1, SIZES.cases + 1)
            if CTX.group_of_case(c) == self.group_index
            and not CTX.is_draft(c)
            and not CTX.is_closed(c)
        ][:50]

    def _thread_path(self) -> str:
        first = self.group_index * SIZES.threads_per_group + 1
        thread = first + next(_counter) % SIZES.threads_per_group
        if thread == WORLD.long_thread_id:
            thread += 1
        return f"/discussions/{thread}"

    @task(3)
    def group_home(self) -> None:
        self.client.get(f"/groups/{self.group_index + 1}", name="group home")

    @task(2)
    def case_list(self) -> None:
        self.client.get(f"/groups/{self.group_index + 1}/cases", name="case list")

    @task(2)
    def my_cases(self) -> None:
        self.client.get("/cases/mine", name="my cases")

    @task(3)
    def case_page(self) -> None:
        if not self.cases:
            return
        case = self.cases[next(_counter) % len(self.cases)]
        self.client.get(f"/cases/{case}", name="case page")

    @task(2)
    def discussion_index(self) -> None:
        self.client.get(f"/groups/{self.group_index + 1}/discussions", name="discussion index")

    @task(3)
    def thread(self) -> None:
        self.client.get(self._thread_path(), name="thread")

    @task(2)
    def notifications(self) -> None:
        self.client.get("/notifications", name="notifications")

    @task(2)
    def post(self) -> None:
        marker = f"load-{RUN}-post-{self.user_id}-{next(_counter)}"
        path = self._thread_path()
        data = {"csrf_token": self.csrf, "body": f"{marker}: a reply during the load test."}
        with self.client.post(
            f"{path}/posts",
            data=data,
            allow_redirects=False,
            name="write: post",
            catch_response=True,
        ) as response:
            if response.status_code == 302:
                ACKED["posts"].append(marker)
                response.success()
            else:
                response.failure(f"post answered {response.status_code}")

    @task(1)
    def annotate(self) -> None:
        if not self.reviewer or not self.cases:
            return self.post()
        case = self.cases[next(_counter) % len(self.cases)]
        span = VIGNETTES[case % len(VIGNETTES)].spans[next(_counter) % 20]
        marker = f"load-{RUN}-note-{self.user_id}-{next(_counter)}"
        payload = {
            "revision": 1,
            "section": span.section,
            "start": span.start,
            "end": span.end,
            "exact": span.exact,
            "body": f"{marker}: noted during the load test.",
        }
        with self.client.post(
            f"/cases/{case}/annotations",
            data=json.dumps(payload),
            headers={"Content-Type": "application/json", "X-CSRFToken": self.csrf},
            name="write: annotation",
            catch_response=True,
        ) as response:
            if response.status_code == 201 and re.search(r'"ok":\s*true', response.text):
                ACKED["annotations"].append(marker)
                response.success()
            else:
                response.failure(f"annotation answered {response.status_code}")
        return None


@events.test_stop.add_listener
def _save_acks(**_kwargs: object) -> None:
    with open(ACK_FILE, "w", encoding="utf-8") as fh:
        json.dump(ACKED, fh)
