"""Cue lexicons, the state-outlet registry, quotation spans, and a fast batch matcher.

The word lists ship as package data in ``framing/resources/`` (see ``SOURCES.md`` there). Matching
runs one compiled regular expression over a whole batch of sentences joined together, then maps
matches back to sentences by offset, so the cost is one C-level scan per batch, not per cue.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import threading
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources
from itertools import accumulate
from operator import methodcaller

import numpy as np

# The feature columns, in order. Counts are per sentence; "_out" = outside direct quotes.
# "ambiguous" is the lexicon's second tier: words charged in many uses and neutral in others ("bizarre",
# "radical"); they count only in loaded_ambiguous, never in loaded_out, so the classifier weighs them apart
# "loaded_reported": strict loaded terms outside quotes that stand in attributed indirect speech ("the ministry
# said the drills were a provocation"); they count in loaded_out as well, and the classifier learns how much
# less they say about the author (the codebook gives such words to the speaker, but an author's sneer inside
# a paraphrase, "FEMA said it had approved a measly $137 million", is the author's)
# "editorial_reported": editorial cues outside quotes that stand in attributed indirect speech ("critics say the plan
# is a waste of money", "has been criticised as a cash grab"); like loaded_reported they count in editorial_out as
# well, and the classifier learns how much less they say about the author (the codebook gives an attributed verdict
# to its speaker; in the real-news dev halves 13% of the sentences whose only editorial cues stand so are
# editorializing, against 51% with one in the author's own clause)
# "subjective": words outside quotes that TextBlob's sentiment lexicon (the Pattern lexicon of English adjectives,
# shipped in the textblob package) rates highly subjective ("ridiculous", "spectacular", "naive"): an evaluation the
# author may be making, read by the editorializing classifier only (see subjective_words)
# "valence": words outside quotes that VADER's sentiment lexicon (shipped in the vaderSentiment package) gives a
# strong mean valence either way ("disastrous", "brilliant", "shameful", "scandal"): what a text feels about its
# subject, which a subjectivity list of adjectives misses in nouns and verbs; read by the editorializing classifier
# only (see valence_words)
LOADED_GROUPS = ["pejorative_label", "intensifier", "politicised_name", "propaganda_euphemism", "dehumanising", "sneer", "evaluative", "ambiguous"]
EDITORIAL_GROUPS = ["interpretive_verb", "evaluative_adjective", "certainty_adverb", "deontic", "prediction", "stance_adverb"]
CUE_FEATURES = [
    "hedge", "hedge_modal", "hedge_adverb", "hedge_verb", "hedge_weasel", "hedge_distancing", "hedge_outlook",
    "not_hedge", "loaded_out", "loaded_in", *[f"loaded_{g}" for g in LOADED_GROUPS],
    "editorial_out", *[f"editorial_{g}" for g in EDITORIAL_GROUPS],
    "outlet", "state_generic", "channel", "attribution",
    "outlet_attributed", "channel_attributed", "dateline_credit", "independent_outlet", "nongov_speaker", "quote_share", "has_quote",
    "question", "unattributed", "first_person_plural", "channel_gov", "channel_nongov", "channel_speaks",
    "channel_mention", "channel_unowned", "loaded_reported", "subjective", "valence", "editorial_reported",
]
INSTITUTION_KINDS = {"ministry", "department", "agency", "military", "police", "executive_office"}
_NAME_LEFT_RE = re.compile(r"((?:(?:[A-Z][\w’'.-]*|of|and|for|the)\s+)*)$")
# "we", "our", "us" as words, not "US" (the country). As written first, r"\b(?:[Ww]e|WE|[Oo]ur|OUR|[Uu]s)\b"
# (every alternative starts and ends with a word character, so each \b tests one neighbour); here the
# pattern starts with a set of first letters, which lets the engine skip to the positions holding one
_FIRST_PERSON_RE = re.compile(r"[WwOoUu](?<!\w[WwOoUu])(?:(?<=[Ww])e|(?<=W)E|(?<=[Oo])ur|(?<=O)UR|(?<=[Uu])s)(?!\w)")
_HEDGE_GROUPS = {
    "modal": "hedge_modal", "adverb": "hedge_adverb", "adjective": "hedge_adverb", "verb": "hedge_verb",
    "weasel": "hedge_weasel", "quantifier_vague": "hedge_weasel", "distancing": "hedge_distancing", "outlook": "hedge_outlook",
}
# Independent and public-service outlets: attribution to them is a hard negative for state_media.
_INDEPENDENT = [
    "Reuters", "Associated Press", "AP", "AFP", "Agence France-Presse", "Bloomberg", "BBC", "NPR", "PBS", "CNN",
    "The New York Times", "New York Times", "The Washington Post", "Washington Post", "The Guardian", "Financial Times",
    "The Wall Street Journal", "Wall Street Journal", "Deutsche Welle", "DW", "Yonhap", "Kyodo", "NHK", "ABC News",
    "CBS News", "NBC News", "Al-Monitor", "Politico", "Axios", "The Economist", "Le Monde", "Der Spiegel", "dpa",
    "EFE", "ANSA", "Interfax", "Meduza", "Novaya Gazeta", "NK News", "Daily NK", "Radio Free Asia", "RFE/RL",
    "Voice of America", "VOA", "The Times", "The Telegraph", "Sky News", "France 24", "Euronews", "Nikkei", "South China Morning Post",
]
# Acronyms of bodies that are not a government's channel (intergovernmental bodies, NGOs): matched
# case-sensitively; the full names are in resources/non_government_speakers.tsv.
_NONGOV_ACRONYMS = ["UN", "UNHCR", "UNICEF", "UNESCO", "UNRWA", "OCHA", "IMF", "WHO", "WTO", "NATO", "EU", "IAEA",
                    "OPEC", "ASEAN", "OSCE", "OECD", "ICC", "ICJ", "ICRC", "MSF", "HRW", "CPJ", "IOM", "WFP", "AU",
                    "ECOWAS", "SADC", "CSTO", "ECB", "EMA", "ECDC",
                    # company suffixes: "Crane Co. said", "Upjohn Inc. said" speak for a company
                    "Co.", "Corp.", "Corp", "Inc.", "Inc", "Ltd", "Ltd.", "LLC", "plc", "PLC", "GmbH", "Holdings"]
# Whose channel is it? A statement, spokesperson or briefing belongs to the nearest speaker named in
# this window (characters before / after the channel phrase): a government institution, a state outlet or
# a government word ("channel_gov") or a non-government body ("channel_nongov": "an IMF spokesperson said
# in a statement" is not a government's channel). A linear model cannot learn this interaction by itself.
_OWNER_LEFT, _OWNER_RIGHT = 80, 40
# a bare channel phrase: after an article, an attribution lead, a speech verb or a quotation's end ("the spokesman said",
# "according to spokesman Todd Mesek", '"...," spokesman Jeff Bechdel said'), with no owner's name before it
_BARE_CHANNEL_RE = re.compile(r"(?:(?:^|[\s,;(])(?:[Tt]he|[Aa]|[Aa]ccording\s+to|said|says|added|told)|[,.!?—-][\"”'’]+|[\"”'’]+,)\s+$")
_SPOKES_RE = re.compile(r"spokes(?:man|woman|person|people|men|women)\b", re.IGNORECASE)
_FORMER_RE = re.compile(r"\b(?:former|ex-|one-time|onetime)\s*(?:[\w-]+\s+){0,2}$", re.IGNORECASE)
_GOV_WORD_RE = re.compile(r"\b(?:government|governmental|minister|kremlin|pentagon|white house|downing street|ministry|ministries|"
                          r"ministerial|cabinet|presidency|presidential(?![ \t]+(?:campaign|candidate|race|election|hopeful|"
                          r"nominee|debate|primary|primaries|bid|contender|run))|foreign office|state department|police|army|"
                          r"military|navy|armed forces|coast guard|embassy|consulate|interior|defen[cs]e|"
                          # heads of government by title, not a company's ("the company's president"); a governor, a
                          # mayor or a premier after a possessive is a government's ("Chicago's mayor said in a
                          # statement")
                          r"(?<!['’]s )(?<!['’]s vice )(?:vice president|president|chancellor)|"
                          r"(?:prime minister|premier|governor|"
                          # the usual abbreviation of news style ("Gov. Terry Branstad said in a statement")
                          r"gov(?=\.\s)|mayor|sheriff|ambassadors?|attorney general|"
                          # officials of local government who may speak through a channel ("District Attorney Rachel
                          # Moyer told a news conference", "Fire Chief Darnell Hayes said at a news conference")
                          r"district attorney|state['’]s attorney|police chief|fire chief|chief constable|coroner|"
                          r"medical examiner)|"
                          r"(?:city|county|borough|shire|district|town|municipal|parish|regional|provincial) council)\b", re.IGNORECASE)
_NONGOV_WORD_RE = re.compile(r"\b(?:opposition|party|company|companies|firm|corporation|group|"
                             # a trade union, not "the State of the Union" (address) nor the European or Soviet Union
                             r"(?<!state of the )(?<!european )(?<!soviet )union|association|federation|"
                             r"foundation|institute|university|hospital|charity|campaign|league|club|rebels?|militia|"
                             r"newspaper|broadcaster|lawyers?|(?<!district )(?<!state['’]s )attorneys?(?! general)|"
                             r"family|mother|father|developer|operator|insurer|"
                             r"airline|carrier|manufacturer|maker|retailer|producer|miner|investors?|owner|organi[sz]ation)\b",
                             re.IGNORECASE)


def _ascii_fold(rx: re.Pattern) -> re.Pattern:
    """The case-sensitive twin of a lower-case IGNORECASE pattern, for :func:`_finditer_ci`."""
    assert rx.flags & re.IGNORECASE and rx.pattern == rx.pattern.lower()
    return re.compile(rx.pattern, rx.flags & ~re.IGNORECASE)


_FOLDED = {rx: _ascii_fold(rx) for rx in (_GOV_WORD_RE, _NONGOV_WORD_RE)}  # not _FIRST_PERSON_RE: case decides "US"


def _finditer_ci(rx: re.Pattern, text: str):
    """``rx.finditer(text)`` for one of the lower-case IGNORECASE patterns in ``_FOLDED``. On ASCII text
    (lower() keeps offsets, and no non-ASCII character can fold to a pattern letter) the case-sensitive
    twin over ``text.lower()`` finds the same spans several times faster."""
    if text.isascii():
        return _FOLDED[rx].finditer(text.lower())
    return rx.finditer(text)


# a speaker after the channel phrase: "a spokesperson for the ministry", "a statement from the party"
_OWNER_AFTER_RE = re.compile(r"\s*,?\s*(?:(?:issued|released|published|posted)\s+)?(?:for|of|from|by|at|on)\s")
# a proper name owning the channel: "(a|an) Upjohn spokesman", "Sun Microsystems' spokeswoman" (left) and
# "a spokesman for Seagram", "a statement from Pathway Communications" (right)
_OWNER_LEFT_NAME = r"((?:[A-Z][\w&.-]*(?:['’]s)?\s+){1,4})$"
_OWNER_LEFT_NAME_RE = re.compile(r"(?:^|\b(?:an?|the|An?|The)\s+)" + _OWNER_LEFT_NAME)
# a spokesperson's owner may also stand right after a speech verb or a comma ("said RNC spokesman Sean Spicer", "In a
# statement Thursday, Clinton spokesman Jesse Ferguson said"); a statement's may not (", Ibama said in a statement"
# is its speaker, whoever that is)
_SPOKES_OWNER_LEFT_NAME_RE = re.compile(r"(?:^|\b(?:an?|the|An?|The|said|says|told|tells|added|according\s+to)\s+|,\s+)"
                                        + _OWNER_LEFT_NAME)
_OWNER_RIGHT_NAME_RE = re.compile(r"\s*(?:for|of|from)\s+(?:the\s+)?((?:[A-Z][\w&.-]*\s*){1,4})")
# an owner named by a head of government's or state's title: "a spokesperson for Prime Minister Keir Starmer"
# "a spokesman for Pennsylvania Attorney General Josh Shapiro": the title may follow a place or department name
_STATE_TITLE_RE = re.compile(r"\b(?:Prime Minister|President|Vice President|Chancellor|Premier|Governor|Mayor|King|Queen|"
                             r"Minister|Secretary of State|Secretary|Attorney General|Ambassador|Sheriff|Emir|Crown Prince|"
                             r"Sheikh)\b")
# a local government named as an owner ("Bergen County land records", "a Cook County spokesman")
_LOCAL_GOV_RE = re.compile(r"\b(?:County|Borough|Township|Parish)$")
# capitalised words that are not an owner's name (sentence starts, titles, days)
_GENERIC_CAPS_RE = re.compile(r"(?:(?:A|An|The|In|On|At|But|And|Meanwhile|However|Deputy|Chief|Senior|Former|Acting|"
                              r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\s*)+")
# Modals that are as common in neutral reporting ("the banks must wait 30 days", "the summit will be held")
# as in opinion, and evaluative words that mostly report a fact ("the launch was successful", "the talks
# failed"; flagged sentences with them were editorializing in a fifth of the real-news dev halves, or less):
# they count in their own group column only, not in "editorial_out".
_WEAK_EDITORIAL = {"must", "must not", "will be", "will not", "won't", "wo n't", "need to", "needs to", "has to", "have to",
                   "should", "should not", "will continue", "will remain",
                   "in fact", "dangerous", "failed", "successful", "vital", "reflect", "failure", "essential"}
# Codebook v42: a verb of criticism that reports what someone said is a reporting verb however strong ("Biden
# trashed Trump as unqualified", "Thunberg lambasted business elites for", "was blasted by critics"; like "slammed",
# the codebook's example). With a word after it that can open an object, an agent or a verdict ("slammed the
# plan", "blasted lawmakers", "was slammed by critics", "slams 'disgraceful verdict'"), it is neutral, as a technical
# phrase of not_loaded.tsv is; a noun compound ("liberal-bashing") and the verb with a particle or nothing after it
# ("slammed shut", "slammed into", "trashed.") stay.
_CRITICISM_VERBS = frozenset(
    f"{stem}{end}" for stems, ends in (
        (("slam",), ("", "s", "med", "ming")), (("blast", "trash", "lambast", "bash"), ("", "s", "es", "ed", "ing")),
        (("lambaste", "excoriate", "berate"), ("", "s", "d")), (("excoriat", "berat", "lambast"), ("ing",)),
        (("pillor",), ("ied", "ies", "y", "ying")), (("savag",), ("ed", "ing")),
        (("ripped", "rips", "ripping", "tore", "tears", "tearing", "laid", "lays", "laying"), (" into",)),
        (("rail", "railed", "rails", "railing"), (" against",)))
    for stem in stems for end in ends)
_CRITICISM_OBJECT_RE = re.compile(
    r"[ \t]+(?!(?i:shut|open|off|out|through|into|away|down|up|apart|onto|past|across|around|ahead|to|in|from|with|"
    r"and|or|but|than)\b)[\w@$“\"‘']")


def _reports_criticism(joined: str, a: int, b: int) -> bool:
    """Does the criticism verb at ``joined[a:b]`` report what someone said (a word after it that can open an object,
    an agent or a verdict, and no hyphen joining it to a noun before)? See _CRITICISM_VERBS."""
    return (a == 0 or joined[a - 1] not in "-‐–") and _CRITICISM_OBJECT_RE.match(joined, b) is not None
# the cue kinds a technical phrase of not_loaded.tsv cancels inside its span ("sanctions regime", "real estate")
_NEUTRALISED = ("loaded", "editorial")
_ATTR_NEAR = 60  # characters between an attribution phrase and an outlet/channel to call it "attributed"
# Attributed indirect speech: the clause after a reporting verb ("said the drills were...", "accused Kyiv of...",
# "describing it as...", what follows "portrayed him as") up to the next clause break, and everything before a trailing attribution ("...,
# police said."). Verbs that also report the author's own reading ("believes", "called for", "maintains its
# policy") and "so-called" are left out.
_REPORTING_RE = re.compile(
    # the verbs' first letters, or a word after "what" (the "what critics call" branch below), looked for first: the
    # engine then skips the other positions at once (the same matches, in about two thirds of the time)
    r"(?:(?=[a-einprstw])|(?<=what[ \t])|(?<=which[ \t]))"
    r"(?<!so-)\b(?:said|says|say|saying|told\s+(?:\w+\s+){0,3}?(?:that\s+)?|claimed|claims|claiming|argued|argues|"
    r"arguing|insisted|insists|asserted|asserts|warned that|warns that|contended|contends|stated|declared|declares|"
    r"complained|complains|charged|alleged|alleges|added|adds[ \t]+that|adding|noted|noting|notes[ \t]+that|"
    # "points out that the inquiry was botched" (the speaker's reading, not the author's)
    r"point(?:s|ed|ing)?[ \t]+out[ \t]+that|"
    # the plural present of a group's reported speech ("opponents argue the law is draconian", "critics describe
    # it as", "Democrats accuse him of"); not "claim", also a noun and an act ("claim victory")
    r"argue|insist|assert|contend|complain|allege|describe|accuse|denounce|dismiss|warn[ \t]+that|"
    # a speaker's explanation or telling; not a thing's ("that explains the farce", "this tells you everything")
    r"(?<!\bthat[ \t])(?<!\bthis[ \t])(?<!\bwhich[ \t])(?<!\bit[ \t])(?<!\bwhat[ \t])"
    r"(?:explain(?:ed|s|ing)|tells[ \t]+(?:\w+[ \t]+){0,3}?(?:that[ \t]+)?)|wrote|writes|accused|accusing|accuses|"
    r"described|describes|describing|calling|branded|brands|denounced|denounces|dismissed|pointed to|points to|"
    # a post's reported clause ("tweeted that the vote was rigged"); not its object, which the author describes ("tweeted a
    # vile attack on the judge")
    r"regretted|ruled that|(?:re)?tweet(?:ed|s|ing)[ \t]+that|posted[ \t]+(?:on[ \t]+\w+[ \t]+)?that|"
    # "what they call the radical agenda", "what he called the Brussels bureaucrats", "which Ankara calls FETO": the
    # name is the speaker's
    r"(?:(?<=what[ \t])|(?<=which[ \t]))(?:\w+[ \t]+){1,3}?(?:call|calls|called|term|terms|termed|dub|dubs|dubbed|"
    r"describe|describes|described|see|sees|saw|view|views|viewed|label|labels|labell?ed)|"
    # a speaker's name for something ("opponents call the plan a giveaway", "called him a liar"); not a request or an
    # appeal ("called for", "called on"), a phrasal verb ("called off") or a name given ("a town called Hope"); and
    # a speaker's word for it without an article ("opponents call it cruel", "called them traitors"; not "call it
    # quits" or "called it off")
    r"call(?:s|ed)?(?=[ \t]+(?:(?:it|them|him|her)[ \t]+(?!(?:quits|off|a[ \t]+day|in|into|out|up|back)\b)[a-z]|"
    r"(?!(?:for|on|upon|off|out|up|in|into|back|at|to|over|it[ \t]+quits)\b)\w+[ \t]+(?:\w+[ \t]+){0,3}(?:a|an)\b)))"
    r"\b(?!-)", re.IGNORECASE)
# verbs that give the speaker's picture of an object the author names: only what follows "as" (or "to" after "compared")
# is the speaker's
# ("portrayed Mr. Trump as a nasty and divisive candidate"; "labeled Swetnick's salacious allegations" keeps the
# author's "salacious")
_PORTRAYING_RE = re.compile(r"(?=[abcdhlmprstv])"  # the verbs' first letters, looked for first (as above)
                            r"(?:\b(?:portray(?:ed|s|ing)?|characteri[sz](?:ed|es|ing)|paint(?:ed|s|ing)|label(?:l?ed|s)|"
                            # condemnation with its verdict ("has been widely condemned as fearmongering")
                            r"condemn(?:ed|s|ing)|decr(?:ied|ies|ying)|denounc(?:ed|es|ing)|"
                            # criticism or praise with its verdict ("blasted the bill as a power grab", "slammed the
                            # policy as cruel", "hailed the deal as a triumph") and a group's perception ("supporters see
                            # him as a heroic defender"; the codebook's "what they see as")
                            r"blast(?:ed|s|ing)|slamm(?:ed|ing)|slams|attack(?:ed|s|ing)|criticiz(?:ed|es|ing)|"
                            r"criticis(?:ed|es|ing)|ridicul(?:ed|es|ing)|mock(?:ed|s|ing)|derid(?:ed|es|ing)|"
                            r"lambast(?:ed|s|ing)|assail(?:ed|s|ing)|hail(?:ed|s|ing)|prais(?:ed|es|ing)|tout(?:ed|s|ing)|"
                            r"(?:see|sees|saw|seeing|view|views|viewed|viewing|regard|regards|regarded)(?=[ \t]+(?:him|her|them|it|"
                            r"the|this|that|his|her|their|its|a|an)\b)|"
                            r"refer(?:red|s|ring)?[ \t]+to)\b"
                            r"[^,;:]{1,120}?\bas\b|"
                            # "compared Soros, a Jew, to a puppet master": what follows "to" is the speaker's picture;
                            # not the author's own "compared with last year" (no object between verb and preposition)
                            r"\b(?:compar(?:ed|es|ing)|liken(?:ed|s|ing))\s+(?!to\b|with\b)[^;:]{1,80}?\b(?:to|with)\b)",
                            re.IGNORECASE)
_CLAUSE_END_RE = re.compile(r"[,;:][\"”’']?\s|\s[—–-]+\s")
# an item of a list after a comma: one to three words before the next comma, or the last item to the sentence's end
# ("dangerous and provocative", "underfunded and unworkable in its current form", an Oxford comma's "and cruel"); not
# a clause of its own ("but officials denied it", ", and the regime jailed its leaders", "who ...", "he said")
_LIST_ITEM_RE = re.compile(r"(?!(?:but|while|who|which|that|when|where|as|because|since|if|though|although|he|she|"
                           r"they|it|we|I|according)\b)(?:[\w’'-]+(?:[ \t]+[\w’'-]+){0,2}(?=,[ \t])|"
                           r"(?:[\w’'-]+[ \t]+){1,2}(?:and|or)[ \t]+[\w’'-]+(?:[ \t]+[\w’'-]+){0,5}\W*$|"
                           r"(?:and|or)[ \t]+[\w’'-]+(?:[ \t]+[\w’'-]+)?\W*$)")
_TRAILING_ATTRIBUTION_RE = re.compile(
    # up to twelve words of speaker ("..., a spokesperson for the DPRK Ministry of National Defence said in a press
    # statement on Tuesday.")
    r",\s*(?!(?:who|which|that|and|but)\b)(?:[\w.'’-]+\s+){1,12}"
    r"(?:said|says|say|told\s+[\w ]{1,30}|added|wrote|argued|argue|warned|warn|claimed|claim|insisted|insist|contend|"
    r"contended)\b(?:\s+[\w.-]+){0,6}\W*$",
    re.IGNORECASE)
# a speech tag set off by commas inside the sentence ("They would rightly object, he said, if they lived ..."): the whole
# sentence around it is the speaker's; not a tag after a closing quotation mark ("'We are not afraid,' said Halima
# Yusuf, 34, whose husband ..."), where the quotation is the speaker's and what follows the tag the author's
_PARENTHETICAL_ATTRIBUTION_RE = re.compile(
    r",\s*(?!(?:who|which|that|and|but|if|when|as)\b)(?!['’`])(?:[\w.'’-]+\s+){1,4}"
    r"(?:said|says|say|added|wrote|argued|argue|warned|claimed|insisted|insist|contended|contend|believes|thinks)\b"
    r"(?:\s+[\w.-]+){0,4},\s", re.IGNORECASE)
# Does a named government institution speak, or is it only mentioned? It speaks as the subject of a
# speech verb ("the Home Office said", "ICE's spokesman told", "NASA, in a statement, said") or as the
# source after an attribution lead ("according to the CDC", "said the Interior Ministry"). Mentioned only:
# an actor, an object, an employer or a place ("sued the State Department", "worked at the Treasury").
# "released" reports what a body makes public ("the ministry released figures", "NASA releases images"), not whom or
# what it sets free or pays out ("police released the suspect", "released 200 political prisoners", "released $2
# billion in frozen funds"): those are actions reported as fact (codebook: government actions)
_RELEASED_ACTION = (r"(?!\s+(?:him|her|them|\$|(?:[\w$,.'’-]+\s+){0,3}?(?i:suspects?|prisoners?|detainees?|hostages?|"
                    r"inmates?|captives?|convicts?|migrants?|protesters?|activists?|journalists?|dissidents?|soldiers?|"
                    r"sailors?|fishermen|crew|men|women|children|man|woman|boy|girl|people|funds?|money|"
                    r"aid|loans?|water|reserves?|oil|grain|payments?)\b|"
                    # others' papers handed over, with nothing said of what they show ("the State Department released
                    # 1,000 pages of emails", "the FBI released its notes of the interview"; codebook v40): an action;
                    # "released documents showing that ..." still speaks
                    r"(?:[\w$,.'’-]+\s+){0,4}?(?i:e-?mails?|documents?|pages|files|notes|records|transcripts?|cables)\b"
                    r"(?![^.;]*\b(?i:show|shows|showed|showing|reveal\w*|indicat\w*|says?|said|saying|suggest\w*|"
                    r"detail\w*|describ\w*|confirm\w*)\b)))")
_SPEECH_VERBS = (r"(?:said|says|say|stated|states|announced|announces|reported|reports|confirmed|confirms|told|tells|"
                 # "added" says something, unless it adds a number or puts someone on a list ("the ministry added 11
                 # companies to its unreliable entity list", "the agency added $2 billion"): an action reported as fact
                 r"add(?:ed|s)(?![ \t]+(?:\$|\d|(?:[\w$,.'’-]+[ \t]+){0,10}?to[ \t]+(?:its|the|their|a|an)[ \t]+"
                 r"(?:[\w-]+[ \t]+){0,3}?(?i:list|blacklist|register|registry|roster|database|watchlist|watch[ \t]+list)\b))|"
                 r"noted|notes|warned|warns|estimated|estimates|claimed|claims|denied|denies|insisted|"
                 r"disclosed|revealed|acknowledged|"
                 # "releases": a headline's present ("NASA releases images")
                 r"wrote|tweeted|posted|published|releas(?:ed|es)" + _RELEASED_ACTION + r"|"
                 # pictures or figures a body shares ("Toronto Police Service shared surveillance images of a man"), not
                 # a concern, a stage or a border it shares
                 r"shar(?:ed|es)(?=[ \t]+(?:[\w-]+[ \t]+){0,2}?(?i:images?|footage|videos?|photos?|photographs?|"
                 r"pictures?|stills|figures|data|statistics)\b)|"
                 # a warrant, a permit or an order issued is a legal act ("Portland police issued a warrant"), not speech
                 r"issued(?!\s+(?:an?\s+|the\s+|its\s+)?(?:[\w-]+\s+){0,2}?(?i:warrants?|subpoenas?|citations?|tickets?|"
                 r"permits?|licen[cs]es?|visas?|passports?|fines?|summons|orders?|bonds?|indictments?)\b)|"
                 r"urged|predicted|forecast|"
                 r"projected|publishes|"
                 # a body's or an outlet's picture of something ("state TV portrayed the protesters as rioters", "RT
                 # covered the vote as a reunification"), and what it showed or aired
                 r"portrayed|portrays|characteri[sz]ed|characteri[sz]es|dubbed|branded|labell?ed|"
                 r"covered(?=\s[^.;:]{1,80}?\bas\b)|showed|aired|airs|"
                 # codebook v27: a finding declared (an outbreak, a toll) speaks; a declaration that is a legal act
                 # (a riot, a curfew, a state of emergency) is an action
                 r"declar(?:ed|es)(?!\s+(?i:(?:an?\s+|the\s+)?(?:riot|curfew|unlawful|martial|war\b|"
                 r"(?:(?:public\s+)?health\s+)?"
                 r"(?:state\s+of\s+)?(?:emergency|disaster|siege)|"
                 # a zone or area it closes ("declared a closed military zone around the town", "a no-fly zone")
                 r"(?:[\w-]+\s+){0,2}(?:zone|area|corridor)\b|(?:a\s+|the\s+)?(?:national\s+)?(?:day|days|period)\s+of\s+mourning)))|"
                 r"alleged|accused|blamed|described|called|cited|explained|argued|responded|replied|maintained|"
                 r"recommended|recommends|advised|advises|admitted(?![^.;:]{0,60}\binto\b)|admits|admit|conceded|concedes|acknowledges|"
                 r"contends|contended|insists|maintains|asserts|asserted|argues|countered|counters|stressed|stresses|"
                 r"emphasized|emphasizes|emphasised|emphasises|reiterated|reiterates|"
                 # codebook v26: an institution speaks with any speech verb, an evaluative one included
                 r"blasted|slammed|criticized|criticised|criticizes|criticises|condemned|condemns|denounced|"
                 r"denounces|praised|praises|hailed|hails|"
                 # a headline's present ("White House Blasts Senate Republicans", "Ministry Reveals Toll")
                 r"blasts|slams|reveals|discloses|urges|predicts|describes|explains|accuses|alleges|blames|cites|"
                 r"responds|replies|lauds|touts|defends|disputes|laments|"
                 # a person welcomed or admitted into a country is an action ("the Home Office welcomed him into Britain")
                 r"welcom(?:ed|es)(?![^.;:]{0,60}\binto\b)|lauded|touted|vowed|vows|pledged|"
                 r"pledges|promised|promises|demanded|demands|disputed|disputes|objected|complained|"
                 r"lamented|cautioned|cautions|signaled|signalled|signals|defended|"
                 r"reaffirmed|reaffirms|expressed|expresses|"
                 # the present after a plural body, as live blogs and headlines write it ("Police announce the suspect's
                 # name", "authorities confirm two deaths"); not the forms that are also nouns ("police report", "police
                 # release", "ministry estimate", "police note")
                 r"announce|confirm|tell|warn|deny|disclose|reveal|acknowledge|urge|predict|describe|explain|argue|"
                 r"respond|reply|stress|emphasi[sz]e|reiterate|condemn|denounce|insist|caution|"
                 r"repeat|repeats|repeated|"
                 # codebook v37: a finding the institution declares ("the Justice Department found that"; "police
                 # found the gun" is an action), and an institution relaying others' words ("the agency quoted")
                 r"(?:found|finds|concluded|concludes|determined|determines|calculated|calculates)(?=\s+that\b)|quoted|quotes|"
                 # r47's reading of the dev halves: a finding the body declares about a person or a thing ("police
                 # identified the shooter as", "the department has deemed the pages personal", "judged it worse")
                 r"identified(?=\s[^.;:]{1,80}?\bas\b)|identifies(?=\s[^.;:]{1,80}?\bas\b)|deemed|deems|judged|"
                 # a body's listing of a figure or a status ("the agency lists the population as 21,090", "the Census
                 # Bureau listed him as missing"), like a finding
                 r"list(?:s|ed)(?=\s[^.;:]{1,80}?\bas\b)|"
                 # codebook v27: a public reaction told in a figure of speech
                 r"poured\s+cold\s+water|pours\s+cold\s+water|brushed\s+(?:off|aside)|brushes\s+(?:off|aside)|"
                 r"pushed\s+back\s+(?:on|against)|"
                 r"pushes\s+back\s+(?:on|against)|"
                 r"downplayed|downplays|"
                 # a public rejection of others' words or calls ("the Kremlin dismissed the report as fabricated", "the
                 # ministry rejected the claims"); not of an application, a bill or an appeal, which is an action
                 r"(?:rejected|rejects|dismissed|dismisses)(?=\s+(?:as\b|(?:[\w’'-]+\s+){0,3}?(?:claims?|accusations?|"
                 r"allegations?|reports?|charges?|criticism|suggestions?|assertions?|characteri[sz]ations?|remarks?|"
                 r"comments?|rumou?rs?|speculation|concerns?|calls?|demands?|notion|idea|stories|story|findings?|"
                 r"conclusions?|statements?|warnings?|threats?|ultimatum|proposals?)\b))|"
                 # a figure the body states ("the Interior Ministry put the death toll at 40"), like a declared one
                 r"puts?(?=\s+(?:the\s+|its\s+)?(?:[\w-]+\s+){0,2}?(?:toll|number|figure|"
                 r"total|count|cost|estimate)\s+(?:(?:of|from|in)\s+[\w\s-]{1,60}?\s+)?"
                 r"(?:at|above|below|near|around)\b)|"
                 # and a revision of one ("the civil protection agency raised the death toll to 267", "the ministry
                 # lowered its estimate of the dead to 40")
                 r"(?:rais|increas|revis|lower|updat)(?:ed|es)(?=\s+(?:the\s+|its\s+)?(?:death\s+|official\s+|overall\s+|"
                 r"final\s+|casualty\s+)?(?:toll|tally|count|estimate|figure)\s+(?:(?:of|from|in)\s+[\w\s]{1,40}?\s+)?"
                 r"(?:to|from)\b)|"
                 # the progressive ("the White House is saying"); not a passive ("was told")
                 r"(?:is|are|was|were|has\s+been|have\s+been)\s+(?:saying|insisting|arguing|warning|claiming|urging|stressing|"
                 r"emphasi[sz]ing|signal(?:l)?ing|touting|pushing\s+back))")
# verbs that put the speaker after them ("said the Interior Ministry"); not verbs whose object follows
# ("described the White House as", "accused the ministry of")
_INVERTED_SPEECH = r"(?:said|says|say|added|adds|noted|stated|wrote|warned|explained|announced|continued|reported)"
_SPEAKS_AFTER_RE = re.compile(r"(?:['’]s?)?(?:[\s,]+(?:spokes\w+(?:\s+[A-Z][\w.-]*){0,3}|\([A-Z][\w.&-]{1,12}\)|"
                              # the body's acronym after its name, bracketed or not ("the disaster management
                              # authority AFAD said")
                              r"[A-Z]{2,}[A-Z&-]*(?![\w’'])|"
                              r"(?:in|at)\s+[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*){0,2}|press|secretary|statement|in|a|"
                              # the rest of a name the list matched only in part ("The Bureau" + "of Labor Statistics
                              # said", "the Department" + "of Health and Human Services said", "the Ministry of
                              # Commerce" + "and Industry said")
                              r"(?:of|for)\s+(?:the\s+)?[A-Z][\w.-]*(?:\s+(?:and\s+)?[A-Z][\w.-]*){0,3}|"
                              r"and\s+[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*){0,2}|"
                              # the rest of a longer name than the list's ("the Treasury" + "Department said")
                              r"(?i:department|ministry|office|agency|service)|"
                              # the body's own inquiry or report (codebook v24: "an FBI investigation said", "the
                              # agency's review found")
                              r"(?i:investigation|probe|inquiry|review|audit|report|study|analysis|assessment|"
                              r"commentary|editorial)|"
                              r"an|the|its|also|later|earlier|previously|has|had|have|late|early|on|this|last|week|"
                              # time and sequence adverbs without "-ly" ("the FBI now says", "the Kremlin has long
                              # insisted", "police then said", "the ministry has already confirmed"); not "never" ("the
                              # CIA has never revealed the names" attributes nothing, like a refusal to comment)
                              r"now|still|long|again|already|then|first|initially|too|since|once|"
                              # a time phrase between body and verb ("less than two weeks ago said")
                              r"ago|less|than|more|two|three|four|five|six|several|few|\d+|hours?|days|weeks|"
                              r"months?|years?|"
                              r"\w+day|\w+ly|"
                              # a relative clause set off by commas ("the Foreign Ministry, which oversees the talks,
                              # said")
                              r"which\s+[^,;:.\n\"“”]{1,70}(?=,)|"
                              # an appositive set off by commas ("Ofsted, the government's schools inspectorate,
                              # said"); not one that calls the body independent of the state ("the Human Rights
                              # Commission of Pakistan, an independent watchdog, said")
                              r"(?:the|an?)\s+(?!(?:[\w’'-]+\s+){0,5}?(?:independent|non-?governmental|non-?profit|"
                              r"private|charity|charitable|advocacy|campaign|opposition)\b)"
                              r"(?:[\w’'-]+\s+){0,6}?[\w’'-]+(?=,)|"
                              # the body's own sources set off by commas ("The Interior Ministry, quoting eyewitnesses,
                              # said", "the army, citing intelligence reports, said")
                              r"(?:quoting|citing)\s+[^,;:.\n\"“”]{1,60}(?=,)))"
                              r"{0,5}[\s,]+" + _SPEECH_VERBS + r"\b")
_SPEAKS_BEFORE_RE = re.compile(r"\b(?i:according\s+to|as\s+per|citing|as\s+reported\s+by|"
                               # "Per the IDF Spokesperson's Unit" (not "per cent", "per day": a name or "the" follows)
                               r"(?-i:[Pp]er)(?=\s+(?:the\s|[A-Z]))|"
                               # a body's own document after the lead ("according to the daily summary of the Russian
                               # Defence Ministry", "citing a statement issued by the ministry")
                               r"(?:according\s+to|citing|as\s+per)\s+(?:the|a|an|its)\s+(?:[\w-]+\s+){0,2}?"
                               r"(?:summary|report|statement|bulletin|update|briefing|readout|tally|figures|data|assessment|"
                               r"communiqu[eé]|notice|press\s+release|release)\s+(?:of|from|by|issued\s+by|released\s+by)|"
                               # a passive attribution; since codebook v27 any of these participles ("the outbreak,
                               # declared by the health ministry")
                               r"(?:cited|quoted|reported|declared|announced|confirmed|released|published|issued|disclosed|"
                               # codebook v38: information handed out by the body ("numbers given out by police",
                               # "data provided by the health ministry", "figures compiled by the statistics office")
                               r"provided|supplied|compiled|presented|given\s+out|made\s+public)"
                               # a day between ("a transcript released Wednesday night by the Senate Judiciary
                               # Committee", "data released Friday by state gaming regulators")
                               r"(?:\s+(?:on\s+)?(?:(?-i:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|yesterday|today|"
                               r"earlier|late|last\s+(?:week|month|year))(?:\s+(?:morning|afternoon|evening|night))?)?"
                               r"\s+by|"
                               r"figures\s+from|data\s+from|statement\s+(?:from|by)|spokes\w+\s+(?:for|of|at)|"
                               # criticism the body voiced ("came under fire from the State Department")
                               r"under\s+fire\s+from|criticism\s+from|a\s+rebuke\s+from|condemnation\s+from|"
                               # an official recording ("newly released audio from the county fire department")
                               r"(?:audio|video|footage|recordings?|images|photos|photographs)\s+from|"
                               r"release\s+(?:from|by)|(?:study|report|analysis|survey|assessment|audit|review|estimates?|"
                               r"findings|forecast|projections?|statistics|records)\s+(?:from|by)|"
                               # a table's or a chart's credit line ("Source: BLS", "Sources: U.S. Census Bureau")
                               r"(?-i:Sources?|SOURCES?|Data):|"
                               + _INVERTED_SPEECH + r")\s+(?:(?:the|a|an|its|U\.S\.|new|recent|latest|preliminary|annual|"
                               # a lower-case possessive before the body ("according to the country's Health Ministry",
                               # "according to the city's police department")
                               # and a country's or a body's possessive ("according to Russia's Defence Ministry",
                               # "figures from Ukraine's Prosecutor General's Office")
                               r"internal|updated|final|provisional|revised|[A-Z][\w.-]*(?:['’]s)?|[a-z]+['’]s|"
                               # a lower-case adjective of the body's standing ("according to the nonpartisan
                               # Congressional Budget Office")
                               # and of its level ("data released Friday by state gaming regulators")
                               r"nonpartisan|non-partisan|bipartisan|independent|federal|official|state|county|city|"
                               r"local)\s+){0,4}$")
# the body's own data, records or website cited as the source (codebook state_media: "Federal Election Commission
# records show", "FBI statistics show", "FBI data disclosed on Tuesday showed", "the FBI's own data indicate"); not
# filings others make to it ("the campaign's FEC filings" are the campaign's), and only with a verb of showing
# and, after a possessive, its own papers with up to two words of their subject between ("the Home Office's immigration
# white paper says", "the ministry's new guidance states")
_DOC_ADJ = r"(?:\s+(?i:own|latest|new|newest|recent|annual|monthly|weekly|official|final|preliminary|updated|internal))?"
_DOC_SPEAKS_RE = re.compile(r"(?:(?:['’]s?)?" + _DOC_ADJ + r"\s+(?i:data|statistics|figures|records|numbers|estimates|"
                            r"documents|website|survey)|['’]s" + _DOC_ADJ + r"\s+(?:[a-z][\w-]*\s+){0,2}?(?i:white\s+paper|"
                            r"green\s+paper|memo|memorandum|guidance|decree|bulletin|circular|notice|letter|release|readout|"
                            r"assessment|forecast|projections))\b(?:[\s,]+[\w.’'-]+){0,4}?[\s,]+(?i:show|shows|showed|showing|"
                            r"indicate|indicates|indicated|reveal|reveals|revealed|suggest|suggests|suggested|say|says|"
                            r"said|states|stated|finds|found|concludes|concluded|warns|warned)\b")
# the phrase itself: "police said"; a listed phrase may also end in a finding ("inspector general concluded")
# (a listed body's phrase may end in its channel: "police said in a statement")
_SPEAKS_IN_PHRASE_RE = re.compile(r"\b(?i:" + _SPEECH_VERBS + r"|concluded|concludes|found|finds|believe|believed)"
                                  r"(?i:[ \t]+in[ \t]+a[ \t]+statement)?$")
# Codebook (hedging, vague attribution): an unnamed collective of commentators behind a claim, "experts say",
# "some analysts have warned", "political scientists say"; not a group introduced as specific ("the
# analysts", "these economists") nor one placed ("economists at the bank said": the verb must follow).
# Found on the lower-cased text in two steps, the same spans as the one pattern _VAGUE_ATTRIBUTION_RE
# (a test compares them) at a tenth of its time: the speech verb after a plural's "s" (a pattern that starts
# with one literal character), then the collective noun and its modifiers just before it.
_VAGUE_NOUNS = (r"experts|analysts|critics|observers|economists|scientists|scholars|historians|commentators|pundits|"
                r"strategists|insiders|skeptics|sceptics|detractors|researchers|campaigners|advocates|opponents|voices|"
                # and other professions speaking as a field ("security specialists say", "doctors say over-usage ...")
                r"specialists|academics|doctors|physicians|epidemiologists|psychologists|ethicists")
_VAGUE_VERBS = (r"say|said|says|argue|argued|believe|believed|warn|warned|warning|note|noted|contend|contended|suggest|"
                r"suggested|fear|feared|worry|worried|predict|predicted|expect|expected|complain|complained|think|"
                r"thought|caution|cautioned|speculate|speculated|doubt|doubted|question|questioned|wonder|wondered|"
                r"compare|compared|counter|countered|"
                # a label they give ("a bill that critics called anti-gay"), not a demand ("critics called for")
                r"(?:call|calls|called|describe|describes|described|dub|dubbed|label|labeled|labelled)"
                r"(?![ \t]+(?:for|on|upon|off|out|back|up|in|it[ \t]+quits)\b)")
# codebook v33: a part of a party or a camp left unnamed ("some Democrats question", "many conservatives fear"), only
# with a quantifier ("Democrats say" is the party)
_VAGUE_CAMPS = r"democrats|republicans|conservatives|liberals|progressives|moderates|tories|lawmakers|legislators"
# the camp with the chamber or wing named ("some House Republicans", "many rank-and-file Democrats"): still unnamed
_VAGUE_CAMP_WINGS = r"house|senate|congressional|gop|democratic|republican|rank-and-file|establishment|moderate|centrist"
_VAGUE_LEFT = (r"(?<![\w-])(?<!the )(?<!these )(?<!those )(?:(?:(?:some|many|most|other|several|numerous|a number of)\s+)?"
               r"(?:(?:political|legal|health|public health|foreign policy|security|climate|industry|market|military)\s+)?"
               r"(?:" + _VAGUE_NOUNS + r")|(?:some|many|several|a number of)\s+(?:(?:" + _VAGUE_CAMP_WINGS + r")\s+)?"
               r"(?:" + _VAGUE_CAMPS + r"))")
# "critics in both parties quickly compared", "some House Republicans privately question"
_VAGUE_TAIL = (r"(?:\s+(?:in|from|on)\s+both\s+(?:parties|sides|camps)|"
               # a place ("observers in Islamabad note", "analysts in Seoul say")
               r"\s+in\s+(?!both\b)[\w'’.-]+(?:\s+(?!(?:have|had|are|were|also|long|now|still)\b)[\w'’.-]+)?"
               # or two ("some Democrats in Michigan and Wisconsin privately question")
               r"(?:\s+and\s+[\w'’.-]+)?)?"
               r"\s+(?:have\s+|had\s+|are\s+|were\s+|also\s+|long\s+|"
               r"quickly\s+|privately\s+|publicly\s+|openly\s+|now\s+|still\s+|increasingly\s+)?(?:" + _VAGUE_VERBS +
               r")(?![\w-])")
_VAGUE_ATTRIBUTION_RE = re.compile(_VAGUE_LEFT + _VAGUE_TAIL, re.IGNORECASE)  # the reference
_VAGUE_VERB_RE = re.compile(r"s" + _VAGUE_TAIL)  # on lower-cased text
_VAGUE_LEFT_RE = re.compile(_VAGUE_LEFT + r"$")
_VAGUE_WINDOW = 60  # characters before the verb that can hold the collective and its modifiers


# codebook v33: a headline's "Report:" tag is an unsourced report ("Report: Walker to speak at convention")
_REPORT_TAG_RE = re.compile(r"^(?:[Rr]eports?|REPORTS?)[ \t]*:(?=[ \t])", re.MULTILINE)


# codebook v25 (hedging): unsourced reports are vague attribution ("there were reports that"); the hedge list has the
# bare phrases, this pattern the ones with a time or a qualifier between ("there were reports on Thursday that",
# "there have also been unconfirmed reports in recent days of")
_UNSOURCED_REPORTS_RE = re.compile(
    r"\bthere[ \t]+(?:were|are|(?:have|has|had)[ \t]+(?:also[ \t]+)?been|was|is)[ \t]+(?:also[ \t]+)?"
    r"(?:(?:unconfirmed|widespread|conflicting|persistent|several|numerous|multiple|many|some|growing|new|fresh)[ \t]+)?"
    r"(?:reports|rumou?rs)[ \t]+(?:(?:on|since|in|last|this|earlier|late|early|over|throughout)[ \t]+"
    r"(?:[\w,'’-]+[ \t]+){1,3}?)(?:that|of)\b", re.IGNORECASE)
# a headline's trailing tag naming an unnamed collective ("Russia's War Economy Is Running Out of Steam – Analysts"):
# vague attribution, like "analysts say"
_VAGUE_TAG_RE = re.compile(r"[ \t](?:[–—-]|--)[ \t]*(?:Analysts|Experts|Observers|Critics|Economists|Scientists|"
                           r"Commentators|Pundits|Insiders|Historians|Scholars)[ \t]*$", re.MULTILINE)


def unsourced_report_spans(text: str, low: str | None = None) -> list[tuple[int, int]]:
    """Spans of unsourced reports with words between and of a headline's trailing vague tag (see above); ``text``
    may hold several sentences, one per line."""
    return (_spans_on_lines(_UNSOURCED_REPORTS_RE, text, low, ("reports", "rumors", "rumours"))
            + _spans_on_lines(_VAGUE_TAG_RE, text, low, ("analysts", "experts", "observers", "critics", "economists",
                                                          "scientists", "commentators", "pundits", "insiders",
                                                          "historians", "scholars")))


# a channel that opens the sentence and its clause attributes what follows, as "In a statement," does (the list has the
# fixed phrases): "In his weekly radio address, Obama called on ...", "At a news conference in Tokyo on Friday, Blinken"
_LEAD_CHANNEL_RE = re.compile(
    r"^[^\w\n]*(?:In|At|During)[ \t]+(?:his|her|their|its|an?|the)[ \t]+(?:[\w'’-]+[ \t]+){0,3}?"
    r"(?:address|speech|statement|news[ \t]+conference|press[ \t]+conference|briefing|communiqu[eé]|video[ \t]+message)"
    r"(?=[^,\n]{0,40},)", re.MULTILINE)


def lead_channel_spans(text: str, low: str | None = None) -> list[tuple[int, int]]:
    """Spans of a channel phrase opening its sentence and clause (see above); ``text`` may hold several sentences, one
    per line; only the lines holding a channel word are searched."""
    return _spans_on_lines(_LEAD_CHANNEL_RE, text, low, ("address", "speech", "statement", "conference", "briefing",
                                                          "communiqu", "message"))


def report_tag_spans(text: str, low: str | None = None) -> list[tuple[int, int]]:
    """Spans of a sentence-initial "Report:" tag; ``text`` may hold several sentences, one per line."""
    return _spans_on_lines(_REPORT_TAG_RE, text, low, ("report",))


def vague_attribution_spans(text: str, low: str | None = None) -> list[tuple[int, int]]:
    """The spans of ``_VAGUE_ATTRIBUTION_RE`` in ``text``, found verb first (see above); ``low``:
    ``text.lower()`` if the caller has it."""
    low = text.lower() if low is None else low
    if len(low) != len(text):  # lower() changed a length (e.g. "İ"): the one pattern, case-insensitively
        return [m.span() for m in _VAGUE_ATTRIBUTION_RE.finditer(text)]
    out = []
    for m in _VAGUE_VERB_RE.finditer(low):
        a = max(0, m.start() + 1 - _VAGUE_WINDOW)
        left = _VAGUE_LEFT_RE.search(low, a, m.start() + 1)
        if left is not None:
            out.append((left.start(), m.end()))
    return out


# Codebook (hedging, words that mark a claim as unproven): "claims that" (distancing) is in the lexicon; the
# same verb before a clause without "that" is found by pattern: "he claims his plan will create jobs", "is
# claiming he is working to protect", "Claims He Was Shaped by ...". The clause must have a subject (a
# pronoun, a determiner and up to four words, or one or two words) and a finite verb or modal. Not the noun ("the claims he
# made", "insurance claims were", "Clinton's Claim That ...") nor other senses ("claimed the lives of",
# "claimed victory", "Beijing claims almost all of the sea"). Found on the lower-cased text: the verb first,
# then the clause after it.
_CLAIM_VERB_RE = re.compile(r"claim(?:s|ed|ing)?[ \t]+")  # a literal start: the fast search (word start checked after)
_CLAIM_CLAUSE_RE = re.compile(
    r"(?:(?:he|she|they|it|we|i|you)[ \t]+(?:[\w'’-]+[ \t]+){0,2}?|"
    r"(?:his|her|their|its|the|a|an|this|these|those|our|my)[ \t]+(?:[\w'’-]+[ \t]+){0,4}?|"
    # or one or two words with no determiner ("claiming abortion is", "claims climate policy will"), not an object
    # or a preposition ("claimed responsibility", "claims more than")
    r"(?!(?:that|to|of|in|on|for|with|by|at|from|responsibility|credit|victory|more|over|up|about)\b)"
    r"[a-z][\w'’-]*[ \t]+(?:[a-z][\w'’-]*[ \t]+)?)"
    r"(?:will|would|is|are|was|were|has|have|had|can|could|did|does|do|may|might|must|should|wo|ca)(?:n['’]t)?(?![\w-])")
# or a name for subject (on the text as written: one to four capitalised words, "of", "for" or "and" between
# them): "the media claims Buttigieg doesn't have", "Sanders Claims Medicare for All Will Save"
_CLAIM_NAME_CLAUSE_RE = re.compile(
    r"(?!(?:That|The|This|These|Those|An?|It|There)\b)[A-Z][\w'’.-]*(?:[ \t]+(?:(?:of|for|and)[ \t]+)?[A-Z][\w'’.-]*){0,3}[ \t]+"
    r"(?:(?i:will|would|is|are|was|were|has|have|had|can|could|did|does|do|may|might|must|should|wo|ca)(?:n['’]t)?(?![\w-])|"
    # or a verb in the present ("claims Gulen runs a network")
    r"[a-z]{3,}s(?![\w'’-]))")
# "claimed" as a speech tag after a quotation ('"...," the 22-year-old claimed.', '..." Branch claims;') or before its
# speaker ('"...," claimed Branch'): distancing like "claims that" (codebook version 32)
_CLAIM_TAG_RE = re.compile(r"[\"”’'],?[ \t]+(?:[\w.'’-]+[ \t]+){0,5}?(claim(?:s|ed))[ \t]*(?:[.!?;,]|$)|"
                           r"[,!?][\"”’'][ \t]+(claim(?:s|ed))[ \t]+(?=[A-Z])", re.MULTILINE)
_CLAIM_NOUN_BEFORE = frozenset("""the a an his her their its these those such false any no of insurance jobless unemployment
benefit damage injury legal land territorial maritime disability compensation""".split())  # noqa: SIM905


def distancing_claim_spans(text: str, low: str | None = None) -> list[tuple[int, int]]:
    """Spans of the verb "claim(s/ed/ing)" before a clause without "that" (see above); ``low``:
    ``text.lower()`` if the caller has it."""
    low = text.lower() if low is None else low
    if len(low) != len(text):  # lower() changed a length (e.g. "İ"): offsets must stay the text's own
        low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    out = []
    for m in _CLAIM_VERB_RE.finditer(low):
        k = m.start()
        if k and (low[k - 1].isalnum() or low[k - 1] in "_-"):
            continue  # inside a word ("disclaims", "counter-claims")
        if not _CLAIM_CLAUSE_RE.match(low, m.end()) and not _CLAIM_NAME_CLAUSE_RE.match(text, m.end()):
            continue
        before = low[max(0, m.start() - 20):m.start()].rsplit("\n", 1)[-1].split()  # this sentence's words only
        if before and (before[-1] in _CLAIM_NOUN_BEFORE or before[-1].endswith(("'s", "’s"))):
            continue  # the noun: "the claims he made were false"
        out.append((m.start(), m.start() + len(m.group(0).rstrip())))
    for start in _lines_with(low, ("claim",)):  # the speech tag, searched only on the lines holding "claim"
        end = text.find("\n", start)
        for m in _CLAIM_TAG_RE.finditer(text, start, len(text) if end < 0 else end):
            out.append(m.span(1 if m.group(1) is not None else 2))
    return out


# "May" the month or the name, not the modal ("a May 2013 attempt", "May's government", "Theresa May said"):
# a capitalised "May" before a year or "'s", or inside a sentence that is not in title case (at the sentence's
# start, "May God bless", or in a headline, "Prices May Rise", it is left to the phrase lists and the model).
_MAY_RE = re.compile(r"May(?![\w-])")  # a literal start, for a fast search; the character before is checked after
_MAY_YEAR_RE = re.compile(r"May(?:[ \t]+(?:1[5-9]|20)\d\d(?!\d)|['’]s(?!\w))")
# "May" before a finite verb the modal never takes ("May was the hottest on record", "May has been busy"): the month,
# even as a sentence's first word
_MAY_VERB_RE = re.compile(r"May[ \t]+(?:was|is|has|had|saw|brought|marked|ended|began|proved|became|remains|"
                          r"remained|"
                          # or any verb in the third person or the past, which the modal never takes before it ("Brian
                          # May performs", "May called the vote"); not an adverb ("may always", "may perhaps") or a
                          # base form ending so ("may focus", "may pass", "may need", "may proceed")
                          r"(?!(?:always|perhaps|afterwards|nowadays|besides|indeed)\b)"
                          r"[a-z]+(?:[b-df-hj-np-rtv-z]s|[^e\W]ed)|"
                          r"said|told|wrote|led|won|lost|met|spoke|took|gave|made|went|came|got|ran|sang)\b")
_CAPITAL_WORD_RE = re.compile(r"\b[A-Za-z][a-z]{3,}\b")


# the sentiment lexicons' words capitalised inside a sentence are a name's ("the United States", "the Democratic Party",
# "the Justice Department", "the Affordable Care Act", "Liberty University"), not an evaluation; a headline in title
# case capitalises every word, so there they count
_NAME_BLIND_KINDS = frozenset({"valence", "subjective"})
_SENTENCE_OPENERS = frozenset(".!?:;\"“‘'(—–-[")


def _in_a_name(sent: str, start: int, text: str) -> bool:
    """Is the word ``text`` at ``sent[start:]`` capitalised inside the sentence (not at its start, after a colon or
    an opening quotation mark), in a sentence that is not a title-case headline?"""
    if not text[:1].isupper() or text.isupper():
        return False
    k = start - 1
    while k >= 0 and sent[k].isspace():
        k -= 1
    if k < 0 or sent[k] in _SENTENCE_OPENERS:
        return False
    return not _is_title_case_headline(sent)


@lru_cache(maxsize=4096)
def _is_title_case_headline(sent: str) -> bool:
    """A headline in title case: most long words capitalised (:func:`_title_case`) and no full stop at the end."""
    return not sent.rstrip().rstrip("\"”’'").endswith(".") and _title_case(sent)


def _title_case(sent: str) -> bool:
    """Whether most of ``sent``'s words of four letters or more are capitalised (a headline in title case)."""
    words = _CAPITAL_WORD_RE.findall(sent)
    return bool(words) and sum(w[0].isupper() for w in words) >= 0.6 * len(words)


