"""Claim threads across articles: the pair decision on texts written here, and the real CLI on a small
multi-article story (tests/data/threads: an original statement, a relay, a paraphrase, an undated
excerpt, a reader repeating it, a denial, and distractors: a changed figure, the same figure about
another place, the same speaker on something else, the same words from another organisation)."""
from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT, query_json, run_kg
from kg.threads.claims import ThreadClaim
from kg.threads.disputes import ANTECEDENT_REACH
from kg.threads.features import features
from kg.threads.match import Relation, relation

STORY = ROOT / "tests" / "data" / "threads"
ARTICLES = sorted(STORY.glob("*.txt"))


def claim(iri: str, text: str, source: str = "person/ana", kind: str = "Person", name: str = "Ana Ruiz",
          article: str = "", denies: bool = False, published: str | None = "2025-01-01", chain=(),
          outlet: str | None = None) -> ThreadClaim:
    article = article or f"doc/{iri}"
    return ThreadClaim(iri=iri, text=text, document=article, article=article, source=source, source_kind=kind,
                       source_name=name, chain=tuple(chain) or (source,), denies=denies, published=published,
                       outlet=outlet, start=0, end=len(text))


def related(a: ThreadClaim, b: ThreadClaim):
    edge = relation(a, features(a.text), b, features(b.text))
    return None if edge is None else (edge.kind, edge.first)


# ------------------------------------------------------------------ the pair decision

def test_an_excerpt_and_a_paraphrase_of_one_statement_are_the_same_claim():
    full = claim("c1", "the new bridge over the Tamsin river will open to traffic in the spring")
    excerpt = claim("c2", "open to traffic in the spring", name="Ruiz", source="person/ruiz")
    paraphrase = claim("c3", "The bridge over the river Tamsin would open to traffic in spring")
    assert related(full, excerpt) == (Relation.SAME, "c1")
    assert related(paraphrase, full) == (Relation.SAME, "c1")


@pytest.mark.parametrize("first, second, why", [
    ("at least 12 people were killed in the flooding", "the flooding killed at least 31 people", "a changed figure"),
    ("12 people were killed in the flooding in Marrow", "12 people were killed in the flooding in Dunbee", "another place"),
    ("the council will vote on the budget on Tuesday", "the council will vote on the budget in March", "another date"),
    ("the refinery released toxic gas over the town", "the mayor urged residents to stay indoors", "another statement"),
])
def test_claims_that_disagree_on_figures_places_dates_or_content_stay_apart(first, second, why):
    assert related(claim("c1", first), claim("c2", second)) is None, why


@pytest.mark.parametrize("first, second", [
    # no two content words stand side by side in both: one is inserted ("forcibly", "undocumented") or the
    # order is turned round ("smugglers and thieves" / "thieves and smugglers")
    ("she would expel 40,000 illegal tenants in the estates",
     "she pledged to forcibly expel 40,000 undocumented tenants living in the estates"),
    ("the migrants were smugglers and thieves", "migrants as thieves and smugglers from abroad"),
])
def test_a_rewording_that_inserts_a_word_or_turns_a_pair_round_is_the_same_claim(first, second):
    assert related(claim("c1", first), claim("c2", second)) == (Relation.SAME, "c1")


def test_a_forename_one_claim_leaves_out_is_no_other_name():
    poll = "Ana Ruiz leading Tom Berg among likely voters, 46 percent to 44 percent"
    shorter = "Ruiz with a narrow lead over Berg, 46 percent to 44 percent, among likely voters in the Ember primary"
    source = dict(source="org/pollster", kind="Organization", name="Ember Polling Institute")
    assert related(claim("c1", poll, **source), claim("c2", shorter, **source)) == (Relation.SAME, "c1")
    # a name neither forename nor surname of the other's still keeps them apart
    other = "Ruiz with a narrow lead over Lund, 46 percent to 44 percent, among likely voters in the Ember primary"
    assert related(claim("c1", poll, **source), claim("c3", other, **source)) is None


def test_the_same_words_from_another_named_source_are_a_parallel_claim():
    union = claim("c1", "the harbour will reopen within two weeks", source="org/dockers", kind="Organization",
                  name="Dockers Union")
    mayor = claim("c2", "the harbour will reopen within two weeks", source="person/lena-ortiz", name="Lena Ortiz")
    assert related(union, mayor) is None


def test_two_unnamed_sources_are_one_only_when_described_alike():
    text = "the harbour will reopen within two weeks"
    ministry = claim("c1", text, source="doc/d1#src-1", kind="UnnamedSource", name="Ministry")
    authority = claim("c2", text, source="doc/d2#src-1", kind="UnnamedGroup", name="Harbour authority")
    ministry_again = claim("c3", text, source="doc/d3#src-1", kind="UnnamedSource", name="the ministry")
    assert related(ministry, authority) is None
    assert related(ministry, ministry_again) == (Relation.SAME, "c1")


def test_an_outlet_printing_the_same_words_again_repeats_one_statement():
    herald = "org/herald"
    # three words in common are a phrase ("the general election") unless one outlet prints them again
    short = "to block any Ortiz nominee"
    board = dict(source="org/board", kind="Organization", name="Harbour Board")
    assert related(claim("c1", short, **board), claim("c2", short, **board)) is None
    assert related(claim("c1", short, outlet=herald, **board),
                   claim("c2", short.capitalize() + ".", outlet=herald, **board)) == (Relation.SAME, "c1")
    # at length, the same words reprinted are one statement whoever the two articles' "he" was resolved to
    long = "the $40 million bailout of the regional ferry lines"
    ana, tom = dict(source="person/ana", name="Ana Ruiz"), dict(source="person/tom", name="Tom Berg")
    assert related(claim("c1", long, outlet=herald, **ana), claim("c2", long, outlet=herald, **tom)) == (
        Relation.SAME, "c1")
    # not so across outlets, nor for a short text: two speakers' parallel claims stay apart
    assert related(claim("c1", long, outlet=herald, **ana), claim("c2", long, outlet="org/post", **tom)) is None
    assert related(claim("c1", "ferry fares will double", outlet=herald, **ana),
                   claim("c2", "ferry fares will double", outlet=herald, **tom)) is None


