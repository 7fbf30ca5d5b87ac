"""Long threads and long lists: the kept counters stay right through every write, pages walk
keyset links (no OFFSET, no count per page), and old links still land on their post."""

from __future__ import annotations

import re
from typing import Any

from discussion_support import Browser, fresh, in_request, make_world, new_thread, post_ids, reply
from flask import Flask
from sqlalchemy import select, update

from supervision.counters import recount_all
from supervision.discussions import services
from supervision.discussions.listing import NEW_CAP, THREADS_PER_PAGE
from supervision.discussions.panel import POSTS_PER_PAGE
from supervision.extensions import db
from supervision.models import Post, Thread


def _counters(thread_id: int) -> tuple[int, int, int | None, Any]:
    thread = fresh(Thread, thread_id)
    return thread.post_count, thread.visible_post_count, thread.first_post_id, thread.last_post_at


def _numbers(thread_id: int) -> list[int]:
    return list(
        db.session.scalars(select(Post.number).where(Post.thread_id == thread_id).order_by(Post.id))
    )


def test_the_services_keep_the_counters_and_a_recount_agrees(
    app: Flask, make_user: Any, make_group: Any
) -> None:
    w = make_world(make_user, make_group)
    thread = new_thread(w.group, w.author)
    first = db.session.scalar(select(Post).where(Post.thread_id == thread.id))
    second = reply(thread, w.supervisor, "A second view.")
    third = reply(thread, w.reader, "A third view.", to=second)
    assert _counters(thread.id)[:3] == (3, 3, first.id)
    assert _numbers(thread.id) == [1, 2, 3]
    latest = fresh(Post, third.id).created_at

    in_request(lambda: services.edit_post(fresh(Post, second.id), w.supervisor, "Changed.", 1))
    assert _counters(thread.id) == (3, 3, first.id, latest)

    in_request(lambda: services.hide_post(fresh(Post, third.id), w.facilitator, "Identifying."))
    count, visible, _, last = _counters(thread.id)
    assert (count, visible) == (3, 2)
    assert last == fresh(Post, second.id).created_at  # a hidden post is not activity
    # Hiding it again only changes the reason.
    in_request(lambda: services.hide_post(fresh(Post, third.id), w.facilitator, "Still so."))
    assert _counters(thread.id)[:2] == (3, 2)
    in_request(lambda: services.unhide_post(fresh(Post, third.id)))
    assert _counters(thread.id) == (3, 3, first.id, latest)

    in_request(lambda: services.remove_post(fresh(Post, second.id)))
    assert _counters(thread.id)[:2] == (3, 2)
    # Hidden, then removed by its author, then shown again: it stays out of the count.
    in_request(lambda: services.hide_post(fresh(Post, third.id), w.facilitator, "Identifying."))
    in_request(lambda: services.remove_post(fresh(Post, third.id)))
    in_request(lambda: services.unhide_post(fresh(Post, third.id)))
    kept = _counters(thread.id)
    assert kept[:2] == (3, 1)
    fourth = reply(thread, w.author, "After all that.")
    assert fresh(Post, fourth.id).number == 4
    kept = _counters(thread.id)
    assert kept[:3] == (4, 2, first.id)

    # A bulk load around the services leaves counters behind; the recount sets them again.
    db.session.execute(
        update(Thread)
        .where(Thread.id == thread.id)
        .values(post_count=0, visible_post_count=9, first_post_id=None)
    )
    db.session.execute(update(Post).where(Post.thread_id == thread.id).values(number=0))
    recount_all(db.session)
    db.session.commit()
    assert _counters(thread.id) == kept
    assert _numbers(thread.id) == [1, 2, 3, 4]


def _long_thread(w: Any, posts: int) -> tuple[Thread, list[int]]:
    thread = new_thread(w.group, w.supervisor, body="Post 1.")
    writers = [w.supervisor, w.author, w.facilitator]

    def write() -> None:
        for n in range(2, posts + 1):
            services.add_post(thread, writers[n % 3], f"Post {n}.")

    in_request(write)
    ids = list(
        db.session.scalars(select(Post.id).where(Post.thread_id == thread.id).order_by(Post.id))
    )
    return thread, ids


def _links(page: str) -> dict[str, str]:
    nav = page[page.find('<nav class="pagination" aria-label="Pages">') :]
    nav = nav[: nav.find("</nav>")]
    return {
        label: href.replace("&amp;", "&")
        for href, label in re.findall(r'href="([^"]+)"[^>]*>([^<]+)</a>', nav)
    }


