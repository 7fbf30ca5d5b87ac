"""The demo workspace's case vignettes: invented clients, invented clinicians, pure data.

Every vignette here was written for the demo; no real client or clinician lies behind any of them.
All but one are fully disguised. The exception is the draft ``card-with-number``, which keeps a few
identifiers its author has not cleaned up yet, so the demo can show the scanner's findings and the
gate that keeps an unresolved vignette from being shared.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoVignette:
    key: str
    author: str  # a demo handle: "amara", "jun", "sam" (supervision); "tomas", "noor", "jun" (peer)
    group: str  # "supervision" or "peer"
    state: str  # "draft", "shared", "closed", "pending_approval" or "flagged"
    title: str
    context: str
    client: str
    moment: str
    reactions: str
    question: str
    altered_note: str  # what was changed for disguise, and whether it matters clinically
    revisions: tuple[str, ...] = ()  # earlier versions of `moment`, oldest first


# Why a reader flagged the "flagged" vignette (you-didnt-flinch) as possibly identifying.
PEER_DISCUSSION_FLAG_REASON = (
    "The passage about the care home closure that was in the regional news could let anyone who "
    "followed that story recognise the client."
)


_TOO_SOON = DemoVignette(
    key="too-soon-interpretation",
    author="amara",
    group="supervision",
    state="shared",
    title="She went quiet after I linked her manager to her father too soon",
    context=(
        "Integrative counselling placement in a low-cost community counselling service in a "
        "mid-sized city. Weekly 50-minute sessions, open-ended with a review every twelve. The "
        "moment spans the end of session seven and the start of session eight."
    ),
    client=(
        "The client, here called R., is a woman in her late thirties who came because of "
        'sleeplessness and "snapping at everyone" after a restructure at work. She is articulate '
        "and funny, and tends to say hard things briskly and move on. In our first session she "
        'mentioned, in a single sentence, that her father "had a temper, and we learned to read '
        'the weather". She had not come back to him since.'
    ),
    moment=(
        "R. was describing her new manager reading her report in front of her without a word.\n\n"
        '> "I just sat there trying to work out from his face whether I was about to be '
        'sacked."\n\n'
        'I said: "It sounds a bit like reading the weather with your dad."\n\n'
        'She paused, said "Maybe," and then: "Anyway. The other thing this week was the boiler." '
        'For the rest of the session her answers were short ("Yeah." "Not really." "It\'s '
        'fine.") and she glanced at the clock twice. She said "See you next week" without looking '
        "up.\n\n"
        "At the start of session eight I said:\n\n"
        "> \"Before we start, I've been thinking about last week. When I brought your dad in, it "
        "felt like something closed a little, and I wondered if I'd jumped ahead of you.\"\n\n"
        "She was quiet for a while. \"It was a bit like being caught out. I didn't say that about "
        'him to connect it to anything. I said it to get it out of the way."\n\n'
        "> \"So I picked up something you'd put down on purpose. I'm sorry. That was me moving "
        'faster than you."\n\n'
        '> "It\'s not that you\'re wrong," she said. "It\'s that it was mine to say."\n\n'
        "> \"Yes. It's yours. I'd like you to be the one who decides when, or whether, we go "
        'there."\n\n'
        'She laughed, a little shakily: "You might be waiting a while." Then she went back to the '
        'report meeting, at length this time, and near the end said, unprompted: "I did read his '
        "face the way I used to read Dad's. I just didn't want it handed to me.\""
    ),
    reactions=(
        'Honestly, my first feeling when she said "maybe" was a small glow of having been right, '
        "and I'm not proud of it. Within a minute it had turned into a sinking feeling as her "
        "answers shrank. I didn't name it in the moment because I was afraid of making it worse, "
        "and I spent the week rehearsing what to say.\n\n"
        "I also wonder whether my apology was partly about my own discomfort, and whether I made "
        'her look after me. When she said "it was mine to say" I felt relief, and some shame that '
        "she had to teach me that."
    ),
    question=(
        "Was it right to wait until the next session to name her withdrawal, or could I have said "
        "something gently in the moment? And how do I tell an apology that repairs from one that "
        "asks the client to reassure me?"
    ),
    altered_note=(
        "Her occupation and the nature of the restructure are changed, and her age is given as a "
        'range. Her father\'s temper and her phrase "reading the weather" are kept, because they '
        "are the clinical heart of the moment."
    ),
    # The first version summarised; after feedback asking what exactly each of them said, the
    # author rewrote the moment with the dialogue.
    revisions=(
        (
            "R. was describing how her new manager read her report in front of her without saying "
            'anything. I linked this to her father, something like "it sounds like reading the '
            'weather with your dad". She said "maybe" and changed the subject, and for the rest of '
            "the session her answers were short.\n\n"
            "The next week I raised it at the start and apologised for going too fast. She said it "
            "was hers to say. The session felt warmer after that, and she came back to the "
            "manager, and later to her father, on her own."
        ),
    ),
)


# Deliberately NOT anonymized yet: this draft still holds identifiers its author has not
# cleaned up (a client's full name, exact age, employer, town, a precise date and a 555
# phone number), so the demo shows the scanner's findings and the gate that keeps it from
# being shared. Every one of them is invented.
_CARD_WITH_NUMBER = DemoVignette(
    key="card-with-number",
    author="sam",
    group="supervision",
    state="draft",
    title="A thank-you card with her number in it, and a request for mine",
    context=(
        "Counselling placement in a counselling service attached to a GP practice, eight sessions "
        "per referral. Person-centred. This was session six of eight."
    ),
    client=(
        "Kirsty Albright, 34, referred for low mood and loneliness after moving to Kettering for "
        "work last year. She works at Pembury & Cole Logistics on the night dispatch desk, lives "
        'alone, and calls weekends "the long bit". Warm, quick to apologise, very attentive to how '
        "I am."
    ),
    moment=(
        "At the end of session six, on 11 March, Kirsty stood up, sat back down, and took a small "
        "potted plant and an envelope out of her bag.\n\n"
        "> \"It's nothing. Just to say thank you. You're honestly the only person I talk to "
        'properly."\n\n'
        'Inside the card she had written "Text me any time x" and her mobile, 555-0148. Then:\n\n'
        "> \"Could I have your number? Only for weekends. I wouldn't go mad with it, I "
        'promise."\n\n'
        "I said:\n\n"
        "> \"Thank you, that's really kind, and I'm touched. I can't give you my personal number. "
        "It's not that I think you'd misuse it. I want what happens here to be something you can "
        "rely on, and I can't be reliable at two in the morning on a Saturday in the way you'd "
        'need."\n\n'
        'She went red. "No, course. Stupid thing to ask."\n\n'
        "> \"It wasn't stupid. It tells me how long the weekends are. Could we start there next "
        'week?"\n\n'
        "She nodded. I took the plant and said I would keep it in the counselling room. The card "
        "stayed on the table until she had gone; I logged it with the plant, as the service asks."
    ),
    reactions=(
        "I was touched, and then anxious straight away. Part of me wanted to give her the number, "
        "because saying no felt cruel when she is so alone. I also noticed a flicker of irritation "
        "at being asked at the door, and felt guilty about that.\n\n"
        "I'm not sure whether my line about reliability was for her or for me, and I said \"I "
        "can't\" as if it were only the service's rule, when it is mine too. I also realise I "
        "didn't ask how she keeps herself safe at weekends. She has never indicated risk, but I "
        "want to check."
    ),
    question=(
        "Did accepting the plant while declining the number send a mixed message? And with two "
        "sessions left, how do I talk about the weekends and the ending without it feeling like "
        "another door closing?"
    ),
    altered_note=(
        "Not done yet: I still need to change her name, age, employer, town and the date, and take "
        "her number out."
    ),
)


_SIX_SESSIONS = DemoVignette(
    key="six-sessions-waiting-list",
    author="jun",
    group="supervision",
    state="closed",
    title="Six sessions, a long waiting list, and my urge to get to the childhood material",
    context=(
        "Short-term counselling in a university counselling service in a mid-sized city: six "
        "sessions per student and a waiting list of several weeks. Integrative, CBT-informed. "
        "Session three."
    ),
    client=(
        "The client, here called T., is a postgraduate student in his twenties, referred after a "
        "panic attack while studying. He is polite and thoughtful and apologises often. In the "
        'first session he said there was "stuff from when I was a kid" that he "probably should '
        "talk about at some point\", and he hasn't mentioned it since."
    ),
    moment=(
        "T. spent the first half of the session on his thesis deadline and on how he rehearses "
        "conversations with his academic supervisor. I was very aware that we were at the halfway "
        "point and that people were waiting. I said:\n\n"
        "> \"I'm conscious we've only got three sessions left. You mentioned in our first meeting "
        "there was stuff from childhood. I wonder if it would be useful to look at that while we "
        'have the time?"\n\n'
        'He said, "Yeah, sure, if you think that\'s best," and sat up straighter. He began '
        "describing his parents' separation in a flat, orderly way, like reading a list, his hands "
        'gripping his knees. After a few minutes he stopped: "Sorry, is this the kind of thing you '
        'need?"\n\n'
        "That question stopped me too.\n\n"
        "> \"You're asking what I need. I think I jumped in with my agenda just now, and you very "
        "kindly went along with it. We don't have to go there today, or at all in these six "
        'weeks."\n\n'
        'He let out a long breath. "I thought that was the point."\n\n'
        "> \"The point is whatever's most useful to you. What would you want to use today "
        'for?"\n\n'
        "He went back to the supervisor conversations. This time we noticed together how much of "
        "his week goes on working out what other people want from him, including, a few minutes "
        "earlier, me."
    ),
    reactions=(
        "I felt the waiting list in the room; I had seen it that morning. Part of me measures a "
        '"good" short piece of work by whether we got to "the real stuff", and I think that part '
        "was driving. When he asked whether this was what I needed, I felt caught and a bit "
        "embarrassed.\n\n"
        "Afterwards I worried that I had now made his childhood off limits, and that he will leave "
        "with the thing he hinted at untouched."
    ),
    question=(
        "How do I name a session limit honestly, since it is real, without using it to hurry the "
        "client? And did I close a door on the childhood material, or leave it open for him to use "
        "later, here or elsewhere?"
    ),
    altered_note=(
        "His subject of study and where the panic attack happened are changed, and his age is a "
        "range. The session limit and his habit of deferring are unchanged, because the question "
        "depends on them."
    ),
    # The first version reported the moment in summary; after feedback the author added what
    # was actually said, which is where the client's deference and the repair show.
    revisions=(
        (
            "T. talked about his thesis deadline for the first half of the session. Conscious of "
            "the session limit and the waiting list, I suggested we look at the childhood material "
            "he had mentioned in our first meeting. He agreed and started talking about his "
            "parents' separation, but he seemed tense and asked whether it was what I needed.\n\n"
            "I realised I had pushed, said so, and offered to go back to what he had brought. He "
            "seemed relieved, and we went back to talking about his supervisor."
        ),
    ),
)


_FILLED_SILENCE = DemoVignette(
    key="filled-the-silence",
    author="sam",
    group="supervision",
    state="pending_approval",
    title="I filled a long silence and wish I hadn't",
    context=(
        "Person-centred counselling in a voluntary-sector bereavement service, weekly and "
        "open-ended. Session five."
    ),
    client=(
        "The client, here called L., is a woman in her sixties whose adult son died after a long "
        "illness, a little over a year ago. She speaks slowly and often looks towards the window. "
        'In our first session she told me her friends "have run out of things to say".'
    ),
    moment=(
        "L. was talking about clearing her son's room.\n\n"
        '> "I found his old school reports. He was hopeless at French."\n\n'
        "She smiled, then stopped, and looked at the window. The silence went on; thinking back, "
        "it was over a minute, perhaps nearer two. Her mouth tightened and her eyes filled, though "
        "she didn't cry. I felt the pressure building in me and said:\n\n"
        '> "It sounds like those little things can catch you off guard."\n\n'
        'She blinked and nodded. "Yes. Yes, they do." Then, in a more everyday voice: "Anyway, '
        "I've been sleeping a bit better.\" The rest of the session was about sleep and a visit "
        "from her sister.\n\n"
        'At the door she said, "Thank you, dear. You\'re very patient with me."'
    ),
    reactions=(
        "I think something was happening in her during that silence, and I broke it. My reflection "
        'was accurate enough but generic; "little things catch you off guard" is the kind of thing '
        "her friends might say. The truth is that I couldn't bear watching her in that much pain "
        'while I did nothing, and "you\'re very patient with me" stung, because in that moment I '
        "wasn't.\n\n"
        "I have also wondered whether I'm being too hard on myself. She did nod, and perhaps she "
        "needed a way back out."
    ),
    question=(
        "How do I tell a silence in which the client is working from one in which she is stuck or "
        "alone? And when I think I've interrupted something, is it worth returning to it (\"I "
        'think I spoke too soon last week"), or does that put the focus on me?'
    ),
    altered_note=(
        "The nature of her son's illness and which relative visited are changed, and her age is a "
        "range. The length of the silence and her words are as close to what happened as I can "
        "remember, since they are what the question is about."
    ),
)


_TICKING_BOXES = DemoVignette(
    key="ticking-boxes",
    author="amara",
    group="supervision",
    state="shared",
    title='"You\'re just ticking boxes": staying with his anger after I cancelled',
    context=(
        "Integrative counselling in a community counselling service, open-ended with a review "
        "every twelve sessions. Session eleven. The week before, I had cancelled at short notice "
        "because I was ill, and the service let him know by text."
    ),
    client=(
        "The client, here called K., is a man in his forties who came after his marriage ended, "
        'saying he "doesn\'t do feelings" and "just wants to sleep again". He was passed '
        "between several services before reaching us, and has described a childhood in which "
        "adults \"said they'd come and didn't\"."
    ),
    moment=(
        "He sat down and, before I could speak, said:\n\n"
        "> \"A text. You couldn't even ring. You're all the same. You're just ticking boxes till "
        "I'm off your list.\"\n\n"
        "His voice was raised and he was leaning forward. My chest tightened and I wanted to "
        "explain that I had been ill, that the office sends the texts. Instead I said:\n\n"
        "> \"You're angry with me, and you've every reason to be. You turned up ready last week "
        "and I wasn't there, and what you got was a text.\"\n\n"
        '> "Don\'t do the therapy voice."\n\n'
        "> \"Fair enough. Plainly, then: I let you down last week, and I'd like to hear what it "
        'was like, including the parts that are hard to say to me."\n\n'
        '"What\'s the point," he said, and looked at the floor. I waited. Then:\n\n'
        '> "I sat in the car for twenty minutes after I got it. Didn\'t want to go home."\n\n'
        '> "Twenty minutes in the car."\n\n'
        "> \"It's stupid. It's one session.\"\n\n"
        '> "It doesn\'t sound stupid. It sounds like it landed somewhere old."\n\n'
        "He was quiet, then said more softly, \"My mum used to say she'd pick me up.\" He didn't "
        'finish. Near the end he said, "I\'m still annoyed, mind." I said, "You\'re allowed to '
        'be. I\'ll be here next week." He said, "Yeah. We\'ll see."'
    ),
    reactions=(
        'When he said "ticking boxes" I felt hurt, because I had felt guilty all week about '
        "cancelling. The urge to defend myself was strong, and knowing that being ill is a "
        "legitimate reason made it harder, not easier, to leave unsaid. \"Don't do the therapy "
        'voice" landed: he was right that I had gone careful and soft.\n\n'
        "I'm glad I stayed with him, but I wonder whether I over-owned it. Being ill isn't a "
        "failing, and I don't want to teach him that anger always earns an apology."
    ),
    question=(
        "Where is the line between owning my part in a rupture and taking on blame that isn't "
        'mine? And was "I\'ll be here next week" a promise I can responsibly make?'
    ),
    altered_note=(
        "His occupation is left out, the relative in the childhood memory is changed, and his age "
        "is a range. The reason for my cancellation is kept; none of the changes alters the "
        "clinical picture."
    ),
)


_ENDED_BY_EMAIL = DemoVignette(
    key="ended-by-email",
    author="noor",
    group="peer",
    state="shared",
    title="A client ended by email after more than a year, with no final session",
    context=(
        "Private practice, relational and psychodynamically informed, weekly and open-ended. I "
        "qualified a few years ago. The ending came by email the day after a session; I bring it "
        "to the circle because, a season later, I am still turning it over."
    ),
    client=(
        "The client, here called A., is a man in his early fifties who came after a health scare, "
        'with low mood and a sense of having "lived on autopilot". Over the year he moved from '
        "careful reports of his week to real grief about his relationship with his brother. He has "
        'a history of leaving jobs and relationships "cleanly", without goodbyes.'
    ),
    moment=(
        "In what turned out to be our last session he talked, for the first time, about a period "
        "in his twenties he is ashamed of, and a friend he let down then. He cried, which he had "
        "never done with me. Near the end he said:\n\n"
        "> \"I don't know why I'm telling you this. I feel like I've been turned inside out.\"\n\n"
        '> "It took courage to bring it," I said. "We can go as slowly with it as you need."\n\n'
        'He nodded. "Right. Same time next week."\n\n'
        "The next afternoon an email arrived:\n\n"
        "> \"I've decided to stop our sessions. You've been very helpful and I think I've got what "
        "I came for. Please don't feel you need to reply. Thank you for everything.\"\n\n"
        "I replied once, briefly. I thanked him, said I respected his decision, offered a final "
        "session if he wanted to end in the room, and said the door stayed open either way. He has "
        "not replied."
    ),
    reactions=(
        "My first reaction was a drop in my stomach, then a rush of self-questioning: did I let "
        "him go too deep in that session? Under that I notice hurt, more than a year's work and no "
        "goodbye, and I'm wary of that hurt steering what I do next.\n\n"
        "I recognise his pattern of leaving cleanly, and I wonder whether I missed how unbearable "
        "the shame after that session might be. Part of me wants to write again; part of me thinks "
        "that would be for me."
    ),
    question=(
        "Was one reply the right amount, or would a short letter after some weeks be a respectful "
        "second door rather than a pursuit? And how do you think about shame after a big "
        "disclosure as a rupture marker: what might I have done in those last ten minutes?"
    ),
    altered_note=(
        "His health scare and the content of his disclosure are generalised, and his age is a "
        "range. The length of the work and the wording of his email are close to the original, "
        "because the abruptness is the point."
    ),
)


_DIDNT_FLINCH = DemoVignette(
    key="you-didnt-flinch",
    author="tomas",
    group="peer",
    state="flagged",
    title='"You didn\'t flinch": a disclosure he had carried for years',
    context=(
        "Private practice, integrative, weekly and open-ended, about eight months in. I'm a "
        "qualified counsellor and supervise trainees elsewhere; I bring this to peers because I'm "
        "unsure what I actually did that helped."
    ),
    client=(
        "The client, here called D., is a man in his late fifties who retired early from a "
        "management role in social care. He came with low mood and an irritability his partner had "
        "insisted he address. He is formal and precise, and rarely says anything about himself "
        "without a joke first."
    ),
    moment=(
        "Without a joke this time, looking at the carpet, he told me he had managed the care home "
        "that was closed after an inspection found neglect, the one in the regional news that "
        "winter, and that he had signed off staffing rotas he knew were unsafe.\n\n"
        '> "So now you know what kind of man you\'ve got in the chair."\n\n'
        "I remembered the coverage, and felt something tighten in me. I let it be there and "
        "said:\n\n"
        '> "I\'m glad you told me. I can see what it has cost you to carry it, and to say it."\n\n'
        "He looked up, as if checking my face, and I stayed with his gaze.\n\n"
        '> "You\'re supposed to be disgusted."\n\n'
        "> \"I'm not disgusted. I'm sad, and I'm not going to tell you it was fine. I'd like to "
        "understand the man who knew those rotas were unsafe and signed them anyway. It sounds "
        'like a terrible place to have been."\n\n'
        "He cried, briefly and silently. Some weeks later, when we reviewed the work, he said:\n\n"
        "> \"The thing was, you didn't flinch. I'd been waiting years for someone to look at me "
        "the way the papers did, and you just didn't.\"\n\n"
        "Since then he has begun talking to his partner about it, and the irritability has eased."
    ),
    reactions=(
        "I did flinch, inwardly. I remembered the story, and part of me thought straight away of "
        "the residents. I'm uneasy that what he experienced as acceptance may partly have been me "
        "managing my own reaction well.\n\n"
        "I'm also wary of this becoming a story of absolution. What he did had real consequences "
        "for real people, and I don't want \"you didn't flinch\" to come to mean \"it didn't "
        'matter".'
    ),
    question=(
        "What is the difference between not flinching and not reacting, and is it honest to let "
        "him believe I had no reaction? How do I keep room for responsibility, and perhaps some "
        "form of repair, alongside the acceptance that seems to have helped?"
    ),
    altered_note=(
        "His role and the kind of service are changed, the news coverage is described only "
        "generally, and his age is a range. That the event was publicly reported matters "
        "clinically, because his shame is bound up with having been seen by everyone."
    ),
)


DEMO_VIGNETTES: tuple[DemoVignette, ...] = (
    _TOO_SOON,
    _CARD_WITH_NUMBER,
    _SIX_SESSIONS,
    _FILLED_SILENCE,
    _TICKING_BOXES,
    _ENDED_BY_EMAIL,
    _DIDNT_FLINCH,
)