def test_a_reprint_joins_its_two_claims_without_making_their_speakers_one():
    """A reprint whose "He" was resolved to two people links those two claims; the two people are not thereby
    one speaker for their other claims (before, the pair counted like a quotation for the whole component)."""
    text = "the $40 million bailout of the regional ferry lines will close three depots"
    ana = claim("c1", text, source="person/ana", name="Ana Ruiz", outlet="org/herald")
    tom = claim("c2", text, source="person/tom", name="Tom Berg", outlet="org/herald")
    toms_own = claim("c3", "the bailout of the regional ferry lines will close three depots", source="person/tom",
                     name="Tom Berg", outlet="org/post")
    threads = link_threads([ana, tom, toms_own])
    assert any({"c1", "c2"} <= set(t) or {"c2", "c3"} <= set(t) for t in threads), threads
    assert not any({"c1", "c3"} <= set(t) for t in threads), threads


def test_organisations_are_one_speaker_by_their_whole_name():
    times = dict(kind="MediaOutlet", outlet=None)
    text = "the harbour will reopen within two weeks"
    ny = claim("c1", text, source="org/nyt", name="The New York Times", **times)
    la = claim("c2", text, source="org/lat", name="Los Angeles Times", **times)
    ny_again = claim("c3", text, source="org/nyt-2", name="New York Times", **times)
    assert related(ny, la) is None
    assert related(ny, ny_again) == (Relation.SAME, "c1")


def test_a_relay_a_writer_and_a_reader_may_restate_a_named_source():
    original = claim("c1", "the harbour will reopen within two weeks", source="person/lena-ortiz", name="Lena Ortiz")
    relay = claim("c2", "the harbour will reopen within two weeks", source="org/herald", kind="MediaOutlet",
                  name="Herald", chain=("org/herald", "person/lena-ortiz"))
    reader = claim("c3", "the harbour will reopen within two weeks", source="commenter/x", kind="Commenter", name="x")
    writer = claim("c4", "the harbour will reopen within two weeks", source="org/publisher-of-d4", kind="Publisher",
                   name="Unknown publisher")
    for other in (relay, reader, writer):
        assert related(original, other) == (Relation.SAME, "c1")


def test_a_denial_or_a_negated_claim_disputes_instead_of_joining():
    stated = claim("c1", "the plant leaked chemicals into the river", published="2025-01-01")
    denied = claim("c2", "the plant leaked chemicals into the river", source="org/plant", kind="Organization",
                   name="Plant operator", denies=True, published="2025-01-02")
    negated = claim("c3", "the plant never leaked chemicals into the river", published="2025-01-03")
    assert related(stated, denied) == (Relation.DISPUTES, "c2")
    assert related(negated, stated) == (Relation.DISPUTES, "c3")
    # the later claim disputes the earlier one, whichever of them is the negative one
    earlier_negative = claim("c4", "the plant never leaked chemicals into the river", published="2024-12-01")
    assert related(earlier_negative, stated) == (Relation.DISPUTES, "c1")
    # "not just ..." qualifies, it does not deny
    assert related(claim("c5", "the plant is not just leaking chemicals into the river"),
                   claim("c6", "the plant is leaking chemicals into the river"))[0] == Relation.SAME


def test_a_negation_inside_a_relative_clause_does_not_deny_the_claim():
    ban = claim("c1", "a ban on lorries entering the old town of Marrow", published="2025-01-01")
    qualified = claim("c2", "a ban on lorries which are not electric from entering the old town of Marrow",
                      published="2025-01-02")
    denied = claim("c3", "there will be no ban on lorries entering the old town of Marrow", published="2025-01-03")
    assert related(ban, qualified) == (Relation.SAME, "c1")
    assert related(ban, denied) == (Relation.DISPUTES, "c3")
    # the main verb's negation after a relative clause (which seldom ends with a comma) still denies
    charged = claim("c4", "people who voted twice in Marrow will be charged with fraud", published="2025-01-01")
    spared = claim("c5", "people who voted twice in Marrow will not be charged with fraud", published="2025-01-02")
    assert related(charged, spared) == (Relation.DISPUTES, "c5")



def test_a_verdict_is_read_after_any_run_of_capitalised_words():
    """The name is read backwards from the verdict: a comment of 40,000 words in Title Case is read in one
    pass (a name pattern tried at every capitalised word took hours on it)."""
    from kg.threads.disputes import judges_anyone

    hostile = claim("c1", "Word " * 40_000 + "Mr. Ruiz Was Wrong about Nothing, and Ana Ruiz lied")
    assert judges_anyone(hostile)
    assert not judges_anyone(claim("c2", "Word " * 40_000 + "said"))
    assert not judges_anyone(claim("c3", "the polls showing him behind are wrong"))