# A headline in title case ("Russian Defence Ministry Says Air Defences Downed 41 Drones", "NASA Says Flyby Slips")
# capitalises the verbs and small words that the attribution rules read in lower case: in such a headline they are read
# lower-cased (one character for one, so every offset holds); names, acronyms and all other words keep their case.
_HEADLINE_LOWER = frozenset("""
    say says said saying tell tells told add adds added notes noted warn warns warned claims claimed deny denies
    denied insist insists insisted confirm confirms confirmed announce announces announced reports reported stated
    reveal reveals revealed disclose discloses disclosed acknowledge acknowledges acknowledged write writes wrote
    tweets tweeted posts posted publishes published releases released issued urge urges urged predict predicts
    predicted forecasts projected portrays portrayed dubs dubbed brands branded labels labelled labeled airs aired
    declare declares declared estimates estimated puts blasts blasted slams slammed criticises criticised criticizes
    criticized condemn condemns condemned accuse accuses accused reject rejects rejected dismiss dismisses dismissed
    vows vowed pledges pledged calls called demands demanded welcomes welcomed hails hailed praises praised explain
    explains explained describe describes described orders ordered according citing cited quoted quoting via
    to in on at of for by from with over after before as amid into about the an and or but its his her their it that
    this than
""".split())
_HEADLINE_WORD_RE = re.compile(r"(?<=[ \t(\[\"“‘'—–-])[A-Z][a-z]+\b")


def headline_lowercased(sentences: Sequence[str]) -> Sequence[str]:
    """``sentences`` with each title-case headline's verbs of attribution and small words lower-cased (see
    ``_HEADLINE_LOWER``; not a headline's first word); the same list when none is a title-case headline."""
    out: list[str] | None = None
    for i, s in enumerate(sentences):
        if not _is_title_case_headline(s):
            continue
        new = _HEADLINE_WORD_RE.sub(lambda m: m.group().lower() if m.group().lower() in _HEADLINE_LOWER else m.group(),
                                    s)
        if new != s:
            if out is None:
                out = list(sentences)
            out[i] = new
    return sentences if out is None else out


def match_as_read(sentences: Sequence[str]) -> tuple[Sequence[str], list[list[Match]]]:
    """The sentences as the cue features read them (:func:`headline_lowercased`) and the matcher's matches of those,
    each match's ``text`` as written in the sentence given (the offsets are the same)."""
    read = headline_lowercased(sentences)
    matches = get_matcher().match(read)
    if read is not sentences:
        for i, (given, seen) in enumerate(zip(sentences, read)):
            if given is not seen:
                for m in matches[i]:
                    m.__dict__["text"] = given[m.start:m.end]
    return read, matches


def month_or_name_may_spans(text: str) -> list[tuple[int, int]]:
    """Spans of "May" that are the month or a name, not the modal (see above); ``text`` may hold several
    sentences, one per line."""
    out = []
    for m in _MAY_RE.finditer(text):
        a = m.start()
        prev = text[a - 1] if a else ""
        if prev.isalnum() or prev in ("_", "-") or (prev in ("'", "’") and a > 1 and text[a - 2].isalnum()):
            continue  # inside a word ("DisMay", "O'May"; not after an opening quotation mark, "'May was ...")
        if _MAY_YEAR_RE.match(text, a) or _MAY_VERB_RE.match(text, a):
            out.append((a, m.end()))
            continue
        line_start = text.rfind("\n", 0, a) + 1
        before = text[line_start:a].rstrip(" \t")
        if not before.strip("\"“‘'([—–-") or before[-1:] in "\"“‘':":
            continue  # the first word of the sentence or of a quotation: perhaps the modal ("May God bless")
        line_end = text.find("\n", a)
        if not _title_case(text[line_start:len(text) if line_end < 0 else line_end]):
            out.append((a, m.end()))
    return out


# Codebook (state_media): "a head of state's or government's own social-media posts, a personal account used in
# office included ('Trump tweeted that ...')", and a governor's or a mayor's own statement. Found by pattern: the
# title as the subject, its holder's name after it, then a posting verb ("President Trump tweeted", "the
# president took to Twitter", "Mayor Libby Schaaf tweeted") or, later in the clause, where it was posted ("the
# president made his comments in a series of tweets"), or a head named without the title, as in the codebook's own
# example, from resources/heads_of_government.tsv and regional_heads.tsv ("Trump tweeted", "Putin wrote on Telegram",
# "Kasich tweeted"; not after another capitalised word: "Ivanka Trump tweeted"). Not a former holder ("former Governor
# X tweeted"), a candidate ("presidential candidate Donald Trump took to Twitter"), a title in a phrase ("supporters
# of President Assad tweeted") nor a company's president ("the company's president tweeted"). Counted as a channel,
# and a government-owned one (channel, channel_gov).
_HEAD_TITLE = (r"(?<![Vv]ice )(?<![Vv]ice-)(?<!['’]s vice )"
               # a president or chancellor after a possessive may be a company's or a university's ("Ford's president");
               # a premier, governor, chief minister or mayor after one is a government's ("Assam's chief minister")
               r"(?:(?<!['’]s )(?:President|president|Chancellor)|Prime Minister|prime minister|Premier|premier|Gov\.|"
               # the holder's name, a lower-case particle included ("Mayor Bill de Blasio")
               # codebook v38: a regional executive's head by another title
               r"Governor|governor|Chief Minister|chief minister|Mayor|mayor)(?![\w-])"
               r"(?:[ \t]+(?:(?:de|van|von|da|di|del|der|la|le|bin)[ \t]+)?[A-Z][\w.'’-]*){0,3}")
_NETWORK = r"(?:[Tt]witter|Facebook|Instagram|Truth Social|Telegram|Weibo|X)(?![\w-])"
# what follows the poster: a posting verb, or later in the clause where it was posted
_POST_TAIL = (
    # a relative pronoun after the poster ("Oakland Mayor Libby Schaaf, who tweeted out a warning"), then an adverb,
    # or a day ("Trump on Sunday retweeted"), between the poster and the verb
    r"(?:,[ \t]+who(?=[ \t]))?"
    r"(?:(?:[ \t]+(?:has|had|also|then|later|again|once|soon|quickly|repeatedly|(?:on[ \t]+)?(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
    r"(?:[ \t]+(?:morning|afternoon|evening|night))?))?[ \t]+"
    r"(?:(?:re)?tweeted|took[ \t]+to[ \t]+(?:" + _NETWORK + r"|social[ \t]+media)|"
    # a post sent ("Trump sent out a tweet", "fired off a late-night tweet")
    r"(?:sent|fired|put)(?:[ \t]+(?:out|off))?[ \t]+an?[ \t]+(?:[\w-]+[ \t]+){0,2}?tweets?(?![\w-])|"
    # "wrote on his Truth Social platform", "said on the Telegram messaging app"
    r"(?:posted|wrote|said|announced|declared|shared|complained|boasted)[ \t]+(?:on|to)[ \t]+"
    # (or "social media": "Premier Janet Kowalski posted on social media that")
    r"(?:(?:his|her|their|its|the)[ \t]+(?:(?:official|personal|own|verified)[ \t]+)?)?"
    r"(?:" + _NETWORK + r"|social[ \t]+media))|"
    # or a gerund later in the clause ("Trump lost no time in tweeting his delight"), or a participle after a comma
    # ("Trump has criticized Sessions before, tweeting in June that")
    # (or after a comma: "Governor Babajide Sanwo-Olu, in a post on his verified X handle, said")
    r",?(?:[ \t]+[\w'’.-]+){1,12}?(?:,[ \t]+(?:re)?tweeting(?![\w-])|"
    r"[ \t]+(?:(?:in|by)[ \t]+(?:re)?tweeting(?![\w-])|"
    r"in[ \t]+(?:(?:an?|his|her|one|another)[ \t]+)?(?:[a-z-]+[ \t]+){0,2}?"
    r"(?:series[ \t]+of[ \t]+)?(?:[Tt]weets?|video[ \t]+messages?)(?![\w-])|"
    r"on[ \t]+(?:(?:his|her|the)[ \t]+(?:(?:official|personal|own|verified)[ \t]+)?)?"
    + _NETWORK + r"|in[ \t]+an?[ \t]+(?:[a-z]+[ \t]+)?(?:" + _NETWORK + r"|social[ \t]+media)[ \t]+post)))")
