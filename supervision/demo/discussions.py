"""Demo discussions: a case's own thread in each group, a pinned thread of ground rules, a
"reply before you read" thread, mentions, an edited post and a post a facilitator hid.

Written through the same services members use, then spread over the past fortnight so the
lists look lived in (a case's own discussion begins after the case was shared: see CASE_DAYS in
demo/cases.py). Every person and every clinical detail is invented.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import select, update

from supervision.demo.people import DemoWorkspace
from supervision.discussions import services
from supervision.discussions.case_threads import open_case_thread
from supervision.extensions import db
from supervision.models import Case, Notification, Post, Thread

ROSA = "@Dr. Rosa Lindqvist (demo)"
TOMAS = "@Tomás Ferreira (demo)"
AMARA = "@Amara Osei (demo)"
JUN = "@Jun Park (demo)"
SAM = "@Sam Whitford (demo)"
NOOR = "@Noor Haddad (demo)"
ELENA = "@Elena Marković (demo)"


@dataclass(frozen=True)
class DemoPost:
    key: str
    author: str
    body: str
    reply_to: str | None = None  # the key of the post it answers
    hours_later: float = 3.0  # after the previous post
    edited_to: str | None = None  # the author's later wording
    hidden_reason: str | None = None  # hidden by the group's facilitator, with this reason


@dataclass(frozen=True)
class DemoThread:
    group: int  # 0: the supervision group, 1: the peer circle
    title: str | None  # None: the discussion of the case whose title starts with `case`
    days_ago: float  # its first post, in days before the load
    posts: tuple[DemoPost, ...]
    case: str | None = None
    pinned: bool = False
    reply_before_read: bool = False
    extra: dict[str, str] = field(default_factory=dict)


DEMO_THREADS: tuple[DemoThread, ...] = (
    DemoThread(
        group=0,
        title="How we use this space (please read first)",
        days_ago=13,
        pinned=True,
        posts=(
            DemoPost(
                "rules",
                "rosa",
                "Welcome to our discussion space. A few agreements, the same ones we keep in the "
                "room on Thursdays:\n\n"
                "- **Nothing that could identify a client.** Case material goes in a case, which "
                "passes the anonymization check first. Here we talk about practice.\n"
                "- **Curiosity before advice.** Ask what the moment was like before saying what "
                "you would have done.\n"
                "- **Formative, not evaluative.** Nobody is being scored in these threads.\n"
                "- **Say when something lands badly.** Ruptures happen between colleagues too; "
                "we repair them here the way we hope to with clients.\n\n"
                "If I hide a post, I will always say why, and it is never a judgement of you.",
            ),
            DemoPost(
                "rules-amara",
                "amara",
                "Thank you, Rosa. The second one is the one I most need written down. My "
                "instinct when someone brings something hard is to reassure them straight away.",
                reply_to="rules",
                hours_later=5,
            ),
            DemoPost(
                "rules-jun",
                "jun",
                "Could we add: it is fine to post a half-formed thought? I sometimes wait until I "
                'have the "right" question and then never post.',
                hours_later=20,
            ),
            DemoPost(
                "rules-rosa",
                "rosa",
                f"Yes, {JUN}, gladly. Half-formed thoughts are often where supervision starts. "
                "Consider it added.",
                reply_to="rules-jun",
                hours_later=2,
            ),
        ),
    ),
    DemoThread(
        group=0,
        title=None,
        case="She went quiet",
        days_ago=9,
        posts=(
            DemoPost(
                "quiet-tomas",
                "tomas",
                "Amara, thank you for bringing this with the dialogue. What strikes me most is "
                "the line *\"It's not that you're wrong. It's that it was mine to say.\"* She is "
                "telling you something about pace and about ownership, and you heard both.\n\n"
                "I am curious about the week in between. You said you rehearsed what to say. "
                "What did the rehearsing feel like?",
            ),
            DemoPost(
                "quiet-amara",
                "amara",
                f"{TOMAS} honestly, it felt like preparing to apologise to my own parents. I "
                "wanted to get it perfectly right so that she wouldn't be hurt again, which I "
                "can see now was also about me not wanting to feel I had hurt her.",
                reply_to="quiet-tomas",
                hours_later=6,
            ),
            DemoPost(
                "quiet-jun",
                "jun",
                "This helps me with my own case. I also noticed that you didn't over-explain in "
                "session eight. One sentence naming it, one owning it, then you followed her.",
                hours_later=14,
                edited_to=(
                    "This helps me with my own case. I also noticed that you didn't over-explain "
                    "in session eight. One sentence naming it, one owning it, then you followed "
                    "her.\n\n"
                    '*Edit:* and you let her laugh. "You might be waiting a while" could easily '
                    "have been met with reassurance, and you didn't rush to it."
                ),
            ),
            DemoPost(
                "quiet-sam",
                "sam",
                'Could you have named it in the moment? I wonder if something like "I may have '
                'jumped ahead there" would have been gentle enough, or whether she needed the '
                "week.",
                hours_later=4,
            ),
            DemoPost(
                "quiet-rosa",
                "rosa",
                f"{SAM} that is exactly the question Amara asked us, so thank you for staying "
                "with it. Both can be right. Naming it in the moment shows you are tracking "
                "her; waiting gave her a session that was hers. What I would look for is "
                "whether the withdrawal was deepening (shorter answers, the clock) or settling. "
                f"{AMARA} what did you see in those last minutes?",
                reply_to="quiet-sam",
                hours_later=9,
            ),
        ),
    ),
    DemoThread(
        group=0,
        title='Before Thursday: your first thirty seconds after "Maybe"',
        days_ago=4,
        reply_before_read=True,
        posts=(
            DemoPost(
                "maybe-q",
                "rosa",
                "A small exercise before we meet. Read the moment in Amara's case up to her "
                'client\'s "Maybe." and write what you would have said or done in the next '
                "thirty seconds, including silence.\n\n"
                "This thread is set to *reply before you read*: you will see the others' answers "
                "once you have posted yours, so each first instinct is your own.",
            ),
            DemoPost(
                "maybe-tomas",
                "tomas",
                'Probably nothing at first. A slower breath, and then something like "Maybe... '
                'or maybe I got ahead of you there?" I would want to hand the link back to her '
                "rather than defend it.",
                hours_later=7,
            ),
            DemoPost(
                "maybe-amara",
                "amara",
                "Knowing what I know now: let the silence sit, and when she changed the subject, "
                "follow her to the boiler without pulling her back. Then name it at the end.",
                hours_later=11,
            ),
        ),
    ),
    DemoThread(
        group=0,
        title="The urge to fix, and what to do with it",
        days_ago=6,
        posts=(
            DemoPost(
                "fix-sam",
                "sam",
                "I keep noticing an urge to *do* something when a client is in pain: a technique, "
                "a reframe, a worksheet. Afterwards I often feel I took something away from "
                "them. How do others hold that urge without freezing up?",
            ),
            DemoPost(
                "fix-hidden",
                "sam",
                "For example, this week my client, who teaches at the primary school on the "
                "corner of her street, cried about her daughter's diagnosis and I immediately "
                "started talking about support groups.",
                hours_later=1,
                hidden_reason=(
                    "This gave details that could identify a client (her workplace and her "
                    "daughter's diagnosis). Sam, the question is a good one: please share the "
                    "moment again as a case, where the anonymization check can help."
                ),
            ),
            DemoPost(
                "fix-tomas",
                "tomas",
                "Sam, I recognise this so well. What helped me was noticing *where* the urge "
                "lands in my body and treating it as information about the client's pain, not "
                'as an instruction. Sometimes I say it aloud: "I notice I want to make this '
                "better for you, and I'm not sure that's what you need right now.\"",
                reply_to="fix-sam",
                hours_later=8,
            ),
            DemoPost(
                "fix-jun",
                "jun",
                f"{TOMAS} that sentence is lovely. I am going to borrow it. It says you are "
                "moved without making the client look after your feelings.",
                reply_to="fix-tomas",
                hours_later=16,
            ),
        ),
    ),
    DemoThread(
        group=1,
        title=None,
        case="A client ended by email",
        days_ago=8,
        posts=(
            DemoPost(
                "email-elena",
                "elena",
                "Noor, thank you for trusting the circle with an ending that is still open for "
                "you. The shame after a big disclosure is such a recognisable marker, and it is "
                "so often followed by exactly this kind of clean exit.\n\n"
                "On your first question: I think your one reply did what it needed to. It said "
                "the door was open without asking him to walk through it.",
            ),
            DemoPost(
                "email-tomas",
                "tomas",
                "I would consider one short letter after a few weeks, but only if it is truly "
                "for him: something that normalises the wish to leave after being seen, with no "
                "question he has to answer. If I noticed I was writing it to ease my own hurt, "
                "I would not send it.",
                hours_later=10,
            ),
            DemoPost(
                "email-noor",
                "noor",
                f"{TOMAS} that distinction is the one I could not make on my own. I think the "
                "letter I wanted to write was mostly for me. Maybe the one I could write is three "
                "lines long.",
                reply_to="email-tomas",
                hours_later=5,
            ),
            DemoPost(
                "email-jun",
                "jun",
                f'{NOOR} about the last ten minutes: you said "we can go as slowly with it as '
                'you need", which is kind and right. I wonder whether naming the feeling itself '
                '("turned inside out" can be a frightening place to leave someone) might have '
                "given the shame somewhere to go before the week.",
                hours_later=20,
            ),
            DemoPost(
                "email-elena-2",
                "elena",
                f"{JUN} yes. Not to fix it, just to say it is normal to feel exposed after "
                f"sharing something like that. {NOOR}, would you like to bring the three-line "
                "letter to our next meeting?",
                reply_to="email-jun",
                hours_later=3,
            ),
        ),
    ),
    DemoThread(
        group=1,
        title="Reading together: rupture markers in our own sessions",
        days_ago=3,
        posts=(
            DemoPost(
                "reading-elena",
                "elena",
                "For our next circle I suggest we each bring one moment where we *missed* a "
                "withdrawal marker at first: minimal answers, a topic shift, too-quick "
                "agreement. Not the repair, just the noticing. What made it hard to see?",
            ),
            DemoPost(
                "reading-noor",
                "noor",
                'Mine is too-quick agreement. I hear "Yes, that makes sense" as a sign that we '
                "are aligned, and only later realise it was the client closing a door politely.",
                reply_to="reading-elena",
                hours_later=6,
            ),
            DemoPost(
                "reading-tomas",
                "tomas",
                f'{NOOR} same. I have started asking "and what doesn\'t quite fit?" after an '
                "agreement that comes too easily. Not every time, just when my body says "
                "something went flat.",
                reply_to="reading-noor",
                hours_later=26,
            ),
        ),
    ),
    DemoThread(
        group=1,
        title="Do you write a second letter after an unplanned ending?",
        days_ago=1.5,
        reply_before_read=True,
        posts=(
            DemoPost(
                "letter-q",
                "elena",
                "Prompted by Noor's case, a quick poll for independent opinions: after a client "
                "ends by message and does not answer your reply, do you ever write a second "
                "time? When, and what would it say?\n\n"
                "Reply before you read is on, so we don't all just agree with whoever posts first.",
            ),
            DemoPost(
                "letter-noor",
                "noor",
                "Rarely. If I did, a month later, three lines: thanks for the work, the door "
                "stays open, no reply needed.",
                hours_later=4,
            ),
        ),
    ),
)


def _case_by_title(cases: list[Case], start: str) -> Case:
    return next(case for case in cases if case.title.startswith(start))


def load_demo_discussions(workspace: DemoWorkspace) -> list[Thread]:
    """Add the demo threads (flushes; the caller commits)."""
    cases = list(db.session.scalars(select(Case).where(Case.is_demo.is_(True))))
    return [_load_thread(spec, workspace, cases) for spec in DEMO_THREADS]


def _load_thread(spec: DemoThread, workspace: DemoWorkspace, cases: list[Case]) -> Thread:
    users = workspace.users
    group = workspace.groups[spec.group]
    facilitator = next(m.user for m in group.memberships if m.role.value == "facilitator")
    first, *rest = spec.posts
    if spec.case is not None:
        thread = open_case_thread(_case_by_title(cases, spec.case))
        rest = list(spec.posts)
    else:
        assert spec.title is not None
        author = users[first.author]
        thread = services.create_thread(
            group, author, spec.title, first.body, reply_before_read=spec.reply_before_read
        )
    thread.is_demo = True
    thread.is_pinned = spec.pinned
    thread.reply_before_read = spec.reply_before_read
    posts: dict[str, Post] = {}
    if spec.case is None:
        posts[first.key] = db.session.scalar(
            select(Post).where(Post.thread_id == thread.id).order_by(Post.id)
        )
    for item in rest:
        posts[item.key] = services.add_post(
            thread, users[item.author], item.body, posts.get(item.reply_to or "")
        )
    for item in spec.posts:
        if item.edited_to:
            services.edit_post(posts[item.key], users[item.author], item.edited_to, 1)
        if item.hidden_reason:
            services.hide_post(posts[item.key], facilitator, item.hidden_reason)
    _spread_over_time(thread, spec, posts, workspace)
    db.session.flush()
    return thread


EDITED_AFTER = timedelta(minutes=40)
HIDDEN_AFTER = timedelta(hours=2)


def _spread_over_time(
    thread: Thread, spec: DemoThread, posts: dict[str, Post], workspace: DemoWorkspace
) -> None:
    """Date the thread and its posts as if written over the past days."""
    moment = workspace.ago(spec.days_ago)
    if spec.case is None:  # a case's own thread was opened when the case was shared
        thread.created_at = moment
    last_visible = thread.created_at
    for index, item in enumerate(spec.posts):
        if index:
            moment += timedelta(hours=item.hours_later)
        post = posts[item.key]
        post.created_at = moment
        if item.edited_to:
            post.edited_at = moment + EDITED_AFTER
            for edit in post.edits:
                edit.replaced_at = post.edited_at
        if item.hidden_reason:
            post.hidden_at = moment + HIDDEN_AFTER
        if post.is_visible:
            last_visible = moment
        db.session.execute(  # the notifications it caused, at the same moment
            update(Notification)
            .where(Notification.subject_type == "post", Notification.subject_id == post.id)
            .values(created_at=moment)
        )
    thread.last_post_at = last_visible