def test_a_verdict_on_a_named_speaker_disputes_the_claim_of_theirs_it_names():
    ruiz = claim("c1", "there was no toxic waste in the Orva river near the Halden plant", published="2025-01-01")
    inspector = dict(source="person/tom-berg", name="Tom Berg", published="2025-01-02")
    # both negative ("no toxic waste", "not truthful"): a parallel claim by the polarity test alone
    berg = claim("c2", "Ruiz was not truthful about the toxic waste his team found in the Orva river near the Halden "
                       "plant", **inspector)
    assert related(berg, ruiz) == (Relation.DISPUTES, "c2") and related(ruiz, berg) == (Relation.DISPUTES, "c2")
    # a long verdict shares too little with the claim to pass as its restatement, and still disputes it
    dumped = claim("c3", "the Halden plant never dumped toxic waste", published="2025-01-01")
    long = claim("c4", "Ruiz lied about the toxic waste of the Halden plant, and the samples the inspectors took "
                       "in March from wells, ditches, fields and gardens across the valley tell the council so",
                 **inspector)
    assert related(long, dumped) == (Relation.DISPUTES, "c4")
    # a verdict on someone else, or one that repeats too little of the claim, disputes nothing
    lund = claim("c5", "Lund was not truthful about the toxic waste his team found in the Orva river near the Halden "
                       "plant", **inspector)
    budget = claim("c6", "Ruiz was wrong about the budget for the Orva river festival", **inspector)
    assert related(lund, ruiz) is None and related(budget, ruiz) is None


def test_a_denial_of_a_thing_rather_than_a_statement_disputes_no_claim():
    ortiz = claim("c1", "the council member is a self-described green socialist from Marrow", source="person/lena",
                  name="Lena Ortiz", published="2025-01-01")
    voters = dict(source="doc/d2#voters", kind="UnnamedGroup", name="Marrow voters", published="2025-01-02",
                  denies=True)
    # "voters rejected the self-described green socialist": the person is rejected, not what is said of her
    assert related(claim("c2", "the self-described green socialist from Marrow", **voters), ortiz) is None
    # a denied statement still disputes, a past-tense verb being enough to make one
    stated = claim("c3", "the council member is a self-described green socialist from Marrow", **voters)
    assert related(stated, ortiz) == (Relation.DISPUTES, "c3")
    leaked = claim("c4", "the council member leaked the self-described green socialist manifesto from Marrow",
                   **voters)
    manifesto = claim("c5", "the council member leaked the self-described green socialist manifesto from Marrow",
                      published="2025-01-01")
    assert related(leaked, manifesto) == (Relation.DISPUTES, "c4")

@pytest.mark.parametrize("first, second", [
    ("Marrow was hit by flooding that killed 12 people", "Dunbee was hit by flooding that killed 12 people"),
    ("Mr. Holt will visit the flooded quarter on Friday", "Mr. Brandt will visit the flooded quarter on Friday"),
    ("the flooding killed 1,200 people in the valley", "the flooding killed 2,100 people in the valley"),
    ("the province will spend $1.2 billion on the dams", "the province will spend $2.1 billion on the dams"),
])
def test_names_after_titles_or_opening_a_claim_and_figures_with_separators_keep_claims_apart(first, second):
    writer = dict(source="org/publisher-of-d", kind="Publisher", name="Unknown publisher")
    assert related(claim("c1", first, **writer), claim("c2", second, **writer)) is None


def test_a_figure_written_with_separators_or_in_words_is_the_same_figure():
    assert related(claim("c1", "the flooding killed 1,000 people in the valley"),
                   claim("c2", "the flooding killed 1000 people in the valley"))[0] == Relation.SAME


def test_threads_do_not_depend_on_the_order_in_which_articles_arrive():
    from kg.threads import Linker, ThreadIndex

    texts = ["the harbour will reopen within two weeks once the cranes are inspected",
             "The harbour would reopen within two weeks once cranes are inspected",
             "harbour will reopen within two weeks",
             "the ferry company will cut its winter timetable to three crossings a day",
             "the ferry company would cut the winter timetable to three crossings daily"]
    claims = [claim(f"c{i}", text, article=f"doc/{i}", published=f"2025-01-0{i + 1}") for i, text in enumerate(texts)]

    def threads(order):
        linker = Linker(ThreadIndex())
        change = None
        for i in order:
            change = linker.update({claims[i].article: (claims[i].article, [claims[i]])})
        return {iri: members for iri, members in linker.index.threads()}

    together = Linker(ThreadIndex()).update({c.article: (c.article, [c]) for c in claims})
    expected = {t.iri: sorted(m.iri for m in t.members) for t in together.threads}
    assert len(expected) == 2
    for order in ([0, 1, 2, 3, 4], [4, 3, 2, 1, 0], [2, 4, 0, 3, 1]):
        assert threads(order) == expected


def test_a_named_source_quoting_another_word_for_word_joins_its_thread():
    from kg.threads import Linker, ThreadIndex

    words = "“We will not let the harbour close while a single crane in it still works,”"
    original = claim("c1", words, source="person/lena-ortiz", name="Lena Ortiz", article="doc/1")
    read_out = claim("c2", words, source="person/tom-hale", name="Tom Hale", article="doc/2")
    # the same point in other words from a third named source is a parallel claim, not a quotation
    parallel = claim("c3", "the harbour will not close while a single crane in it still works",
                     source="org/dockers", kind="Organization", name="Dockers Union", article="doc/3")
    change = Linker(ThreadIndex()).update({c.article: (c.article, [c]) for c in (original, read_out, parallel)})
    assert [sorted(m.iri for m in t.members) for t in change.threads] == [["c1", "c2"]]


def test_a_quoted_speaker_is_the_same_speaker_under_another_form_of_the_name():
    words = "“The harbour stays open for as long as a single crane in it still works,”"
    original = claim("c1", words, source="person/lena-ortiz", name="Lena Ortiz", article="doc/1")
    read_out = claim("c2", words, source="person/tom-hale", name="Tom Hale", article="doc/2")
    # the same speaker in a third article, named otherwise, quoting too little of it to reach Hale directly
    excerpt = claim("c3", "“a single crane in it still works”", source="person/lena-m-ortiz", name="Lena M. Ortiz",
                    article="doc/3")
    assert link_threads([original, read_out, excerpt]) == [["c1", "c2", "c3"]]