_HEAD_POST_RE = re.compile(_HEAD_TITLE + _POST_TAIL)
# or the holder's name first, the title in an appositive ("Yevgeny Balitsky, the Moscow-installed governor of the
# occupied parts of the Zaporizhzhia region, wrote on Telegram"); not a former holder, and not "president", which
# names a company's head as often as a country's ("Tim Cook, the president of Apple, tweeted")
_APPOSITIVE_POST_RE = re.compile(
    r"[A-Z][\w.'’-]*(?:[ \t]+(?:(?:de|van|von|da|di|del|der|la|le|bin)[ \t]+)?[A-Z][\w.'’-]*){0,3},[ \t]+the[ \t]+"
    r"(?!(?i:former|ex-|outgoing|late|one-time|onetime|then)\b)(?:[\w'’-]+[ \t]+){0,2}?"
    r"(?:governor|mayor|prime[ \t]+minister|premier|chancellor|chief[ \t]+minister)(?:[ \t]+of[ \t]+[^,;:\n]{1,90}?)?,"
    + _POST_TAIL)
# or the post first, its poster the subject right after it ("In his Twitter post, Trump also blasted", "In a tweet,
# the president said"); not the poster's relative or aide ("In a tweet, Trump's son said")
_LEAD_POST = (r"(?:\b[Ii]n[ \t]+(?:his|her|an?|one|another)[ \t]+"
              # "In a series of early morning tweets, President Donald Trump announced", "In a video message,
              # Zelensky said"
              r"(?:(?:series|pair|string|flurry|barrage|volley)[ \t]+of[ \t]+)?(?:[\w-]+[ \t]+){0,2}?"
              r"(?:[Tt]weets?|video[ \t]+messages?|"
              + _NETWORK + r"[ \t]+posts?|posts?[ \t]+on[ \t]+" + _NETWORK + r")|"
              # "Writing on X, Governor Kathy Hochul said", "Posting on Telegram, the mayor said"
              r"\b(?:[Ww]riting|[Pp]osting)[ \t]+(?:on|to)[ \t]+" + _NETWORK + r")(?![\w-])(?:[ \t]+[\w'’.-]+){0,3}?"
              # a relative clause about the post between ("In a tweet, which he quickly deleted, the president shared")
              r"(?:,[ \t]+(?:which|that)(?:[ \t]+[\w'’.-]+){1,6},)?,?[ \t]+(?:the[ \t]+)?")
_LEAD_POST_RE = re.compile(_LEAD_POST + r"(" + _HEAD_TITLE + r")(?![\w'’-])(?![ \t]*['’]s\b)")
# or a pronoun that posts, its antecedent a head named earlier in the sentence (codebook: "a pronoun owns a statement
# only through a named antecedent in the same sentence"; "... spoke out against Trump after he announced on Twitter"):
# the antecedent is the last capitalised name before the pronoun, and it must be the head's
_PRONOUN_POST_RE = re.compile(r"\b(?:he|she)" + _POST_TAIL)
_CAPITALISED_RE = re.compile(r"[A-Z][\w'’.-]*")
_PRONOUN_REACH = 160  # characters from the head's name to the pronoun


# The people whose own posts and statements the codebook counts as a government's channel, by name: heads of state and
# of government, and the regional and city executives it counts the same way (a governor's or a mayor's own
# statements and posts; a provincial premier's). Both tables have the columns name, country, office, years.
_HEAD_TABLES = ("heads_of_government.tsv", "regional_heads.tsv")


def _head_rows() -> list[dict]:
    """The rows of :data:`_HEAD_TABLES`, in order."""
    return [row for table in _HEAD_TABLES for row in _read_table(table, "\t")]


def _head_phrases() -> list[tuple[str, str]]:
    """(name, country) of every row of :data:`_HEAD_TABLES`."""
    return [p for table in _HEAD_TABLES for p in _phrases(table, col="name", cat="country")]


@lru_cache(maxsize=1)
def _head_names() -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    """The heads of state and government and the regional heads (:data:`_HEAD_TABLES`) as a pattern (longest name
    first), that pattern followed by a post (:data:`_POST_TAIL`: "Trump tweeted", "Putin wrote on Telegram"), and
    after one (:data:`_LEAD_POST`: "In his Twitter post, Trump"; the name is group 1)."""
    name = _names_regex({n for n, _ in _head_phrases()})
    return re.compile(name), re.compile(name + _POST_TAIL), re.compile(_LEAD_POST + r"(" + name + r")")


def _names_regex(names) -> str:
    """A regex source matching any of ``names`` (longest first) as a whole name: not inside a word or after a
    dot or hyphen ("U.S.-Putin"), not before a "Jr"/"Sr" that makes it another person's."""
    alt = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) or r"(?!x)x"
    # a look-ahead for the names' first characters lets the engine give up at once at the other positions, instead of
    # trying each of some 1,700 alternatives there (the same matches; about four times faster on a sentence)
    first = "".join(sorted({n[0] for n in names})) or "x"
    return r"(?<![\w'’.-])(?=[" + re.escape(first) + r"])(?:" + alt + r")(?![\w'’-])(?![ \t]+(?:Jr|Sr)\b)"


# a capitalised word right before a head's name makes it another person's ("Ivanka Trump", "Michelle Obama"),
# unless it is a word that starts a clause, a day, a month or an honorific ("But Trump tweeted", "On Tuesday Trump
# tweeted", "Ms. Merkel's spokesman"; the registry leaves out surnames that name another public figure, "Clinton")
_CAPITAL_BEFORE_RE = re.compile(r"([A-Z][\w.'’-]*)[ \t]+$")
_NOT_A_FIRST_NAME = frozenset("""And But Then When While After Before As Since Meanwhile Later Earlier Yesterday Today Tonight So Yet
Still Now Here There If Although Though Because Once Also Instead Indeed Finally Again Monday Tuesday Wednesday Thursday
Friday Saturday Sunday January February March April May June July August September October November December
Mr. Ms. Mrs. Mr Ms Mrs""".split())  # noqa: SIM905


# a former holder ("former Florida governor") or a candidate ("Republican presidential candidate Donald Trump"), or the
# title in a phrase that makes it an object ("supporters of President Assad tweeted", "backing embattled President Assad")
_FORMER = (r"(?:former|ex-|one-time|onetime|outgoing|late|candidate|nominee|hopeful|front-?runner|"
           r"contender|challenger)[ \t]+(?:[\w.'’-]+[ \t]+){0,3}")
_FORMER_ONLY_RE = re.compile(r"\b" + _FORMER + "$", re.IGNORECASE)  # a pronoun's antecedent may be an object
_FORMER_BEFORE_RE = re.compile(r"\b(?:" + _FORMER + "|"
                               r"(?:of|for|to|with|by|against|backing|about|from|under|than|like)[ \t]+"
                               # "and" right before the title only: "Jammu and Kashmir Chief Minister" is a place's
                               r"(?:[\w.'’-]+[ \t]+){0,2}|and[ \t]+)$", re.IGNORECASE)


_HEAD_TITLE_RE = re.compile(_HEAD_TITLE)
_WHO_POSTED_RE = re.compile(r",[ \t]+who[ \t]")


def _before_re(post: str) -> re.Pattern:
    """What may not stand before a head's post (its text): a former holder or a candidate only, where a relative clause
    names the poster ("the intervention of Mayor Libby Schaaf, who tweeted out a warning": the clause is the mayor's,
    whatever the phrase around the title), else a title in a phrase as well."""
    return _FORMER_ONLY_RE if _WHO_POSTED_RE.search(post) else _FORMER_BEFORE_RE


def _is_the_head(text: str, a: int, lo: int, by_name: bool = False, before_re: re.Pattern = _FORMER_BEFORE_RE) -> bool:
    """Whether the head's title or name at ``text[a:]`` (its sentence from ``lo``) names a sitting head: not
    a former holder or a candidate, nor a title in a phrase (``before_re``); a name (``by_name``) not
    after another capitalised word ("Ivanka Trump", "Michelle Obama")."""
    if by_name:
        before = _CAPITAL_BEFORE_RE.search(text, max(lo, a - 30), a)
        if before is not None and before.group(1) not in _NOT_A_FIRST_NAME:
            return False
    return before_re.search(text, max(lo, a - 40), a) is None


@lru_cache(maxsize=1)
def _head_countries() -> dict[str, str]:
    """Head's name -> country, from :data:`_HEAD_TABLES` (a name listed for two countries maps to "")."""
    out: dict[str, str] = {}
    for name, country in _head_phrases():
        out[name] = country if out.get(name, country) == country else ""
    return out


def head_post_country(span: str) -> str:
    """The country of the head a head-post span names by a registry name ("President Donald Trump took to Twitter"
    -> "US"), "" when only a title names them ("the president tweeted")."""
    m = _head_names()[0].search(head_post_owner(span))
    if m is not None:
        return _head_countries().get(m.group(0), "")
    m = _owner_names().search(span)  # a senior official owning a channel ("Lavrov's statement")
    return _officials()[0].get(m.group(0), "") if m else ""


_YEARS_RE = re.compile(r"(\d{4})(?:[ \t]*([-–])[ \t]*(\d{4})?)?")


def _terms(years: str) -> list[tuple[int, int]]:
    """A registry's ``years`` cell as inclusive ``(first, last)`` pairs: "2017-2021, 2025-" -> [(2017, 2021),
    (2025, 9999)], "2017" -> [(2017, 2017)]."""
    return [(int(m.group(1)), int(m.group(3)) if m.group(3) else (9999 if m.group(2) else int(m.group(1))))
            for m in _YEARS_RE.finditer(years)]


@lru_cache(maxsize=1)
def _head_years() -> dict[str, tuple[tuple[int, int], ...]]:
    """Head's name -> the years in office from :data:`_HEAD_TABLES` (inclusive ``(first, last)`` pairs, an
    open term ending in 9999; a name listed twice has both people's terms; a row without years: always)."""
    out: dict[str, list[tuple[int, int]]] = {}
    for row in _head_rows():
        name = (row.get("name") or "").strip()
        if not name:
            continue
        terms = _terms(row.get("years") or "")
        out.setdefault(name, []).extend(terms or [(0, 9999)])
    return {n: tuple(t) for n, t in out.items()}


_LETTERS_RE = re.compile(r"[^\W\d_]+")


# Codebook (state_media): an official's statement, news conference or briefing is a government's channel, and "a
# name without a title counts when common knowledge places its bearer in the office at the time of the events
# reported" ("Perez said in a statement" of the Labor Secretary). resources/government_officials.tsv lists senior
# officials (cabinet members, foreign and defence ministers, US governors and big-city mayors) with their years, and
# a listed name owns a channel phrase as a head's does ("Lavrov said in a statement", "Blinken told a news
# conference", "Cuomo's spokesman said"); not a plain "said" (an official speaking with no channel is NO), and not
# their posts (the codebook counts a head's, a governor's and a mayor's own posts, not every official's).
@lru_cache(maxsize=1)
def _officials() -> tuple[dict[str, str], dict[str, tuple[tuple[int, int], ...]]]:
    """From ``government_officials.tsv``: name -> country (a name listed for two countries maps to ""), and name ->
    the years in office (inclusive ``(first, last)`` pairs, an open term ending in 9999)."""
    country: dict[str, str] = {}
    years: dict[str, list[tuple[int, int]]] = {}
    for row in _read_table("government_officials.tsv", "\t"):
        name = (row.get("name") or "").strip()
        if not name:
            continue
        c = (row.get("country") or "").strip()
        country[name] = c if country.get(name, c) == c else ""
        terms = _terms(row.get("years") or "")
        years.setdefault(name, []).extend(terms or [(0, 9999)])
    return country, {n: tuple(t) for n, t in years.items()}


@lru_cache(maxsize=1)
def _owner_names() -> re.Pattern:
    """The heads of state and government, the regional heads and the senior officials as one pattern (longest name
    first): the people whose name owns a channel phrase as a government speaker."""
    heads = {n for n, _ in _head_phrases()}
    return re.compile(_names_regex(heads | set(_officials()[0])))


@lru_cache(maxsize=1)
def _people_years() -> tuple[dict[str, tuple[tuple[int, int], ...]], dict[str, tuple[str, ...]]]:
    """Every registry person's name (heads, regional heads, senior officials, spokespeople) -> the years of all their
    listed posts together, and the names' index by last word."""
    merged: dict[str, list[tuple[int, int]]] = {}
    for table in (_head_years(), _officials()[1], _spokespeople()[1]):
        for name, terms in table.items():
            merged.setdefault(name, []).extend(terms)
    index: dict[str, set[str]] = {}
    for n in merged:
        words = _LETTERS_RE.findall(n)
        if words:
            index.setdefault(words[-1], set()).add(n)
    return {n: tuple(t) for n, t in merged.items()}, {w: tuple(sorted(ns)) for w, ns in index.items()}


def people_out_of_office(text: str, year: int) -> list[tuple[int, int]]:
    """Spans of the registries' people (heads of state and government, regional heads, senior officials,
    spokespeople) named in ``text`` who held none of their listed posts in ``year``: "Trump tweeted" in 2016, "Pompeo
    said in a statement" in 2023, "Earnest said" in 2008. A person listed in two registries is in office while in
    either post. The codebook counts a name without a title only "when common knowledge places its bearer in the
    office at the time of the events reported"; an article's date tells the time, a sentence alone does not."""
    years, by_word = _people_years()
    names = tuple(sorted({n for w in _LETTERS_RE.findall(text) for n in by_word.get(w, ())}))
    if not names:  # no registry name's last word in the sentence: the usual case, about 2 us
        return []
    return [(m.start(), m.end()) for m in _heads_pattern(names).finditer(text)
            if not any(a <= year <= b for a, b in years.get(m.group(0), ((0, 9999),)))]


@lru_cache(maxsize=256)
def _heads_pattern(names: tuple[str, ...]) -> re.Pattern:
    """:func:`_head_names`' name pattern over ``names`` only (longest first, the same look-arounds): the full
    pattern of a thousand names costs about 60 us a sentence."""
    return re.compile(_names_regex(names))


def head_post_owner(span: str) -> str:
    """Who posted, as a head-post span names them: "the president tweeted" -> "president", "President Donald
    Trump took to Twitter" -> "President Donald Trump", "Putin wrote on Telegram" -> "Putin"."""
    m = _HEAD_TITLE_RE.match(span) or _head_names()[0].match(span)
    if m is None:  # the post first: "In his Twitter post, Trump"
        m = _HEAD_TITLE_RE.search(span) or _head_names()[0].search(span)
    return m.group(0) if m else span


def _lines_with(low: str, words: Sequence[str]) -> list[int]:
    """The start offsets, in order, of the lines of ``low`` (sentences joined by line breaks, lower-cased) that hold
    one of ``words``: str.find per word is several times faster than one regular expression of alternatives, so a
    rare pattern is searched only on these lines. On a batch (a long ``low``) every word any rule has asked for is
    looked up at once, in one pass of an Aho-Corasick automaton, and kept for the other rules' calls on the same
    batch (:func:`_batch_word_lines`): the same lines as a scan per word, without scanning the batch once per word."""
    if len(low) >= _BATCH_LINES_MIN:
        with _LINE_LOCK:
            table = _batch_word_lines(low, words)
        lines = set()
        for word in words:
            lines.update(table[word])
        return sorted(lines)
    lines = set()
    for word in words:
        k = low.find(word)
        while k >= 0:
            lines.add(low.rfind("\n", 0, k) + 1)
            end = low.find("\n", k)
            if end < 0:
                break
            k = low.find(word, end)
    return sorted(lines)


_BATCH_LINES_MIN = 20_000  # characters: below this a scan per word costs less than building the table
_LINE_WORDS: dict[str, None] = {}  # every word a rule has asked _lines_with for, in order of first asking (a set)
_LINE_AUTOMATON: list = [None, 0]  # the automaton of _LINE_WORDS and how many words it holds
_LINE_TABLES: dict[str, dict[str, list[int]]] = {}  # the last few batch texts (lower-cased) -> word -> line starts
_LINE_TABLES_KEPT = 4  # a few: threads of one process (a Dask worker's) may score batches side by side
_LINE_LOCK = threading.Lock()  # threads of one process (a Dask worker's) share these


def _batch_word_lines(low: str, words: Sequence[str]) -> dict[str, list[int]]:
    """Word -> the start offsets of the lines of ``low`` that hold it, for every word asked for so far (the tables
    of the last few texts seen are kept, one made for a new text: one automaton pass, the hits placed on lines with
    numpy)."""
    known = _LINE_WORDS
    known.update(dict.fromkeys(words))  # a word already there keeps its place (the automaton's pattern index)
    table = _LINE_TABLES.get(low)  # the same text, whether the matcher's lower-cased batch or lowered again
    if table is not None and all(word in table for word in words):
        return table
    if _LINE_AUTOMATON[1] != len(known):
        import ahocorasick_rs

        _LINE_AUTOMATON[:] = [ahocorasick_rs.AhoCorasick(list(known), matchkind=ahocorasick_rs.MatchKind.Standard),
                              len(known)]
    hits = _LINE_AUTOMATON[0].find_matches_as_indexes(low, overlapping=True)
    starts = np.fromiter((m.end() for m in _NEWLINE_RE.finditer(low)), dtype=np.int64)
    starts = np.concatenate(([0], starts))
    table = {word: [] for word in known}
    if hits:
        h = np.array(hits, dtype=np.int64)
        line = starts[np.searchsorted(starts, h[:, 1], side="right") - 1]
        pairs = np.unique(np.stack([h[:, 0], line], axis=1), axis=0)  # (word, line start), sorted
        names = list(known)
        cut = np.flatnonzero(np.diff(pairs[:, 0])) + 1
        for block in np.split(pairs, cut):
            table[names[int(block[0, 0])]] = block[:, 1].tolist()
    _LINE_TABLES.pop(low, None)
    while len(_LINE_TABLES) >= _LINE_TABLES_KEPT:
        del _LINE_TABLES[next(iter(_LINE_TABLES))]  # the oldest
    _LINE_TABLES[low] = table
    return table


_NEWLINE_RE = re.compile("\n")


def _spans_on_lines(pattern: re.Pattern, text: str, low: str | None, words: Sequence[str],
                    group: int = 0) -> list[tuple[int, int]]:
    """The spans of ``pattern`` (or of its ``group``) in ``text`` (sentences joined by line breaks), searched only on
    the lines that hold one of ``words`` (``low`` is ``text.lower()`` if the caller has it)."""
    low = text.lower() if low is None or len(low) != len(text) else low
    out = []
    for start in _lines_with(low, words):
        end = text.find("\n", start)
        out += [m.span(group) for m in pattern.finditer(text, start, len(text) if end < 0 else end)]
    return out


# Codebook (hedging, NO): "potential" or "possible" naming a class of referents rather than qualifying a claim
# ("potential foes", "possible candidates were interviewed"); the phrase list has the bare pairs, this pattern the
# pairs with up to two modifiers between ("at least eight potential Democratic candidates", "potential federal records")
_CLASS_NOUNS = (r"candidates?|nominees?|contenders?|challengers?|rivals?|successors?|buyers?|bidders?|suitors?|customers?|"
                r"clients?|donors?|investors?|partners?|recruits?|voters?|jurors?|witnesses|witness|employers?|applicants?|"
                r"targets?|victims?|members?|allies|ally|adversar(?:y|ies)|foes?|enemies|enemy|sites?|locations?|"
                # a route, unless it is one "to" an outcome ("a potential route to victory" is a path that may open)
                r"routes?(?![ \t]+to\b)|"
                r"records?|sources?|hires?|picks?|running[ \t]+mates?|replacements?|heirs?|acquirers?|tenants?|students?|"
                r"patients?|users?|subscribers?|sponsors?|backers?|defendants?|venues?|vaccines?|treatments?|drugs?|therap(?:y|ies)")
_CLASS_POTENTIAL_RE = re.compile(r"\b(?:potential|possible)[ \t]+(?:(?!(?:that|for|to|of|the|an?|in|on|at|and|or|if|whether|when|"
                                 r"this|these|those|it|is|are|was|were|be|been|will|would|could|can|may|might)\b)[\w-]+[ \t]+)"
                                 r"{0,2}?(?:" + _CLASS_NOUNS + r")\b", re.IGNORECASE)


# Codebook (hedging, NO): "as ... as possible" is the most that can be done, not a doubt ("amass as many delegates as
# possible", "as closely as possible"), with one to ten words between the two "as" ("as many rounds of talks
# with the opposition as possible")
_AS_POSSIBLE_RE = re.compile(r"\bas[ \t]+(?:(?!as\b)[\w'’-]+[ \t]+){1,10}?as[ \t]+(?:possible|practicable|feasible)\b",
                             re.IGNORECASE)


def as_possible_spans(text: str, low: str | None = None) -> list[tuple[int, int]]:
    """Spans of "as ... as possible" (see above); ``text`` may hold several sentences, one per line; only the lines
    holding "as possible" are searched."""
    return _spans_on_lines(_AS_POSSIBLE_RE, text, low, ("as possible",))


# Codebook (hedging, NO): "possible" after a superlative is the most that can be had, not a doubt ("the best possible
# outcome", "in the best position possible", "the lowest price possible"), like "as ... as possible"
_SUPERLATIVE_POSSIBLE_RE = re.compile(
    r"\b(?:best|worst|highest|lowest|largest|greatest|biggest|smallest|strongest|fastest|latest|shortest|"
    r"longest|fullest|widest|broadest|cheapest|harshest|toughest|clearest|simplest|safest|quickest|maximum|minimum|"
    # and any "-iest" superlative ("the ugliest way possible", "the easiest route possible")
    r"[a-z]+iest|finest|nicest|hardest|deepest|smartest|fairest|loudest|strictest|tightest|softest|kindest|"
    # and any "-est" word after "the" ("the leanest operation possible")
    r"(?<=the[ \t])[a-z]{2,}est|"
    r"most[ \t]+[\w-]+|least[ \t]+[\w-]+)[ \t]+(?:(?!possible\b)[\w'’-]+[ \t]+){0,2}?possible\b", re.IGNORECASE)


# Codebook (hedging, NO): what something "made possible" happened; the list has "made it possible", this pattern an
# object between ("a grant from the Japanese government made the new water treatment plant possible")
_MADE_POSSIBLE_RE = re.compile(r"\b(?:made|makes|make|making)[ \t]+(?:[\w'’-]+[ \t]+){1,16}?possible\b(?![ \t]+(?:that|to|for)\b)",
                               re.IGNORECASE)


def made_possible_spans(text: str, low: str | None = None) -> list[tuple[int, int]]:
    """Spans of "made ... possible" (see above); lines holding "possible" only."""
    return _spans_on_lines(_MADE_POSSIBLE_RE, text, low, ("possible",))


def superlative_possible_spans(text: str, low: str | None = None) -> list[tuple[int, int]]:
    """Spans of a superlative and "possible" up to two words after it (see above); lines holding "possible" only."""
    return _spans_on_lines(_SUPERLATIVE_POSSIBLE_RE, text, low, ("possible",))


# Codebook (hedging, NO): a question that asks about a possibility without a guess of its own ("Could the results change
# who runs my council?", "Could the Glass-Steagall Act be coming back?"): a modal that opens a question is not a hedge.
# In the training data and the real-news dev halves none of the 9 sentences of this shape is hedging.
_MODAL_QUESTION_RE = re.compile(r"^[^\w\n]*(could|might|would|can|may)\b[^\n]*\?[^\w\n]*$", re.IGNORECASE | re.MULTILINE)


def modal_question_spans(text: str, low: str | None = None) -> list[tuple[int, int]]:
    """Spans of the modal that opens a question (see above); ``text`` may hold several sentences, one per line; only
    the lines holding "?" are searched."""
    return _spans_on_lines(_MODAL_QUESTION_RE, text, low, ("?",), group=1)


# Codebook (hedging, YES: speculative verbs): a passive belief or report with an adverb inside ("is now believed to
# have mastered", "are also thought to", "was widely expected to"); the phrase list has the forms without one
_PASSIVE_BELIEF_RE = re.compile(
    r"\b(?:is|are|was|were|['’]s|['’]re)[ \t]+(?:(?:now|also|still|already|widely|generally|largely|commonly|long|"
    r"increasingly|privately|even|not|further|originally|initially|first|previously|once)[ \t]+){1,2}"
    r"(?:believed|thought|said|reported|expected|understood|rumou?red|alleged|suspected|presumed|feared|estimated|considered)"
    r"[ \t]+(?:to|of)\b", re.IGNORECASE)
_PASSIVE_BELIEF_WORDS = ("believed", "thought", "said to", "reported to", "expected to", "understood to", "rumored",
                         "rumoured", "alleged", "suspected", "presumed", "feared", "estimated to",
                         "considered to")


# codebook (hedging, vague attribution): "the visit is seen as a significant step" names no one who sees it; the hedge
# list has the bare "is seen as", this pattern the perfect, the progressive, an adverb and a place or community between
# ("has been seen as", "is being viewed as", "is seen in Silicon Valley as", "was widely perceived among diplomats
# as"); an agent named with "by" ("are seen by the far right as") is attribution, and a participle clause ("was seen
# leaving the building as") no perception
_PASSIVE_PERCEPTION_RE = re.compile(
    r"\b(?:is|are|was|were|be|been|['’]s|['’]re)[ \t]+(?:being[ \t]+)?(?:(?:now|also|still|already|widely|generally|"
    r"largely|commonly|long|increasingly|often|broadly|privately|even|once|initially)[ \t]+){0,2}"
    r"(?:seen|viewed|regarded|perceived)[ \t]+(?:(?:in|across|among|within|throughout|inside|around|at|abroad|here|"
    r"locally|internationally)\b(?:[ \t]+[\w'’.-]+){0,4}?[ \t]+)?as\b", re.IGNORECASE)
_PASSIVE_PERCEPTION_WORDS = ("seen", "viewed", "regarded", "perceived")


def passive_perception_spans(text: str, low: str | None = None) -> list[tuple[int, int]]:
    """Spans of a passive perception with no one named ("has been seen as", "is seen in Silicon Valley as"; see above);
    ``text`` may hold several sentences, one per line."""
    return _spans_on_lines(_PASSIVE_PERCEPTION_RE, text, low, _PASSIVE_PERCEPTION_WORDS)


# Codebook (hedging, YES: a possible outcome stated with a risk or omen word): a verb "risk" before the outcome
# ("risks jeopardising South Africa's access", "risked reigniting the feud"; the phrase list spells out only the common
# gerunds), and a thing that "threatens to" bring an outcome about ("threatens to drag the region into", "a debate that
# threatened to make or break"). NO: the noun "risk(s)" before a participle ("risks facing the economy", "risk taking"),
# a gamble on a thing ("risked everything"), and a person's threat of an action ("threatened to veto the bill"): only
# verbs of an outcome follow "threaten to" here, not actions a person threatens (veto, sue, impose, send, cut, ...)
_RISK_VERB_RE = re.compile(
    r"(?<![\w'’-])(?<!the )(?<!a )(?<!an )(?<!such )(?<!any )(?<!no )(?<!of )(?<!these )(?<!those )"
    r"risk(?:s|ed|ing)?[ \t]+(?!(?:including|involving|facing|surrounding|arising|stemming|relating|regarding|"
    r"concerning|taking|sharing|pricing|rating|modell?ing|profiling|pooling|hedging|assessing|monitoring|screening|"
    r"scoring|during|king|spring|morning|evening|ceiling|building|funding|spending|rankings?|warning|"
    r"[a-z]*thing)\b)[a-z]{2,}ing\b", re.IGNORECASE)
_THREAT_OUTCOME_RE = re.compile(
    r"\bthreat(?:en|ens|ened|ening)[ \t]+to[ \t]+(?:(?:further|once[ \t]+again|again|also|even|seriously|badly)[ \t]+)?"
    r"(?:be|become|make[ \t]+or[ \t]+break|plunge|drag|derail|overwhelm|unravel|upend|disrupt|engulf|spill|swamp|"
    r"destabili[sz]e|reignite|rekindle|erode|overshadow|complicate|deepen|worsen|cripple|paraly[sz]e|sink|topple|doom|"
    r"eclipse|widen|spiral|escalate|fracture|splinter|undo|unwind|bankrupt|dwarf|outstrip|consume|sour|poison|stall|"
    r"hobble|hamper|undercut|unsettle|inflame|ignite|spark|trigger|tip|push|strain|overload|jeopardi[sz]e|"
    r"undermine|upset|collapse|crumble|implode|explode|boil[ \t]+over|spin[ \t]+out|snowball|mushroom|balloon|"
    r"exacerbate|aggravate|intensify|prolong|delay|stymie|scuttle|torpedo|wreck|shatter|wipe[ \t]+out|tear[ \t]+apart|"
    r"split|divide|isolate|alienate|bury|drown|dominate|overtake|outpace|cost|"
    # leaving many without something ("threatens to leave dozens of farm towns without water"), not leaving a place
    r"leave[ \t]+(?:dozens|hundreds|thousands|millions|tens|scores|many|\d[\d,.]*))\b",
    re.IGNORECASE)


def risk_outcome_spans(text: str, low: str | None = None) -> list[tuple[int, int]]:
    """Spans of a risk verb before an outcome or a thing that threatens one (see above); ``text`` may hold several
    sentences, one per line; only the lines holding "risk" or "threat" are searched."""
    return (_spans_on_lines(_RISK_VERB_RE, text, low, ("risk",))
            + _spans_on_lines(_THREAT_OUTCOME_RE, text, low, ("threat",)))


# Codebook (editorializing: the author's demand, not a question or a condition): a "should" that opens a conditional
# clause, its subject after it ("..., should she be the nominee", "Should Mr. Trump get trounced in South Florida, he
# might ..."), and one inside an embedded question after a word of asking, deciding or debating ("debate about whether
# statutes of limitations should be expanded", "split on whether the next president should be", "information on what
# employers should do") demand nothing: their deontic match is dropped. On the read dev halves 4 of the 24 sentences
# with one are editorializing, and v0113 flagged 19 of them.
_SHOULD_SUBJECT = (r"(?:he|she|they|it|we|you|I|there|(?:the|a|an|any|this|that|his|her|their|its)[ \t]+(?:[\w-]+[ \t]+){0,2}?"
                   r"[\w-]+|(?:(?:Mr|Mrs|Ms|Dr|Gov|Sen|Rep)\.[ \t]+)?(?!Not\b)[A-Z][\w’'-]+(?:[ \t]+(?!Not\b)[A-Z][\w’'-]+)*)")
_CONDITIONAL_SHOULD_RE = re.compile(r"(?:(?<=[,;—–] )|(?<=[a-z] )(?=s)|^)([Ss]hould)[ \t]+" + _SHOULD_SUBJECT +
                                    r"[ \t]+(?!not\b)[a-z]+\b(?![^\n]*\?[\"”'’]*[ \t]*$)", re.MULTILINE)
_EMBEDDED_SHOULD_RE = re.compile(
    r"\b(?:about|on|over|of|as[ \t]+to|debate|debated|debating|question|questions|asked|asking|asks|ask|decide|decided|"
    r"deciding|decides|consider|considering|considered|unsure|sure|know|knows|knew|clear|unclear|wonder|wondered|"
    r"wondering|discuss|discussed|discussing|disagree|disagreed|split|divided|views|view|ideas|idea|advice|instructions|"
    r"information|guidance)[ \t]+(?:whether|how|what|when|where|which|who|why|if)[ \t]+(?:(?!should\b)[\w'’.-]+[ \t]+){0,7}?"
    r"(should)\b", re.IGNORECASE)


