"""Word lists for quote extraction: reporting verbs, speech nouns, titles, speaker nouns.

Kept apart from the rules so they can be read and extended without touching the logic. Verb
lists hold lemmas; :data:`REPORTING_FORMS` maps every inflected form (said, says, saying...) back
to its lemma, so sentences the tagger never saw can still be matched on their surface words.

Example:
    >>> REPORTING_FORMS["told"]
    'tell'
    >>> is_title_word("Minister")
    True
"""

from __future__ import annotations

from pathlib import Path


def words(block: str) -> frozenset[str]:
    """The whitespace-separated words of a block of text, as a set.

    Example:
        >>> sorted(words("say  tell"))
        ['say', 'tell']
    """
    return frozenset(block.split())


def phrases(block: str) -> frozenset[str]:
    """The ``|``-separated phrases of a block of text, stripped, as a set.

    Example:
        >>> sorted(phrases("north korea | china"))
        ['china', 'north korea']
    """
    return frozenset(p.strip() for p in block.split("|") if p.strip())


# Verbs whose complement is what was said ("X said (that) ...", "X warned ...").
CLAUSE_VERBS: frozenset[str] = frozenset(
    words(
        """
    say tell add warn state claim note explain argue insist announce declare report write
    reply respond answer reiterate stress emphasize emphasise underscore affirm confirm deny
    admit acknowledge suggest predict vow pledge promise urge tweet post comment remark
    observe recall assert contend maintain concede complain charge accuse allege boast
    caution estimate indicate testify speculate lament quip joke mention disclose reveal
    repeat continue conclude agree ask question wonder demand insist propose recommend
    threaten signal hint proclaim counter retort shout scream yell whisper cry exclaim
    mutter reason acknowledge estimate think believe fear hope expect worry feel know
    scoff sneer snap interject marvel muse recount plead gush concur chant assure inform
    remind exhort bark elaborate grumble gripe fume chide tease sigh groan thunder opine
    surmise posit reckon snipe remember crack demur
    """
    )
)

# Verbs that report speech but take an object noun phrase rather than a clause in the sentences
# we care about ("echoed this sentiment, highlighting the necessity of ...").
OBJECT_VERBS: frozenset[str] = frozenset(
    words(
        """
    highlight invoke decry criticize criticise blast slam praise describe call condemn
    welcome reject dismiss express echo mirror commit defend applaud denounce label question
    characterize quote find show endorse decline refuse want plan support seek back name
    oppose offer cite propose seem appear blame attack refer point talk
    """
    )
)

# Verbs that only make sense as speech when a clause follows; weak cues.
WEAK_VERBS: frozenset[str] = frozenset(
    words(
        """
    think believe fear hope expect worry feel know continue agree
    """
    )
)

# Forms that are nouns at least as often as verbs in news ("Southern states", "15 points", "the
# terrorist attacks", "his plans", "voters back home"): a cue only before one of these words.
NOUN_FIRST_FORMS: dict[str, frozenset[str]] = {
    **dict.fromkeys(
        words("state states attack attacks back report reason reasons name plan plans support"),
        frozenset({"that"}),
    ),
    **dict.fromkeys(("point", "points"), frozenset({"that", "out", "to"})),
}

# "told reporters that ..." - the verb's object is the listener, not the content.
LISTENER_VERBS: frozenset[str] = frozenset(
    ["tell", "assure", "inform", "remind", "warn", "urge", "ask"]
)

_IRREGULAR: dict[str, tuple[str, ...]] = {
    "say": ("say", "says", "said", "saying"),
    "tell": ("tell", "tells", "told", "telling"),
    "write": ("write", "writes", "wrote", "written", "writing"),
    "think": ("think", "thinks", "thought", "thinking"),
    "know": ("know", "knows", "knew", "known", "knowing"),
    "feel": ("feel", "feels", "felt", "feeling"),
    "hope": ("hope", "hopes", "hoped", "hoping"),
    "take": ("take", "takes", "took", "taken", "taking"),
    "speak": ("speak", "speaks", "spoke", "spoken", "speaking"),
    "find": ("find", "finds", "found", "finding"),
    "seek": ("seek", "seeks", "sought", "seeking"),
    "show": ("show", "shows", "showed", "shown", "showing"),
    "put": ("put", "puts", "putting"),
    "mislead": ("mislead", "misleads", "misled"),
    "swear": ("swear", "swears", "swore", "sworn"),
}