def test_a_claim_carried_by_many_articles_is_one_thread_over_its_strongest_links_in_any_order():
    """Each claim keeps only its few strongest links (3 here, 10 by default): a statement carried by
    hundreds of outlets costs its members' links, not every pair of them. The thread is whole, the same in
    any arrival order, and stays whole when the members everyone linked to most strongly go away."""
    from kg.threads import Linker, ThreadIndex

    words = "the harbour will reopen within two weeks once the cranes are inspected"
    carried = [claim(f"c{i:02d}", words, article=f"doc/{i:02d}", published=f"2025-01-{i + 1:02d}") for i in range(12)]
    rival = claim("r", words, source="org/dockers", kind="Organization", name="Dockers Union", article="doc/r")
    everything = [*carried, rival]

    def threads(linker):
        return sorted(sorted(members) for _, members in linker.index.threads())

    expected = [[c.iri for c in carried]]
    for order in (range(13), reversed(range(13)), [5, 12, 0, 7, 3, 11, 1, 9, 2, 10, 4, 8, 6]):
        linker = Linker(ThreadIndex(links_per_claim=3))
        for i in order:
            linker.update({everything[i].article: (everything[i].article, [everything[i]])})
        assert threads(linker) == expected
    assert all(len(linker.index.strongest_links(c.iri, "same")) == 3 for c in carried)
    # the four claims every other one linked to most strongly (lowest IRIs) go: the rest stay one thread
    linker.update({}, removed=tuple(c.article for c in carried[:4]))
    assert threads(linker) == [[c.iri for c in carried[4:]]]


@settings(max_examples=24, deadline=None, derandomize=True)
@given(order=st.permutations(range(5)))
def test_a_key_too_common_to_read_links_nothing_in_any_order(order):
    """A key held by more claims than the index reads (3 here, 2000 by default) links no claims, whether it
    became that common before or after two of them met through it: the threads are the same in any order.
    The four ferry claims share "ferry company" and "winter timetable"; only pairs that share more meet."""
    from kg.threads import Linker, ThreadIndex

    texts = ["the ferry company will cut its winter timetable to three crossings a day",
             "the ferry company would cut the winter timetable to three crossings daily",
             "the ferry company will keep its winter timetable for the island route",
             "the ferry company will keep the winter timetable on the island route",
             "the ferry company cut its winter timetable to three crossings"]
    claims = [claim(f"c{i}", text, article=f"doc/{i}") for i, text in enumerate(texts)]
    linker = Linker(ThreadIndex(max_postings=3))
    for i in order:
        linker.update({claims[i].article: (claims[i].article, [claims[i]])})
    assert sorted(sorted(members) for _, members in linker.index.threads()) == [["c0", "c1", "c4"], ["c2", "c3"]]
    # an article read again changes nothing
    linker.update({claims[order[0]].article: (claims[order[0]].article, [claims[order[0]]])})
    assert sorted(sorted(members) for _, members in linker.index.threads()) == [["c0", "c1", "c4"], ["c2", "c3"]]


def test_a_dispute_found_through_keys_now_too_common_is_dropped_with_its_dispute_graph():
    from kg.threads import Linker, ThreadIndex

    words = "the ferry company will cut its winter timetable"
    said = claim("c1", words, article="doc/1")
    denied = claim("c2", words, source="org/ferries", kind="Organization", name="Ferry Company", article="doc/2",
                   denies=True)
    parallel = claim("c3", words, source="person/lee", name="Bo Lee", article="doc/3")
    linker = Linker(ThreadIndex(max_postings=2))
    linker.update({"doc/1": ("doc/1", [said])})
    assert linker.update({"doc/2": ("doc/2", [denied])}).disputes == {"c1": ("c2",)}
    change = linker.update({"doc/3": ("doc/3", [parallel])})  # every key they share is now held by three claims
    assert "c1" in change.undisputed and not change.disputes
    assert linker.index.disputers_of("c1") == []


def test_a_thread_index_written_by_another_version_is_rebuilt(tmp_path):
    import sqlite3

    from kg.threads import Linker, ThreadIndex

    path = tmp_path / "threads.sqlite"
    index = ThreadIndex(path)
    Linker(index).update({"doc/1": ("doc/1", [claim("c1", "the harbour will reopen within two weeks")])})
    index.commit()
    index.close()
    assert ThreadIndex(path).articles() == {"doc/1": "doc/1"}
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA user_version = 1")
    assert ThreadIndex(path).articles() == {}  # empty: kg ingest links every stored article again


def link_threads(claims) -> list[list[str]]:
    from kg.threads import Linker, ThreadIndex

    change = Linker(ThreadIndex()).update({c.article: (c.article, [c]) for c in claims})
    return sorted(sorted(m.iri for m in t.members) for t in change.threads)


def test_a_phrase_two_claims_share_is_no_statement_unless_both_quote_it():
    phrase = claim("c1", "the general election", article="doc/1")
    longer = claim("c2", "Democrats must unite for the general election", article="doc/2")
    assert related(phrase, longer) is None
    quoted = claim("c3", "“That makes me smart,”", article="doc/3")
    within = claim("c4", "the remark -- “That makes me smart” -- and then denied it", article="doc/4")
    assert related(quoted, within) == (Relation.SAME, "c3")