def non_deontic_should_spans(text: str, low: str | None = None) -> list[tuple[int, int]]:
    """Spans of a "should" that opens a conditional clause or stands in an embedded question (see above); ``text`` may
    hold several sentences, one per line; only the lines holding "should" are searched."""
    return (_spans_on_lines(_CONDITIONAL_SHOULD_RE, text, low, ("should",), group=1)
            + _spans_on_lines(_EMBEDDED_SHOULD_RE, text, low, ("should",), group=1))


# Codebook (hedging, NO): "suggested" meaning proposed ("she suggested a meeting on Friday"); with a gerund or an
# event after it the verb proposes a course ("suggested moving the hearing to 7 p.m."), unless the -ing word describes a trend the
# evidence hints at ("the data suggest rising demand", a hedge)
_PROPOSAL_RE = re.compile(
    r"\bsuggest(?:s|ed|ing)?[ \t]+(?:(?!(?:rising|growing|mounting|increasing|declining|falling|worsening|improving|"
    r"lingering|widening|shrinking|easing|slowing|weakening|strengthening|ongoing|continuing|existing|underlying|"
    r"emerging|waning|flagging|cooling|heating|accelerating|deepening|softening|booming|surging|sagging|nothing|"
    r"something|anything|everything|otherwise|king)\b)[a-z]{2,}ing|"
    # or an event it proposes ("Sanders suggested a joint rally in Madison"), not a link or a motive it hints at
    r"(?:a|an)[ \t]+(?:(?:joint|new|second|third|fresh|short|brief|possible|private|public|televised|formal|informal|"
    r"face-to-face|one-on-one|early|late)[ \t]+)?(?:meeting|rally|debate|call|summit|visit|trip|date|venue|compromise|"
    r"truce|ceasefire|pause|break|vote|referendum|swap|meal|dinner|lunch|breakfast|walk|round|session|hearing|"
    r"conference|interview|townhall|town[ \t]+hall))\b", re.IGNORECASE)


def proposal_spans(text: str, low: str | None = None) -> list[tuple[int, int]]:
    """Spans of "suggested" proposing a course, before a gerund or an event (see above); ``text`` may hold several
    sentences, one per line; only the lines holding "suggest" are searched."""
    return _spans_on_lines(_PROPOSAL_RE, text, low, ("suggest",))


# "could not" before a verb: an inability in the past or the present ("Independents could not vote in the closed
# primaries", "Rescuers Could Not Reach the Climbers"), which floats no possibility (codebook: ability). Not where the
# inability is a claim's uncertainty ("could not be ruled out", "could not rule out", "could not determine whether",
# "could not say if"): those hedge. On the real-news samples 42 of 58 sentences flagged for a "could not" were NO.
_COULD_NOT_RE = re.compile(
    r"\bcould(?:[ \t]+not|n['’]t|[ \t]+n't)(?![ \t]+(?:(?:\w+ly|yet|be|have)[ \t]+)?"
    r"(?:be[ \t]+ruled|rule|determine|say|tell|"
    r"know|confirm|establish|verify|predict|exclude|guarantee|promise|be[ \t]+sure|be[ \t]+certain)\b)", re.IGNORECASE)


def could_not_spans(text: str, low: str | None = None) -> list[tuple[int, int]]:
    """Spans of "could not" of an inability (see above); ``text`` may hold several sentences, one per line; only the
    lines holding "could" are searched."""
    return _spans_on_lines(_COULD_NOT_RE, text, low, ("could",))


# Codebook (hedging, YES: epistemic "must", an inference rather than a fact: "he must have known"): "must have" before
# a past participle ("must have been planned months before", "must have had help"); the phrase list spells out the
# common verbs. "must have" before a noun is a requirement or a possession ("applicants must have a degree"), NO, and so
# is a rule's condition on whom it binds, its subject among the eight words before ("voters must have lived in the state
# for 30 days", "applicants must be at least 21 and must have held a licence")
_RULE_SUBJECTS = frozenset("""applicants applicant candidates candidate voters voter residents resident students student
employees employee drivers driver members member participants participant entrants entrant recipients recipient
claimants claimant buyers buyer borrowers borrower patients patient donors donor officers officer teachers teacher
""".split())  # noqa: SIM905
_MUST_HAVE_RE = re.compile(
    r"\bmust(?:[ \t]+have|['’]ve)[ \t]+(?:(?:already|surely|certainly|also|long|somehow|clearly|known|all)[ \t]+)?"
    r"(?:been|had|done|made|seen|known|gone|come|got|gotten|taken|given|felt|heard|thought|found|lost|left|meant|"
    r"begun|written|spoken|told|said|chosen|forgotten|driven|fallen|grown|shown|drawn|held|kept|brought|bought|"
    r"caught|taught|sought|sent|spent|built|won|led|run|understood|[a-z]{2,}ed)\b", re.IGNORECASE)


def must_have_spans(text: str, low: str | None = None) -> list[tuple[int, int]]:
    """Spans of an epistemic "must have" before a past participle (see above); ``text`` may hold several sentences,
    one per line; only the lines holding "must" are searched."""
    return [(a, b) for a, b in _spans_on_lines(_MUST_HAVE_RE, text, low, ("must",))
            if not set(_INNER_WORD_RE.findall(text[max(0, a - 60):a].lower())[-8:]) & _RULE_SUBJECTS]


# Codebook (hedging, YES: "the consequence of a hypothetical event, judged and stated with would, could or might"): a
# counterfactual conditional, a subjunctive "if" clause ("if ... were", "if ... had") and the consequence's modal, in
# either order ("if she were a man, she'd get 5 percent", "if you were betting today, you would bet on Rubio", "Clinton
# already would have won if there were no superdelegates"). The modal is the cue. Not "as if" (a manner), and after
# the clause only a perfect modal ("would have") or an "if ... were" clause, since "would ... if it had the room"
# also states a habit or an intention; "if elected, he would" (reported future) has no subjunctive and is not matched.
_CF_MODAL = r"((?<![\w'’])(?:would|could|might)(?:n['’]t)?\b|(?<=\w)['’]d\b)"
_CF_IF_FIRST_RE = re.compile(
    r"(?<![Aa]s[ \t])\b[Ii]f\b[^.;:!?\n]{0,80}?\b(?:were|had)\b[^.;:!?\n]{0,120}?" + _CF_MODAL)
_CF_MODAL_FIRST_RE = re.compile(
    r"\b(would|could|might)(?:[ \t]+(?:not|never|also|surely|certainly|probably|likely|already|still))*[ \t]+"
    r"(?:have[ \t]+[a-z]+[^.;:!?\n]{0,100}?(?<![Aa]s[ \t])\bif\b[^.;:!?\n]{0,60}?\b(?:were|had)\b|"
    r"[^.;:!?\n]{0,100}?(?<![Aa]s[ \t])(?<!only[ \t])\bif\b[^.;:!?\n]{0,60}?\bwere\b)")


def counterfactual_spans(text: str, low: str | None = None) -> list[tuple[int, int]]:
    """Spans of the consequence's modal in a counterfactual conditional (see above); ``text`` may hold several
    sentences, one per line; only the lines holding "if" before a space are searched."""
    out = _spans_on_lines(_CF_IF_FIRST_RE, text, low, ("if ", "if\t"), group=1)
    out += _spans_on_lines(_CF_MODAL_FIRST_RE, text, low, ("if ", "if\t"), group=1)
    return sorted(set(out))


# Codebook (hedging, NO): a result set against forecasts or expectations ("sales missed forecasts", "revenues fell
# short of the finance ministry's forecasts", "came in below analysts' expectations", "ahead of Wall Street
# forecasts"): the forecast is the yardstick, not a claim floated. The phrase list has the bare pairs, this pattern
# the ones with words between.
_RESULT_VS_FORECAST_RE = re.compile(
    r"\b(?:miss(?:ed|es|ing)?|beat(?:s|ing)?|exceed(?:ed|s|ing)|top(?:ped|s)|fell[ \t]+short[ \t]+of|"
    r"falls?[ \t]+short[ \t]+of|falling[ \t]+short[ \t]+of|came[ \t]+in[ \t]+(?:below|above|under|ahead[ \t]+of)|"
    r"in[ \t]+line[ \t]+with|outpac(?:ed|es|ing)|undershot|overshot|"
    # a result placed against them ("ahead of Wall Street forecasts", "well above economists' forecasts", "better
    # than analysts' estimates"; blind probes of markets copy)
    r"above|below|ahead[ \t]+of|short[ \t]+of|(?:better|worse|stronger|weaker|higher|lower)[ \t]+than)[ \t]+"
    r"(?:[\w'’.-]+[ \t]+){0,4}?"
    r"(?:forecasts?|expectations|estimates|projections|predictions)\b", re.IGNORECASE)


def result_vs_forecast_spans(text: str, low: str | None = None) -> list[tuple[int, int]]:
    """Spans of a result set against a forecast (see above); only the lines holding one of the nouns are searched."""
    return _spans_on_lines(_RESULT_VS_FORECAST_RE, text, low, ("forecast", "expectation", "estimate", "projection",
                                                                "prediction"))


# Codebook (hedging, NO): "a vague attribution the author cites only to deny or correct it" ("contrary to what critics
# say, the bridge never closed"): the clause from "contrary to what" to its comma floats nothing.
_CONTRARY_TO_WHAT_RE = re.compile(r"\b[Cc]ontrary[ \t]+to[ \t]+what[ \t]+[^,;:.\n]{1,80}")


def contrary_to_what_spans(text: str, low: str | None = None) -> list[tuple[int, int]]:
    """Spans of a "contrary to what ..." clause (see above)."""
    return _spans_on_lines(_CONTRARY_TO_WHAT_RE, text, low, ("contrary to what",))


# Codebook (hedging, YES: vague attribution): an unnamed part of a place or a body ("as many in Congress have urged",
# "some in Brussels quietly question whether"): "some" or "many" with only a place after it names no one.
_SOME_IN_PLACE_RE = re.compile(
    r"\b(?:[Ss]ome|[Mm]any|[Oo]thers)[ \t]+in[ \t]+(?:the[ \t]+)?(?:[A-Z][\w'’.-]*(?:[ \t]+[A-Z][\w'’.-]*){0,2}|"
    r"(?:region|party|administration|government|industry|military|opposition|media|press|community|capital|"
    r"establishment|movement|coalition|camp|cabinet|leadership))[ \t]+"
    r"(?:(?:have|had|are|were|also|long|now|still|quietly|privately|publicly|openly|increasingly|already)[ \t]+)?"
    r"(?:" + _VAGUE_VERBS + r"|urge|urged|urging)(?![\w-])")


def some_in_place_spans(text: str, low: str | None = None) -> list[tuple[int, int]]:
    """Spans of "some / many in <a place or body> <speech or belief verb>" (see above)."""
    return _spans_on_lines(_SOME_IN_PLACE_RE, text, low, ("some in", "many in", "others in"))


# Codebook (hedging, YES: forecasts and expectations): a speaker's stated hope about what will happen ("he hoped his
# troops would be able to deploy", "she hopes the talks will resume"); the phrase list has "hoped it would" and "hopes
# the", this pattern any subject of up to five words before the modal. Not a hope for a thing ("hopes for a deal").
_STATED_HOPE_RE = re.compile(
    r"\b(?:hope|hopes|hoped|hoping)(?:[ \t]+that)?[ \t]+(?!for\b|to\b)(?:[\w'’-]+[ \t]+){1,5}?(?:would|will|could|can|might)\b",
    re.IGNORECASE)


# Codebook (hedging, YES): a speaker's belief marker before a forecast or a claim of fact presents it as a belief, and
# news reports the belief of a named speaker or a group as often as a first-person one ("he said he believed the United
# States would eventually win", "the candidate said he does not believe any of his rivals will secure the delegates").
# The phrase list has the first person ("I think", "we believe"); this pattern a third-person subject (a pronoun, a
# name or a plural noun) and a modal of the forecast within the clause. Not before an opinion ("they believe other
# senators would be smart to": the marker only makes the opinion theirs), and not the noun ("the thought that").
_REPORTED_BELIEF_RE = re.compile(
    r"\b(?:he|she|they|who|(?!(?:The|A|An|This|That|These|Those|His|Her|Their|Its|My|Our|Your|No|Any|Every|Some)\b)"
    r"[A-Z][\w'’.-]*|(?!(?:his|its|this|was|is|has|as|us|yes|thus|does|less|unless|perhaps|always)\b)[a-z]+s)[ \t]+"
    r"(?:(?:also|still|firmly|now|privately|clearly)[ \t]+)?"
    r"(?:believes|believed|thinks|thought|(?:does|did)(?:[ \t]+not|n['’]t|[ \t]+n't)[ \t]+(?:believe|think)|"
    r"(?:(?<=they )|(?<=s ))(?:believe|think|(?:do[ \t]+not|don['’]t)[ \t]+(?:believe|think)))"
    # the clause the marker opens, not another verb's ("believes in the plan and will vote for it")
    r"[ \t]+(?!in\b)(?:that[ \t]+)?(?:(?!(?:and|but|because|or|so)\b)[\w'’-]+,?[ \t]+){1,8}?"
    r"(?:will|would|won['’]t|wo[ \t]+n't|could|can|might)(?![\w'’-])")


def reported_belief_spans(text: str, low: str | None = None) -> list[tuple[int, int]]:
    """Spans of a third-person belief marker through the forecast's modal (see above); not where the clause holds an
    opinion word; only the lines holding "believe", "think" or "thought" are searched."""
    out = []
    for a, b in _spans_on_lines(_REPORTED_BELIEF_RE, text, low, ("believe", "think", "thought")):
        line_end = text.find("\n", b)
        line_end = len(text) if line_end < 0 else line_end
        brk = _CLAUSE_END_RE.search(text, b, line_end)
        if _OPINION_RE.search(text, a, line_end if brk is None else brk.start()) is None:
            out.append((a, b))
    return out


# Codebook (hedging, YES: speculative verbs, "appears", "seems"): "appear" before the state it judges ("the president
# appeared cowed", "voters already appear fatigued", "the rally appeared choreographed to project energy"); the phrase
# list has "appeared to" and "it appears". Not an appearance ("appeared on CNN", "appeared in court", "appeared briefly
# before the committee", "appeared everywhere"), nor an aim to look so ("an effort to appear more dignified").
_APPEARS_STATE_RE = re.compile(
    r"(?<!\bto )(?<!\bto be )\b(?:appears|appeared|appear)[ \t]+(?:(?:[a-z]+ly|all[ \t]+but|more|less|most|so|too|very|"
    r"increasingly|almost|already|still)[ \t]+)?"
    r"(?!(?:to|on|in|at|before|with|alongside|together|as|onstage|for|outside|inside|live|during|from|under|via|"
    r"opposite|twice|once|again|here|there|and|or|but|the|a|an|his|her|their|its|this|that|these|those|everywhere|"
    r"nightly|weekly|daily|regularly|often|frequently|online|publicly|separately|jointly|remotely|virtually|after|when|"
    r"while|if|near|next|behind|above|below|across|through|throughout|around|among|until|since|by|of|about|over|into|"
    r"onto|within|without|beside|between|against|courtesy|first|last|only|just|then|later|shortly|soon|overnight|today|"
    r"tonight|yesterday|tomorrow|(?:mon|tues|wednes|thurs|fri|satur|sun)day)\b)"
    # an adverb of the appearance ("appeared briefly before the committee") is no state; an adjective in -ly is
    r"(?:likely|unlikely|friendly|unfriendly|lonely|ugly|unruly|lively|costly|deadly|surly|(?![a-z]+ly\b)[a-z][a-z-]+)")


def appears_state_spans(text: str, low: str | None = None) -> list[tuple[int, int]]:
    """Spans of "appear" before the state it judges (see above); only the lines holding "appear" are searched."""
    return _spans_on_lines(_APPEARS_STATE_RE, text, low, ("appear",))


# Codebook (hedging, YES: forecasts and expectations): "expected" before the noun it forecasts ("given the expected
# international fallout", "to meet expected redemptions", "an expected request from the White House"); the phrase list
# has "expected to" and "expected that". Not a verb's object or a comparison ("lower-than-expected earnings" is a
# result, the hyphen keeps it out).
_EXPECTED_NOUN_RE = re.compile(
    r"\b(?:(?i:the|an|a|its|their|his|her|any)|meet|meets|met|widely|long|much|eagerly|highly)[ \t]+expected[ \t]+"
    r"(?!(?:to|that|by|from|in|on|at|of|as|for|and|or|but|it|him|her|them|the|a|an|this|his|more|less|than|with|after|"
    r"before|when|if|because|so|back|soon|anytime|next|later|today|tomorrow|their|its|our|your|my)\b)[a-z][a-z-]+")


def expected_noun_spans(text: str, low: str | None = None) -> list[tuple[int, int]]:
    """Spans of "expected" before the noun it forecasts (see above); only the lines holding "expected" are searched."""
    return _spans_on_lines(_EXPECTED_NOUN_RE, text, low, ("expected",))


def stated_hope_spans(text: str, low: str | None = None) -> list[tuple[int, int]]:
    """Spans of a stated hope about what will happen (see above); only the lines holding "hope" or "hoping" are
    searched."""
    return _spans_on_lines(_STATED_HOPE_RE, text, low, ("hope", "hoping"))


# Codebook (hedging, YES, and editorializing): a speaker's belief marker before a forecast ("I think this ceasefire will
# not survive the winter") presents the forecast as a belief: hedging, not a prediction stated as certain, so the
# prediction cue inside the marker's clause does not count. (Before an opinion the marker is no hedge; see
# _belief_before_opinion.)
_BELIEF_FORECAST_RE = re.compile(
    r"\b(?:I|[Ww]e)[ \t]+(?:(?:really|still|also|honestly|truly)[ \t]+)?(?:think|believe|(?:don['’]t|do[ \t]+not|do[ \t]+n't)"
    r"[ \t]+(?:think|believe))\b[^.;:!?\n]{1,100}")


def belief_forecast_spans(text: str, low: str | None = None) -> list[tuple[int, int]]:
    """Spans from a first-person belief marker to its clause's end (see above); only lines holding "think" or
    "believe" are searched."""
    return _spans_on_lines(_BELIEF_FORECAST_RE, text, low, ("think", "believe"))


# Codebook (state_media, YES: a governor's or a mayor's own statement): a titled official's office speaks for the
# official ("Gov. Greg Abbott's office said Friday", "Mayor Bill de Blasio's office said"), as "the governor's office"
# (in the channel list) and "Gov. Greg Abbott's spokesman" do; the word "office" is the channel and the titled name
# its owner, so a legislator's office stays his own ("Sen. Ted Cruz's office said", NO)
_TITLED_OFFICE_RE = re.compile(
    r"\b(?:Gov\.|Governor|Lt\.[ \t]+Gov\.|Mayor|President|Prime[ \t]+Minister|Premier|Chancellor|Sen\.|Senator|Rep\.|"
    r"Minister|Secretary|Attorney[ \t]+General|Sheriff)[ \t]+(?:[A-Z][\w.'’-]*[ \t]+|de[ \t]+|van[ \t]+){0,3}"
    r"[A-Z][\w'’-]*['’]s[ \t]+(office)\b")


def titled_office_spans(text: str, low: str | None = None) -> list[tuple[int, int]]:
    """Spans of "office" owned by a titled official (see above); ``text`` may hold several sentences, one per line;
    only the lines holding "office" are searched."""
    return _spans_on_lines(_TITLED_OFFICE_RE, text, low, ("office",), group=1)


def passive_belief_spans(text: str, low: str | None = None) -> list[tuple[int, int]]:
    """Spans of a passive belief or report with an adverb inside (see above); ``text`` may hold several sentences, one
    per line; only the lines holding one of the verbs are searched."""
    return _spans_on_lines(_PASSIVE_BELIEF_RE, text, low, _PASSIVE_BELIEF_WORDS)


# A claim the reporter marks as unverified in a relative clause ("a claim Reuters could not independently verify",
# "figures which the AP has not been able to confirm"): the codebook's "a claim that could not be independently
# verified" (YES), not the bare report of what the reporter could not do ("Reuters could not independently verify the
# footage", a not-hedge)
_UNVERIFIED_CLAIM_RE = re.compile(
    r"\b(?:claims?|assertions?|accounts?|reports?|figures?|numbers?|tolls?|allegations?|footage|videos?|statements?)"
    r"[ \t]*,?[ \t]+(?:(?:that|which)[ \t]+)?(?:(?:the|[A-Z][\w.&'’-]*)[ \t]+){1,4}"
    r"(?:could|can|was|were|has|have|had|did|does|do)(?:[ \t]+not|n['’]t)[ \t]+(?:been[ \t]+able[ \t]+to[ \t]+|"
    r"immediately[ \t]+|independently[ \t]+)*(?:verify|confirm|corroborate)\b")


def unverified_claim_spans(text: str, low: str | None = None) -> list[tuple[int, int]]:
    """Spans of a claim marked unverified by a relative clause (see above); ``text`` may hold several sentences, one
    per line; only the lines holding "verify", "confirm" or "corroborate" are searched."""
    return _spans_on_lines(_UNVERIFIED_CLAIM_RE, text, low, ("verify", "confirm", "corroborate"))


# Codebook v32 (loaded language): a mock title coined on "-in-chief" is a pejorative label ("golfer-in-chief",
# "contraster-in-chief"); the titles it mocks are not ("commander-in-chief", "editor-in-chief")
_IN_CHIEF_RE = re.compile(r"(?<![\w-])((?:[a-z]+-){0,2}[a-z]+)-in-chief(?![\w-])", re.IGNORECASE)
_IN_CHIEF_TITLES = frozenset("""commander editor editors chief justice surgeon physician engineer architect curator designer
chef counsel officer executive anchor correspondent director economist scientist strategist writer president""".split())  # noqa: SIM905


def mock_title_spans(text: str, low: str | None = None) -> list[tuple[int, int]]:
    """Spans of a mock "-in-chief" title (see above); ``text`` may hold several sentences, one per line."""
    return [(a, b) for a, b in _spans_on_lines(_IN_CHIEF_RE, text, low, ("-in-chief",))
            if text[a:b].lower().rsplit("-in-chief", 1)[0].rsplit("-", 1)[-1] not in _IN_CHIEF_TITLES]


# Codebook (loaded language): "ruler" used as a title ("ruler Kim") and labels for people by immigration status
# ("illegals", "illegal immigrants"); the list has those phrases, these patterns any holder and any nationality
# ("Eritrean ruler Isaias Afwerki", "illegal Afghans"). Not "the ruler of", "a ruler's", a ruler without a name.
_RULER_TITLE_RE = re.compile(r"\b[Rr]uler[ \t]+(?=[A-Z][a-z])(?!(?:of|and)\b)[A-Z][\w'’-]+")
_ILLEGAL_PEOPLE_RE = re.compile(r"\b[Ii]llegal[ \t]+([A-Z][a-z]+)s\b")


def pejorative_label_spans(text: str, low: str | None = None) -> list[tuple[int, int]]:
    """Spans of "ruler" as a title before a name and of "illegal" before a nationality's plural (see above); ``text``
    may hold several sentences, one per line."""
    forms = _countries()[2]
    return (_spans_on_lines(_RULER_TITLE_RE, text, low, ("ruler",))
            + [(a, b) for a, b in _spans_on_lines(_ILLEGAL_PEOPLE_RE, text, low, ("illegal",))
               if _ILLEGAL_PEOPLE_RE.match(text, a).group(1) in forms])


def class_potential_spans(text: str, low: str | None = None) -> list[tuple[int, int]]:
    """Spans of "potential"/"possible" before a class noun (see above); ``text`` may hold several sentences, one per
    line; only the lines holding "potential" or "possible" are searched."""
    return _spans_on_lines(_CLASS_POTENTIAL_RE, text, low, ("potential", "possible"))


# the networks and posting words the pattern needs: only the lines that hold one are searched for a post
_SOCIAL_WORDS = ("tweet", "video message", "twitter", "facebook", "instagram", "truth social", "telegram", "weibo",
                 "social media", "on x", "to x", "verified x", "x handle", "x account")


def head_post_spans(text: str, low: str | None = None) -> list[tuple[int, int]]:
    """Spans of a head of state's or government's, a governor's or a mayor's own social-media post (see above);
    ``text`` may hold several sentences, one per line; ``low``: ``text.lower()`` if the caller has it. Only the
    lines holding a network's name or "tweet" are searched (a few in a thousand news sentences)."""
    low = text.lower() if low is None or len(low) != len(text) else low
    lines = _lines_with(low, _SOCIAL_WORDS)
    out = []
    _, name_post, lead_name = _head_names()
    for start in lines:
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        titles = [(m.start(), m.end()) for m in _HEAD_POST_RE.finditer(text, start, end)]
        titles += [(m.start(), m.end()) for m in _APPOSITIVE_POST_RE.finditer(text, start, end)
                   if not any(a <= m.start() < b for a, b in titles)]
        # a head named without the title, where no title's post covers it ("Former President Obama tweeted")
        names = [(m.start(), m.end()) for m in name_post.finditer(text, start, end)
                 if not any(a <= m.start() < b for a, b in titles)
                 and _is_the_head(text, m.start(), start, by_name=True, before_re=_before_re(m.group(0)))]
        found = [t for t in titles if _is_the_head(text, t[0], start, before_re=_before_re(text[t[0]:t[1]]))] + names
        # the post first ("In his Twitter post, Trump also blasted"): the head is the next clause's subject
        for m in (*_LEAD_POST_RE.finditer(text, start, end), *lead_name.finditer(text, start, end)):
            if (not any(a <= m.start(1) < b for a, b in found)
                    and _is_the_head(text, m.start(1), start, by_name=m.re is lead_name)):
                found.append((m.start(), m.end()))
        for m in _PRONOUN_POST_RE.finditer(text, start, end):
            if any(a <= m.start() < b for a, b in found):
                continue
            head = _pronoun_antecedent(text, max(start, m.start() - _PRONOUN_REACH), m.start(), start)
            if head is not None:
                found.append((head, m.end()))
        out += sorted(found)
    return out


def _pronoun_antecedent(text: str, lo: int, hi: int, line_start: int) -> int | None:
    """The start of a sitting head's title or name that ends with the last capitalised name in ``text[lo:hi]``
    (a pronoun's antecedent; clause openers, days and months skipped), or None when that name is someone else's."""
    last = None
    for c in _CAPITALISED_RE.finditer(text, lo, hi):
        if c.group(0) not in _NOT_A_FIRST_NAME:
            last = c
    if last is None:
        return None
    names = _head_names()[0]
    for pat, by_name in ((_HEAD_TITLE_RE, False), (names, True)):
        for h in pat.finditer(text, lo, hi):
            if (h.start() <= last.start() and last.end() <= h.end()
                    and _is_the_head(text, h.start(), line_start, by_name, _FORMER_ONLY_RE)):
                return h.start()
    return None



# Codebook (state_media): "a government spokesperson speaking in that role, whatever the verb"; news often names a
# well-known one without the title ("Peskov said the talks were constructive", "Earnest told reporters", "according
# to Zakharova"). The spokespeople of resources/government_spokespeople.tsv, named as the subject of a speech verb
# (adverbs or a day between: "Kirby also said", "Nauert on Tuesday said"), after one ('"...," said Nauert') or after
# "according to". Not a former spokesperson ("former Obama spokesman Robert Gibbs said"), another person of the
# surname ("Jane Psaki said": a capitalised word before the name), a name after a preposition ("asked about
# Zakharova"), nor where the sentence names the role itself ("White House press secretary Josh Earnest said": the
# channel phrase counts that). Counted like a head's post: a channel, and the government's (channel, channel_gov).
_SPOKES_VERBS = (r"(?:said|says|told|tells|added|adds|wrote|writes|stated|states|noted|notes|warned|warns|insisted|"
                 r"insists|denied|denies|claimed|claims|confirmed|confirms|announced|announces|acknowledged|"
                 r"acknowledges|explained|explains|stressed|stresses|emphasi[sz]ed|emphasi[sz]es|argued|argues|"
                 r"replied|replies|responded|responds|answered|commented|dismissed|dismisses|rejected|rejects|"
                 r"accused|accuses|urged|urges|called|calls|described|describes|tweeted|posted|reiterated|reiterates|"
                 r"underlined|underscored|suggested|suggests|indicated|indicates|declared|declares|cautioned|"
                 r"asserted|maintained|countered|conceded|admitted|pointed[ \t]+out|went[ \t]+on[ \t]+to[ \t]+say)(?![\w-])")
# between the name and its verb: time adverbs, a day, an auxiliary ("Kirby also said", "Nauert on Tuesday said",
# "Peskov has repeatedly denied"), or a participle phrase set off by commas ("Peskov, speaking to reporters, said")
_SPOKES_GAP = (r"(?:[ \t]+(?:also|later|then|again|further|earlier|previously|repeatedly|once|first|has|had|have|"
               r"[a-z]+ly|(?:on[ \t]+|last[ \t]+|this[ \t]+)?(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
               r"(?:[ \t]+(?:morning|afternoon|evening|night))?|last[ \t]+week|this[ \t]+week)){0,3}"
               r"(?:,[ \t]+(?:speaking|writing|responding|asked)[^,\n]{0,60},)?[ \t]+")
_HONORIFIC = r"(?:(?:Mr|Ms|Mrs|Dr)\.?[ \t]+)?"
_SPOKES_LEAD = r"(?:said|says|added|adds|wrote|writes|noted|explained|insisted|stressed|continued|[Aa]ccording[ \t]+to)"
# the role named just before the name: the channel phrase counts it ("Kremlin spokesman Dmitry Peskov")
_ROLE_BEFORE_RE = re.compile(r"(?i:spokes\w+|press[ \t]+secretary|secretary|spokesperson)[\w\s,.'’-]{0,12}$")


@lru_cache(maxsize=1)
def _spokespeople() -> tuple[dict[str, tuple[str, str]], dict[str, tuple[tuple[int, int], ...]]]:
    """From ``government_spokespeople.tsv``: name -> (country, owner), and name -> the years in post (inclusive
    ``(first, last)`` pairs, an open term ending in 9999)."""
    who: dict[str, tuple[str, str]] = {}
    years: dict[str, list[tuple[int, int]]] = {}
    for row in _read_table("government_spokespeople.tsv", "\t"):
        name = (row.get("name") or "").strip()
        if not name:
            continue
        who[name] = ((row.get("country") or "").strip(), (row.get("owner") or "").strip())
        terms = _terms(row.get("years") or "")
        years.setdefault(name, []).extend(terms or [(0, 9999)])
    return who, {n: tuple(t) for n, t in years.items()}


@lru_cache(maxsize=1)
def _spokes_patterns() -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    """The registry's names; what follows a name that speaks (a gap, a speech verb); what precedes one that is spoken
    of as the source (a lead verb or "according to", an honorific)."""
    return (re.compile(_names_regex(_spokespeople()[0])), re.compile(_SPOKES_GAP + _SPOKES_VERBS),
            re.compile(r"\b" + _SPOKES_LEAD + r"[ \t]+" + _HONORIFIC + r"$"))


def spokesperson_names() -> list[str]:
    """The registry's names as written (the matcher finds them in its case-sensitive scan)."""
    return sorted(_spokespeople()[0])


def spokesperson_spans(text: str, names: Sequence[tuple[int, int]] | None = None) -> list[tuple[int, int, str]]:
    """Spans of a registry spokesperson speaking without the title (see above), with the name as matched; ``text``
    may hold several sentences, one per line; ``names``: the spans where a registry name may stand, if the caller
    found them (the matcher's phrase scan does, at no extra cost), else they are searched for here."""
    name_re, tail_re, lead_re = _spokes_patterns()
    if names is None:
        names = [m.span() for m in name_re.finditer(text)]
    out = []
    for a, _ in names:
        n = name_re.match(text, a)  # the look-arounds the scan does not test ("Peskov's", "U.S.-Peskov")
        if n is None:
            continue
        b = n.end()
        line = text.rfind("\n", 0, a) + 1
        end = text.find("\n", b)
        end = len(text) if end < 0 else end
        if _ROLE_BEFORE_RE.search(text, max(line, a - 40), a):
            continue  # "Kremlin spokesman Dmitry Peskov said": the channel phrase counts it
        tail = tail_re.match(text, b, end)
        if tail is not None and _is_the_head(text, a, line, by_name=True):
            out.append((a, tail.end(), n.group(0)))
            continue
        lead = lead_re.search(text, max(line, a - 40), a)
        if lead is not None and _is_the_head(text, a, line, True, _FORMER_ONLY_RE):
            out.append((lead.start(), b, n.group(0)))
    return out


