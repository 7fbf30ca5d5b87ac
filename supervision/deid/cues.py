"""Small hand-written word lists: the context words that make a capitalised word a name or a
place, and capitalised words that are neither. Keys are folded (lower-case, no accents)."""

from __future__ import annotations


def word_set(text: str) -> frozenset[str]:
    """A set of words written as one string, the way these lists read best."""
    return frozenset(text.split())


MONTHS = word_set(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec"
)
WEEKDAYS = word_set(
    "monday tuesday wednesday thursday friday saturday sunday "
    "mondays tuesdays wednesdays thursdays fridays saturdays sundays"
)
# Capitalised in English but not names: nationalities, faiths, languages, holidays, groups.
NOT_NAMES = word_set(
    "i god lord jesus christ allah buddha bible quran torah christmas easter thanksgiving islam "
    "nazi nazis isis al-anon alateen day "
    "halloween ramadan eid diwali hanukkah passover lent advent sabbath shabbat "
    "christian christians catholic catholics protestant muslim muslims jewish jew jews hindu "
    "sikh buddhist mormon evangelical baptist methodist orthodox "
    "black white brown asian latina latino latinx latine hispanic indigenous native "
    "african american americans european arab arabic chinese japanese korean vietnamese "
    "filipino filipina indian pakistani bangladeshi nigerian ghanaian kenyan somali ethiopian "
    "mexican cuban puerto rican dominican salvadoran guatemalan colombian venezuelan brazilian "
    "haitian jamaican irish scottish welsh english british french german italian spanish "
    "portuguese polish russian ukrainian greek turkish persian iranian iraqi syrian lebanese "
    "israeli palestinian egyptian moroccan canadian australian dutch swedish norwegian "
    "danish finnish hungarian romanian czech serbian croatian bosnian albanian armenian "
    "korean thai cambodian laotian hmong tamil punjabi urdu hindi bengali swahili yoruba "
    "igbo hausa amharic mandarin cantonese tagalog creole navajo cherokee lakota "
    "lgbt lgbtq lgbtqia queer trans deaf "
    "zoom teams skype facetime whatsapp signal telegram facebook instagram twitter tiktok "
    "snapchat youtube google linkedin reddit discord uber lyft amazon netflix "
    "medicaid medicare tricare covid internet web mr mrs ms mx dr prof "
    "dsm icd phq gad cbt dbt act emdr ifs eft mbct mbsr cpt pe tf ptsd adhd ocd bpd "
    "ok okay hello hi dear yes no kippur hashanah rosh hogmanay vesak navratri holi nowruz "
    "juneteenth kwanzaa"
)
# Medicines and apps: capitalised words in no dictionary that are not people ("Sertraline
# helped", "Lexapro made her numb").
NOT_PEOPLE = word_set(
    "sertraline zoloft fluoxetine prozac citalopram celexa escitalopram lexapro paroxetine "
    "paxil venlafaxine effexor duloxetine cymbalta bupropion wellbutrin mirtazapine remeron "
    "trazodone lithium lamotrigine lamictal quetiapine seroquel olanzapine zyprexa risperidone "
    "risperdal aripiprazole abilify clozapine clozaril haloperidol diazepam valium lorazepam "
    "ativan alprazolam xanax clonazepam klonopin zolpidem ambien zopiclone methylphenidate "
    "ritalin concerta adderall vyvanse elvanse atomoxetine strattera naltrexone buprenorphine "
    "suboxone methadone propranolol gabapentin pregabalin lyrica melatonin ozempic narcan "
    "tramadol oxycodone oxycontin fentanyl codeine ketamine paracetamol ibuprofen naloxone "
    "spravato esketamine topiramate sumatriptan "
    "tinder hinge bumble grindr spotify iphone android xbox playstation nintendo minecraft "
    "fortnite roblox chatgpt alexa siri duolingo wordle"
)
# Function words: capitalised only at a sentence start, and some are also romanised given names
# or surnames in the name lists ("He", "She", "An", "So").
FUNCTION_WORDS = word_set(
    "a an the this that these those he she it they we you i me him her us them his hers its "
    "their theirs our ours my mine your yours who whom whose which what where when why how "
    "whoever whatever and or but nor so yet for of in on at to by with from into onto upon "
    "about above below over under after before during since until while as if than then "
    "though although because unless whether here there now also too very just only even "
    "still not no all any each every some both either neither much many more most few less "
    "least other another such same own could might must shall should would do "
    "does did done is am are was were be been being have has had having let lets"
)
# "X is a 34-year-old ...", "X was a retired teacher": the description makes X a person.
PERSON_WORDS = word_set(
    "woman man boy girl person child teen teenager adult widow widower veteran student "
    "junior senior sophomore freshman graduate retiree mother father parent grandmother "
    "grandfather wife husband daughter son sister brother nurse teacher doctor lawyer "
    "engineer designer manager driver chef cook cashier clerk artist musician writer "
    "accountant mechanic carpenter electrician plumber soldier officer firefighter pastor "
    "trainee supervisor colleague client patient survivor refugee immigrant single divorced "
    "married retired former young old elderly new single-parent stay-at-home first-year "
    "second-year third-year kids children sons daughters siblings boyfriend girlfriend partner "
    "fiance fiancee twin twins sailor farmer fisherman miner builder cleaner waiter waitress "
    "bartender barista hairdresser baker butcher pilot paramedic pharmacist dentist surgeon "
    "midwife carer caregiver receptionist secretary shopkeeper lecturer professor scientist "
    "programmer labourer laborer welder painter dancer actor actress singer athlete "
    "footballer boxer marine nun priest monk apprentice intern volunteer farmworker trucker "
    "policeman policewoman detective journalist librarian translator interpreter tailor"
)
# Titles before a name: "Mrs. Doyle", "Dr Kowalski", "Auntie Ngozi".
TITLES = word_set(
    "mr mrs ms miss mx dr doctor prof professor rev reverend pastor father fr sister brother "
    "rabbi imam sheikh judge officer detective sgt sergeant capt captain lt lieutenant coach "
    "nurse aunt auntie uncle grandma grandpa granny nana nanna papa mama abuela abuelo "
    "cousin madam sir lady lord dame"
)
# Person nouns: "her son Joy", "my client, Wei Haddad,", "his supervisor, Hope Yamamoto".
PERSON_NOUNS = word_set(
    "client clients patient patients supervisee supervisor boss manager employer colleague "
    "coworker co-worker friend friends boyfriend girlfriend partner husband wife spouse ex "
    "fiance fiancee mother father mom mum dad son daughter sister brother sibling stepmother "
    "stepfather stepson stepdaughter stepsister stepbrother half-sister half-brother "
    "grandmother grandfather grandson granddaughter grandchild aunt uncle niece nephew cousin "
    "mother-in-law father-in-law sister-in-law brother-in-law son-in-law daughter-in-law "
    "roommate flatmate housemate neighbour neighbor landlord landlady tenant teacher tutor "
    "coach counsellor counselor therapist psychiatrist psychologist doctor gp physician nurse "
    "caseworker social-worker worker lawyer attorney pastor priest rabbi imam sponsor mentor "
    "child children kid kids baby toddler teen teenager student pupil classmate teammate "
    "carer caregiver guardian foster referrer referral lover affair"
)
# Words that name someone outright: "a boy named Sue", "goes by Jay".
NAMING_WORDS = word_set(
    "named called call calls nicknamed aka alias surname name pseudonym signed signs"
)
# Verbs that commonly follow a person as subject: "Hope lives...", "Okafor said...".
NAME_VERBS = word_set(
    "said says told tells asked asks answered replied responded explained admitted "
    "mentioned disclosed reported reports described describes shared shares stated states "
    "wrote writes texted texts emailed emails called calls phoned phones messaged messages "
    "lives lived moved moves works worked visits visited arrived arrives came comes went "
    "goes left leaves returned returns joined joins attended attends missed misses "
    "cancelled canceled cancels rescheduled began begins started starts stopped stops "
    "cried cries wept laughed laughs smiled smiles sighed sighs shrugged shrugs nodded nods "
    "paused pauses whispered shouted yelled screamed sat sits stood walked walks ran "
    "looked looks seemed seems sounded felt feels thinks thought believes believed knows "
    "knew wants wanted needs needed hopes hoped wishes wished loves loved hates hated "
    "fears feared worries worried refused refuses agreed agrees denied denies insisted "
    "insists noticed notices remembered remembers recalled recalls struggled struggles "
    "became becomes got gets lost tried tries kept keeps brought brings showed shows "
    "presented presents complained complains apologised apologized thanked thanks "
    "went grew grows turned turns spoke speaks talked talks cannot can't won't didn't "
    "doesn't isn't wasn't hasn't hadn't wouldn't couldn't"
)
# Verbs whose object is usually a person: "I asked Kalinda", "she texted Bao".
OBJECT_VERBS = word_set(
    "asked told tell tells reminded thanked saw see sees met meet meets texted emailed phoned "
    "visited hugged kissed married divorced invited warned blamed trusted loves loved hates "
    "hated dating dated dumped thank ask"
)
# Of the verbs above, those a month or an abstract noun also "does" ("June went by", "May
# brought rain"): after a month-name ("June told me") only the others count.
EVENT_VERBS = word_set(
    "came comes went goes left leaves returned returns began begins started starts stopped "
    "stops became becomes got gets lost kept keeps brought brings showed shows turned turns "
    "grew grows seemed seems sounded felt feels looked looks presented presents ran moved "
    "moves missed misses tried tries passed passes"
)
# Third-person forms that are also plural nouns: after an everyday word at a sentence start
# they make a compound ("River walks", "Rose hips"), not a person doing something.
NOUN_PLURALS = word_set(
    "texts emails calls messages visits returns starts stops cries laughs smiles sighs shrugs "
    "nods pauses walks looks shows presents needs hopes wishes loves fears worries thanks "
    "reports shares states works writes"
)
# Irregular past tenses only a person does: "Grant rang", "Ruby swore" (not "Art took over").
PERSON_PAST = word_set(
    "drove wore ate drank slept woke rang sang swore chose forgot hid lied quit rode sold stole "
    "taught fought flew heard bought knelt swam overslept"
)
# Irregular past tenses a person does, for a word in no list: "Tamsin spent the hour...".
IRREGULAR_PAST = word_set(
    "spent drove took made gave held wore ate drank slept woke rang paid sang swore broke "
    "chose forgot hid led meant met put quit read rode sent shook shut sold stole taught tore "
    "threw won fell fought found flew heard hung hit hurt lay lied bought caught dug fed "
    "bit blew drew froze knelt leapt lent shot slid spun stuck stung swam swung understood "
    "withdrew overslept"
)
# What a person is and a month or an abstract noun is not: "April has been sober", "Jan was
# fifteen minutes late", "Sky has been excluded from school".
PERSON_STATES = word_set(
    "late sober tearful angry anxious furious withdrawn guarded agitated "
    "distressed upset ashamed reluctant unsure embarrassed pregnant divorced widowed sick ill "
    "unwell drunk homeless unemployed afraid scared frightened exhausted tired "
    "suicidal depressed excluded suspended expelled arrested admitted discharged sectioned "
    "referred diagnosed prescribed hospitalised hospitalized fired sacked evicted bullied "
    "adopted fostered born raised drinking crying shouting sobbing asleep awake absent "
    "engaged jealous defensive apologetic polite rude self-harming cutting using struggling "
    "coping hiding refusing avoiding dating"
)
# Number words: "Bo is seven", "Ikaika is seventeen".
NUMBER_WORDS = word_set(
    "two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety"
)
# Weak verbs: only count when the word is not also an ordinary noun ("Hope is ...").
AUX_VERBS = word_set("is was has had will would can could should might must does did")
# Words before a capitalised word that make it a place: "lives in X", "moved to X".
PLACE_VERBS = word_set(
    "lives live living lived moved moving move grew raised born based relocated relocating "
    "settled stays staying stayed resides resided commutes commuted drove flew visiting "
    "visited returned fled"
)
PLACE_PREPOSITIONS = word_set("in to from near outside around towards toward via of at")
# Often cited in therapy writing. Still names, but alone they rarely identify a client, so they
# are only flagged with a person cue ("Mr. Rogers", "my client Beck") or a first name. Very
# common surnames (Ellis, Sullivan, Siegel...) are left out: a client may well bear them.
THEORISTS = word_set(
    "freud jung adler rogers bowlby ainsworth winnicott klein bion kohut kernberg yalom beck "
    "linehan perls satir minuchin erikson erickson piaget maslow pavlov gottman porges fonagy "
    "bateman safran muran mahler lacan horney fromm frankl glasser kabat-zinn kolk tronick "
    "ferenczi balint fairbairn guntrip racker bordin wampold norcross rollnick prochaska "
    "diclemente teasdale gendlin kubler-ross bandura seligman vygotsky stolorow gilligan "
    "bateson watzlawick epston shazer schore strosahl cozolino spitz fraiberg kohlberg charcot "
    "breuer stern"
)