def test_a_claim_without_a_figure_does_not_join_two_tolls_into_one_thread():
    day_one = [claim(f"a{i}", "at least 12 people died in the flooding in Marrow", article=f"doc/a{i}") for i in range(2)]
    day_three = [claim(f"b{i}", "31 people died in the flooding in Marrow", article=f"doc/b{i}") for i in range(2)]
    bridge = claim("c", "people died in the flooding in Marrow", article="doc/c")
    threads = link_threads([*day_one, *day_three, bridge])
    assert ["a0", "a1"] in [t[:2] for t in threads] and ["b0", "b1"] in [t[:2] for t in threads]
    assert not any({"a0", "b0"} <= set(t) for t in threads)


def test_the_first_statement_is_the_originating_speakers_earliest_under_any_form_of_the_name():
    from kg.threads import Linker, ThreadIndex

    words = "the harbour will reopen within two weeks once the cranes are inspected"
    early = claim("c9", words, source="person/ortiz", name="Ortiz", article="doc/1", published="2025-01-01")
    later = [claim(f"c{i}", words, source="person/lena-ortiz", name="Lena Ortiz", article=f"doc/{i}",
                   published=f"2025-01-0{i}") for i in (5, 6)]
    reader = claim("c1", words, source="commenter/x", kind="Commenter", name="x", article="doc/0", published="2024-12-30")
    (thread,) = Linker(ThreadIndex()).update({c.article: (c.article, [c]) for c in (early, *later, reader)}).threads
    assert thread.first.iri == "c9"  # "Ortiz" and "Lena Ortiz" are one speaker; the reader is not the source


def test_claims_of_one_document_are_not_linked_to_each_other():
    one = claim("c1", "the harbour will reopen within two weeks", article="doc/x")
    again = claim("c2", "the harbour will reopen within two weeks", article="doc/x")
    assert related(one, again) is None


# ------------------------------------------------------------------ the CLI on a story