def spokesperson_outlet(name: str) -> Outlet | None:
    """The channel a registry spokesperson's name stands for ("Nauert" -> "State Department spokesperson Nauert",
    "US"), as evidence names it."""
    who = _spokespeople()[0].get(name)
    if who is None:
        return None
    country, owner = who
    return Outlet(f"{owner} spokesperson {name}".strip(), country, "spokesperson", "", "government_spokespeople.tsv")



# Codebook (state_media): an outlet under state control that the registry does not list, known by the shape of
# its description: a control qualifier, its name, a media noun ("Zimbabwe's state-owned Herald newspaper", "the
# Kremlin-controlled Channel One network", "the official Chinese news agency"). Not a bare "state" before a name,
# which names roads, universities and legislators ("the State Highway network", "state Sen. Ortiz"). Counted as
# state_generic, where no registry outlet or generic phrase covers it.
_SHAPE_NAME = r"[ \t]+(?:[A-Z][\w'’.&-]*|\d+)(?:[ \t]+(?:[A-Z][\w'’.&-]*|\d+|of|de|la|el)){0,4}[ \t]+"
_STATE_SHAPE_RE = re.compile(
    r"\b(?:(?:[Ss]tate-(?:owned|run|controlled|backed|funded|affiliated)|[Gg]overnment-(?:owned|run|controlled|backed|funded)|"
    r"[Kk]remlin-(?:owned|run|controlled|backed|funded)|[Pp]arty-(?:owned|run|controlled))" + _SHAPE_NAME +
    r"(?:newspaper|daily|broadcaster|television|TV|channel|radio|news[ \t]+agency|agency|network|weekly|tabloid|"
    r"news[ \t]+site|website)"
    # "official" names a company's or a church's website or channel too: only a news agency or a paper of record
    r"|[Oo]fficial" + _SHAPE_NAME + r"(?:news[ \t]+agency|newspaper|broadcaster|television|radio))(?![\w-])")
_STATE_SHAPE_WORDS = ("-owned ", "-run ", "-controlled ", "-backed ", "-funded ", "-affiliated ", "official ")


# Codebook (state_media, NO): a state-owned company speaks for itself ("State-run Petrobras said", "state-controlled
# lender VTB said", "State-run Oil and Natural Gas Corporation said in a filing"). "State-run" and "state-controlled"
# alone are outlet qualifiers (state_media_generic.tsv: "state-run Al-Thawra reported"); before a company noun or a
# name ending in a company's head word the qualifier describes a company, and the span is a non-government speaker
# (a company the non-government list names, "state-controlled Gazprom", is handled where the matches are known).
_COMPANY_NOUNS = (r"compan(?:y|ies)|firms?|giants?|majors?|groups?|conglomerates?|lenders?|banks?|insurers?|"
                  r"carriers?|airlines?|utilit(?:y|ies)|operators?|producers?|refiners?|miners?|makers?|manufacturers?|"
                  r"developers?|exporters?|shipbuilders?|steelmakers?|automakers?|carmakers?|railways?|corporations?|"
                  r"enterprises?|monopol(?:y|ies)|suppliers?|distributors?|port[ \t]+operators?|holding|"
                  r"subsidiar(?:y|ies)")
_COMPANY_HEADS = (r"Corporation|Corp\.?|Company|Co\.|Group|Bank|Airlines|Airways|Railways?|Petroleum|Oil|Gas|Energy|"
                  r"Power|Electric|Electricity|Telecom|Telecommunications|Holdings?|Industries|Motors|Steel|Mining|"
                  r"Shipping|Enterprises?|Insurance|Refinery|Refining|Petrochemicals?|Chemicals?|Aviation|Aerospace|"
                  r"Shipyards?|Mines|Inc\.?|Ltd\.?|PLC|plc|SA|AG|JSC|PJSC|Bhd")
_BARE_QUALIFIERS = ("state-run", "state-controlled", "state-affiliated", "kremlin-backed", "semi-official")
_QUALIFIED_COMPANY_RE = re.compile(
    r"\b(?:[Ss]tate-(?:run|controlled|affiliated)|[Kk]remlin-backed|[Ss]emi-official)"
    r"(?:[ \t]+(?:[a-z][\w-]*[ \t]+){0,2}?(?:" + _COMPANY_NOUNS + r")(?![\w-])"
    r"|[ \t]+[A-Z][\w'’.&-]*(?:[ \t]+(?:[A-Z][\w'’.&-]*|of|and|&|de)){0,6}?[ \t]+"
    r"(?:" + _COMPANY_HEADS + r")(?![\w-]))")
# a media word inside marks an outlet after all ("state-run media group", "state-run China Media Group")
_MEDIA_WORD_RE = re.compile(r"\b(?:[Mm]edia|[Nn]ews|[Bb]roadcast\w*|[Tt]elevision|TV|[Rr]adio|[Pp]ress|[Pp]ublish\w*|"
                            r"[Nn]ewspapers?|[Cc]hannels?|[Nn]etworks?)\b")


def qualified_company_spans(text: str, low: str | None = None) -> list[tuple[int, int]]:
    """Spans of a company an outlet qualifier describes by a company noun or a company's name ("the state-run oil
    giant", "State-run Oil and Natural Gas Corporation"; see above), each from the qualifier to the noun or the name's
    end; ``text`` may hold several sentences, one per line."""
    return [(a, b) for a, b in _spans_on_lines(_QUALIFIED_COMPANY_RE, text, low, _BARE_QUALIFIERS)
            if not _MEDIA_WORD_RE.search(text, a, b)]


def state_media_shape_spans(text: str, low: str | None = None) -> list[tuple[int, int]]:
    """Spans of a state-controlled outlet described by its shape (above); ``text`` may hold several sentences, one
    per line, ``low`` is ``text.lower()`` if the caller has it. Only the lines holding a qualifier are searched."""
    return _spans_on_lines(_STATE_SHAPE_RE, text, low, _STATE_SHAPE_WORDS)


# Codebook (state_media): a channel attributes information; one that did not answer attributes none. The words that
# may stand between the channel phrase and the non-answer: its owner ("a spokesman for the ministry", "an FBI
# spokeswoman, Jane Doe,"), never a verb
_NO_RESPONSE_RE = re.compile(r"[ \t]+(?:(?:(?:did|does|do|has|have|had)[ \t]+not|didn['’]t|hasn['’]t|haven['’]t)[ \t]+"
                             r"(?:immediately[ \t]+|yet[ \t]+)?(?:respond|return|reply|answer|comment)|"
                             # a refusal ("declined to discuss", "would not say", "refused to elaborate"): codebook
                             # v38, "an institution that declines to comment or to say attributes nothing"
                             r"(?:(?:declined|refused)[ \t]+to|(?:would|will|could)[ \t]*not|wouldn['’]t|won['’]t)[ \t]+"
                             r"(?:immediately[ \t]+)?(?:comment|discuss|say|elaborate|confirm|specify|disclose|answer|respond)\b|"
                             r"(?:could|can)[ \t]*not[ \t]+(?:immediately[ \t]+)?be[ \t]+reached|(?:was|were)[ \t]+not[ \t]+"
                             r"(?:immediately[ \t]+)?available)")
_NO_RESPONSE_GAP_RE = re.compile(r"(?:,?[ \t]+(?:for|of|at|to|with|the|a|an|and|[A-Z][\w.'’&-]*)|,)*[ \t]*,?")
_NO_RESPONSE_WORDS = ("respond", "comment", "reached", "available", "return", "reply", "answer", "discuss", "say",
                      "elaborate", "confirm", "specify", "disclose")


def no_response_spans(text: str, low: str | None = None) -> list[tuple[int, int]]:
    """Spans of a non-answer ("did not immediately respond", "declined to comment", "could not be reached"), each
    starting at the blank before it; ``text`` may hold several sentences, one per line, ``low`` is ``text.lower()``
    if the caller has it. Only the lines holding one of the answer words are searched."""
    low = text.lower() if low is None or len(low) != len(text) else low
    return _spans_on_lines(_NO_RESPONSE_RE, low, low, _NO_RESPONSE_WORDS)


_INVERTED_LEAD_RE = re.compile(r"(?i:" + _INVERTED_SPEECH + r")\b")
_INVERTED_END_RE = re.compile(r"\s*(?:[,.;:!?\"”’)\]–—-]|$|(?:on|in|at|late|early|earlier|later|this|last|yesterday|"
                             r"today|tonight|overnight|\w+day|spokes\w+|press|office|via|through|citing|"
                             # the body's own statement or release ("..., said the ministry statement")
                             r"statement|release|communiqu[eé])\b)")


# Codebook (state_media): "a State Department official said" is an official speaking, not the institution; so are
# its officials, sources, aides and the like after any attribution lead ("according to Pentagon sources", "according
# to White House pool reports": the press pool's reporters); a petition on an office's website is the petitioners'
# ("according to the White House petition by ..."; a filing is not listed: "a Justice Department filing" is the body's)
_NOT_THE_BODY_RE = re.compile(r"[ \t]+(?:(?:senior|top|former|current|other|two|three|several|some|many)[ \t]+)?"
                              r"(?:officials?|sources?|aides?|staffers?|insiders?|officers?|employees?|lawyers?|"
                              r"attorneys?|investigators?|agents?|pool|reporters?|correspondents?|veterans?|petitions?)\b")


# Codebook v30: what others file with a government body (a campaign's FEC filings, a company's SEC filings) is the
# filers' document, not the body's ("according to Federal Election Commission filings")
_FILING_BODY_RE = re.compile(r"(?:the[ \t]+)?(?:Federal[ \t]+Election[ \t]+Commission|FEC|Securities[ \t]+and[ \t]+Exchange[ \t]+"
                             r"Commission|SEC|(?:[A-Z][\w.-]*[ \t]+)?(?i:election|elections|ethics)[ \t]+(?i:commission|board))")
_FILED_RE = re.compile(r"['’]?s?[ \t]+(?:campaign[ \t]+)?(?:finance[ \t]+)?(?:filings?|disclosures?|disclosure[ \t]+forms?|"
                       # "the election commission reports that turnout ...": the body speaks
                       r"reports\b(?![ \t]+that\b)|records|forms?|documents|data)\b", re.IGNORECASE)


# a preposition (and determiner) just before a body: "in election commission reports" names documents, not a speaker
_PREPOSITION_BEFORE_RE = re.compile(r"\b(?i:in|from|of|on|with|by|under)\s+(?:(?i:the|its|their)\s+)?$")


# a body someone left or joined: "Jen Psaki, who left the White House in May 2022, said on her show", "Mike Pompeo, who
# left the State Department in January 2021, said in a statement": what follows is the person's, not the body's
_LEFT_VERBS = (r"(?i:left|leaving|quit|quitting|resigned[ \t]+from|stepped[ \t]+down[ \t]+from|retired[ \t]+from|"
               r"(?:was[ \t]+)?(?:fired|ousted|dismissed)[ \t]+from|departed|joined|joining)")
_LEFT_BEFORE_RE = re.compile(r"\b" + _LEFT_VERBS + r"[ \t]+(?:(?i:the)[ \t]+)?$")


# Codebook (state_media, NO): a body after "officials / sources / aides at" names where its officials work, and a body
# after "to" (not "according to") is a recipient ("officials at the State Department told the wire service", "letters
# to the White House and the FDA asserted"): the verb after it is theirs, not the body's. A chain of names joined by
# "and" after the "to" counts as one object.
_OBJECT_BEFORE_RE = re.compile(
    r"(?:\b(?i:officials?|sources?|aides?|staffers?|employees?|officers?|insiders?|people|lawyers?|analysts?)[ \t]+"
    r"(?i:at|in|from|inside|within|with)|"
    # the body's lawyers ("attorneys for the department said"): lawyers speak for a client, not as its channel
    r"\b(?i:lawyers?|attorneys?|counsel)[ \t]+(?i:for|representing)|(?<![Aa]ccording )(?<![Aa]ccording)(?<!attributed )(?<!credited )\bto|"
    # a body that appointed or funds the speaker ("a panel of historians appointed by Seoul's unification ministry
    # concluded"), or a legislature someone testifies before ("Testifying before the Senate Armed Services Committee,
    # Admiral Paparo said"): the verb is the speaker's
    r"\b(?i:appointed|commissioned|set[ \t]+up|established|funded|hired|named|chosen|selected|convened)[ \t]+by|"
    r"\b(?i:testif(?:y|ies|ied|ying)|appear(?:s|ed|ing)?)[ \t]+before|"
    # an official identified by the body ("Admiral Paparo, commander of US Indo-Pacific Command, said": codebook, an
    # official who speaks with no channel named); not a spokesperson, whose body speaks
    r"\b(?i:commander|director|chief|head|member|officer|employee|adviser|advisor|chairman|chairwoman|chair)[ \t]+"
    r"(?i:of|at)|"
    # a council's member ("an opposition councillor on Porto city council, said")
    r"\b(?i:councill?ors?|council[ \t]?members?|aldermen|alderman|alderwoman)[ \t]+(?i:on|of|at|for)|"
    # a body someone left or joined ("Jen Psaki, who left the White House in May 2022, said on her show"): the verb
    # after it is the person's (codebook: a former spokesperson or official speaks for themself)
    r"\b" + _LEFT_VERBS + r"|"
    # a body the speaker heads ("Leonid Slutsky, who chairs the State Duma's foreign affairs committee, wrote on
    # Telegram"): an official identified by the body, like "chairman of"
    r"\b(?i:chairs|chaired|heads|headed|runs|directs|directed|commands|commanded|oversees|oversaw))[ \t]+(?:(?i:the)[ \t]+)?"
    # the body's country before it ("a source in Ukraine's General Staff told")
    r"(?:[A-Z][\w.-]*['’]s[ \t]+)?"
    r"(?:(?:[A-Z][\w.'’-]*[ \t]+){1,4}(?:and|or)[ \t]+(?:(?i:the)[ \t]+)?|"
    # the capitalised start of the body's name ("sources in the South Korean" + "defence ministry")
    r"(?:[A-Z][\w.'’-]*[ \t]+){1,3}|"
    # the body in an appositive after the named one ("officials at Homeland Security Investigations, a division of
    # Immigration and Customs Enforcement, said")
    r"(?:[A-Z][\w.'’-]*[ \t]+){0,4}[A-Z][\w.'’-]*,[ \t]+(?i:an?|the)[ \t]+(?:[\w-]+[ \t]+){1,2}"
    r"(?i:of|within|in|at)[ \t]+(?:(?i:the)[ \t]+)?)?$")


def _filed_with(sent: str, start: int, end: int) -> bool:
    """Whether ``sent[start:end]``, a body that receives filings, is followed by what was filed with it."""
    return _FILING_BODY_RE.fullmatch(sent, start, end) is not None and _FILED_RE.match(sent, end) is not None


def _speaks_before(sent: str, start: int, end: int) -> bool:
    """Does an attribution lead before ``sent[start:end]`` make that body the source ("according to the
    CDC", "said the Interior Ministry")? After an inverted speech verb only where the body ends its clause:
    in "Sullivan said the State Department's handling ..." and "the official said the FBI had ..." the
    subject speaks, about the body. Not where the body only names who speaks ("according to a State
    Department official")."""
    m = _SPEAKS_BEFORE_RE.search(sent, 0, start)
    if m is None or _NOT_THE_BODY_RE.match(sent, end) or _filed_with(sent, start, end):
        return False
    # a former spokesperson speaks for himself ("said a former spokesman for Ukraine's Foreign Ministry")
    if sent.startswith("spokes", m.start()) and _FORMER_RE.search(sent, max(0, m.start() - 40), m.start()):
        return False
    if not _INVERTED_LEAD_RE.match(m.group(0)):
        return True
    # "said the Interior Ministry." speaks; "the official said the FBI had secured ..." reports what the FBI
    # did: after an inverted verb the body must end its clause (or take a time, place or channel adjunct); a
    # possessive ("said the State Department’s handling ...") is the next noun's owner, not the clause's end
    if sent.startswith(("’s", "'s"), end):
        return False
    return _INVERTED_END_RE.match(sent, end) is not None


# Codebook v16: a speaker's "I think" / "I believe" before a claim of fact or a forecast hedges it; before an
# opinion, an evaluation or what should be done it only marks the opinion as the speaker's. The marker is
# read as an opinion marker (counted in not_hedge, not as a hedge) when its clause holds an evaluation:
# a word below, or an evaluative, deontic or loaded cue of the lexicons.
_BELIEF_MARKERS = frozenset({f"{who} {neg}{verb}" for who in ("i", "we") for verb in ("think", "believe")
                             for neg in ("", "don't ", "do not ", "do n't ")})  # "I don't think she can win" (codebook)
# a named speaker's belief before what should be done ("Secretary Clinton believes that American businesses need to
# break free", "he thinks the party should"): the deontic words only, as an evaluative word in a third person's clause
# is as often part of the fact believed ("she thinks Trump appeals to them because of the terrible anxiety")
_THIRD_BELIEF_MARKERS = frozenset({"thinks", "believes that", "believed that"}
                                  | {f"said {who} {verb}" for who in ("he", "she", "it", "they")
                                     for verb in ("believed", "believes", "believe", "thinks", "thought")})
_DEONTIC_RE = re.compile(r"\b(?:should|shouldn['’]t|ought|must(?![ \t]+(?:have|be)\b)|needs?[ \t]+to|deserves?|"
                         r"(?<!would )(?<!will )(?:has|have)[ \t]+to)\b", re.IGNORECASE)
_OPINION_RE = re.compile(r"\b(?:good|bad|great|excellent|wonderful|terrific|fantastic|awful|terrible|horrible|wrong|"
                         r"best|worst|better|worse|important|mistake|shame|disgrace|fair|unfair|smart|stupid|"
                         r"brilliant|foolish|right thing|should|shouldn['’]t|must|ought|need|needs|have to|"
                         r"has to|deserves?|deserved|"
                         # a debt of apology or thanks ("I believe the council owes every family an apology")
                         r"owes?[^.;:]{0,80}?\b(?:apology|apologies|explanation|thanks))\b", re.IGNORECASE)
_OPINION_KINDS = frozenset({"editorial_evaluative_adjective", "editorial_deontic", "loaded"})


def _author_opinion(m: Match, quotes: Sequence[tuple[int, int]]) -> bool:
    """Is belief marker ``m`` (before an opinion, :func:`_belief_before_opinion`) the author's own, first person and
    outside quotation marks? Codebook (editorializing, YES): the writer's own opinion marked as theirs in an op-ed, a
    letter or an essay ("I think the families deserved better"); a speaker's, quoted, is theirs."""
    return phrase_key(m.text) in _BELIEF_MARKERS and not (quotes and in_spans(m.start, quotes))


def _belief_before_opinion(sent: str, m: Match, ms: list[Match]) -> bool:
    """Is ``m`` a belief marker ("I think") whose clause states an opinion rather than a fact or forecast?"""
    key = phrase_key(m.text)
    first_person = key in _BELIEF_MARKERS
    if not first_person and key not in _THIRD_BELIEF_MARKERS:
        return False
    brk = _CLAUSE_END_RE.search(sent, m.end)
    end = brk.start() if brk is not None else len(sent)
    if not first_person:  # a third person's: only a deontic clause (see _THIRD_BELIEF_MARKERS)
        return _DEONTIC_RE.search(sent, m.end, end) is not None
    if _OPINION_RE.search(sent, m.end, end):
        return True
    return any(o.kind in _OPINION_KINDS and m.end <= o.start < end for o in ms)
# opening and closing marks; ``...'' is the Penn Treebank / LaTeX convention of many news corpora
_QUOTE_PAIRS = [("“", "”"), ("«", "»"), ("``", "''")]
_LOW_QUOTE_RE = re.compile(r"„[^„“”\n]*[“”]")  # German-style „...“
_SINGLE_QUOTE_RE = re.compile(r"(?<![\w’'])‘[^‘’\n]{3,}?’(?![\w])")
# paired straight single quotes, as headlines and British copy write a quotation ("calls protesters 'thugs'", "'We
# will not back down,' he said"): an opening mark after no word character and before a letter, a closing one after a
# word character or closing punctuation and before none; an apostrophe between two letters ("don't") is inside
_STRAIGHT_SINGLE_RE = re.compile(r"(?<![\w'’])'(?=[A-Za-z])(?:[^'\n]|(?<=\w)'(?=\w)){2,}?"
                                 r"(?<=[\w.,!?…%])'(?![\w'’])")
# an unpaired straight single mark: one after closing punctuation closes a quotation from an earlier sentence ("...
# will pay,' the minister said."), one opening the sentence or after a colon or comma opens one that runs on ("'We will
# crush them.", "He said: 'We will win.")
_SINGLE_CLOSE_RE = re.compile(r"(?<=[.,!?…])'(?=\s|$)")
_SINGLE_OPEN_RE = re.compile(r"(?<![\w'’])'(?=[A-Za-z])")
_SINGLE_RUN_OPEN_RE = re.compile(r"(?:^[ \t]*|(?<=[:,;][ \t]))'(?=[A-Za-z])")
_STRAIGHT_RE = re.compile('"')
# characters after which a straight double quote closes a quotation (``fight," he said``, ``"No."``)
_CLOSES_AFTER = frozenset(".,;!?…)]’'%")
# ''both marks as two apostrophes'', as some corpora write a quotation (no `` opener in the sentence)
_TWO_APOS_RE = re.compile(r"(?<!\w)''(?=\w)[^\n]*?(?<=[\w.,!?])''(?!\w)")


@dataclass(frozen=True)
class Outlet:
    name: str
    country: str
    kind: str
    typology: str
    basis: str


@dataclass(frozen=True)
class Match:
    sentence: int
    start: int  # offsets into the sentence
    end: int
    kind: str  # feature name, e.g. "hedge_modal", "outlet", "channel"
    text: str
    outlet: Outlet | None = None


_object_new, _object_setattr = object.__new__, object.__setattr__


def _new_match(sentence: int, start: int, end: int, kind: str, text: str, outlet: Outlet | None = None) -> Match:
    """``Match(sentence, start, end, kind, text, outlet)`` for the matcher's inner loops: a frozen dataclass's
    ``__init__`` sets each of the six fields with its own ``object.__setattr__`` call (about 1.1 us a
    match); here the instance's ``__dict__`` is set at once with the same fields in the same order (half
    the time). A test checks the result is equal to, and pickles and prints like, the constructor's."""
    m = _object_new(Match)
    _object_setattr(m, "__dict__", {"sentence": sentence, "start": start, "end": end, "kind": kind, "text": text,
                                    "outlet": outlet})
    return m


# ------------------------------------------------------------------------------------------ resources

def _resource_text(name: str) -> str | None:
    f = resources.files("framing").joinpath("resources", name)
    try:
        return f.read_text(encoding="utf-8")
    except (FileNotFoundError, OSError):
        return None


@lru_cache(maxsize=1)
def resources_digest() -> str:
    """SHA-256 of the word lists, registries and abbreviations in ``framing/resources`` (names and bytes; not
    SOURCES.md, which only documents them): what the cue features and the segmenter read. A model records
    the digest it was trained with, so a model used with other lists is noticed (:func:`registry.load_bundle`)."""
    h = hashlib.sha256()
    files = sorted((f for f in resources.files("framing").joinpath("resources").iterdir()
                    if f.is_file() and f.name != "SOURCES.md"), key=lambda f: f.name)
    for f in files:
        data = f.read_bytes()
        h.update(f"{f.name}\0{len(data)}\0".encode())
        h.update(data)
    data = _sentiment_lexicon()  # the subjectivity cue's list, from the installed textblob
    h.update(f"textblob/en/en-sentiment.xml\0{len(data)}\0".encode())
    h.update(data)
    data = _valence_lexicon()  # the valence cue's list, from the installed vaderSentiment
    h.update(f"vaderSentiment/vader_lexicon.txt\0{len(data)}\0".encode())
    h.update(data)
    return h.hexdigest()


# The subjectivity cue: a word (or phrase) counts when its mean subjectivity over the senses TextBlob's sentiment
# lexicon lists is at least SUBJECTIVITY_MIN and its mean polarity at least SUBJECTIVE_POLARITY_MIN either way: the
# lexicon's neutral modifiers ("such", "only", "various", "final", "likely") are no evaluation and would show as
# evidence. Chosen by five fits on the real-news samples (bench/RESULTS.md, twenty-ninth session): 0.5, 0.7 and 0.85
# were tried; 0.5 ranked and cut best, and the polarity floor ranked and cut as well or better on every subset.
SUBJECTIVITY_MIN = 0.5
SUBJECTIVE_POLARITY_MIN = 0.1
_LEXICON_WORD_RE = re.compile(r"[a-z][a-z' -]*[a-z]")


def _installed_package_file(package: str, path: str, cue: str) -> bytes:
    """The bytes of ``path`` inside the installed ``package``, read without importing the package (a lexicon a cue
    reads: ``cue`` names it in the error when the package is missing)."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"framing needs the {package} package for its {cue} cue; install it with "
                           f"`pip install {package}` (it is a declared dependency of framing)")
    return (Path(next(iter(spec.submodule_search_locations))) / path).read_bytes()


@lru_cache(maxsize=1)
def _sentiment_lexicon() -> bytes:
    """The bytes of ``textblob/en/en-sentiment.xml`` (TextBlob, MIT licence: the Pattern project's lexicon of
    English adjectives with polarity and subjectivity), read from the installed package without importing it."""
    return _installed_package_file("textblob", "en/en-sentiment.xml", "subjectivity")


# The valence cue: a word counts when VADER's lexicon gives it a mean valence of at least VALENCE_MIN either way (the
# lexicon's scale runs from -4 to 4). Chosen by five fits on the real-news samples (bench/RESULTS.md, thirty-first
# session): 1.5, 2.0 and 3.0 were tried; 1.5 cut best on the unread and never-read samples.
VALENCE_MIN = 1.5


@lru_cache(maxsize=1)
def _valence_lexicon() -> bytes:
    """The bytes of ``vaderSentiment/vader_lexicon.txt`` (vaderSentiment, MIT licence: VADER's lexicon of English
    words, slang and emoticons with a mean valence rated by ten people each), read from the installed package
    without importing it."""
    return _installed_package_file("vaderSentiment", "vader_lexicon.txt", "valence")


@lru_cache(maxsize=1)
def valence_words() -> tuple[str, ...]:
    """The words of VADER's lexicon whose mean valence is at least :data:`VALENCE_MIN` either way ("disastrous",
    "brilliant", "scandal", "praise"), lower-cased; tokens with digits, symbols or emoticons are left out, and so are
    the words of ``not_subjective.tsv``, whose common sense in news is no evaluation ("grand", "popular")."""
    left_out = {p for p, _ in _phrases("not_subjective.tsv")}
    rated: dict[str, list[float]] = {}  # a few words are listed twice ("ok", "sob"): their mean counts
    for line in _valence_lexicon().decode("utf-8", "replace").splitlines():
        fields = line.split("\t")
        if len(fields) >= 2 and _LEXICON_WORD_RE.fullmatch(fields[0]) and fields[0] not in left_out:
            try:
                rated.setdefault(fields[0], []).append(float(fields[1]))
            except ValueError:
                continue
    return tuple(sorted(w for w, v in rated.items() if abs(sum(v) / len(v)) >= VALENCE_MIN))


@lru_cache(maxsize=1)
def subjective_words() -> tuple[str, ...]:
    """The words and phrases of TextBlob's sentiment lexicon whose subjectivity, averaged over their senses, is
    at least :data:`SUBJECTIVITY_MIN` and whose mean polarity is at least :data:`SUBJECTIVE_POLARITY_MIN` either way
    (848: "ridiculous", "spectacular", "naive", "tragic"), lower-cased; forms with digits or symbols ("13th",
    "f*cking") are left out, and so are the words of ``not_subjective.tsv``, whose common sense in news is no
    evaluation ("late", "top", "rose", "grand" of a grand jury)."""
    import xml.etree.ElementTree as ET

    senses: dict[str, list[tuple[float, float]]] = {}
    for w in ET.fromstring(_sentiment_lexicon()).iter("word"):
        form = (w.get("form") or "").strip().lower()
        if _LEXICON_WORD_RE.fullmatch(form):
            senses.setdefault(form, []).append((float(w.get("subjectivity") or 0.0), float(w.get("polarity") or 0.0)))
    left_out = {p for p, _ in _phrases("not_subjective.tsv")}  # time, rank, verb forms, compounds: no evaluation
    return tuple(sorted(f for f, v in senses.items() if sum(s for s, _ in v) / len(v) >= SUBJECTIVITY_MIN
                        and abs(sum(p for _, p in v) / len(v)) >= SUBJECTIVE_POLARITY_MIN and f not in left_out))


def _read_table(name: str, delimiter: str) -> list[dict]:
    text = _resource_text(name)
    if text is None:
        return []
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    return list(csv.DictReader(io.StringIO("\n".join(lines)), delimiter=delimiter))


def _phrases(name: str, col: str = "phrase", cat: str = "category") -> list[tuple[str, str]]:
    out = []
    for row in _read_table(name, "\t"):
        p = (row.get(col) or row.get("term") or "").strip()
        if p:
            out.append((p, (row.get(cat) or row.get("kind") or "").strip()))
    return out


@lru_cache(maxsize=1)
def outlet_registry() -> dict[str, Outlet]:
    """Alias (as written, and lower-cased) -> Outlet, from ``state_outlets.csv``."""
    reg: dict[str, Outlet] = {}
    for row in _read_table("state_outlets.csv", ","):
        name = (row.get("name") or "").strip()
        if not name:
            continue
        o = Outlet(name, (row.get("country") or "").strip(), (row.get("kind") or "").strip(),
                   (row.get("typology") or "").strip(), (row.get("basis") or "").strip())
        for alias in [name] + [a.strip() for a in (row.get("aliases") or "").split("|")]:
            if alias:
                reg.setdefault(alias, o)
                reg.setdefault(alias.lower(), o)
    return reg


def resolve_outlet(name: str) -> Outlet | None:
    """Registry lookup by canonical name or alias (case-insensitive): ``resolve_outlet("ITAR-TASS").name == "TASS"``."""
    reg = outlet_registry()
    return reg.get(name) or reg.get(name.strip().lower())


def _char_pattern(ch: str) -> str:
    if ch == " ":
        return r"\s+"
    if ch in "'’":
        return "['’]"
    return re.escape(ch)


def _trie(phrases: Sequence[str]) -> dict:
    trie: dict = {}
    for p in {re.sub(r"\s+", " ", p.replace("’", "'")) for p in phrases if p}:
        node = trie
        for ch in p:
            node = node.setdefault(ch, {})
        node[""] = True
    return trie


def _trie_pattern(node: dict) -> str:
    end = "" in node
    branches = [_char_pattern(ch) + _trie_pattern(child) for ch, child in sorted(node.items()) if ch != ""]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if end else body


def _alternation(phrases: Sequence[str]) -> str:
    """A regex matching any of ``phrases``, built as a trie so the engine follows one branch per
    character instead of trying thousands of alternatives at every position. Longer matches win
    (greedy, longest branch first)."""
    return _trie_pattern(_trie(phrases))


def _word_alternation(phrases: Sequence[str]) -> str:
    r"""``(?<![\w-])(?:<_alternation(phrases)>)(?![\w-])`` with the look-behind moved behind each first
    character, where ``(?<![\w-][\s\S])`` tests the same character: the same matches, but a pattern that
    starts with a choice of literal characters lets the engine skip to the positions holding one, which
    is fast for case-sensitive acronyms (capitals are rare in text) and slower for lower-case words."""
    trie = _trie(phrases)
    if not trie or "" in trie or " " in trie:  # a first "character" that is not one character
        return r"(?<![\w-])(?:" + _trie_pattern(trie) + r")(?![\w-])"
    branches = [_char_pattern(ch) + r"(?<![\w-][\s\S])" + _trie_pattern(child) for ch, child in sorted(trie.items())]
    return "(?:" + "|".join(branches) + r")(?![\w-])"


_WS_RUN_RE = re.compile(r"\s+")


def phrase_key(text: str) -> str:
    """The form a lexicon phrase and a matched span are compared in: lower case, straight apostrophes,
    each whitespace run one space."""
    return _WS_RUN_RE.sub(" ", text.lower().replace("’", "'"))
# the whitespace that "\s+" -> " " changes: runs of two or more (collapsed to one space), and a single
# character other than a space (replaced by one, keeping the length)
_ODD_WS_RE = re.compile(r"\s{2,}|[^\S ]")
_LONG_WS_RE = re.compile(r"\s{2,}")
# every character but the space that "\s" matches (a test checks the list against the regex engine)
_ODD_SPACES = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008" \
              "\u2009\u200a\u2028\u2029\u202f\u205f\u3000"


def _is_word_or_hyphen(ch: str) -> bool:
    """``re.match(r"[\\w-]", ch)`` for one character (\\w in a str pattern is isalnum() or "_")."""
    return ch.isalnum() or ch == "_" or ch == "-"


class _PhraseScan:
    r"""The matches of ``re.compile(r"(?<![\w-])(?:" + _alternation(phrases) + r")(?![\w-])").finditer``
    for several phrase sets at once, with one Aho-Corasick automaton instead of a regex per set.

    ``_alternation`` matches a phrase's space as ``\s+`` and its apostrophe as ``['’]``; the text is
    normalised the same way (whitespace runs to one space, "’" to "'"), so a phrase matches where its
    pattern would, and offsets are mapped back when a run was collapsed. A boundary test on the
    normalised text gives the look-around's answer: only whitespace and "’" change, and neither they
    nor their replacements are ``[\w-]``. At each position the pattern takes the longest phrase whose
    end is followed by no ``[\w-]`` (all phrases matching at one position lie on one trie path), and
    ``finditer`` resumes after a match: the same leftmost, longest, non-overlapping choice is made here
    per set. Text that cannot be encoded as UTF-8 (a lone surrogate) is matched with the regexes."""

    def __init__(self, sets: Sequence[Sequence[str]]):
        import ahocorasick_rs

        masks: dict[str, int] = {}
        for k, phrases in enumerate(sets):
            for p in phrases:
                if p:
                    key = _WS_RUN_RE.sub(" ", p.replace("’", "'"))
                    masks[key] = masks.get(key, 0) | (1 << k)
        self.sets = [list(ps) for ps in sets]
        self.empty = not masks
        # whitespace that the quick normalisation leaves for the full one: two in a row, or one that is
        # not a space (no phrase key holds either), found by the same scan instead of a search of its own
        self._odd = 1 << len(sets)
        keys = [*masks, *_ODD_SPACES, "  "]
        self._masks = [*masks.values(), *[self._odd] * (len(_ODD_SPACES) + 1)]
        # each key's one set (-1: several, see its mask; -2: odd whitespace)
        self._owner = [m.bit_length() - 1 if m & (m - 1) == 0 else -1 for m in masks.values()]
        self._owner += [-2] * (len(_ODD_SPACES) + 1)
        self._auto = ahocorasick_rs.AhoCorasick(keys, matchkind=ahocorasick_rs.MatchKind.Standard)

    @cached_property
    def _regexes(self) -> list[re.Pattern | None]:
        return [re.compile(r"(?<![\w-])(?:" + _alternation(ps) + r")(?![\w-])") if any(ps) else None for ps in self.sets]

    def spans(self, text: str) -> list[list[tuple[int, int]]]:
        """For each phrase set, its matches' (start, end) in ``text``, in order."""
        if self.empty or not text:
            return [[] for _ in self.sets]
        try:
            # most text: "’" and the line breaks that join a batch's sentences are the only whitespace to change
            out = self._scan(text.replace("’", "'").replace("\n", " "), None)
            if out is None:
                norm = _ODD_WS_RE.sub(" ", text.replace("’", "'"))
                where = None
                if len(norm) != len(text):  # a run was collapsed: positions of the normalised text in ``text``
                    where, pos = [], 0
                    for m in _LONG_WS_RE.finditer(text):
                        where.extend(range(pos, m.start() + 1))
                        pos = m.end()
                    where.extend(range(pos, len(text)))
                out = self._scan(norm, where)
        except UnicodeEncodeError:
            return [[m.span() for m in rx.finditer(text)] if rx is not None else [] for rx in self._regexes]
        return out

    def _scan(self, norm: str, where: list[int] | None) -> list[list[tuple[int, int]]] | None:
        """The matches in normalised text (None: it is not, with odd whitespace left), mapped by ``where``."""
        n = len(norm)
        best: list[dict[int, int]] = [{} for _ in self.sets]
        owner, masks = self._owner, self._masks
        for key, start, end in self._auto.find_matches_as_indexes(norm, overlapping=True):
            k = owner[key]
            if k == -2:
                return None
            if start:  # the look-behind (?<![\w-]), inlined: \w is isalnum() or "_"
                c = norm[start - 1]
                if c.isalnum() or c == "_" or c == "-":
                    continue
            if end < n:  # the look-ahead (?![\w-])
                c = norm[end]
                if c.isalnum() or c == "_" or c == "-":
                    continue
            if k >= 0:
                b = best[k]
                if b.get(start, 0) < end:
                    b[start] = end
                continue
            mask, k = masks[key], 0
            while mask:
                if mask & 1:
                    b = best[k]
                    if b.get(start, 0) < end:
                        b[start] = end
                mask >>= 1
                k += 1
        out: list[list[tuple[int, int]]] = [[] for _ in self.sets]
        for k, b in enumerate(best):
            if not b:
                continue
            o, reach = out[k], 0
            for start in sorted(b):
                if start >= reach:
                    reach = b[start]
                    o.append((start, reach) if where is None else (where[start], where[reach - 1] + 1))
        return out