_DOUBLING = {"admit", "commit", "quip", "reveal"}


def _forms(lemma: str) -> tuple[str, ...]:
    if lemma in _IRREGULAR:
        return _IRREGULAR[lemma]
    if lemma.endswith("e"):
        stem = lemma[:-1]
        return (lemma, lemma + "s", lemma + "d", stem + "ing")
    if lemma.endswith("y") and lemma[-2] not in "aeiou":
        stem = lemma[:-1]
        return (lemma, stem + "ies", stem + "ied", lemma + "ing")
    plural = lemma + "es" if lemma.endswith(("s", "sh", "ch", "x", "z")) else lemma + "s"
    if lemma in _DOUBLING:
        return (lemma, plural, lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing")
    return (lemma, plural, lemma + "ed", lemma + "ing")


REPORTING_LEMMAS: frozenset[str] = CLAUSE_VERBS | OBJECT_VERBS

REPORTING_FORMS: dict[str, str] = {
    form: lemma for lemma in sorted(REPORTING_LEMMAS) for form in _forms(lemma)
}

# Nouns naming a speech act; "Wang Yi's declaration of ...", "in a statement, ...".
SPEECH_NOUNS: frozenset[str] = frozenset(
    words(
        """
    statement statements declaration remarks remark comments comment announcement assertion
    claim claims warning warnings pledge vow promise speech interview testimony tweet post
    message letter briefing appeal call demand insistence accusation allegation denial
    admission
    """
    )
)

# "expressed willingness to ...": the noun after "expressed" names the attitude reported.
EXPRESSED_NOUNS: frozenset[str] = frozenset(
    words(
        """
    willingness readiness hope hopes concern concerns support desire confidence regret
    opposition determination commitment intention intent gratitude condolences satisfaction
    disappointment doubt doubts skepticism scepticism belief
    """
    )
)

# Lower-case heads that name speakers ("a source said", "officials said").
SPEAKER_NOUNS: frozenset[str] = frozenset(
    words(
        """
    source sources official officials spokesman spokeswoman spokesperson spokespeople
    analyst analysts expert experts aide aides police authorities observers critics
    lawmakers people residents witnesses ministry government administration campaign agency
    officer officers lawyer lawyers attorney attorneys investigators prosecutors researchers
    scientists economists diplomats diplomat leader leaders minister ministers president
    chairman chairwoman director spokesmen spokeswomen representative representatives
    commentators supporters protesters voters candidate nominee governor senator mayor
    report reports poll study survey media statement state council committee group
    organization party member members staff team community activists advocates historians
    sources organizers executive executives manager owner founder professor teacher student
    students doctor doctors nurse official's colleague colleagues friend friends father
    mother wife husband son daughter brother sister official adviser advisers advisor
    advisors strategist strategists consultant consultants pollster pollsters operative
    operatives insider insiders surrogate surrogates backer backers ally allies opponent
    opponents rival rivals critic commentator economist historian investigator lawmaker
    observer organizer prosecutor protester researcher resident scientist supporter voter
    witness activist advocate delegate delegates donor donors veteran veterans attendee
    attendees participant participants reporter reporters journalist journalists columnist
    columnists writer writers author authors editor editors host anchor moderator
    correspondent candidates nominees governors senators mayors worker workers employee
    employees judge judges court ad ads memo letter email editorial article filing lawsuit
    suit complaint ruling
    """
    )
)

PRONOUNS: dict[str, str] = {
    "he": "male",
    "him": "male",
    "his": "male",
    "she": "female",
    "her": "female",
    "they": "plural",
    "them": "plural",
    "their": "plural",
    "i": "first",
    "we": "first",
    "it": "neuter",
    "you": "second",
}

# Title words: a capitalised run ending in a name splits after the last of these into role and
# name ("North Korean Foreign Minister" + "Choe Son Hui").
TITLE_WORDS: frozenset[str] = frozenset(
    words(
        """
    minister president leader premier chancellor secretary spokesman spokeswoman
    spokesperson senator sen. rep. representative gov. governor mayor ambassador envoy
    chairman chairwoman chair general gen. admiral commander director chief king queen
    prince princess pope prime deputy vice foreign defense defence interior finance state
    trade affairs official officer judge justice attorney counsel adviser advisor aide
    analyst professor prof. dr. mr. mrs. ms. miss sir lord lady candidate nominee speaker
    leader congressman congresswoman lawmaker delegate commissioner sheriff lt. col. capt.
    sgt. supreme executive ceo founder head minister-counsellor councilor councillor
    assemblyman presidential democratic republican former acting then-president ex- top
    senior columnist editor correspondent reporter anchor host strategist pollster economist
    campaign manager chairperson treasurer auditor prosecutor inspector superintendent
    ambassador-at-large house senate white party national
    """
    )
)

NATIONALITY_WORDS: frozenset[str] = frozenset(
    words(
        """
    north south korean chinese american russian japanese british french german indian
    iranian israeli ukrainian u.s. us american u.n. un european taiwanese vietnamese
    pakistani afghan syrian iraqi turkish saudi egyptian canadian mexican australian italian
    spanish polish brazilian
    """
    )
)

COUNTRY_NAMES: frozenset[str] = frozenset(
    name.strip()
    for name in phrases(
        """
    north korea|south korea|korea|china|russia|japan|united states|u.s.|us|america|
    washington|beijing|pyongyang|moscow|seoul|tokyo|kremlin|white house|britain|
    united kingdom|uk|france|germany|india|iran|israel|ukraine|kyiv|taiwan|vietnam|pakistan|
    syria|iraq|turkey|saudi arabia|egypt|canada|mexico|australia|italy|spain|poland|brazil|
    portugal|netherlands|belgium|sweden|norway|finland|denmark|ireland|greece|austria|
    switzerland|hungary|romania|czech republic|serbia|croatia|indonesia|malaysia|thailand|
    philippines|singapore|bangladesh|nepal|sri lanka|afghanistan|jordan|lebanon|qatar|kuwait|
    oman|yemen|libya|tunisia|algeria|morocco|nigeria|kenya|ethiopia|south africa|ghana|sudan|
    argentina|chile|colombia|peru|venezuela|cuba|new zealand|mongolia|kazakhstan|uzbekistan|
    belarus|georgia|armenia|azerbaijan|the north|the south|the country|the nation
    """
    )
)

ORGANIZATION_WORDS: frozenset[str] = frozenset(
    words(
        """
    ministry department agency committee council party government administration office
    commission association union organization organisation institute university company
    corporation inc. corp. bank court congress senate house parliament assembly army navy
    police campaign foundation center centre board group coalition alliance league nations
    """
    )
)

GROUP_WORDS: frozenset[str] = frozenset(
    words(
        """
    sources officials analysts experts aides police authorities observers critics lawmakers
    people residents witnesses investigators prosecutors researchers scientists economists
    diplomats leaders ministers officers lawyers supporters protesters voters activists
    advocates members staff they we both ministers democrats republicans media press
    advisers advisors strategists consultants pollsters operatives insiders surrogates
    backers allies opponents rivals delegates donors veterans attendees participants
    reporters journalists columnists writers authors editors candidates nominees governors
    senators mayors workers employees judges
    """
    )
)

# Speaker heads that are documents, not people ("the memo said", "the ad claims").
DOCUMENT_NOUNS: frozenset[str] = frozenset(
    words(
        """
    ad ads memo letter email editorial article filing lawsuit suit complaint ruling report
    reports poll study survey statement
    """
    )
)

# Function words that can never be part of a speaker mention.
STOP_WORDS: frozenset[str] = frozenset(
    words(
        """
    that which who whom whose and but or nor so yet if because although though while when
    where as than to of in on at by for with from into about after before during since until
    this these those is are was were be been being has have had do does did will would can
    could should may might must not also then there here what how why
    """
    )
)

# Words between a subject and its reporting verb that do not end the subject.
SUBJECT_VERB_FILLERS: frozenset[str] = frozenset(
    words(
        """
    also has have had was were is are would will could later then previously recently
    repeatedly reportedly once again further publicly privately earlier separately already
    never often frequently still even just has had long quickly simply flatly bluntly openly
    explicitly initially subsequently himself herself themselves itself
    """
    )
)

CONTENT_OPENERS: frozenset[str] = frozenset({"that", ":", ","})

FURNITURE_PREFIXES: tuple[str, ...] = (
    "also read",
    "read also",
    "read more",
    "related:",
    "related stories",
    "related articles",
    "see also",
    "recommended:",
    "source:",
    "click here",
    "watch:",
    "photo:",
    "image:",
    "advertisement",
    "share this",
    "follow us",
    "subscribe",
)


# Words set off by commas after a speaker's name that carry the sentence on ("Okoro,
# meanwhile, said"); the parser sometimes hangs them on the name.
DISCOURSE_ASIDES: frozenset[str] = words(
    """
    meanwhile however too also though instead likewise nonetheless nevertheless moreover
    furthermore therefore then now again still separately similarly
    """
)

# Labels that open a headline before its colon ("Live Updates: ..."): a label, not a speaker.
HEADLINE_LABELS: frozenset[str] = words(
    """
    update updates news breaking live latest exclusive analysis opinion editorial watch video
    photos explainer review preview recap report special alert
    """
)


def is_title_word(word: str) -> bool:
    """True for words that belong to a title ("Foreign", "Minister", "Sen.").

    Example:
        >>> is_title_word("Choe")
        False
    """
    lowered = word.lower()
    return lowered in TITLE_WORDS or lowered in NATIONALITY_WORDS


def reporting_lemma(word: str) -> str | None:
    """The reporting-verb lemma of an inflected form, or ``None``.

    Example:
        >>> reporting_lemma("Warned")
        'warn'
    """
    return REPORTING_FORMS.get(word.lower())


# ---------------------------------------------------------------------------------------------
# The staged extractor (quotes.extraction): cue classes, speaking nouns, events.
#
# A cue's class says what its content can be. Lemmas; forms map back through CUE_FORMS, so a
# word the lemmatizer never saw ("echoed", "insisted") still finds its class.

# Speech verbs whose complement clause (or quote) is what was said: "Lee said (that) ...".
SPEECH_VERBS: frozenset[str] = words(
    """
    say tell add state claim note explain argue insist announce declare report write reply
    respond answer reiterate stress emphasize emphasise underscore affirm confirm deny admit
    acknowledge suggest predict vow pledge promise urge tweet post comment remark observe
    recall assert contend concede complain allege boast caution warn
    estimate indicate testify speculate lament quip joke mention disclose reveal repeat
    conclude agree ask demand propose recommend threaten hint proclaim counter retort shout
    scream yell whisper cry exclaim mutter reason reassure assure inform remind plead concur
    opine posit interject marvel muse recount gush chant bark elaborate grumble gripe fume
    chide tease sigh groan thunder surmise reckon snipe crack demur signal guarantee swear
    insinuate imply announce acknowledge confide clarify stipulate vouch brag scoff sneer
    snap protest object explain predict forecast project describe read reciprocate
    """
)

# Cognition verbs: what someone thinks, with a clause only ("Lee believes the bridge is safe").
COGNITION_VERBS: frozenset[str] = words(
    """
    think believe fear hope expect worry feel know doubt suspect assume figure guess realize
    realise understand wonder imagine consider suppose sense trust bet reckon maintain charge
    """
)

# Verbs whose object (or to-infinitive) is the statement: "Wang echoed this sentiment",
# "expressed willingness to ...", "vowed to ...", "decried all forms of hegemonism".
STANCE_VERBS: frozenset[str] = words(
    """
    highlight emphasize emphasise stress underscore reiterate express echo mirror decry
    criticize criticise condemn praise welcome reject dismiss blast slam denounce defend
    applaud invoke cite mention describe characterize characterise label portray question
    announce reveal confirm pledge promise vow endorse accuse blame attack thank urge demand
    propose recommend deny acknowledge admit discuss predict lambaste hail tout rebuke
    reaffirm renew voice air outline detail lay reiterate decline refuse agree commit offer
    threaten call warn note
    """
)

# Verbs that report only with a to-infinitive or a that-clause (never an object): "agreed to
# strengthen ties", "declined to comment".
INFINITIVE_VERBS: frozenset[str] = words(
    """
    agree vow pledge promise threaten refuse decline offer swear commit undertake resolve
    urge ask hope expect
    """
)

# Verbs that describe as much as they report: as a participle ("..., emphasizing its stance")
# they report only after a cue or a meeting of people, never after any verb.
EMPHASIS_VERBS: frozenset[str] = words(
    """
    emphasize emphasise highlight underscore stress signal reflect mirror echo show indicate
    demonstrate illustrate suggest project
    """
)

# Times and dates: never speakers, never objects of a report ("agreed Sunday to ...", "Okoro on
# Friday described ...").
TIME_WORDS: frozenset[str] = words(
    """
    monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow tonight
    week weekend month year morning afternoon evening night day time january february march
    april may june july august september october november december
    """
)

# Verbs whose subject says again what a statement says: "Choe reiterated Kim's stance that ..."
# is Choe's statement; after any other verb ("Critics welcomed Ruiz's declaration of ...") the
# statement stays its own speaker's.
RELAY_VERBS: frozenset[str] = words(
    """
    reiterate repeat echo reaffirm restate mirror convey relay voice express recall cite quote
    invoke confirm stress underscore emphasize emphasise highlight outline detail present
    deliver make issue read announce state declare say add note
    """
)

# Verbs that name: as a participle after a noun ("a ferry called “Sea Lark”", "a dog named
# Rex") they give a thing its name; nobody says anything.
NAMING_VERBS: frozenset[str] = words("call name dub nickname title term label brand")

# Verbs whose subject must be a document, a poll or a study to report ("a poll shows ...").
DOCUMENT_VERBS: frozenset[str] = words("show find suggest indicate reveal conclude estimate")

# Phrasal cues: the particle opens the content ("called for talks", "pointed to the cracks").
PARTICLE_CUES: dict[str, frozenset[str]] = {
    "call": words("for on"),
    "talk": words("about of"),
    "speak": words("about of on out"),
    "point": words("to out"),
    "refer": words("to"),
    "warn": words("of about against"),
    "hint": words("at"),
    "comment": words("on"),
    "complain": words("about of"),
    "argue": words("for against"),
    "push": words("for"),
    "advocate": words("for"),
    "commit": words("to"),
    "testify": words("about on"),
    "boast": words("about of"),
    "joke": words("about"),
    "brag": words("about"),
    "write": words("about of"),
}

# Phrasal cues that report only with their particle ("pointed to the cracks", "pushed for
# talks"); "talked about" and "spoke of" name a topic, not what was said.
PARTICLE_ONLY_VERBS: frozenset[str] = words("point refer push advocate")

# Every form of a phrasal cue's verb -> its particles ("pointed" -> to, out).
PARTICLE_CUE_FORMS: dict[str, frozenset[str]] = {
    form: particles for lemma, particles in PARTICLE_CUES.items() for form in _forms(lemma)
}

# Nouns naming a statement; their complement is its content ("Wang Yi's declaration of
# opposition to hegemonism", "the claim that ...").
STATEMENT_NOUNS: frozenset[str] = words(
    """
    statement declaration remark comment announcement assertion claim warning pledge vow
    promise insistence accusation allegation denial admission criticism argument suggestion
    proposal assurance threat prediction charge complaint explanation response reply answer
    call demand appeal belief view opinion position stance hope fear concern doubt
    confidence warning message tweet post letter speech testimony remarks comments
    reassurance commitment willingness readiness determination intention intent
    """
)

# Verbs that report only when a quote follows them at once ("He continued, “...”"); elsewhere
# they narrate ("the rain continued").
QUOTE_LEAD_VERBS: frozenset[str] = words("continue")

# Prepositions that open where or when something was said ("said on the “Harbour Hour” show",
# "told reporters at the pier"): a quote inside such a phrase names the occasion.
OCCASION_PREPOSITIONS: frozenset[str] = words("on at in during via")

# Nouns of a credit phrase "in X's words", "in Ruiz's view": X is the source of the clause.
CREDIT_NOUNS: frozenset[str] = words("words view opinion estimation reckoning telling")

# Nouns after "expressed" / "voiced" that name the attitude reported ("expressed willingness").
ATTITUDE_NOUNS: frozenset[str] = words(
    """
    willingness readiness hope hopes concern concerns support desire confidence regret
    opposition determination commitment intention intent gratitude condolences satisfaction
    disappointment doubt doubts skepticism scepticism belief sympathy solidarity frustration
    anger outrage alarm optimism pessimism interest preference wish wishes dismay approval
    disapproval sentiment sentiments view views shock surprise astonishment amusement fear fears
    anxiety unease irritation exasperation relief pride reservations
    """
)

# Verbs of speech whose object is the listener, not the content ("told reporters that ...").
LISTENER_CUES: frozenset[str] = words(
    "tell assure reassure inform remind warn urge ask promise notify brief advise"
)

# Sources that are documents: they "say", "show" and "find" ("the report found that ...").
DOCUMENT_SOURCES: frozenset[str] = words(
    """
    report reports poll polls survey surveys study studies analysis memo letter email
    statement editorial article filing lawsuit complaint ruling document documents data
    research paper review audit assessment indictment affidavit transcript release
    communique communiqué declaration resolution bill ad ads advertisement post tweet
    website page book column op-ed blog video broadcast result results polling record
    average count evidence finding findings estimate estimates opinion opinions tally figures
    numbers projection projections model forecast forecasts
    """
)

# Quantities of people that speak ("most said", "one of them told", "none replied").
PEOPLE_QUANTIFIERS: frozenset[str] = words(
    """
    one some many most all both few none half majority majorities minority everyone everybody
    someone somebody anyone nobody others other another two three four five several each
    dozens hundreds thousands more percent
    """
)

# Verbs by which someone puts out a statement or a message that then speaks for them ("Lee
# issued a statement saying ...", "the campaign sent a text saying ...").
ISSUING_VERBS: frozenset[str] = words("issue send release publish post put tweet email deliver")

# Events, activities, abstractions and things: never speakers ("The meeting highlighted ...",
# "The discussions emphasized ..."); such a clause is narration, not a quote.
NON_SPEAKER_NOUNS: frozenset[str] = words(
    """
    meeting meetings talks talk discussion discussions summit summits visit visits conference
    session sessions pact pacts accord accords agreement agreements deal deals move moves
    development developments footage image images photo photos picture pictures trip trips
    parade parades ceremony ceremonies gathering gatherings dialogue dialogues exchange
    exchanges relationship relationships ties tie cooperation partnership partnerships
    strategy strategies policy policies program programs programme initiative initiatives
    decision decisions event events election elections war wars crisis conflict
    conflicts attack attacks incident incidents situation trend trends shift shifts change
    changes rise fall growth decline increase decrease effort efforts attempt attempts
    plan plans idea ideas issue issues problem problems question questions debate debates
    vote votes result results outcome outcomes rally rallies protest protests march
    tension tensions relations year years day days week weeks month months
    time times moment history future past era period fact facts reality truth news story
    stories headline headlines development dynamics landscape order stability security
    economy economies market markets trade prices price rate rates number
    numbers law laws rule rules measure measures sanction sanctions step steps action actions
    process approach system systems region regions area areas world nation's
    anniversary celebration celebrations showcase display exercise exercises drill drills
    launch launches test tests missile missiles weapon weapons ambition ambitions
    perception perceptions context backdrop implication
    implications impact impacts consequence consequences signal signals sign signs
    symbol symbols pivot recalibration realignment alignment axis front spotlight attention
    eyes focus role sentiment emphasis importance significance need
    """
)

# Speaking nouns beyond SPEAKER_NOUNS, derived from the entity annotation of the GUM treebank
# (CC BY 4.0): common-noun heads annotated as persons or organisations in at least 60% of
# their mentions. Loaded from quotes/data/speaking_nouns.txt.


def _data_words(name: str) -> frozenset[str]:
    path = Path(__file__).resolve().parent / "data" / name
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


SPEAKING_NOUNS: frozenset[str] = (
    _data_words("speaking_nouns.txt") | SPEAKER_NOUNS | ORGANIZATION_WORDS | GROUP_WORDS
)

CUE_LEMMAS: frozenset[str] = SPEECH_VERBS | COGNITION_VERBS | STANCE_VERBS | INFINITIVE_VERBS
CUE_FORMS: dict[str, str] = {
    form: lemma for lemma in sorted(CUE_LEMMAS | DOCUMENT_VERBS) for form in _forms(lemma)
}
"""Every inflected form of a cue verb -> its lemma ("echoed" -> "echo")."""


def cue_lemma(word: str, tagged: str | None = None) -> str | None:
    """The cue lemma of a word: from its form first, then from the tagger's lemma.

    Example:
        >>> cue_lemma("Echoed"), cue_lemma("went", "go")
        ('echo', None)
    """
    lemma = CUE_FORMS.get(word.lower())
    if lemma is not None:
        return lemma
    tagged_lemma = (tagged or "").lower()
    return tagged_lemma if tagged_lemma in CUE_LEMMAS | DOCUMENT_VERBS else None