def test_a_long_thread_pages_by_keyset_links_and_old_links_still_land(
    app: Flask, make_user: Any, make_group: Any
) -> None:
    w = make_world(make_user, make_group)
    total = 2 * POSTS_PER_PAGE + 5
    thread, ids = _long_thread(w, total)
    robin = Browser(app, w.reader)
    path = f"/discussions/{thread.id}"

    first = robin.text(path)
    assert post_ids(first) == ids[:POSTS_PER_PAGE]
    links = _links(first)
    assert set(links) == {"Later posts", "Latest posts"}
    assert links["Later posts"] == f"{path}?after={ids[POSTS_PER_PAGE - 1]}"
    assert links["Latest posts"] == f"{path}?page=3"

    later = robin.text(links["Later posts"])
    assert post_ids(later) == ids[POSTS_PER_PAGE : 2 * POSTS_PER_PAGE]
    assert f'<a href="#post-{ids[POSTS_PER_PAGE]}">#{POSTS_PER_PAGE + 1}</a>' in later
    links = _links(later)
    assert set(links) == {"First posts", "Earlier posts", "Later posts", "Latest posts"}
    assert post_ids(robin.text(links["Earlier posts"])) == ids[:POSTS_PER_PAGE]

    latest = robin.text(f"{path}?page=3")
    assert post_ids(latest) == ids[2 * POSTS_PER_PAGE :]
    assert set(_links(latest)) == {"First posts", "Earlier posts"}
    # Walking on past the last post shows nothing more, and says so by having no links on.
    assert post_ids(robin.text(f"{path}?after={ids[-1]}")) == []
    assert robin.status(f"{path}?page=4") == 404

    # An old numbered link, and a link to one post, land on the page that holds it.
    assert post_ids(robin.text(f"{path}?page=2")) == ids[POSTS_PER_PAGE : 2 * POSTS_PER_PAGE]
    target = ids[POSTS_PER_PAGE + 3]
    response = robin.get(f"/discussions/posts/{target}")
    assert response.headers["Location"].endswith(f"{path}?page=2#post-{target}")

    # A new post lands on the last page, and the link to it says so.
    response = robin.post(f"{path}/posts", {"body": "My own reading."})
    assert response.status_code == 302
    assert response.headers["Location"].startswith(f"{path}?page=3#post-")


def test_new_counts_are_capped_and_follow_the_read_mark(
    app: Flask, make_user: Any, make_group: Any
) -> None:
    w = make_world(make_user, make_group)
    thread, ids = _long_thread(w, NEW_CAP + 5)
    robin = Browser(app, w.reader)
    index = robin.text(f"/groups/{w.group.id}/discussions")
    assert f">{NEW_CAP}+ new<" in index
    assert f'href="/discussions/posts/{ids[0]}"' in index  # the first new post
    robin.text(f"/discussions/{thread.id}")  # reads the first page
    index = robin.text(f"/groups/{w.group.id}/discussions")
    assert f">{NEW_CAP + 5 - POSTS_PER_PAGE} new<" in index
    assert f'href="/discussions/posts/{ids[POSTS_PER_PAGE]}"' in index
    # A hidden post is not new, and not counted.
    in_request(lambda: services.hide_post(fresh(Post, ids[-1]), w.facilitator, "Identifying."))
    index = robin.text(f"/groups/{w.group.id}/discussions")
    assert f">{NEW_CAP + 4 - POSTS_PER_PAGE} new<" in index


def test_the_group_list_pages_by_keyset_links(app: Flask, make_user: Any, make_group: Any) -> None:
    w = make_world(make_user, make_group)
    threads = [new_thread(w.group, w.author, title=f"Thread {n}") for n in range(35)]
    pinned = threads[3]
    in_request(lambda: services.set_pinned(fresh(Thread, pinned.id), True))
    robin = Browser(app, w.reader)
    path = f"/groups/{w.group.id}/discussions"

    def listed(page: str) -> list[int]:
        return [int(n) for n in re.findall(r'class="card thread-row" id="thread-(\d+)"', page)]

    order = [pinned.id] + [t.id for t in reversed(threads) if t.id != pinned.id]
    first = robin.text(path)
    assert listed(first) == order[:THREADS_PER_PAGE]
    links = _links(first)
    assert set(links) == {"Earlier activity"}
    second = robin.text(links["Earlier activity"])
    assert listed(second) == order[THREADS_PER_PAGE:]
    links = _links(second)
    assert set(links) == {"Latest activity", "More recent"}
    assert listed(robin.text(links["More recent"])) == order[:THREADS_PER_PAGE]
    # A thread of another group as the mark is ignored: the first page.
    assert listed(robin.text(f"{path}?after=999999")) == order[:THREADS_PER_PAGE]