def _hyphen_variants(phrase: str) -> tuple[str, ...]:
    """A lexicon phrase of two or three words, and the same words joined by hyphens as a compound modifier
    ("thought police" -> "thought-police courses", "deep state" -> "deep-state operatives"). Not the other
    way: a hyphenated term's words apart are often plain English ("know-nothing" / "I know nothing")."""
    words = phrase.split()
    if 2 <= len(words) <= 3 and all(w.isalpha() for w in words):
        return phrase, "-".join(words)
    return (phrase,)


_NOT_A_NOUN_END_RE = re.compile(r"(?:s|ed|ly|ing|ish|ous|ful|ive|ic|al|less|y|[^a-z])$")


def _plural_variants(phrase: str) -> tuple[str, ...]:
    """:func:`_hyphen_variants` of a loaded or neutral lexicon phrase, and of its regular plural where its last word
    reads as a singular noun ("thought crime" -> "thought crimes", "putsch" -> "putsches"): the list's nouns then
    match in either number. A last word that ends like a plural, a participle, an adverb or an adjective ("-s", "-ed",
    "-ly", "-ing", "-ous", "-al", "-y", ...) gets none, so adjectives and verb forms do not grow nonsense forms."""
    words = phrase.split(" ")
    last = words[-1]
    out = _hyphen_variants(phrase)
    if len(last) < 3 or not last.isalpha() or _NOT_A_NOUN_END_RE.search(last):
        return out
    plural = " ".join([*words[:-1], last + ("es" if last.endswith(("x", "z", "ch", "sh")) else "s")])
    return out + _hyphen_variants(plural)


_INNER_WORD_RE = re.compile(r"[\w'’-]+")


class CueMatcher:
    """Compiled matchers for every lexicon. Build once (``get_matcher()``) and reuse; picklable by name only."""

    def __init__(self) -> None:
        self.kind_of: dict[str, set[str]] = {}

        def add(phrase: str, kind: str) -> None:
            self.kind_of.setdefault(phrase_key(phrase), set()).add(kind)

        for p, c in _phrases("hedges.tsv"):
            add(p, "hedge")
            add(p, _HEDGE_GROUPS.get(c, "hedge_weasel"))
        for p, _ in _phrases("not_hedges.tsv"):
            add(p, "not_hedge")
        for p, _ in _phrases("not_loaded.tsv"):
            for v in _plural_variants(p):
                add(v, "not_loaded")
        for p, c in _phrases("loaded_terms.tsv", col="term"):
            if p in _CRITICISM_VERBS:
                add(p, "criticism_verb")
            for v in _plural_variants(p):
                if c != "ambiguous":
                    add(v, "loaded")
                if c in LOADED_GROUPS:
                    add(v, f"loaded_{c}")
        for p, c in _phrases("editorial_cues.tsv"):
            for v in _hyphen_variants(p):
                if p not in _WEAK_EDITORIAL:
                    add(v, "editorial")
                if c in EDITORIAL_GROUPS:
                    add(v, f"editorial_{c}")
        for p in subjective_words():
            add(p, "subjective")
        for p in valence_words():
            add(p, "valence")
        for p, _ in _phrases("state_media_generic.tsv"):
            add(p, "state_generic")
        self.institution: set[str] = set()
        for p, kind in _phrases("official_channels.tsv"):
            add(p, "channel")
            if kind in INSTITUTION_KINDS:
                self.institution.add(phrase_key(p))
        for p in _generic_institution_phrases():
            add(p, "channel")
            self.institution.add(p)
        for p, _ in _phrases("attribution.tsv"):
            add(p, "attribution")
        for p in _INDEPENDENT:
            if len(p) > 3:
                add(p, "independent_outlet")
        for p, _ in _phrases("non_government_speakers.tsv", cat="kind"):
            add(p, "nongov_speaker")
        self._kind_cache: dict[str, set[str]] = {}
        self._inner_cache: dict[str, list[tuple[int, int, tuple[str, ...]]]] = {}
        self._institution_cache: dict[str, bool] = {}
        self._generic_institutions: set[str] = set()  # names matched by shape (generic_institutions)

        # outlets: short all-caps acronyms match case-sensitively ("RT", "SANA"), names case-insensitively
        reg = outlet_registry()
        written = self._aliases_as_written()
        names = {k for k in reg if k == reg[k].name or k in written}
        acr = [n for n in names if len(n) <= 6 and n.upper() == n]
        long_ = [n for n in names if n not in acr]
        indep_acr = [p for p in _INDEPENDENT if len(p) <= 3]
        self._acronyms = acr + indep_acr if acr else []
        self._long_outlets = long_
        # government institutions' acronyms ("ICE", "NASA", "HMRC"): case-sensitive, so "ice" is not one
        self.gov_acronyms = {row["acronym"].strip(): row for row in _read_table("official_acronyms.tsv", "\t")
                             if (row.get("acronym") or "").strip()}
        # and each initialism with a full stop after every letter, as some house styles write them ("the F.B.I.
        # said", "the S.E.C."); an acronym said as a word ("NASA") is never dotted, so its dotted form never matches
        self.gov_acronyms.update({".".join(a) + ".": row for a, row in list(self.gov_acronyms.items())
                                  if a.isalpha() and a.isupper() and 2 <= len(a) <= 5})
        self.institution.update(a.lower() for a in self.gov_acronyms)
        # agencies' own dateline credits that are no alias elsewhere ("ANKARA (AA) -"): each to its registry outlet
        self.dateline_credits = {row["credit"].strip().lower(): resolve_outlet(row["outlet"].strip())
                                 for row in _read_table("dateline_credits.tsv", "\t")
                                 if (row.get("credit") or "").strip()}
        credits = [c for c, outlet in self.dateline_credits.items() if outlet is not None]
        # the credit in brackets before a dash ("BEIJING, May 3 (Xinhua) --") or between slashes ("MOSCOW, December
        # 26. /TASS/."), found anywhere; or after the place and a comma before a dash ("Damascus, SANA-"), each agency's
        # house style, tried only at a sentence's start (one pattern each: a pattern that opens with a literal
        # character is searched for that character first, which an alternation of the three would not be)
        alt = _alternation(list(names) + credits)
        self.dateline_res = ([re.compile(r"\((" + alt + r")\)\s*(?:--|—|–|-)", re.IGNORECASE),
                              re.compile(r"/(" + alt + r")/\.?", re.IGNORECASE)] if names else [])
        self.dateline_place_re = (re.compile(r"[A-Z][\w .'’-]{1,40},[ \t]*(" + alt
                                             + r")[ \t]*(?:--|—|–|-)(?=[ \t])", re.IGNORECASE) if names else None)
        # The word-bounded phrase regexes below, matched by two Aho-Corasick scans (see _PhraseScan): the
        # lexicon and the outlets' names in lower-cased text (when lower() keeps offsets), and the
        # case-sensitive acronyms (outlets', non-government bodies', government institutions') as written.
        self.low_scan = _PhraseScan([list(self.kind_of), [n.lower() for n in long_]])
        self.case_scan = _PhraseScan([self._acronyms, _NONGOV_ACRONYMS, list(self.gov_acronyms), _GOV_HEADS,
                                     spokesperson_names()])

    # The regular expressions the scans replace (their reference in the tests), and the IGNORECASE
    # variants, which serve only batches whose lower() changes their length (e.g. "İ"): written and
    # compiled on first use, as compiling them took about a third of the matcher's start-up and writing
    # the lexicon's alternation (a trie of ~7,000 phrases) about 0.3 s more.
    @cached_property
    def _lex_pattern(self) -> str | None:
        return r"(?<![\w-])(?:" + _alternation(list(self.kind_of)) + r")(?![\w-])" if self.kind_of else None

    @cached_property
    def lex_low_re(self) -> re.Pattern | None:
        return re.compile(self._lex_pattern) if self._lex_pattern else None

    @cached_property
    def lex_re(self) -> re.Pattern | None:
        return re.compile(self._lex_pattern, re.IGNORECASE) if self._lex_pattern else None

    @cached_property
    def outlet_low_re(self) -> re.Pattern | None:
        long_ = self._long_outlets
        return re.compile(r"(?<![\w-])(?:" + _alternation([n.lower() for n in long_]) + r")(?![\w-])") if long_ else None

    @cached_property
    def outlet_re(self) -> re.Pattern | None:
        long_ = self._long_outlets
        return re.compile(r"(?<![\w-])(?:" + _alternation(long_) + r")(?![\w-])", re.IGNORECASE) if long_ else None

    @cached_property
    def acr_re(self) -> re.Pattern | None:
        return re.compile(_word_alternation(self._acronyms)) if self._acronyms else None

    @cached_property
    def nongov_re(self) -> re.Pattern:
        return re.compile(_word_alternation(_NONGOV_ACRONYMS))

    @cached_property
    def gov_acr_re(self) -> re.Pattern | None:
        return re.compile(_word_alternation(list(self.gov_acronyms))) if self.gov_acronyms else None

    @staticmethod
    def _aliases_as_written() -> set[str]:
        out = set()
        for row in _read_table("state_outlets.csv", ","):
            out.add((row.get("name") or "").strip())
            out.update(a.strip() for a in (row.get("aliases") or "").split("|") if a.strip())
        return out

    def is_institution(self, text: str) -> bool:
        known = self._institution_cache.get(text)
        if known is None:
            known = self._institution_cache[text] = (phrase_key(text) in self.institution
                                                     or text in self._generic_institutions)
        return known

    def _inner(self, text: str) -> list[tuple[int, int, tuple[str, ...]]]:
        """The loaded terms inside a matched editorial phrase, the editorial cues inside a matched loaded phrase and a
        state outlet named inside an attribution phrase (offsets in ``text``, with their kinds). The scan keeps the
        longest phrase at each place, so "a betrayal" (an evaluation) would hide the loaded "betrayal", "wise
        leadership" (a loaded phrase) the evaluative "wise" and "told state television" the outlet; a phrase of one
        list is not another's verdict on its words."""
        inner = self._inner_cache.get(text)
        if inner is None:
            kinds = self._kinds(text)
            want = ("loaded" if "editorial" in kinds and "loaded" not in kinds else
                    "editorial" if "loaded" in kinds and "editorial" not in kinds else
                    "state_generic" if "attribution" in kinds and "state_generic" not in kinds else None)
            inner = []
            words = [m.span() for m in _INNER_WORD_RE.finditer(text)] if want else []
            for j in range(len(words)):
                for k in range(len(words), j, -1):
                    if k - j == len(words):
                        continue
                    x, y = words[j][0], words[k - 1][1]
                    found = tuple(sorted(c for c in self._kinds(text[x:y]) if c.startswith(want)))
                    if found:  # the longest one starting at this word
                        inner.append((x, y, found))
                        break
            self._inner_cache[text] = inner
        return inner

    def _kinds(self, text: str) -> set[str]:
        kinds = self._kind_cache.get(text)
        if kinds is None:
            kinds = self._kind_cache[text] = self.kind_of.get(phrase_key(text), set())
        return kinds

    def _scan(self, joined: str) -> tuple[list, list, list, list, list, list, list]:
        """Spans in the joined sentences: lexicon phrases, outlet names, acronyms, non-government speakers,
        government acronyms, institution head words ("Ministry", "Agency": see generic_institutions) and the
        names of government spokespeople (see spokesperson_spans)."""
        low = lowered(joined)
        # lower() may change the length of a few characters (e.g. "İ"): then match case-insensitively instead
        if len(low) == len(joined):
            lex_spans, outlet_spans = self.low_scan.spans(low)
        else:
            lex_spans = [m.span() for m in self.lex_re.finditer(joined)] if self.lex_re is not None else []
            outlet_spans = [m.span() for m in self.outlet_re.finditer(joined)] if self.outlet_re is not None else []
        return (lex_spans, outlet_spans, *self.case_scan.spans(joined))

    def _named_matches(self, out: list[list[Match]], joined: str, place, acr_spans, outlet_spans, nongov_spans,
                       gov_acr_spans, head_spans, spokes_spans) -> None:
        """Add the outlets (registered or independent), non-government speakers, government acronyms and
        agency datelines to ``out`` (``place``: joined offset -> sentence, offset in it)."""
        reg = outlet_registry()
        for spans in (acr_spans, outlet_spans):
            for a, b in spans:
                text = joined[a:b]
                if text == "CCTV" and _CAMERA_AFTER_RE.match(joined, b):
                    continue  # closed-circuit television ("heavy CCTV surveillance", "CCTV cameras"), not China's broadcaster
                i, s = place(a)
                o = reg.get(text) or reg.get(text.lower())
                kind = "outlet" if o is not None else "independent_outlet"
                out[i].append(_new_match(i, s, s + b - a, kind, text, o))
        for kind, spans in (("nongov_speaker", nongov_spans), ("channel", gov_acr_spans)):
            for a, b in spans:
                i, s = place(a)
                e = s + b - a
                if kind == "channel" and any(m.kind == "nongov_speaker" and m.start <= s and e <= m.end for m in out[i]):
                    continue  # a government's acronym inside a non-government body's name ("Africa CDC")
                out[i].append(_new_match(i, s, e, kind, joined[a:b]))
        # bodies named by shape: a capitalised name around a head word, and a country's body in lower case, whose name
        # may go on with its acronym ("the country's disaster management authority AFAD")
        for spans, acronym in ((generic_institutions(joined, head_spans), False),
                               (country_body_spans(joined, lowered(joined)), True)):
            for a, b in spans:
                i, s = place(a)
                e = s + b - a
                if any(m.start < e and s < m.end for m in out[i]
                       if m.kind in ("channel", "outlet", "independent_outlet", "nongov_speaker", "state_generic")):
                    continue  # the channel list, the registry or a non-government name already covers it
                end_line = joined.find("\n", b)
                sent = joined[a - s:len(joined) if end_line < 0 else end_line]
                acr = _BARE_ACRONYM_RE.match(sent, e) if acronym else None
                if acr is not None:
                    b, e = b + acr.end() - e, acr.end()
                if not (_SPEAKS_AFTER_RE.match(sent, e) or _speaks_before(sent, s, e)):
                    continue  # only a body that speaks: one only mentioned is left to the words around it
                out[i].append(_new_match(i, s, e, "channel", joined[a:b]))
                self._generic_institutions.add(joined[a:b])
        credits_found = [m for rx in self.dateline_res for m in rx.finditer(joined)]
        if self.dateline_place_re is not None:
            start = 0
            while start >= 0:
                if joined.find(",", start, start + 42) >= 0:
                    m = self.dateline_place_re.match(joined, start)
                    if m is not None:
                        credits_found.append(m)
                start = joined.find("\n", start)
                start = start + 1 if start >= 0 else -1
        for m in sorted(credits_found, key=methodcaller("start")):
            i, s = place(m.start())
            name = m.group(1)
            outlet = resolve_outlet(name) or self.dateline_credits.get(name.strip().lower())
            out[i].append(_new_match(i, s, s + len(m.group(0)), "dateline_credit", m.group(0), outlet))
        # vague attribution the phrase list does not spell out ("political scientists say", "experts are warning")
        low = lowered(joined)  # the scan's, remembered: not lowered twice
        def add_where_free(spans, taken: tuple[str, ...], kinds: tuple[str, ...]) -> None:
            """A match of each of ``kinds`` for every span (offsets in ``joined``) that no match of ``taken`` overlaps
            (the lexicon has it, or an earlier span here)."""
            for a, b in spans:
                i, s = place(a)
                e = s + b - a
                if not any(x.kind in taken and x.start < e and s < x.end for x in out[i]):
                    out[i].extend(_new_match(i, s, e, k, joined[a:b]) for k in kinds)

        def drop_inside(spans, kind: str) -> None:
            """Drop the matches of ``kind`` that lie inside one of ``spans`` (offsets in ``joined``)."""
            for a, b in spans:
                i, s = place(a)
                e = s + b - a
                out[i] = [x for x in out[i] if not (x.kind == kind and s <= x.start and x.end <= e)]

        add_where_free(lead_channel_spans(joined, low), ("attribution",), ("attribution",))
        add_where_free((*vague_attribution_spans(joined, low), *report_tag_spans(joined, low),
                        *unsourced_report_spans(joined, low)), ("hedge",), ("hedge", "hedge_weasel"))
        # a mock "-in-chief" title the lexicon does not list ("contraster-in-chief")
        add_where_free(mock_title_spans(joined, low), ("loaded",), ("loaded", "loaded_sneer"))
        add_where_free(pejorative_label_spans(joined, low), ("loaded",), ("loaded", "loaded_pejorative_label"))
        # a passive belief or report with an adverb inside ("is now believed to"), where the lexicon has no hedge there
        add_where_free(passive_belief_spans(joined, low), ("hedge",), ("hedge", "hedge_verb"))
        add_where_free(passive_perception_spans(joined, low), ("hedge",), ("hedge", "hedge_verb"))
        add_where_free(risk_outcome_spans(joined, low), ("hedge",), ("hedge", "hedge_outlook"))
        add_where_free(counterfactual_spans(joined, low), ("hedge",), ("hedge", "hedge_modal"))
        add_where_free(some_in_place_spans(joined, low), ("hedge",), ("hedge", "hedge_weasel"))
        add_where_free(stated_hope_spans(joined, low), ("hedge",), ("hedge", "hedge_verb"))
        add_where_free(reported_belief_spans(joined, low), ("hedge",), ("hedge", "hedge_verb"))
        add_where_free(appears_state_spans(joined, low), ("hedge",), ("hedge", "hedge_verb"))
        add_where_free(expected_noun_spans(joined, low), ("hedge",), ("hedge", "hedge_outlook"))
        must_have = must_have_spans(joined, low)
        # an inference, not a demand: the deontic "must" inside is not the author's call for action
        drop_inside(must_have, "editorial_deontic")
        add_where_free(must_have, ("hedge",), ("hedge", "hedge_modal"))
        # a forecast after a belief marker is the speaker's belief (hedging), not a prediction stated as certain
        drop_inside(belief_forecast_spans(joined, low), "editorial_prediction")
        # a "should" of a condition or an embedded question demands nothing: its deontic match goes
        for a, b in non_deontic_should_spans(joined, low):
            i, s = place(a)
            e = s + b - a
            out[i] = [x for x in out[i] if not (x.kind == "editorial_deontic" and x.start <= s and e <= x.end)]
        # a claim marked unverified in a relative clause ("a claim Reuters could not independently verify")
        add_where_free(unverified_claim_spans(joined, low), ("hedge",), ("hedge", "hedge_distancing"))
        # not hedges, where no phrase of the list covers them: "potential" naming a class ("potential Democratic
        # candidates"), "as ... as possible" ("as many delegates as possible") and a superlative's "possible" ("the best
        # position possible"), "May" the month or the name ("a May 2013 attempt", "Theresa May said"), a modal opening a
        # question ("Could the act be coming back?"), "suggested" proposing a course ("suggested moving the hearing")
        for a, b in (*class_potential_spans(joined, low), *as_possible_spans(joined, low),
                     *superlative_possible_spans(joined, low), *made_possible_spans(joined, low),
                     *month_or_name_may_spans(joined), *modal_question_spans(joined, low), *proposal_spans(joined, low),
                     *result_vs_forecast_spans(joined, low), *contrary_to_what_spans(joined, low),
                     *could_not_spans(joined, low)):
            i, s = place(a)
            e = s + b - a
            if not any(x.kind == "not_hedge" and x.start <= s and e <= x.end for x in out[i]):
                # the hedge words inside are not hedges, as under a listed not-hedge phrase (features skip them
                # already; evidence must not show them): "possible" in "as many delegates as possible"
                out[i] = [x for x in out[i] if not (x.kind.startswith("hedge") and s <= x.start and x.end <= e)]
                out[i].append(_new_match(i, s, e, "not_hedge", joined[a:b]))
        # a state-controlled outlet no list names, by its description ("the state-owned Herald newspaper")
        add_where_free(state_media_shape_spans(joined, low), ("outlet", "state_generic"), ("state_generic",))
        # a titled official's office ("Gov. Greg Abbott's office said")
        add_where_free(titled_office_spans(joined, low), ("channel",), ("channel",))
        # a head of state's or government's own social-media post ("President Trump tweeted")
        for a, b in head_post_spans(joined, low):
            i, s = place(a)
            e = s + b - a
            out[i].append(_new_match(i, s, e, "head_post", joined[a:b]))
            if not any(x.kind == "attribution" and x.start < e and s < x.end for x in out[i]):
                out[i].append(_new_match(i, s, e, "attribution", joined[a:b]))  # "took to Twitter" attributes too
        # a government spokesperson named without the title ("Peskov said", "according to Zakharova")
        for a, b, name in spokesperson_spans(joined, spokes_spans):
            i, s = place(a)
            e = s + b - a
            out[i].append(_new_match(i, s, e, "spokesperson", joined[a:b], spokesperson_outlet(name)))
            if not any(x.kind == "attribution" and x.start < e and s < x.end for x in out[i]):
                out[i].append(_new_match(i, s, e, "attribution", joined[a:b]))
        # a spokesperson or press office that did not answer attributes nothing ("An FBI spokesman did not immediately
        # respond to a request for comment"): its channel phrase is dropped; an institution named with it is then
        # only mentioned
        for a, _ in no_response_spans(joined, low):
            i, s = place(a)
            base = a - s
            out[i] = [x for x in out[i] if not (x.kind == "channel" and x.end <= s and not self.is_institution(x.text)
                                                and _NO_RESPONSE_GAP_RE.fullmatch(joined, base + x.end, a))]
        # distancing "claims" before a clause without "that" ("he claims his plan will create jobs")
        for a, b in distancing_claim_spans(joined, low):
            i, s = place(a)
            out[i].append(_new_match(i, s, s + b - a, "hedge", joined[a:b]))
            out[i].append(_new_match(i, s, s + b - a, "hedge_distancing", joined[a:b]))
        # a state-owned company described by an outlet qualifier speaks for itself ("State-run Petrobras said"): the
        # qualifier is no outlet, and the company a non-government speaker
        for a, b in qualified_company_spans(joined, low):
            i, s = place(a)
            e = s + b - a
            out[i] = [x for x in out[i] if not (x.kind == "state_generic" and s <= x.start and x.end <= e)]
            if not any(x.kind == "nongov_speaker" and x.start < e and s < x.end for x in out[i]):
                out[i].append(_new_match(i, s, e, "nongov_speaker", joined[a:b]))
        for start in _lines_with(low, _BARE_QUALIFIERS):
            i = place(start)[0]
            ms = out[i]
            bare = [x for x in ms if x.kind == "state_generic" and x.text.lower() in _BARE_QUALIFIERS]
            if bare:  # "state-controlled Gazprom": a company the non-government list names, right after the qualifier
                after = {x.start for x in ms if x.kind == "nongov_speaker"}
                drop = [x for x in bare if x.end + 1 in after]
                if drop:
                    out[i] = [x for x in ms if not any(x is d for d in drop)]

    def match(self, sentences: Sequence[str]) -> list[list[Match]]:
        """All cue matches of each sentence (offsets relative to the sentence).

        The sentences' offsets in the joined text are summed in C (``accumulate``), and only the sentences
        that got a "not_loaded" match are looked at for the technical phrases (the others have none to
        drop): :meth:`_match_reference` without a Python loop over all sentences. A test compares the two."""
        out: list[list[Match]] = [[] for _ in sentences]
        if not sentences:
            return out
        joined = "\n".join(sentences)
        starts = [0, *accumulate(map((1).__add__, map(len, sentences)))]  # and one past the end

        def place(pos: int) -> tuple[int, int]:
            i = bisect_right(starts, pos) - 1
            return i, pos - starts[i]

        lex_spans, outlet_spans, acr_spans, nongov_spans, gov_acr_spans, head_spans, spokes_spans = self._scan(joined)
        neutral_rows = []  # the sentences with a "not_loaded" match (in order, perhaps repeated)
        for a, b in lex_spans:
            text = joined[a:b]
            i, s = place(a)
            if b - a <= 5 and text.isupper() and not sentences[i].isupper() and text.lower() not in _CAPS_TERMS:
                continue  # an acronym ("CNN/ORC", "the WHO") is not the word ("orc", "who")
            kinds = self._kinds(text)
            named = not kinds.isdisjoint(_NAME_BLIND_KINDS) and _in_a_name(sentences[i], s, text)
            for kind in kinds:
                if not (named and kind in _NAME_BLIND_KINDS):
                    out[i].append(_new_match(i, s, s + b - a, kind, text))
            for x, y, inner in self._inner(text):
                out[i].extend(_new_match(i, s + x, s + y, kind, text[x:y]) for kind in inner)
            if "not_loaded" in kinds:
                neutral_rows.append(i)
            elif "criticism_verb" in kinds and _reports_criticism(joined, a, b):
                out[i].append(_new_match(i, s, s + b - a, "not_loaded", text))
                neutral_rows.append(i)
        self._named_matches(out, joined, place, acr_spans, outlet_spans, nongov_spans, gov_acr_spans, head_spans,
                            spokes_spans)
        for i in dict.fromkeys(neutral_rows):  # a loaded or editorial term in a technical phrase ("sanctions regime") is neither
            ms = out[i]
            neutral = [(m.start, m.end) for m in ms if m.kind == "not_loaded"]
            if neutral:
                out[i] = [m for m in ms if not (m.kind.startswith(_NEUTRALISED) and any(a <= m.start and m.end <= b for a, b in neutral))]
        return out

    def _match_reference(self, sentences: Sequence[str]) -> list[list[Match]]:
        """:meth:`match` as first written (the reference in the tests)."""
        out: list[list[Match]] = [[] for _ in sentences]
        if not sentences:
            return out
        joined = "\n".join(sentences)
        starts = [0] * len(sentences)
        for k in range(1, len(sentences)):
            starts[k] = starts[k - 1] + len(sentences[k - 1]) + 1

        def place(pos: int) -> tuple[int, int]:
            i = bisect_right(starts, pos) - 1
            return i, pos - starts[i]

        lex_spans, outlet_spans, acr_spans, nongov_spans, gov_acr_spans, head_spans, spokes_spans = self._scan(joined)
        for a, b in lex_spans:
            text = joined[a:b]
            i, s = place(a)
            if b - a <= 5 and text.isupper() and not sentences[i].isupper() and text.lower() not in _CAPS_TERMS:
                continue  # an acronym ("CNN/ORC", "the WHO") is not the word ("orc", "who")
            for kind in self._kinds(text):
                if not (kind in _NAME_BLIND_KINDS and _in_a_name(sentences[i], s, text)):
                    out[i].append(_new_match(i, s, s + b - a, kind, text))
            for x, y, kinds in self._inner(text):
                out[i].extend(_new_match(i, s + x, s + y, kind, text[x:y]) for kind in kinds)
            if "criticism_verb" in self._kinds(text) and _reports_criticism(joined, a, b):
                out[i].append(_new_match(i, s, s + b - a, "not_loaded", text))
        self._named_matches(out, joined, place, acr_spans, outlet_spans, nongov_spans, gov_acr_spans, head_spans,
                            spokes_spans)
        for i, ms in enumerate(out):  # a loaded or editorial term in a technical phrase ("sanctions regime") is neither
            neutral = [(m.start, m.end) for m in ms if m.kind == "not_loaded"]
            if neutral:
                out[i] = [m for m in ms if not (m.kind.startswith(_NEUTRALISED) and any(a <= m.start and m.end <= b for a, b in neutral))]
        return out