@pytest.fixture(scope="module")
def story_trig(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("story") / "story.trig"
    run_kg("extract", *ARTICLES, "-o", out, check=True)
    return out


def rows_by_thread(rows: list[dict]) -> dict[str, list[dict]]:
    threads: dict[str, list[dict]] = {}
    for row in rows:
        threads.setdefault(row["thread"], []).append(row)
    return threads


def test_the_story_threads_the_mayors_statement_across_four_articles_in_date_order(story_trig):
    threads = rows_by_thread(query_json("threads", "--data", story_trig))
    mayor = next(rows for rows in threads.values() if any("reopen" in r["claimText"] for r in rows))
    assert [r["documentId"] for r in mayor] == ["a1_harbour", "a2_coastal", "a4_blog", "a4_blog"]
    assert [r["published"] for r in mayor] == ["2025-03-03", "2025-03-04", None, None]  # undated: last, no date
    speakers = {r["sourceName"] for r in mayor}
    assert "Amnesty International" not in speakers  # the same words from another organisation: apart
    assert {"Lena Ortiz", "Ortiz", "harbourwatcher"} <= speakers  # surname only, and a reader repeating it


def test_distractors_stay_out_of_every_thread(story_trig):
    texts = [row["claimText"] for row in query_json("threads", "--data", story_trig)]
    assert not any("31" in text for text in texts)  # the toll that rose: a changed figure
    assert not any("Bremen" in text or "warehouse" in text for text in texts)  # the same figure, another place
    assert not any("insurance" in text for text in texts)  # the same speaker, another statement


def test_first_said_names_the_originating_statement_and_counts_outlets(story_trig):
    rows = {row["firstText"]: row for row in query_json("first-said", "--data", story_trig)}
    mayor = next(row for text, row in rows.items() if "reopen" in text)
    assert (mayor["firstSourceName"], mayor["firstDocumentId"], mayor["firstPublished"]) == \
        ("Lena Ortiz", "a1_harbour", "2025-03-03")
    assert (mayor["documents"], mayor["outlets"]) == ("3", "3")
    relayed = next(row for text, row in rows.items() if "injured" in text)
    # "According to the Harbor Herald, ..." in a2 relays the fire chief's statement of a1: the chief said it first
    assert (relayed["firstSourceName"], relayed["firstDocumentId"]) == ("Paul Dimas", "a1_harbour")
    one = query_json("first-said", "--data", story_trig, "--bind", f"thread={mayor['thread']}")
    assert [row["thread"] for row in one] == [mayor["thread"]]


def test_the_denial_in_another_article_disputes_the_thread(story_trig):
    rows = query_json("PREFIX ckg: <https://w3id.org/claimkg#> PREFIX schema: <http://schema.org/> "
                      "SELECT ?thread ?text WHERE { ?claim ckg:disputes ?thread . ?thread a ckg:ClaimThread . "
                      "?claim schema:text ?text }", "--data", story_trig)
    assert len(rows) == 1 and "reopen" in rows[0]["text"]
    mayor = next(r["thread"] for r in query_json("threads", "--data", story_trig) if "reopen" in r["claimText"])
    assert rows[0]["thread"] == mayor


def test_story_output_is_valid_trig_and_conforms(story_trig):
    import pyoxigraph as ox

    checked = subprocess.run(["rapper", "-i", "trig", "-c", str(story_trig)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    quads = list(ox.parse(path=str(story_trig), format=ox.RdfFormat.TRIG))
    assert f"returned {len(quads)} triples" in checked.stderr
    assert any(q.object == ox.NamedNode("https://w3id.org/claimkg#ClaimThread") for q in quads)
    assert run_kg("validate", story_trig).returncode == 0


def test_query_links_data_files_given_together(tmp_path):
    for article in ARTICLES:
        run_kg("extract", article, "-o", tmp_path / f"{article.stem}.ttl", check=True)
    files = [part for path in sorted(tmp_path.glob("*.ttl")) for part in ("--data", path)]
    rows = query_json("threads", *files)
    assert any(row["documentId"] == "a1_harbour" and "reopen" in row["claimText"] for row in rows)
    single = query_json("threads", "--data", tmp_path / "a1_harbour.ttl")
    assert single == []  # one article: no thread


# ------------------------------------------------------------------ the store

def sorted_export(store: Path, tmp_path: Path, name: str) -> list[str]:
    out = tmp_path / f"{name}.nq"
    run_kg("export", "--store", store, "-o", out, check=True)
    return sorted(out.read_text(encoding="utf-8").splitlines())


def thread_sets(rows: list[dict]) -> set[tuple[str, frozenset]]:
    return {(thread, frozenset(r["claim"] for r in members)) for thread, members in rows_by_thread(rows).items()}


def test_ingest_links_incrementally_in_any_order_and_reingest_changes_nothing(story_trig, tmp_path):
    together = thread_sets(query_json("threads", "--data", story_trig))
    one_by_one = tmp_path / "one"
    for article in reversed(ARTICLES):  # each ingest links the new article to the threads already stored
        run_kg("ingest", article, "--store", one_by_one, check=True)
    assert thread_sets(query_json("threads", "--store", one_by_one)) == together
    before = sorted_export(one_by_one, tmp_path, "before")
    run_kg("ingest", STORY, "--store", one_by_one, check=True)
    assert sorted_export(one_by_one, tmp_path, "after") == before


def test_documents_stored_without_threads_are_linked_by_the_next_ingest(story_trig, tmp_path):
    store = tmp_path / "kb"
    run_kg("ingest", *ARTICLES[:3], "--store", store, "--no-threads", check=True)
    assert query_json("threads", "--store", store) == []
    run_kg("ingest", ARTICLES[3], "--store", store, check=True)  # reconciles the three it had not linked
    assert thread_sets(query_json("threads", "--store", store)) == thread_sets(query_json("threads", "--data", story_trig))


def test_an_edited_article_stored_without_linking_is_relinked_and_a_lost_index_rebuilt(story_trig, tmp_path):
    store = tmp_path / "kb"
    run_kg("ingest", STORY, "--store", store, check=True)
    mayor = {r["claim"] for r in query_json("threads", "--store", store) if "reopen" in r["claimText"]}
    edited = tmp_path / "edited"  # a1 again, same file name and URL (the same document), its statement changed
    edited.mkdir()
    for name in ("a1_harbour.txt", "a1_harbour.meta.json"):
        shutil.copy(STORY / name, edited / name)
    text = (edited / "a1_harbour.txt").read_text(encoding="utf-8")
    (edited / "a1_harbour.txt").write_text(text.replace("the harbour would reopen within two weeks once the cranes "
                                                        "are inspected", "the stadium would close for the summer"),
                                           encoding="utf-8")
    run_kg("ingest", edited / "a1_harbour.txt", "--store", store, "--no-threads", check=True)
    run_kg("ingest", STORY / "a2_coastal.txt", "--store", store, check=True)  # reconciles the edited article
    rows = query_json("threads", "--store", store)
    assert not any("stadium" in r["claimText"] for r in rows)
    mayor_now = next(members for members in rows_by_thread(rows).values()
                     if any(r["documentId"] == "a2_coastal" and "reopen" in r["claimText"] for r in members))
    assert {r["documentId"] for r in mayor_now} == {"a2_coastal", "a4_blog"}  # a1 no longer says it
    (store / "claimgraph-threads.sqlite").unlink()
    run_kg("ingest", STORY / "a4_blog.txt", "--store", store, check=True)  # rebuilds the threads from the store
    again = query_json("threads", "--store", store)
    assert sorted(map(str, again)) == sorted(map(str, rows))
    inthread = query_json("PREFIX ckg: <https://w3id.org/claimkg#> SELECT ?c (COUNT(?t) AS ?n) "
                          "WHERE { ?c ckg:inThread ?t } GROUP BY ?c HAVING (COUNT(?t) > 1)", "--store", store)
    assert inthread == []  # no stale thread graph left beside the rebuilt ones
    assert mayor


def test_threads_are_the_same_under_another_hash_seed(story_trig, tmp_path):
    out = tmp_path / "seeded.trig"
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    subprocess.run([os.sys.executable, "-m", "kg", "extract", *map(str, ARTICLES), "-o", str(out)], cwd=ROOT,
                   env=env, check=True, capture_output=True)
    assert out.read_bytes() == story_trig.read_bytes()


# ------------------------------------------------------------------ remote servers

@pytest.fixture(scope="module")
def story_store(tmp_path_factory) -> Path:
    store = tmp_path_factory.mktemp("story-store") / "kb"
    run_kg("ingest", STORY, "--store", store, check=True)
    return store


@pytest.fixture(scope="module", params=["oxigraph", "virtuoso"])
def thread_server(request, tmp_path_factory):
    from servers import sparql_server

    with sparql_server(request.param, tmp_path_factory.mktemp(request.param)) as url:
        yield url


@pytest.mark.server
@pytest.mark.parametrize("name", ["threads", "first-said"])
def test_thread_queries_give_the_same_rows_on_a_server(thread_server, story_store, name):
    run_kg("push", "--store", story_store, "--endpoint", thread_server, check=True)
    local = query_json(name, "--store", story_store)
    assert local
    assert query_json(name, "--endpoint", thread_server) == local


def test_a_denial_in_another_article_reaches_a_claim_no_thread_holds(tmp_path):
    """The leak is reported by one article only (no thread); the operator's denial in another article still
    disputes it, in the store as from kg extract, and ingesting the articles again changes nothing."""
    (tmp_path / "b1.txt").write_text("Plant Leak Reported\n\nThe Halden plant leaked chemicals into the Orva river "
                                     "last week, inspector Mara Voss said on Monday.\n", encoding="utf-8")
    (tmp_path / "b1.meta.json").write_text('{"publisher": "Valley Post", "date": "2025-05-05"}', encoding="utf-8")
    (tmp_path / "b2.txt").write_text("Plant Operator Responds\n\nThe Halden company denied that the plant leaked "
                                     "chemicals into the Orva river last week.\n", encoding="utf-8")
    (tmp_path / "b2.meta.json").write_text('{"publisher": "River Times", "date": "2025-05-06"}', encoding="utf-8")
    disputes = ("PREFIX ckg: <https://w3id.org/claimkg#> PREFIX schema: <http://schema.org/> PREFIX prov: "
                "<http://www.w3.org/ns/prov#> SELECT ?who ?text WHERE { ?d ckg:disputes ?c . ?c schema:text ?text . "
                "?d prov:wasAttributedTo/schema:name ?who }")
    run_kg("extract", tmp_path / "b1.txt", tmp_path / "b2.txt", "-o", tmp_path / "both.trig", check=True)
    expected = [{"who": "Halden company", "text": "The Halden plant leaked chemicals into the Orva river last week"}]
    assert query_json(disputes, "--data", tmp_path / "both.trig") == expected
    store = tmp_path / "kb"
    for name in ("b2.txt", "b1.txt"):  # the denial first: the claim it disputes arrives later
        run_kg("ingest", tmp_path / name, "--store", store, check=True)
    assert query_json(disputes, "--store", store) == expected
    before = sorted_export(store, tmp_path, "before")
    run_kg("ingest", tmp_path / "b1.txt", tmp_path / "b2.txt", "--store", store, check=True)
    assert sorted_export(store, tmp_path, "after") == before


def test_forgetting_articles_shrinks_and_then_drops_their_threads():
    from kg.threads import Linker, ThreadIndex

    text = "the harbour will reopen within two weeks once the cranes are inspected"
    claims = [claim(f"c{i}", text, article=f"doc/{i}", published=f"2025-01-0{i + 1}") for i in range(3)]
    denial = claim("d", text, source="org/port", kind="Organization", name="Port", article="doc/d", denies=True,
                   published="2025-01-09")
    linker = Linker(ThreadIndex())
    first = linker.update({c.article: (c.article, [c]) for c in [*claims, denial]})
    (thread,) = first.threads
    assert [m.iri for m in thread.members] == ["c0", "c1", "c2"] and thread.disputers == ("d",)
    smaller = linker.update({}, removed=("doc/2",))
    assert [m.iri for m in smaller.threads[0].members] == ["c0", "c1"] and thread.iri in smaller.dropped
    alone = linker.update({}, removed=("doc/1",))
    assert alone.threads == [] and alone.disputes == {"c0": ("d",)}  # one article left: the denial reaches the claim
    linker.update({}, removed=("doc/d",))
    undisputed = linker.update({denial.article: (denial.article, [denial])})  # the denial back, then gone again
    assert undisputed.disputes == {"c0": ("d",)}
    retracted = linker.update({}, removed=("doc/d",))
    assert retracted.disputes == {} and "c0" in retracted.undisputed  # the claim's dispute graph is dropped
    gone = linker.update({}, removed=("doc/0",))
    assert gone.threads == [] and gone.disputes == {}
    assert list(linker.index.threads()) == []


def test_a_verdict_in_one_article_disputes_the_claim_of_another_and_a_rejected_person_disputes_nothing(tmp_path):
    """Four articles through kg extract: an inspector calling the mayor untruthful about what she said disputes
    her claim; voters rejecting a council member (a person, no statement) dispute nothing said about her."""
    articles = {
        "c1": ("Mayor Defends River", "Mayor Ana Ruiz said on Monday that there was no toxic waste in the Orva river "
                                      "near the Halden plant.", "Valley Post", "2025-05-05"),
        "c2": ("Inspector Contradicts Mayor", "Inspector Tom Berg said on Tuesday that Ruiz was not truthful about the "
                                              "toxic waste his team found in the Orva river near the Halden plant.",
               "River Times", "2025-05-06"),
        "c3": ("Socialist Leads", "The council member Lena Ortiz is a self-described green socialist from Marrow, her "
                                  "aides said.", "Valley Post", "2025-05-05"),
        "c4": ("Voters Turn Away", "Marrow voters rejected the self-described green socialist from Marrow, the poll "
                                   "found.", "River Times", "2025-05-07"),
    }
    for name, (title, body, publisher, date) in articles.items():
        (tmp_path / f"{name}.txt").write_text(f"{title}\n\n{body}\n", encoding="utf-8")
        (tmp_path / f"{name}.meta.json").write_text(f'{{"publisher": "{publisher}", "date": "{date}"}}',
                                                    encoding="utf-8")
    run_kg("extract", *sorted(tmp_path.glob("c*.txt")), "-o", tmp_path / "all.trig", check=True)
    disputes = ("PREFIX ckg: <https://w3id.org/claimkg#> PREFIX schema: <http://schema.org/> PREFIX prov: "
                "<http://www.w3.org/ns/prov#> SELECT ?who ?text WHERE { ?d ckg:disputes ?c . "
                "?d prov:wasAttributedTo/schema:name ?who OPTIONAL { ?c schema:text ?text } }")  # ?c: a claim or thread
    assert query_json(disputes, "--data", tmp_path / "all.trig") == [
        {"who": "Tom Berg", "text": "there was no toxic waste in the Orva river near the Halden plant"}]


def placed(iri: str, text: str, start: int, article: str = "doc/a", **kwargs) -> ThreadClaim:
    """A claim at ``start`` in its article (the anaphor rule reads where claims stand)."""
    return replace(claim(iri, text, article=article, **kwargs), start=start, end=start + len(text))


def test_an_anaphor_called_wrong_or_denied_disputes_the_nearest_statement_of_another_speaker_before_it():
    from kg.threads.disputes import anaphoric_disputes

    berg = dict(source="person/tom-berg", name="Tom Berg")
    ruiz = placed("c1", "the Halden plant never dumped toxic waste into the Orva river", 0)
    earlier = placed("c0", "the council met on Monday", -200, source="person/lund", name="Lund")
    verdict = placed("c2", "those statements were false", 80, **berg)
    own = placed("c3", "the samples were taken in March", 120, **berg)  # the inspector's own words come between
    again = placed("c4", "his remarks were simply wrong", 160, **berg)
    denied = placed("c5", "the allegations", 200, source="org/halden", kind="Organization", name="Halden",
                    denies=True)
    assert anaphoric_disputes([verdict, ruiz, earlier]) == [("c2", "c1")]
    # a speaker does not call his own words wrong: the walk back passes them
    assert ("c4", "c1") in anaphoric_disputes([ruiz, verdict, own, again])
    # a denial whose content is nothing but the anaphor ("denied the allegations") disputes what came before it
    assert ("c5", "c4") in anaphoric_disputes([ruiz, verdict, own, again, denied])
    # no verdict, a denial of more than the anaphor, or nothing close enough before it: no dispute
    studied = placed("c6", "those statements would be studied by the council", 80, **berg)
    about = placed("c7", "the allegations about the budget", 80, source="org/halden", kind="Organization",
                   name="Halden", denies=True)
    far = placed("c8", "those statements were false", 80 + 60 + ANTECEDENT_REACH, **berg)
    for lone in (studied, about, far):
        assert anaphoric_disputes([ruiz, lone]) == []
    # in another document (a reader comment under the article) the article's claims are not its antecedents
    comment = replace(placed("c9", "those statements were false", 80, **berg), document="doc/a#comment-1")
    assert anaphoric_disputes([ruiz, comment]) == []


def test_a_verdict_on_an_anaphor_disputes_the_thread_of_the_statement_it_refers_to(tmp_path):
    """Through kg extract: the second article reports the mayor's statement and then an inspector calling
    "those statements" false; the verdict shares no word with the statement, and disputes its thread."""
    articles = {
        "a1": ("Mayor Defends River", "Mayor Ana Ruiz said on Monday that the Halden plant never dumped toxic waste "
                                      "into the Orva river.", "Valley Post", "2025-05-05"),
        "a2": ("Inspector Rebuts Mayor", "The Halden plant never dumped toxic waste into the Orva river, Mayor Ana "
                                         "Ruiz told the council on Monday. Inspector Tom Berg said on Tuesday that "
                                         "those statements were false.", "River Times", "2025-05-06"),
        "a3": ("Council Meets", "The council will meet on Friday, clerk Ida Lund said. Councillor Per Holm said "
                                "those statements would be studied.", "River Times", "2025-05-06"),
    }
    for name, (title, body, publisher, date) in articles.items():
        (tmp_path / f"{name}.txt").write_text(f"{title}\n\n{body}\n", encoding="utf-8")
        (tmp_path / f"{name}.meta.json").write_text(f'{{"publisher": "{publisher}", "date": "{date}"}}',
                                                    encoding="utf-8")
    run_kg("extract", *sorted(tmp_path.glob("a*.txt")), "-o", tmp_path / "all.trig", check=True)
    disputes = ("PREFIX ckg: <https://w3id.org/claimkg#> PREFIX prov: <http://www.w3.org/ns/prov#> "
                "PREFIX schema: <http://schema.org/> SELECT ?who ?text WHERE { ?d ckg:disputes ?t . "
                "?t a ckg:ClaimThread . ?d prov:wasAttributedTo/schema:name ?who ; schema:text ?text }")
    assert query_json(disputes, "--data", tmp_path / "all.trig") == [
        {"who": "Tom Berg", "text": "those statements were false"}]


def test_the_anaphor_rule_reads_a_long_article_of_anaphors_in_one_pass():
    """20,000 claims of one speaker, each calling "those statements" false: every walk back stops at the reach,
    so the article is read once, not once for each claim before every anaphor (and one speaker does not call
    his own statements false)."""
    from kg.threads.disputes import anaphoric_disputes

    text = "those statements were false"
    claims = [placed(f"c{i}", text, i * (len(text) + 2), source="person/tom-berg", name="Tom Berg")
              for i in range(20_000)]
    assert anaphoric_disputes(claims) == []
    hostile = claim("h", "those " + " " * 200_000 + "statements" + " were" * 50_000)
    before = placed("r", "the plant leaked chemicals", -40, source="person/lund", name="Lund")
    assert anaphoric_disputes([before, replace(hostile, start=0)]) == []  # no verdict after the anaphor


def test_a_negated_verb_of_believing_denies_its_whole_sentence_so_two_denials_are_parallel():
    """ "I don't believe for a minute, whatever ..., that X": the negation reaches past the commas to X, so two
    speakers denying X are parallel claims (no dispute), and a speaker stating X is disputed."""
    disbelief = claim("c1", "I don't believe for a minute, whatever the papers say, that the council sold the "
                            "harbour land to the Halden company", published="2025-01-02")
    never = claim("c2", "the council never sold the harbour land to the Halden company", source="person/lund",
                  name="Per Lund", published="2025-01-01")
    sold = claim("c3", "the council sold the harbour land to the Halden company", source="person/lund",
                 name="Per Lund", published="2025-01-01")
    assert related(disbelief, never) is None
    assert related(disbelief, sold) == (Relation.DISPUTES, "c1")
    # any other negator still stops at a clause break
    assert not {"sold", "harbour"} & features("the council did not meet, and sold the harbour land").negated