@lru_cache(maxsize=1)
def get_matcher() -> CueMatcher:
    return CueMatcher()


def institution_label(sentence: str, start: int, end: int) -> tuple[str, str]:
    """(name, country) of a matched government institution: an acronym's full name and country from
    official_acronyms.tsv ("ICE" -> U.S. Immigration and Customs Enforcement, US), else the name as
    written around the phrase and the country that name places it in (:func:`country_of`: "Russian Defense
    Ministry" -> Russia; "" when the name does not say)."""
    row = get_matcher().gov_acronyms.get(sentence[start:end])
    if row is not None:
        iso = (row.get("country") or "").strip()
        return (row.get("name") or sentence[start:end]).strip(), _countries()[1].get(iso, iso)
    name = institution_name(sentence, start, end)
    return name, country_near(sentence, start, name)


@lru_cache(maxsize=1)
def _countries() -> tuple[re.Pattern, dict[str, str], dict[str, str]]:
    """From ``countries.tsv``: a pattern of every form (longest first, a name's possessive included), ISO code ->
    name, and form -> name."""
    by_form: dict[str, str] = {}
    by_iso: dict[str, str] = {}
    for row in _read_table("countries.tsv", "\t"):
        name = (row.get("name") or "").strip()
        by_iso[(row.get("iso") or "").strip()] = name
        for form in (row.get("forms") or "").split(";"):
            if form.strip():
                by_form[form.strip()] = name
    alt = "|".join(re.escape(f) for f in sorted(by_form, key=len, reverse=True)) or r"(?!x)x"
    return re.compile(r"(?<![\w.])(" + alt + r")(?:['’]s)?(?![\w])"), by_iso, by_form


# the capitalised words (and determiners) right before a span: the rest of its noun phrase ("the British " before
# "government"), not a clause before it ("Officials from China met the " before "State Department")
_NAME_BEFORE_RE = re.compile(r"(?:(?:[A-Z][\w.'’-]*|the|its|their)[ \t]+)+$")


def country_near(sentence: str, start: int, name: str) -> str:
    """:func:`country_of` the name, else of the capitalised words just before the span at ``start`` ("Russian" in
    "Russian Foreign Ministry spokeswoman", "British" in "the British government said in a statement")."""
    country = country_of(name)
    if country:
        return country
    left = _NAME_BEFORE_RE.search(sentence, max(0, start - 40), start)
    return country_of(left.group(0)) if left else ""


def country_of(name: str) -> str:
    """The country an institution's name as written places it in ("Russian Defense Ministry" -> "Russia", "China's
    foreign ministry" -> "China", "the Kremlin" -> "Russia", "Texas Department of Public Safety" -> "US"), from
    ``countries.tsv``; the longest form wins ("New Mexico" is the US); "" when no form is named."""
    pattern, _, by_form = _countries()
    m = pattern.search(name)
    return by_form[m.group(1)] if m else ""


# capitalised words to the left of an institution that start a sentence or clause, not its name ("At the
# White House", "As White House press secretary ...")
_NOT_NAME_START = frozenset("""of and for the a an at as in on by from with to when while after before
according since during amid despite but if because although though where than that this these those""".split())  # noqa: SIM905


# Government institutions the channel list does not name, recognised by the shape of their names (the
# matcher keeps such a name only where the body speaks: "said", "according to", "figures from"): a
# capitalised name with an institution head word ("Drinking Water Inspectorate", "Anti-Doping Agency of
# Kenya", "Indiana Department of Environmental Management", "Ministry of New and Renewable Energy"); the
# lower-case generic forms ("the state health department", "ministry data") are channel phrases of the
# matcher (_generic_institution_phrases), found by its lexicon scan. Names of intergovernmental,
# European, international and private bodies are left out ("International Energy Agency", "European
# Commission", the codebook's NO list); a head word with no name around it ("Office workers") is not one.
_GOV_HEADS = ["Ministry", "Department", "Agency", "Authority", "Inspectorate", "Office", "Bureau", "Directorate",
              "Administration", "Commission", "Service", "Centers"]
_GOV_HEAD_RE = re.compile(r"(?<![\w-])(?:" + "|".join(_GOV_HEADS) + r")(?![\w-])")  # what the matcher's scan finds
# the rest of the name stops at an office holder's title: "Centers for Disease Control" + "Director Thomas Frieden said" is an
# official speaking (codebook: "State Department director Dave Carpenter said" is NO), not the body
_NOT_TITLE = (r"(?!(?:Directors?|Administrators?|Secretary|Commissioners?|Chief|Chairman|Chairwoman|Chair|Head|Deputy|Acting|"
              r"Assistant|Associate|Spokes\w*|Officials?|Officers?|Minister|Inspector|Agents?|Superintendent|Commander|"
              r"General|Gen|Lt|Col|Capt|Sgt|Dr|Mr|Mrs|Ms)\b)")
_GOV_RIGHT_RE = re.compile(r"[ \t]+(?:of|for)[ \t]+(?:the[ \t]+)?[A-Z][\w’'-]*(?:[ \t]+(?:(?:and|of|for|the|on)[ \t]+)?"
                           + _NOT_TITLE + r"[A-Z][\w’'-]*){0,5}")
_NOT_GOV_NAME_RE = re.compile(r"\b(?:International|European|World|United Nations|UN|Global|Inc|Ltd|LLC|Corp|Company|Group|"
                              r"Holdings|University|College|School|Church|Foundation|Association|Federation|Union|League|"
                              r"Party|Football|Olympic|News|Press Complaints|Advertising Standards)\b")
_GOV_NAME_DROP = _NOT_NAME_START | {"its", "their", "his", "her"}  # words that start a clause, not a name
_GOV_NAME_LINKS = frozenset(("of", "for", "and", "on"))


def _generic_institution_phrases() -> list[str]:
    """The lower-case generic forms ("the state health department", "federal agency", "ministry data"),
    added to the matcher's channel phrases as institutions."""
    levels = ["state", "federal", "provincial", "regional", "city", "county", "municipal", "national"]
    fields = ["", "health", "public health", "education", "transport", "transportation", "environment", "environmental",
              "justice", "finance", "interior", "labor", "labour", "agriculture", "revenue", "water", "emergency",
              "election", "elections", "housing", "corrections", "statistics", "energy", "police"]
    out = [" ".join(w for w in (lv, f, head) if w) for lv in levels for f in fields for head in ("department", "ministry", "agency")]
    return out + ["ministry data", "ministry figures", "ministry's data", "ministry's figures"]


def _name_start(text: str, start: int) -> int:
    """Where the capitalised name that ends at ``start`` (before an institution head word) begins: up to six
    capitalised words, with of/for/and/on between them, on the same line; not an owner's possessive name."""
    window = text[max(0, start - 120):start]
    if not window.endswith(" "):
        return start
    names: list[str] = []  # the name's words, last first
    caps = 0
    for w in reversed(window[:-1].split(" ")):
        line_start = "\n" in w or "\t" in w
        if line_start:  # the name cannot reach back past a line break (the sentence before in a batch)
            w = w.rsplit("\n", 1)[-1].rsplit("\t", 1)[-1]
        if w[:1].isupper() and not w.endswith(("'s", "’s", "s'", "s’")) and caps < 6:
            names.append(w)
            caps += 1
        elif w in _GOV_NAME_LINKS and names:
            names.append(w)
        else:
            break
        if line_start:
            break
    names.reverse()
    while names and (names[0].lower() in _GOV_NAME_DROP or names[0] in _GOV_NAME_LINKS or (names[0].isupper() and len(names[0]) <= 1)):
        names = names[1:]
    if not names:
        return start
    return start - len(" ".join(names)) - 1


def generic_institutions(text: str, heads: Sequence[tuple[int, int]] | None = None) -> list[tuple[int, int]]:
    """Spans of government institutions named by shape (see above) in ``text``: one sentence, or sentences
    joined by line breaks (no span crosses one). ``heads``: the head words' spans, if already found."""
    if heads is None:
        heads = [m.span() for m in _GOV_HEAD_RE.finditer(text)]
    spans = []
    for h0, h1 in heads:
        start = _name_start(text, h0)
        right = _GOV_RIGHT_RE.match(text, h1)
        end = right.end() if right is not None else h1
        if (start, end) == (h0, h1) or _NOT_GOV_NAME_RE.search(text, start, end):
            continue  # a bare head word, or a body that is not a government's
        spans.append((start, end))
    return spans


# A country's body named in lower case by what it does ("Turkey's disaster management authority", "Ukraine's military
# intelligence agency", "the country's financial regulator"): the channel list has the common ones ("commerce
# ministry"), this pattern the rest, where the body speaks (as generic_institutions requires). Not a news, press or
# other business agency ("Japan's news agency", "Russia's largest advertising agency"), nor a company's service.
_BARE_ACRONYM_RE = re.compile(r"[ \t]+[A-Z]{2,8}(?![\w-])")
_COUNTRY_BODY_HEAD_RE = re.compile(r"(?<![\w-])(?:agency|authority|directorate|ministry|department|regulator|watchdog|"
                                   r"service|bureau|commission)(?![\w-])")
_COUNTRY_BODY_WORDS = ("agency", "authority", "directorate", "ministry", "department", "regulator", "watchdog", "service",
                       "bureau", "commission")
_NOT_A_STATE_BODY = (r"news|press|advertising|ad|travel|talent|model(?:l)?ing|employment|recruitment|ratings?|credit|"
                     r"largest|biggest|leading|top|main|oldest|private|independent|opposition|state-run|state-owned|"
                     r"official|semi-official|customer|secret|postal|delivery|streaming|rail|bus|ferry|shuttle|"
                     r"intelligence-gathering|civil|religious|party")


@lru_cache(maxsize=1)
def _country_body_left_re() -> re.Pattern:
    """The owner and the body's own words before its head word, anchored at the window's end: a country's possessive
    ("Turkey's", "the country's") and one to three lower-case words."""
    forms = [f for f in _countries()[2] if f[:1].isupper() and not f.isupper()]
    alt = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True)) or r"(?!x)x"
    return re.compile(r"(?<![\w.])(?:" + alt + r"|[Tt]he[ \t]+(?:country|nation|government|kingdom|republic|island|state|province|city|county|territory))['’]s"
                      r"((?:[ \t]+(?!(?:" + _NOT_A_STATE_BODY + r")\b)[a-z][a-z-]*){1,3})[ \t]+$")


def country_body_spans(text: str, low: str | None = None) -> list[tuple[int, int]]:
    """Spans of a country's body named in lower case ("Turkey's disaster management authority"; see above), from the
    owner to the head word; ``text`` may hold several sentences, one per line. Whether it speaks is the caller's."""
    low = text.lower() if low is None or len(low) != len(text) else low
    left_re = _country_body_left_re()
    out = []
    for start in _lines_with(low, _COUNTRY_BODY_WORDS):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        for h in _COUNTRY_BODY_HEAD_RE.finditer(text, start, end):
            m = left_re.search(text, max(start, h.start() - 90), h.start())
            if m is not None:
                out.append((m.start(), h.end()))
    return out


def institution_name(sentence: str, start: int, end: int) -> str:
    """The full name around a matched institution phrase: "defense ministry" in "the Russian Defense
    Ministry said" -> "Russian Defense Ministry" (capitalised words to its left are part of the name;
    a speaking verb that ends the phrase, "the army said", is not)."""
    left = _NAME_LEFT_RE.search(sentence[:start])
    name = (left.group(1) if left else "") + sentence[start:end]
    words = name.split()
    while len(words) > 1 and words[0].lower() in _NOT_NAME_START:
        words = words[1:]
    # channel phrases such as "ministry said" and "army said" end in the speaking verb: not the name
    while len(words) > 1 and words[-1].lower() in ("said", "says", "say", "told", "tells"):
        words = words[:-1]
    return " ".join(words)


# ------------------------------------------------------------------------------------------ quotations

# a straight single mark only as an opening one (before a letter, after no word character) or a closing one (after
# closing punctuation, before a blank): each branch starts with its mark, so the search skips other characters fast
_QUOTE_MARK_RE = re.compile("[\"“”«»„‘`]|'(?:'|(?<![\\w'’]')(?=[A-Za-z])|(?<=[.,!?…]')(?=\\s|$))")
# Codebook: "a transcript line under a speaker's name tag ("SMITH: ...") is that speaker's, attributed like a
# quotation". A tag is one or two capitalised words (a surname, a full name, initials: "TAPPER:", "KATE BOULDUAN:",
# "DB:"), not a headline's kicker or label ("EXCLUSIVE:", "WATCH:", "CORRECTION:", "REPORT:", "NET ZERO MADNESS:"), a
# wire service ("AP:") or a dateline's place ("NEW DELHI:", "LONDON:", "CHANDIGARH:"; checked against countries.tsv's
# forms and dateline_places.tsv, the places South Asian, African and Gulf copy opens its ledes with).
_TAG = r"[A-Z][A-Z.'’-]*[A-Z.](?:[ \t]+[A-Z][A-Z.'’-]*[A-Z.])?"
_SPEAKER_TAG_RE = re.compile(r"[ \t]*(" + _TAG + r")[ \t]*:[ \t]+(?=\S)")
_TAG_LINE_RE = re.compile(r"^[ \t]*" + _TAG + r"[ \t]*:", re.MULTILINE)  # a line that may open with one
_NOT_SPEAKER_TAGS = frozenset((
    "EXCLUSIVE", "WATCH", "CORRECTION", "CORRECTIONS", "REPORT", "REPORTS", "UPDATE", "UPDATED", "BREAKING", "BREAKING NEWS",
    "SPECIAL REPORT", "WARNING", "EDITOR'S NOTE", "EDITOR’S NOTE", "NOTE", "PHOTO", "PHOTOS", "VIDEO", "VIDEOS", "READ",
    "READ MORE", "MORE", "ALSO", "ALSO READ", "OPINION", "ANALYSIS", "LISTEN", "RELATED", "SOURCE", "SOURCES", "LIVE",
    "ALERT", "FLASHBACK", "POLL", "FACT CHECK", "EDITORIAL", "COMMENTARY", "OP-ED", "REVIEW", "INTERVIEW", "UPDATES",
    "WATCH LIVE", "DEVELOPING", "JUST IN", "NEW", "NEWS", "Q", "A", "AP", "AFP", "UPI", "CNN", "NPR", "BBC", "FOX", "TASS",
    "RIA", "KCNA", "IRNA", "SANA", "WAM", "SPA", "MENA", "EXCLUSIVE VIDEO", "GRAPHIC", "WARNING GRAPHIC", "TRANSCRIPT",
    "ABSTRACT", "BACKGROUND", "CONTEXT", "SUMMARY", "TL;DR", "PS", "P.S.", "NB", "N.B.", "ET", "PT", "EST", "GMT", "UTC"))


def speaker_tag_end(text: str) -> int:
    """Where the words after a transcript speaker's name tag begin ("TAPPER: And obviously, ..." -> 4 + 2), or 0
    when ``text`` opens with no such tag (see _SPEAKER_TAG_RE)."""
    if ":" not in text[:40]:
        return 0
    m = _SPEAKER_TAG_RE.match(text)
    if m is None:
        return 0
    tag = m.group(1).rstrip(".")
    if (tag in _NOT_SPEAKER_TAGS or m.group(1) in _NOT_SPEAKER_TAGS or tag.title() in _countries()[2]
            or " ".join(tag.lower().split()) in _dateline_places()):
        return 0
    return m.end()


@lru_cache(maxsize=1)
def _dateline_places() -> frozenset[str]:
    """The places of ``dateline_places.tsv``, lower-cased: a lede's dateline ("KARACHI: ..."), not a speaker's tag."""
    rows = _read_table("dateline_places.tsv", "\t")
    return frozenset(" ".join((row.get("place") or "").lower().split()) for row in rows)


# the last string lowered by :func:`lowered` and its lower-case form
_LOWERED: tuple[str, str] = ("", "")


def lowered(joined: str) -> str:
    """``joined.lower()``, remembered for the last string asked: a batch's sentences joined by line breaks
    are lowered by the cue matcher and again for the word n-grams (about 1% of scoring time each). Equal
    strings give the same answer whichever object asks (a comparison of two equal strings is a memcmp)."""
    global _LOWERED
    key, low = _LOWERED
    if key is joined or key == joined:
        return low
    low = joined.lower()
    _LOWERED = (joined, low)
    return low


# Some corpora of detokenized news (PolNeAR's New York Times text) end a paragraph's last sentence with a detached
# " ''" ("She will be 60 in May, making retraining impractical. ''"). In detokenized text a closing mark sticks to the
# punctuation before it (",''", ".''"), so a mark set apart after a sentence's final punctuation, which itself sticks
# to its word, closes nothing; read as a closing mark it made the whole sentence a quotation. In tokenized text
# ("impractical . ''") the punctuation stands apart too, and the mark is left as a closing mark.
# The same with a curly or straight double mark when the sentence opens none ("... critical to his success. ”"; codebook: a
# mark after a space at the very end quotes nothing).
_TRAILING_PARAGRAPH_MARK_RE = re.compile(r"(?<=[^\s.!?][.!?])[ \t]+(?:''|”|\")[ \t]?$")


def may_quote(text: str) -> bool:
    """False when ``text`` has no quotation mark that :func:`quote_spans` knows, nor a speaker's tag (its fast
    path)."""
    return _QUOTE_MARK_RE.search(text) is not None or (":" in text[:40] and speaker_tag_end(text) > 0)


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of direct quotations in one sentence (quote marks included).

    Handles straight and curly double quotes, guillemets, ``Treebank-style'' quotes, and paired curly
    single quotes. An unpaired quote mark means the quotation runs across the sentence boundary: an
    opening mark quotes to the end of the sentence, a closing mark from its start.
    """
    if not may_quote(text):
        return []
    tag = speaker_tag_end(text)
    if tag:  # a transcript line: all its words are the speaker's, as one quotation (codebook)
        return [(tag, len(text))]
    if text.endswith(("''", "'' ")) or (text.endswith(("”", "” ")) and "“" not in text) or (
            text.endswith(('"', '" ')) and text.count('"') == 1):
        m = _TRAILING_PARAGRAPH_MARK_RE.search(text)
        if m is not None:  # a paragraph-end artifact, not a closing mark: ignored (offsets kept)
            text = text[:m.start()] + " " * (len(text) - m.start())
            if not may_quote(text):
                return []
    spans: list[tuple[int, int]] = []
    if "„" not in text and ("“" in text) != ("”" in text):
        mark = "”" if "”" in text else "“"
        if text.count(mark) >= 2:  # one curly mark for both ends ("called them ”thugs”"): paired as straight ones
            text = text.replace(mark, '"')
    if '"' in text and ("“" in text) != ("”" in text):
        text = _pair_mixed_marks(text, spans)
    if '"' in text:
        spans.extend(_straight_spans(text))
    if "„" in text:
        for m in _LOW_QUOTE_RE.finditer(text):
            spans.append((m.start(), m.end()))
        text = _LOW_QUOTE_RE.sub(lambda m: " " * len(m.group(0)), text)
    if "``" not in text and text.count("''") >= 2:
        for m in _TWO_APOS_RE.finditer(text):
            spans.append((m.start(), m.end()))
        text = _TWO_APOS_RE.sub(lambda m: " " * len(m.group(0)), text)
    for op, cl in _QUOTE_PAIRS:
        first_open, first_close = text.find(op), text.find(cl)
        if first_close >= 0 and (first_open < 0 or first_close < first_open):
            spans.append((0, first_close + len(cl)))  # closes a quotation opened in an earlier sentence
        i = 0
        while (a := text.find(op, i)) >= 0:
            b = text.find(cl, a + len(op))
            if b < 0:
                spans.append((a, len(text)))  # runs on into the next sentence
                break
            spans.append((a, b + len(cl)))
            i = b + len(cl)
    for m in _SINGLE_QUOTE_RE.finditer(text):
        spans.append((m.start(), m.end()))
    if "'" in text:
        spans.extend(_straight_single_spans(text))
    if not spans:
        return []
    spans.sort()
    merged = [spans[0]]
    for s, e in spans[1:]:
        if s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


def _straight_single_spans(text: str) -> list[tuple[int, int]]:
    """Quotations in straight single marks: the pairs, a closing mark before them that no opening one precedes
    (quoted from the sentence's start) and an opening mark after them at the sentence's start or after a colon or
    comma that none closes (quoted to its end)."""
    found = [(m.start(), m.end()) for m in _STRAIGHT_SINGLE_RE.finditer(text)]
    first = found[0][0] if found else len(text)
    c = _SINGLE_CLOSE_RE.search(text, 0, first)
    if c is not None and _SINGLE_OPEN_RE.search(text, 0, c.start()) is None:
        found.insert(0, (0, c.end()))
    last = found[-1][1] if found else 0
    o = _SINGLE_RUN_OPEN_RE.search(text, last)
    if o is not None and _SINGLE_CLOSE_RE.search(text, o.end()) is None:
        found.append((o.end() - 1, len(text)))
    return found


def _pair_mixed_marks(text: str, spans: list[tuple[int, int]]) -> str:
    """Mixed marks, as scraped text has ('“Immunity deals ... with the FBI," Chaffetz said'): a curly opening mark with
    no curly closing one closes at the next straight mark, a curly closing mark with no opening one opens at the
    straight mark before it. Adds those quotations to ``spans`` and returns ``text`` with their marks blanked (same
    length, offsets kept), so the remaining marks pair as before."""
    chars = list(text)
    if "“" in text:
        for k, c in enumerate(text):
            if c == "“":
                q = text.find('"', k + 1)
                while q >= 0 and chars[q] != '"':
                    q = text.find('"', q + 1)
                if q >= 0:
                    spans.append((k, q + 1))
                    chars[k] = chars[q] = " "
    else:
        for k in range(len(text) - 1, -1, -1):
            if text[k] == "”":
                p = text.rfind('"', 0, k)
                while p >= 0 and chars[p] != '"':
                    p = text.rfind('"', 0, p)
                if p >= 0:
                    spans.append((p, k + 1))
                    chars[p] = chars[k] = " "
    return "".join(chars)


def _straight_spans(text: str) -> list[tuple[int, int]]:
    """The quotations marked by straight double quotes, whose opening and closing marks look alike.

    A mark right after a letter, digit or closing punctuation (``fight," he said``) closes; the first mark
    of a sentence closes a quotation opened in an earlier sentence when it stands so and text precedes it.
    The other marks pair up in order, and an opening mark left over quotes to the end of the sentence."""
    marks = [m.start() for m in _STRAIGHT_RE.finditer(text)]
    spans: list[tuple[int, int]] = []
    first = marks[0]
    if first and (text[first - 1].isalnum() or text[first - 1] in _CLOSES_AFTER):
        spans.append((0, first + 1))
        marks = marks[1:]
    spans.extend((a, b + 1) for a, b in zip(marks[::2], marks[1::2]))
    if len(marks) % 2:
        spans.append((marks[-1], len(text)))
    return spans


# marks that open a quotation, and those that close one, as a sentence's first or last character
_OPENING_MARKS = "“\"«„‘`'"
_CLOSING_MARKS = "”\"»’'"


def _ends_inside(text: str, quotes: Sequence[tuple[int, int]]) -> bool:
    """Whether a quotation opened in ``text`` runs on past its end (``quotes``: its ``quote_spans``); a transcript
    line's words end with the line."""
    return (bool(quotes) and quotes[-1][1] == len(text) and text.rstrip()[-1:] not in _CLOSING_MARKS
            and not speaker_tag_end(text))


def _starts_inside(text: str, quotes: Sequence[tuple[int, int]]) -> bool:
    """Whether ``text`` begins inside a quotation opened before it: its first quote mark closes one."""
    return bool(quotes) and quotes[0][0] == 0 and text[:1] not in _OPENING_MARKS


def context_quote_spans(texts: Sequence[str], articles: Sequence, para_start: Sequence[bool] | None = None,
                        quotes: list[list[tuple[int, int]]] | None = None,
                        max_run: int = 12) -> list[list[tuple[int, int]]]:
    """Each sentence's quotation spans, knowing its neighbours in the article.

    ``texts`` are an article's sentences in order (several articles may follow each other; ``articles``
    gives each sentence's article id). :func:`quote_spans` sees one sentence: in
    ``"We will not back down. This is a barbaric attack. We will respond," the minister said.`` it knows
    that the first sentence opens a quotation and the third closes one, but the second has no mark and
    would be read as the author's. Here a run of sentences without any quote mark is wholly quoted when
    the sentence before it opens a quotation that runs past its end and the sentence after it begins
    inside one (its first mark closes), or, at a paragraph break (``para_start``), when the next paragraph
    opens with a quote mark: the convention for a quotation that runs over paragraphs. Anything else (a
    paragraph that ends with the quotation open and goes on without a mark, another article, a run longer
    than ``max_run`` sentences) leaves the run as the author's. ``quotes``: the texts' ``quote_spans``, if
    known. Returns a new list; entries of sentences that change are new lists."""
    if quotes is None:
        quotes = batch_quote_spans(texts)
    out = list(quotes)
    n = len(texts)
    for i in [i for i, q in enumerate(quotes) if q and q[-1][1] == len(texts[i])]:
        if not _ends_inside(texts[i], quotes[i]):
            continue
        run: list[int] = []
        goes_on = False  # whether the quotation is seen to go on after the run
        for j in range(i + 1, min(n, i + 2 + max_run)):
            if articles[j] != articles[i]:
                break
            if para_start is not None and para_start[j]:
                goes_on = texts[j][:1] in _OPENING_MARKS
                break
            if not quotes[j] and not may_quote(texts[j]):
                run.append(j)
                continue
            goes_on = _starts_inside(texts[j], quotes[j])
            break
        if goes_on:
            for r in run:
                out[r] = [(0, len(texts[r]))]
    return out


def batch_quote_spans(texts: Sequence[str]) -> list[list[tuple[int, int]]]:
    """``[quote_spans(t) for t in texts]``, with the texts that hold a quotation mark (a minority) found by
    searching the joined texts, one search per such text instead of one per text (no mark spans the line
    break between two texts, so each mark found lies in one text)."""
    out: list[list[tuple[int, int]]] = [[] for _ in texts]
    joined = "\n".join(texts)
    nexts = list(accumulate(map((1).__add__, map(len, texts))))  # where the text after each starts
    search, pos = _QUOTE_MARK_RE.search, 0
    while (m := search(joined, pos)) is not None:
        i = bisect_right(nexts, m.start())
        out[i] = quote_spans(texts[i])
        pos = nexts[i]
    if ":" in joined:  # transcript lines under a speaker's tag, with no quotation mark
        for m in _TAG_LINE_RE.finditer(joined):
            i = bisect_right(nexts, m.start())
            if not out[i]:
                out[i] = quote_spans(texts[i])
    return out


def in_spans(pos: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(s <= pos < e for s, e in spans)


_QUOTE_CHARS = frozenset(_OPENING_MARKS + _CLOSING_MARKS)  # any mark that opens or closes a quotation


def in_closed_quote(pos: int, sent: str, spans: Sequence[tuple[int, int]]) -> bool:
    """Is ``pos`` inside a quotation the sentence both opens and closes (a mark at each end of its span)? Not in a
    sentence that only continues or only opens one, whose speaker the sentence may not name."""
    return any(s <= pos < e and sent[s] in _QUOTE_CHARS and sent[e - 1] in _QUOTE_CHARS for s, e in spans)


# ------------------------------------------------------------------------------------------ features

def _owner_spans(sent: str, ms: list[Match], insts: list[Match]) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """The spans in ``sent`` that can own a channel phrase: government speakers (outlets, institutions,
    government words and heads of government's titles) and non-government ones."""
    gov = [(m.start, m.end) for m in ms if m.kind in ("outlet", "state_generic", "dateline_credit")]
    gov += [(m.start, m.end) for m in insts]
    words = [g.span() for g in _finditer_ci(_GOV_WORD_RE, sent)]
    # a former holder speaks for himself ("Former President Bill Clinton said in a statement", "former Florida Gov.
    # Jeb Bush"; the codebook: a former official speaking after leaving the post is NO)
    former = [w for w in words if _FORMER_RE.search(sent, max(0, w[0] - 40), w[0])]
    gov += [w for w in words if w not in former]
    # a body someone left or joined owns nothing ("Mike Pompeo, who left the State Department, said in a statement")
    gov = [g for g in gov if not _LEFT_BEFORE_RE.search(sent, max(0, g[0] - 30), g[0])]
    named = [(m.start, m.end) for m in ms if m.kind == "nongov_speaker"]
    if named:  # a government word inside a listed non-government name ("army" in "The Salvation Army") is the name's
        gov = [g for g in gov if not any(s <= g[0] and g[1] <= e for s, e in named)]
    nongov = named + former
    nongov += [g.span() for g in _finditer_ci(_NONGOV_WORD_RE, sent)]
    return gov, nongov


# the verbs by which a head's name is the subject of a channel phrase ("Putin told a news conference", "Macron told a
# joint news conference", "Zelensky said in his nightly video address")
_HEAD_VERBS = frozenset("""said says told tells wrote writes added adds announced declared issued issues released posted gave
apologised apologized vowed pledged warned urged promised insisted stressed
delivered spoke speaking made""".split())  # noqa: SIM905
# and the other words that may stand between them
_HEAD_GAP_WORDS = _HEAD_VERBS | frozenset("""also later then again has had in at to during a an the his her their joint
televised nightly weekly late early on before after with""".split())  # noqa: SIM905


def _head_subject(sent: str, c: Match) -> tuple[int, int] | None:
    """The span of a head of state or government or a regional head (:data:`_HEAD_TABLES`) who is the subject of
    channel phrase ``c``: the name ends at most 80 characters before it with only verbs, articles and the like
    between ("Putin told a news conference"), a verb among them or opening the phrase; not another person of that
    surname ("Ivanka Trump"), a candidate or a former holder, nor a name followed by its campaign, aides or
    spokesperson ("the Trump campaign said in a statement", "Trump spokesperson Ron Lieberman told")."""
    lo = max(0, c.start - 80)
    best = None
    verb_in_phrase = c.text.split(" ", 1)[0].lower() in _HEAD_VERBS
    for m in _owner_names().finditer(sent, lo, c.start):
        gap = [w.lower() for w in sent[m.end():c.start].replace(",", " ").split()]
        # the head speaks: a verb between or opening the phrase ("Trump spokesperson" names the head's spokesperson)
        if (all(w in _HEAD_GAP_WORDS or w.endswith("day") for w in gap)
                and (verb_in_phrase or any(w in _HEAD_VERBS for w in gap))):
            best = m
    if best is None:
        return None
    return best.span() if _is_the_head(sent, best.start(), 0, by_name=True) else None


# a channel phrase that opens the sentence, its speaker the subject after the comma: "In a statement, Putin said",
# "Speaking at a news conference in Moscow, Lavrov said", "At a news conference in Tokyo, Blinken told reporters"
_LEAD_CHANNEL_BEFORE_RE = re.compile(r"^[\W_]*(?:(?:[Ss]peaking|[Aa]ppearing|[Aa]ddressing|[Aa]sked)[ \t]+(?:at|to|in|during|before)"
                                     r"[ \t]+|(?:[Aa]t|[Ii]n|[Dd]uring)[ \t]+)?(?:(?:an?|the|his|her|their|its|joint)[ \t]+){0,2}$")
_LEAD_CHANNEL_TO_SUBJECT_RE = re.compile(r"[^,.;:!?\n\"“”]{0,60}?,[ \t]+")
_LEAD_SUBJECT_VERB_RE = re.compile(r"(?:[ \t]+(?:also|later|then|again|has|had|[a-z]+ly|(?:on[ \t]+)?\w+day)){0,2}[ \t]+"
                                   r"(?:said|says|told|tells|wrote|writes|added|announced|declared|warned|insisted|"
                                   r"stressed|urged|accused|called|described|vowed|pledged|promised|noted|argued)(?![\w-])")


def _lead_channel_subject(sent: str, c: Match) -> tuple[int, int] | None:
    """The span of a listed head's or official's name that is the subject right after channel phrase ``c`` when the
    phrase opens the sentence ("In a statement, Putin said", "Speaking at a news conference in Moscow, Lavrov said");
    not another person of that surname, a candidate or a former holder."""
    if _LEAD_CHANNEL_BEFORE_RE.match(sent, 0, c.start) is None:
        return None
    gap = _LEAD_CHANNEL_TO_SUBJECT_RE.match(sent, c.end)
    if gap is None:
        return None
    m = _owner_names().match(sent, gap.end())
    if m is None or _LEAD_SUBJECT_VERB_RE.match(sent, m.end()) is None:
        return None
    return m.span() if _is_the_head(sent, m.start(), 0, by_name=True) else None


# a listed head's possessive right before the channel phrase: "Ms. Merkel's spokesman", "Putin's press secretary"
_POSSESSIVE_GAP_RE = re.compile(r"['’]s[ \t]+(?:(?:chief|deputy|top|official|press|senior|longtime|main|principal|own)[ \t]+)?$")


def _head_possessive(sent: str, c: Match) -> tuple[int, int] | None:
    """The span of a listed head of state or government whose possessive owns channel phrase ``c`` ("Ms. Merkel's
    spokesman, Steffen Seibert, wrote"); not another person of that surname, a candidate or a former holder."""
    gap = _POSSESSIVE_GAP_RE.search(sent, max(0, c.start - 30), c.start)
    if gap is None:
        return None
    m = next((n for n in _owner_names().finditer(sent, max(0, gap.start() - 60), gap.start())
              if n.end() == gap.start()), None)  # the name the possessive belongs to
    if m is None:
        return None
    return m.span() if _is_the_head(sent, m.start(), 0, by_name=True) else None


def _owner_of(sent: str, c: Match, gov: list[tuple[int, int]],
              nongov: list[tuple[int, int]]) -> tuple[str | None, tuple[int, int] | str | None]:
    """Whose channel phrase ``c`` is: ("gov" | "nongov" | None, the owner: its span in the sentence, or the
    name read around the phrase when no list knows it, or None)."""
    if _FORMER_RE.search(sent, 0, c.start):  # "a former spokeswoman said": she speaks for herself now
        return "nongov", None
    head = _head_subject(sent, c) or _head_possessive(sent, c) or _lead_channel_subject(sent, c)
    if head is not None:  # "Putin told a news conference", "Erdogan said in a statement", "In a statement, Putin said"
        return "gov", head
    (dg, sg), (dn, sn) = _owner_distance(gov, c, sent), _owner_distance(nongov, c, sent)
    if dn is None and dg is None:
        owner = _named_owner(sent, c)  # "a Jaguar spokesman", "a spokesman for Seagram" (no list knows them)
        if owner is not None:
            return ("gov" if _STATE_TITLE_RE.search(owner) or _LOCAL_GOV_RE.search(owner) else "nongov"), owner
    if dn is not None and (dg is None or dn < dg):
        return "nongov", sn
    if dg is not None:
        return "gov", sg
    return None, None


# channel phrases that are a statement: one no government speaker owns is unowned ("X said in a statement")
_STATEMENT_RE = re.compile(r"\b(?:statement|press release|communiqu[eé])\b", re.IGNORECASE)
# a regular, daily or weekly briefing is a government's format (a ministry's or the White House's spokesperson at the
# podium): with no owner named it is still a government's channel ("Gremitskikh said at a regular news briefing")
_ROUTINE_BRIEFING_RE = re.compile(r"\b(?:regular|daily|weekly)\b.*\bbriefing\b", re.IGNORECASE)
# figures the sentence calls official are a government's published data, with no institution named (codebook
# state_media: "according to official figures", "official statistics show"); a party's or a company's own ("the
# party's official figures") has its owner named and is that owner's
_OFFICIAL_DATA_RE = re.compile(r"official\s+(?:data|figures|statistics|estimates)\b", re.IGNORECASE)


def _quote_index(pos: int, quotes: Sequence[tuple[int, int]]) -> int:
    """The index of the quotation holding ``pos`` in ``quotes``, -1 outside them."""
    return next((k for k, (s, e) in enumerate(quotes) if s <= pos < e), -1)


# a body that opens the quoted words is their subject, speaking of itself ('"The Department is committed to
# transparency," said spokesman John Kirby'): within this many characters of the quotation's start
_QUOTE_SUBJECT_MAX = 40
_TITLE_WORD_RE = re.compile(_STATE_TITLE_RE.pattern, re.IGNORECASE)  # the head-of-government titles, in any case


# what may stand between a quotation's opening mark and a body that is its subject ('"The Department is committed',
# '"Our ministry has'); a body after other words is an object ('"We are in contact with the Ministry of Foreign Affairs')
_QUOTE_OPENING_SUBJECT_RE = re.compile(r"[^\w]*(?:(?:the|our|this|its|their|a)[ \t]+)?(?:[A-Z][\w.'’-]*[ \t]+){0,3}",
                                       re.IGNORECASE)


def _same_voice(spans: list[tuple[int, int]], c: Match, quotes: Sequence[tuple[int, int]],
                sent: str) -> list[tuple[int, int]]:
    """The owner ``spans`` that stand in the same voice as channel phrase ``c``: a body named inside a quotation
    cannot own a channel outside it ('"... cooperating with the FBI," Chairman Jason Chaffetz said in a statement'),
    unless it opens the quotation as its subject ('"The Department is committed ...," said spokesman John Kirby'; not
    '"We are in contact with the Ministry of Foreign Affairs," the senator said in a statement');
    a title there ('"Governor Romney has no plans to attend," a spokesman said') is a person, not a body."""
    if not quotes:
        return spans
    q = _quote_index(c.start, quotes)
    out = []
    for sp in spans:
        k = _quote_index(sp[0], quotes)
        if k == q or (q < 0 and sp[0] - quotes[k][0] <= _QUOTE_SUBJECT_MAX
                      and _QUOTE_OPENING_SUBJECT_RE.fullmatch(sent, quotes[k][0], sp[0]) is not None
                      and not _TITLE_WORD_RE.fullmatch(sent[sp[0]:sp[1]])):
            out.append(sp)
    return out


def _channel_owners(row: np.ndarray, col: dict[str, int], sent: str, ms: list[Match], insts: list[Match],
                    channels: list[Match], quotes: Sequence[tuple[int, int]] = ()) -> None:
    """Count channel phrases (statement, spokesperson, briefing...) owned by a government or by a non-government
    body; ``quotes``: the sentence's quotation spans."""
    if not channels:
        return
    gov0, nongov0 = _owner_spans(sent, ms, insts)
    for c in channels:
        if quotes and in_closed_quote(c.start, sent, quotes):
            continue  # the quoted speaker's words ('"We are in contact with our embassy," the senator said')
        gov, nongov = _same_voice(gov0, c, quotes, sent), _same_voice(nongov0, c, quotes, sent)
        kind, _ = _owner_of(sent, c, gov, nongov)
        if kind == "nongov":
            row[col["channel_nongov"]] += 1
        elif kind == "gov" or _ROUTINE_BRIEFING_RE.search(c.text) or _OFFICIAL_DATA_RE.match(c.text):
            row[col["channel_gov"]] += 1
        elif not gov and (_BARE_CHANNEL_RE.search(sent, 0, c.start) and _SPOKES_RE.match(c.text)
                          or _STATEMENT_RE.search(c.text)):
            row[col["channel_unowned"]] += 1  # "the spokesman said", "X said in a statement": whose, the sentence does not say


# a title's holder named after it: "President" -> "President Trump", "Governor" -> "Governor Andrew Cuomo"
_TITLE_HOLDER_RE = re.compile(r"(?:\s+[A-Z][\w.’'-]*){1,3}")


def channel_owner(sent: str, c: Match, ms: list[Match]) -> str | None:
    """The government speaker that owns channel phrase ``c`` as the sentence names it ("governor", "President
    Trump", "Defense Ministry"), or None when the channel is not a government's or its owner is not named."""
    matcher = get_matcher()
    insts = [m for m in ms if m.kind == "channel" and matcher.is_institution(m.text)]
    quotes = quote_spans(sent)
    kind, owner = _owner_of(sent, c, *(_same_voice(sp, c, quotes, sent) for sp in _owner_spans(sent, ms, insts)))
    if kind != "gov" or owner is None:
        return None
    if isinstance(owner, str):
        return owner.strip()
    start, end = owner
    if start < c.end and end > c.start:  # the phrase names its owner itself ("foreign ministry spokesman")
        return None
    name = sent[start:end]
    if _STATE_TITLE_RE.fullmatch(name):  # a capitalised title: name its holder too ("President Trump")
        holder = _TITLE_HOLDER_RE.match(sent, end)
        if holder is not None:
            name += holder.group(0)
    return name


# a name after a spokesperson phrase: capitalised words, titles and particles ("Lt. Col. Jonathan Conricus", "Abu Bakr
# al-Baghdadi"), set off by commas or not
_SPOKES_NAME_RE = re.compile(r",?(?:\s+(?:[A-Z][\w.’'-]*|al|bin|de|van|von|der|da)){1,6}(?=,?\s)")


_CAMERA_AFTER_RE = re.compile(r"[ \t]+(?:cameras?|surveillance|footage|images?|systems?|operators?|monitoring|"
                              r"networks?|coverage|recordings?|stills?|video[ \t]+(?:footage|cameras?))\b", re.IGNORECASE)
_HEADLINE_TAG_RE = re.compile(r"[ \t]*:[ \t]+[\w\"'“‘]")  # a sentence-case headline goes on in lower case
# what may stand before a headline's source tag: nothing, "the", or up to four capitalised words naming its place or
# owner ("Gaza health ministry:", "South Korea's Joint Chiefs:", "Hong Kong Police:"); not "Biden on Pentagon:"
_TAG_OWNER_RE = re.compile(r"(?:[Tt]he[ \t]+)?(?:[A-Z][\w.'’-]*[ \t]+){0,4}")


def _opens_headline(sent: str, start: int) -> bool:
    """Does the name at ``sent[start:]`` open the headline, after at most its place or owner (see ``_TAG_OWNER_RE``)?"""
    prefix = sent[:start].lstrip(" \t\"'“‘")
    return _TAG_OWNER_RE.fullmatch(prefix) is not None


# codebook (state_media): a named official document carries what it says. The body's own paper right after its name,
# then what the paper says ("a White House memo saying as much", "the White House statement that", "the preliminary
# police report, which mentioned the autopsy", "a State Department cable warning that"); not a paper about the body
# or sent to it ("a report on the FBI", "letters to the FDA", which _OBJECT_BEFORE_RE and the noun's place rule out)
_DOC_CONTENT_RE = re.compile(r"(?:['’]s?)?[ \t]+(?:(?:new|latest|recent|final|preliminary|internal|official|own|"
                             r"annual|written|formal|classified|draft|\d{4})[ \t]+){0,2}(?i:statement|memo|memorandum|"
                             r"(?:news|press)[ \t]+release|report|warnings?|alert|advisory|assessments?|estimates?|cables?|"
                             r"directive|guidance|bulletin|notice|website|analysis|findings|presentation)"
                             r",?[ \t]+(?:that|saying|stating|warning|showing|shows|showed|says|said|states|stated|found|"
                             r"finds|concluded|concludes|indicates|indicated|which[ \t]+(?:said|says|found|finds|showed|"
                             r"shows|mentioned|mentions|concluded|stated|states|warned|warns)|in[ \t]+which)\b")


def _body_speaks(sent: str, m: Match) -> bool:
    """Does institution ``m`` speak in ``sent``: after an attribution lead ("according to the CDC"), or as the subject
    of a speech verb, in its phrase ("the ministry said") or after it ("the Home Office said")?"""
    if _speaks_before(sent, m.start, m.end):
        return True
    # a former spokesperson speaks for themself ("Former police spokesman Jean-Pierre Kabore said"; codebook: a former
    # official speaking after leaving the post is NO)
    if _SPOKES_RE.fullmatch(m.text.rsplit(None, 1)[-1]) and _FORMER_RE.search(sent, max(0, m.start - 40), m.start):
        return False
    # a headline's source tag: the body opens the headline and a colon follows ("Police: Dallas Sniper Said He Wanted
    # to ...", "Pentagon: No Evidence of ...")
    if _HEADLINE_TAG_RE.match(sent, m.end) and _opens_headline(sent, m.start):
        return True
    # a spokesperson named by the phrase's institution, then by name ("Army spokesman Lt. Col. Jonathan Conricus said",
    # "Police spokesman Tom Smith told"): the name stands between the phrase and its verb
    after = m.end
    # (and Japan's Chief Cabinet Secretary, the government's spokesman by office: "Chief Cabinet Secretary Yoshimasa
    # Hayashi told reporters")
    if _SPOKES_RE.fullmatch(m.text.rsplit(None, 1)[-1]) or phrase_key(m.text) == "chief cabinet secretary":
        name = _SPOKES_NAME_RE.match(sent, m.end)
        if name is not None:
            after = name.end()
    verb = _SPEAKS_IN_PHRASE_RE.search(m.text) or (
        (_SPEAKS_AFTER_RE.match(sent, after) or after > m.end and _SPEAKS_AFTER_RE.match(sent, m.end)
         or _DOC_SPEAKS_RE.match(sent, m.end) or _DOC_CONTENT_RE.match(sent, m.end))
        # "itemized in election commission reports": the filings, not a body that reports
        and not (_filed_with(sent, m.start, m.end) and _PREPOSITION_BEFORE_RE.search(sent, 0, m.start)))
    # "officials at the State Department told", "sources close to the ministry said", "letters to the FDA asserted":
    # not the body's verb
    return bool(verb) and not _OBJECT_BEFORE_RE.search(sent, max(0, m.start - 80), m.start)


def _institution_speaks(row: np.ndarray, col: dict[str, int], sent: str, insts: list[Match],
                        quotes: Sequence[tuple[int, int]] = ()) -> None:
    """Count government institutions that speak in the sentence ("channel_speaks"); flag a sentence that
    only mentions one, with no channel of a government either ("channel_mention", after _channel_owners). A body
    inside a direct quotation the sentence opens and closes speaks in the quoted speaker's words, not as the
    sentence's source ('"Everything the defence ministry publishes is fiction," said an analyst'; codebook: a channel
    named only inside someone else's quotation is NO)."""
    if not insts:
        return
    refusals = [a for a, _ in no_response_spans(sent)] if any(w in sent for w in _NO_RESPONSE_WORDS) else ()
    # "spokesmen at the FBI and the Justice Department would not discuss it": a body whose spokespeople or who
    # itself did not answer attributes nothing, whatever lead names it
    speaks = sum(1 for m in insts if not any(_NO_RESPONSE_GAP_RE.fullmatch(sent, m.end, a) for a in refusals)
                 and not (quotes and in_closed_quote(m.start, sent, quotes)) and _body_speaks(sent, m))
    row[col["channel_speaks"]] += speaks
    if speaks:  # an institution that speaks attributes the sentence, with or without a listed attribution phrase
        row[col["unattributed"]] = 0.0
    if not speaks and not row[col["channel_gov"]]:
        row[col["channel_mention"]] = 1.0


# a channel in the sentence's introductory phrase ("At a news conference in Chelsea, ...", "In a televised
# address Friday, ..."): its owner is the subject of the clause after the comma
_INTRO_CHANNEL_RE = re.compile(r"\W*(?:(?:[Aa]t|[Ii]n|[Dd]uring|[Ss]peaking\s+(?:at|in|to))\s+(?:[\w’'-]+\s+){0,3})?$")
_INTRO_PHRASE_MAX = 40  # characters from the channel phrase to the comma that ends the introductory phrase
_INTRO_SUBJECT_MAX = 30  # characters from the comma to the owner's name


def _intro_subject(sent: str, start: int, owner: int) -> bool:
    """Is the text from ``start`` to ``owner`` the rest of an introductory phrase, then a comma and at most a
    few words before the owner ("in Chelsea, the " before "mayor")?"""
    comma = sent.find(",", start, owner)
    return comma >= 0 and comma - start <= _INTRO_PHRASE_MAX and owner - comma <= _INTRO_SUBJECT_MAX


def _owner_distance(spans: list[tuple[int, int]], c: Match, sent: str) -> tuple[int | None, tuple[int, int] | None]:
    """Characters between channel phrase ``c`` and the nearest of ``spans`` that can own it, and that span
    ((None, None): none can)."""
    best, best_span = None, None
    for s, e in spans:
        if s < c.end and e > c.start:  # inside the phrase: "foreign ministry spokesman"
            d = 0
        elif e <= c.start and c.start - e <= _OWNER_LEFT:
            d = c.start - e
        elif s >= c.end and s - c.end <= _OWNER_RIGHT and _OWNER_AFTER_RE.match(sent, c.end):
            d = s - c.end
        elif s >= c.end and _INTRO_CHANNEL_RE.match(sent, 0, c.start) and _intro_subject(sent, c.end, s):
            d = s - c.end  # "At a news conference in Chelsea, the mayor said": the subject after the phrase
        else:
            continue
        if best is None or d < best:
            best, best_span = d, (s, e)
    return best, best_span


def _named_owner(sent: str, c: Match) -> str | None:
    """The capitalised name right before the channel phrase ("an Upjohn spokesman", "Acme Corp.'s
    spokeswoman"; before a spokesperson also after a speech verb or a comma, "said RNC spokesman") or right after it
    with for/of/from ("a spokesman for Seagram"), if any; None for a listed head's or official's name."""
    left_re = _SPOKES_OWNER_LEFT_NAME_RE if _SPOKES_RE.match(c.text) else _OWNER_LEFT_NAME_RE
    for found in (left_re.search(sent, 0, c.start), _OWNER_RIGHT_NAME_RE.match(sent, c.end)):
        if found is None:
            continue
        words = found.group(1).split()
        while words and _GENERIC_CAPS_RE.fullmatch(words[0]):  # "An Upjohn" -> "Upjohn"
            words.pop(0)
        if words:
            # a listed head's or official's name owns the channel only as the head speaks (``_head_subject``), in
            # office or not: the name alone does not say ("Obama spokesman Josh Earnest", a Trump campaign's)
            name = " ".join(words)
            return None if _owner_names().search(name) else name
    return None


# lexicon terms that are acronyms themselves, written in capitals ("RINO Senator Jeff Flake", "DAESH", "FETO"): the
# acronym test in CueMatcher.match leaves them matched
_CAPS_TERMS = frozenset({"rino", "daesh", "feto", "fetö", "eussr", "iiojk"})


_COL = {name: j for j, name in enumerate(CUE_FEATURES)}
# the columns that hold counts (log-scaled at the end), not shares or flags
_COUNT_COLUMNS = [j for name, j in _COL.items() if name not in ("quote_share", "has_quote", "question", "unattributed",
                                                               "first_person_plural", "channel_mention")]
_HEDGE, _LOADED, _OUTSIDE, _COUNT, _NONE = range(5)


def _counts_outside_quotes(kind: str) -> bool:
    """Is ``kind`` counted in its own column only where it stands outside quotations (a loaded group, an editorial
    cue, a subjective or valence word)? What :func:`cue_features` and its reference both ask of a match kind."""
    return kind.startswith("loaded_") or kind.startswith("editorial") or kind in ("subjective", "valence")
# the columns _channel_owners and _institution_speaks write (and read)
_HELPER_COLUMNS = {_COL[c] for c in ("channel_gov", "channel_nongov", "channel_unowned", "channel_speaks", "channel_mention")}


def _outlet_speaks(sent: str, m: Match) -> bool:
    """Is a state outlet (or "state media") the subject of a speech verb, as an institution would be ("Xinhua
    described the talks as candid", "state TV portrayed the protesters as rioters")? Then it is attributed like
    an outlet near an attribution phrase."""
    return _SPEAKS_AFTER_RE.match(sent, m.end) is not None or (
        _HEADLINE_TAG_RE.match(sent, m.end) is not None and _opens_headline(sent, m.start))  # "Xinhua: China's ..."


def reported_speech_spans(sent: str) -> list[tuple[int, int]]:
    """Character spans of ``sent`` in attributed indirect speech: from each reporting verb to the next clause
    break ("The ministry said the drills were a provocation, and ..."), the text before a trailing
    attribution ("The drills were a provocation, the ministry said.") and around one set off by commas ("The
    drills, the ministry said, were a provocation"). A regex, not a parser: it marks where
    a loaded word is probably the speaker's, and the classifier weighs that (``loaded_reported``)."""
    spans = []
    for m in (*_REPORTING_RE.finditer(sent), *_PORTRAYING_RE.finditer(sent)):
        end = _CLAUSE_END_RE.search(sent, m.end() + 1)
        # a list the reported clause runs on into ("said the drills were reckless, dangerous and provocative"): a
        # comma before an item of a list (_LIST_ITEM_RE), as often as one follows
        while end is not None and sent[end.start()] == "," and (nxt := _LIST_ITEM_RE.match(sent, end.end())):
            end = _CLAUSE_END_RE.search(sent, nxt.end()) if nxt.end() < len(sent) else None
        spans.append((m.end(), end.start() if end else len(sent)))
    t = _TRAILING_ATTRIBUTION_RE.search(sent)
    if t:
        spans.append((0, t.start()))
    t = _PARENTHETICAL_ATTRIBUTION_RE.search(sent)
    if t:
        spans += [(0, t.start()), (t.end(), len(sent))]
    return spans


@lru_cache(maxsize=None)
def _kind_action(kind: str) -> tuple[int, int | None, int | None, bool]:
    """What a match of ``kind`` counts in :func:`cue_features`: ``(action, column, attributed column, is a
    channel)``, the reference's chain of tests on the kind's name made once per kind."""
    col = _COL
    if kind.startswith("hedge"):
        action, j = _HEDGE, col[kind]
    elif kind == "loaded":
        action, j = _LOADED, None
    elif _counts_outside_quotes(kind):
        action, j = _OUTSIDE, col["editorial_out" if kind == "editorial" else kind]
    elif kind in col:
        action, j = _COUNT, col[kind]
    else:
        action, j = _NONE, None
    attributed = None
    if kind in ("outlet", "state_generic", "channel"):
        attributed = col["channel_attributed" if kind == "channel" else "outlet_attributed"]
    # cue_features adds these counts after _channel_owners and _institution_speaks have read their row
    assert j not in _HELPER_COLUMNS and attributed not in _HELPER_COLUMNS, kind
    return action, j, attributed, kind == "channel"


def cue_features(sentences: Sequence[str], matches: list[list[Match]] | None = None,
                 quotes: list[list[tuple[int, int]]] | None = None) -> np.ndarray:
    """The dense cue-feature matrix (n_sentences, len(CUE_FEATURES)), log-scaled counts and shares.

    :func:`_cue_features_reference` with the per-sentence work done for the sentences that need it: the
    first-person pattern searched once in the batch's author text (quotations blanked) joined by line
    breaks (it matches letters only, and a line break is a non-word character as the text's start or end
    is to its look-arounds, so each match lies in one sentence and each sentence's matches are its own);
    the question test only for the sentences holding a "?"; the match counts collected as (row, column)
    pairs and added at once (sums of ones: exact in any order). A test compares the two."""
    matcher = get_matcher()
    if matches is None:
        matches = matcher.match(sentences)
    if quotes is None:
        quotes = [quote_spans(s) for s in sentences]
    col = _COL
    n = len(sentences)
    X = np.zeros((n, len(CUE_FEATURES)), dtype=np.float64)
    if not n:
        return X
    # unattributed: no quotation and (below) no attribution phrase
    X[:, col["unattributed"]] = 1.0
    quoted = [i for i, qs in enumerate(quotes) if qs]
    author = list(sentences)
    for i in quoted:
        sent, qs = sentences[i], quotes[i]
        X[i, col["has_quote"]] = 1.0
        X[i, col["quote_share"]] = sum(e - s for s, e in qs) / max(len(sent), 1)
        X[i, col["unattributed"]] = 0.0
        outside = sent
        for s, e in qs:
            outside = outside[:s] + " " * (e - s) + outside[e:]
        author[i] = outside
    joined = "\n".join(author)
    nexts = list(accumulate(map((1).__add__, map(len, author))))  # where the text after each starts
    j = col["first_person_plural"]
    for m in _FIRST_PERSON_RE.finditer(joined):
        X[bisect_right(nexts, m.start()), j] = 1.0
    joined = "\n".join(sentences)
    nexts = list(accumulate(map((1).__add__, map(len, sentences))))
    pos, j = joined.find("?"), col["question"]
    while pos >= 0:  # a sentence without a "?" cannot end with one
        i = bisect_right(nexts, pos)
        if sentences[i].rstrip().rstrip("”\"'’").endswith("?"):
            X[i, j] = 1.0
        pos = joined.find("?", nexts[i])
    rows: list[int] = []
    cols: list[int] = []
    unattributed, loaded_in, loaded_out = col["unattributed"], col["loaded_in"], col["loaded_out"]
    loaded_reported, channel_mention, not_hedge_col = col["loaded_reported"], col["channel_mention"], col["not_hedge"]
    channel_gov, channel_col, editorial_out = col["channel_gov"], col["channel"], col["editorial_out"]
    editorial_reported = col["editorial_reported"]
    for i, ms in enumerate(matches):
        if not ms:
            continue
        qs = quotes[i]
        reported = None  # its reported-speech spans, found at its first loaded or editorial cue outside quotes
        not_hedge = [(m.start, m.end) for m in ms if m.kind == "not_hedge"]
        attrs = [m for m in ms if m.kind == "attribution"]
        if attrs:
            X[i, unattributed] = 0.0
        insts, channels = [], []
        held_rows: list[int] = []  # what a government body's matches count, held until we know it speaks
        held_cols: list[int] = []
        for m in ms:
            action, j, attributed, channel = _kind_action(m.kind)
            inst = channel and matcher.is_institution(m.text)
            r_, c_ = (held_rows, held_cols) if inst else (rows, cols)
            if action == _HEDGE:
                if not_hedge and any(s <= m.start and m.end <= e for s, e in not_hedge):
                    continue
                if (m.kind == "hedge" or m.kind == "hedge_verb") and _belief_before_opinion(sentences[i], m, ms):
                    if m.kind == "hedge":  # the phrase's two matches (the total and its group) count once
                        rows.append(i)
                        cols.append(not_hedge_col)
                        if _author_opinion(m, qs):
                            rows.append(i)
                            cols.append(editorial_out)
                    continue
            elif action == _LOADED:
                j = loaded_in if qs and in_spans(m.start, qs) else loaded_out
            elif action == _OUTSIDE:
                if qs and in_spans(m.start, qs):
                    j = None
            elif action == _NONE and (m.kind == "head_post" or m.kind == "spokesperson"):  # a channel, the government's
                X[i, channel_gov] += 1.0  # before the helpers, which read channel_gov
                X[i, channel_col] += 1.0
            if j == loaded_out or j == editorial_out:  # outside quotation marks: in reported speech too?
                if reported is None:
                    reported = reported_speech_spans(sentences[i])
                if in_spans(m.start, reported):
                    rows.append(i)
                    cols.append(loaded_reported if j == loaded_out else editorial_reported)
            if j is not None:
                r_.append(i)
                c_.append(j)
            if attributed is not None and (attrs or not channel) and not (qs and in_closed_quote(m.start, sentences[i], qs)):
                if (any(abs(a.start - m.end) <= _ATTR_NEAR or abs(m.start - a.end) <= _ATTR_NEAR for a in attrs)
                        or not channel and _outlet_speaks(sentences[i], m)):
                    r_.append(i)
                    c_.append(attributed)
                    X[i, unattributed] = 0.0
            # channel matches split once: institutions ("the Defense Ministry") and channel phrases ("spokesman")
            if channel:
                (insts if inst else channels).append(m)
        # the helpers write their channel_* columns into the row now; the only value they read back,
        # channel_gov, is theirs too (no match kind counts in those columns), so the counts collected
        # above can be added after them
        if channels:  # both count nothing without their matches
            _channel_owners(X[i], col, sentences[i], ms, insts, channels, qs)
        if insts:
            _institution_speaks(X[i], col, sentences[i], insts, qs)
            # a body only mentioned ("worked at the Treasury", "letters to the FDA") counts in
            # channel_mention alone, not as a channel however often it is named
            if not X[i, channel_mention]:
                rows += held_rows
                cols += held_cols
    if rows:
        np.add.at(X, (np.array(rows, dtype=np.intp), np.array(cols, dtype=np.intp)), 1.0)
    X[:, _COUNT_COLUMNS] = np.log1p(X[:, _COUNT_COLUMNS])
    return X


def _cue_features_reference(sentences: Sequence[str], matches: list[list[Match]] | None = None,
                 quotes: list[list[tuple[int, int]]] | None = None) -> np.ndarray:
    """:func:`cue_features` sentence by sentence, as first written (the reference in the tests)."""
    matcher = get_matcher()
    if matches is None:
        matches = matcher.match(sentences)
    if quotes is None:
        quotes = [quote_spans(s) for s in sentences]
    col = {name: j for j, name in enumerate(CUE_FEATURES)}
    X = np.zeros((len(sentences), len(CUE_FEATURES)), dtype=np.float64)
    for i, (sent, ms, qs) in enumerate(zip(sentences, matches, quotes)):
        if qs:
            X[i, col["has_quote"]] = 1.0
            X[i, col["quote_share"]] = sum(e - s for s, e in qs) / max(len(sent), 1)
        if sent.rstrip().rstrip("”\"'’").endswith("?"):
            X[i, col["question"]] = 1.0
        outside = sent
        for s, e in qs:
            outside = outside[:s] + " " * (e - s) + outside[e:]
        if _FIRST_PERSON_RE.search(outside):
            X[i, col["first_person_plural"]] = 1.0
        if not ms:
            X[i, col["unattributed"]] = 0.0 if qs else 1.0
            continue
        not_hedge = [(m.start, m.end) for m in ms if m.kind == "not_hedge"]
        attrs = [m for m in ms if m.kind == "attribution"]
        inst_attributed = 0
        if not attrs and not qs:
            X[i, col["unattributed"]] = 1.0
        for m in ms:
            k = m.kind
            if k.startswith("hedge"):
                if any(s <= m.start and m.end <= e for s, e in not_hedge):
                    continue
                if _belief_before_opinion(sent, m, ms):  # counts once as a not-hedge phrase
                    X[i, col["not_hedge"]] += k == "hedge"
                    X[i, col["editorial_out"]] += k == "hedge" and _author_opinion(m, qs)
                    continue
                X[i, col[k]] += 1
            elif k == "loaded":
                X[i, col["loaded_in" if in_spans(m.start, qs) else "loaded_out"]] += 1
                if not in_spans(m.start, qs) and in_spans(m.start, reported_speech_spans(sent)):
                    X[i, col["loaded_reported"]] += 1
            elif _counts_outside_quotes(k):
                if not in_spans(m.start, qs):
                    X[i, col["editorial_out" if k == "editorial" else k]] += 1
                    if k == "editorial" and in_spans(m.start, reported_speech_spans(sent)):
                        X[i, col["editorial_reported"]] += 1
            elif k in col:
                X[i, col[k]] += 1
            if k in ("outlet", "state_generic", "channel") and not in_closed_quote(m.start, sent, qs):
                near = (any(abs(a.start - m.end) <= _ATTR_NEAR or abs(m.start - a.end) <= _ATTR_NEAR for a in attrs)
                        or k != "channel" and _outlet_speaks(sent, m))
                if near:
                    X[i, col["unattributed"]] = 0.0
                    X[i, col["channel_attributed" if k == "channel" else "outlet_attributed"]] += 1
                    if k == "channel" and matcher.is_institution(m.text):
                        inst_attributed += 1
        posts = sum(1 for m in ms if m.kind in ("head_post", "spokesperson"))  # a channel, and the government's
        X[i, col["channel_gov"]] += posts
        X[i, col["channel"]] += posts
        # channel matches split once: institutions ("the Defense Ministry") and channel phrases ("spokesman")
        insts, channels = [], []
        for m in ms:
            if m.kind == "channel":
                (insts if matcher.is_institution(m.text) else channels).append(m)
        if channels:  # both count nothing without their matches
            _channel_owners(X[i], col, sent, ms, insts, channels, qs)
        if insts:
            _institution_speaks(X[i], col, sent, insts, qs)
            if X[i, col["channel_mention"]]:  # bodies only mentioned count in channel_mention alone
                X[i, col["channel"]] -= len(insts)
                X[i, col["channel_attributed"]] -= inst_attributed
    counts = [j for name, j in col.items() if name not in ("quote_share", "has_quote", "question", "unattributed", "first_person_plural",
                                                           "channel_mention")]
    X[:, counts] = np.log1p(X[:, counts])
    return X
