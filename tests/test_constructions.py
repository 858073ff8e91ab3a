"""Each attribution construction, on texts written for these tests (not the seed), through the real pipeline."""
from __future__ import annotations

import pytest

from kg.model import AgentKind, CueType, QuoteType


def claims_by(extraction, name):
    agents = {a.key: a for a in extraction.agents}
    return [c for c in extraction.claims if agents[c.chain[0].source].name == name]


def agent_named(extraction, name):
    matches = [a for a in extraction.agents if a.name == name]
    assert matches, f"no agent {name!r} in {[a.name for a in extraction.agents]}"
    return matches[0]


def source_name(extraction, claim):
    return extraction.agent(claim.chain[0].source).name


def claims_cued(extraction, cue):
    """The claims whose own cue (the innermost link's) is ``cue``."""
    return [c for c in extraction.claims if c.chain[0].cue is not None and c.chain[0].cue.text == cue]


def the_attribution(extraction) -> tuple[str, str, str]:
    """The cue, source and content texts of the extraction's one claim."""
    (claim,) = extraction.claims
    return claim.chain[0].cue.text, claim.chain[0].source_span.text, claim.text


def find_claim(extraction, fragment):
    matches = [c for c in extraction.claims if fragment in c.text]
    assert matches, f"no claim containing {fragment!r} in {[c.text for c in extraction.claims]}"
    return matches[0]


def test_direct_quote_then_speaker(extract_text):
    x = extract_text("“We will rebuild the bridge before winter,” Mayor Ana Ruiz said on Tuesday.")
    claim = find_claim(x, "rebuild the bridge")
    assert source_name(x, claim) == "Ana Ruiz"
    assert claim.chain[0].quote_type == QuoteType.DIRECT
    assert claim.text.startswith("“") and claim.chain[0].cue.text == "said"


def test_speaker_colon_quote(extract_text):
    x = extract_text("The finance minister, Peter Okafor, said: “The budget is balanced for the first time.”")
    claim = find_claim(x, "budget is balanced")
    assert source_name(x, claim) == "Peter Okafor"


def test_multi_sentence_quote_and_continuation(extract_text):
    x = extract_text("“The river is rising. We have moved the families out,” said Lena Park, a fire chief.\n\n"
                     "“Nobody has been hurt so far, and we intend to keep it that way.”")
    first = find_claim(x, "river is rising")
    assert "moved the families" in first.text and source_name(x, first) == "Lena Park"
    continued = find_claim(x, "Nobody has been hurt")
    assert source_name(x, continued) == "Lena Park"


def test_a_quotation_continues_the_indirect_statement_of_the_paragraph_before(extract_text):
    # the quotation after Ana Ruiz's reported statement is hers, not the last quoted speaker's (Tomas Berg)
    x = extract_text("“We will watch the costs closely,” said Tomas Berg, the city treasurer.\n\n"
                     "Mayor Ana Ruiz said on Tuesday that the east pier would close for repairs next month.\n\n"
                     "“The pier has stood for ninety years, and it needs a new deck before the winter storms.”")
    assert source_name(x, find_claim(x, "costs closely")) == "Tomas Berg"
    assert source_name(x, find_claim(x, "ninety years")) == "Ana Ruiz"


def test_a_quotation_continues_the_quoted_speaker_not_her_relative_clause(extract_text):
    # in one paragraph the quoted statement goes on, not what the speaker's relative clause reports
    x = extract_text("“The river is rising fast,” said Lena Park, a fire chief who said that the families "
                     "had been moved.\n\n“Nobody has been hurt so far, and we intend to keep it that way.”")
    assert source_name(x, find_claim(x, "Nobody has been hurt")) == "Lena Park"


@pytest.mark.parametrize("text", ["The treasurer fought with the council over the budget.",
                                  "The council decided the pier would close in June."])
def test_a_weakly_scored_clause_or_prepositional_frame_is_no_claim(extract_text, text):
    # the trained model gives "fought ... [over the budget]" and "decided [the pier would close]" a little over
    # 0.2: a quarrel and a decision, not statements; such frames are right too rarely to be taken
    assert not extract_text(text).claims


@pytest.mark.parametrize("text,cue,source,content", [
    ("The mayor groused about the new toll on the harbour bridge.", "groused", "The mayor",
     "the new toll on the harbour bridge"),
    ("The union kvetched about the pay offer.", "kvetched", "The union", "the pay offer"),
])
def test_a_verb_in_neither_lexicon_with_a_likely_prepositional_frame(extract_text, text, cue, source, content):
    # no train article annotates these verbs, but the model reads "[complained-like verb] about X" from its
    # syntax and context vectors; with a preposition (not only a clause) it is trusted above 0.4
    x = extract_text(text, structured=False)
    assert the_attribution(x) == (cue, source, content)


@pytest.mark.parametrize("text", ["The mayor strolled across the new bridge on Monday.",
                                  # the model gives "dithered [over X]" about 0.3: above a listed verb's 0.25 for
                                  # a preposition, below the 0.4 a verb in neither lexicon needs
                                  "The council dithered over the new toll for months."])
def test_an_unlisted_verb_with_an_unlikely_prepositional_frame_is_no_claim(extract_text, text):
    assert not extract_text(text, structured=False).claims


@pytest.mark.parametrize("text,cue,source,content", [
    ("The mayor called for the pier to be closed.", "called for", "The mayor", "the pier to be closed"),
    ("The union called on the council to drop the toll.", "called on", "The union", "the council to drop the toll"),
    ("The harbour master apologized for the delay.", "apologized for", "The harbour master", "the delay"),
    ("The senator pointed to the new toll as the cause of the delays.", "pointed to", "The senator",
     "the new toll as the cause of the delays"),
])
def test_for_on_or_to_opening_the_content_belongs_to_the_cue(extract_text, text, cue, source, content):
    x = extract_text(text, structured=False)
    assert the_attribution(x) == (cue, source, content)


@pytest.mark.parametrize("verb,cue_type", [("said", CueType.ASSERT), ("added", CueType.ASSERT),
                                           ("claimed", CueType.ALLEGE), ("denied", CueType.DENY)])
def test_indirect_speech_verbs(extract_text, verb, cue_type):
    x = extract_text(f"Carlos Mendes {verb} that the factory had been closed for safety reasons.")
    claim = find_claim(x, "factory had been closed")
    assert source_name(x, claim) == "Carlos Mendes"
    assert claim.chain[0].cue.text == verb and claim.chain[0].cue_type == cue_type
    assert claim.chain[0].quote_type == QuoteType.INDIRECT
    assert not claim.text.startswith("that")


def test_told_outlet_is_next_link_of_the_chain(extract_text):
    x = extract_text("Omar Haddad, a spokesman of the Northern Alliance Party (NAP), told the NAP-affiliated "
                     "television channel Sawt al-Shamal that the talks had collapsed.")
    claim = find_claim(x, "talks had collapsed")
    assert source_name(x, claim) == "Omar Haddad"
    speaker, outlet, publisher = claim.chain
    assert x.agent(outlet.source).name == "Sawt al-Shamal"
    assert x.agent(outlet.source).kind == AgentKind.MEDIA_OUTLET
    assert speaker.recipient == outlet.source and publisher.source == x.publisher
    membership = x.memberships[0]
    assert x.agent(membership.member).name == "Omar Haddad" and membership.role == "spokesperson"
    party = x.agent(membership.organization)
    assert party.name == "Northern Alliance Party" and "NAP" in party.aliases
    assert any(a.agent == outlet.source and a.organization == party.key for a in x.affiliations)


@pytest.mark.parametrize("text", [
    "According to the health ministry, 40 people were treated for smoke inhalation.",
    "Forty people were treated for smoke inhalation, according to the health ministry.",
])
def test_according_to_either_side(extract_text, text):
    x = extract_text(text)
    claim = find_claim(x, "treated for smoke inhalation")
    assert claim.chain[0].cue.text.lower() == "according to"
    assert claim.chain[0].cue_type == CueType.REPORT
    assert "according" not in claim.text.lower() and "ministry" not in claim.text


def test_according_to_closing_a_sentence_vouches_for_all_of_it(extract_text):
    # the parser hangs the phrase on the reported clause; the poll reports what the residents say
    x = extract_text("Most residents say they would pay more for local goods, according to a survey "
                     "released Monday by the chamber.")
    survey = next(c for c in x.claims if c.chain[0].cue.text == "according to")
    assert survey.text.startswith("Most residents say they would pay more")
    assert source_name(x, survey).lower().startswith("a survey")
    (residents,) = [c for c in x.claims if c.text == "they would pay more for local goods"]
    assert [x.agent(link.source).name for link in residents.chain][:2] == ["Most residents", source_name(x, survey)]


@pytest.mark.parametrize("text,cue,content", [
    ("The senator declined to say whether the bridge would reopen in May.", "declined to say",
     "whether the bridge would reopen in May"),
    ("The governor seems to feel the case will be settled by the voters.", "seems to feel",
     "the case will be settled by the voters"),
    ("The coach continued to insist that the referees had been bribed.", "continued to insist",
     "that the referees had been bribed"),
])
def test_a_cue_verb_complement_of_another_verb_is_one_cue(extract_text, text, cue, content):
    x = extract_text(text)
    (claim,) = x.claims
    assert claim.chain[0].cue.text == cue
    assert [text[s.start:s.end] for s in claim.content] == [content]
    assert source_name(x, claim).lower() == text.split()[1]


def test_a_complement_that_is_no_cue_stays_the_content(extract_text):
    x = extract_text("The mayor refused to answer questions about the bridge.")
    (claim,) = x.claims
    assert claim.chain[0].cue.text == "refused" and claim.text == "to answer questions about the bridge"


@pytest.mark.parametrize("text", ["It seems that the bridge will reopen in May.",
                                  "It appears that the council never voted on the plan."])
def test_a_placeholder_it_is_no_speaker(extract_text, text):
    x = extract_text(text)
    (claim,) = x.claims
    assert claim.chain[0].source_span is None
    assert x.agent(claim.chain[0].source).kind == AgentKind.UNNAMED_SOURCE


def test_belief_and_estimate_verbs_with_unnamed_groups(extract_text):
    x = extract_text("Economists estimate that inflation will peak in March. Some residents fear that the "
                     "water is unsafe.")
    estimate = find_claim(x, "inflation will peak")
    assert source_name(x, estimate) == "Economists" and estimate.chain[0].cue_type == CueType.BELIEVE
    assert x.agent(estimate.chain[0].source).kind == AgentKind.UNNAMED_GROUP
    fear = find_claim(x, "water is unsafe")
    assert x.agent(fear.chain[0].source).kind == AgentKind.UNNAMED_GROUP


def test_unnamed_single_source(extract_text):
    x = extract_text("A spokesman for the airline said that all flights would resume on Friday.")
    claim = find_claim(x, "flights would resume")
    assert x.agent(claim.chain[0].source).kind == AgentKind.UNNAMED_SOURCE


def test_unnamed_sources_are_scoped_to_their_document(extract_text):
    first = extract_text("Diplomatic sources said that the summit was postponed.")
    second = extract_text("Diplomatic sources said that the border was reopened.")
    key = lambda x: find_claim(x, "was").chain[0].source
    assert key(first) != key(second)


def test_surname_role_noun_and_pronoun_resolve_to_one_person(extract_text):
    x = extract_text(
        "Maria Kowalski, the chief economist of the Baltic Trade Bank, said that exports fell sharply.\n\n"
        "Kowalski said that imports were stable. The chief economist added that the currency would "
        "weaken. She also said that rates would stay high.")
    people = {source_name(x, c) for c in x.claims}
    assert people == {"Maria Kowalski"}
    assert len(x.claims) == 4


def test_named_people_are_one_node_across_documents(extract_text):
    from kg.rdf import agent_iri

    first = extract_text("Maria Kowalski said that exports fell.")
    second = extract_text("Economist Maria Kowalski said on Monday that imports rose.")
    assert agent_iri(find_claim(first, "exports").chain[0].source) == \
        agent_iri(find_claim(second, "imports").chain[0].source)


def test_misspelt_organization_variant_is_one_organization(extract_text):
    text = ("Kurdistan Worker Party Says It Shot Down A Drone\n\n"
            "The Kurdistan Workers’ Party (PKK) said on Monday that its fighters had shot down a drone. "
            "The PKK added that nobody was hurt.")
    x = extract_text(text)
    organizations = [a for a in x.agents if a.kind == AgentKind.ORGANIZATION]
    assert len(organizations) == 1, organizations
    names = {organizations[0].name, *organizations[0].aliases}
    assert {"Kurdistan Workers’ Party", "PKK", "Kurdistan Worker Party"} <= names
    assert all(source_name(x, c) == "Kurdistan Workers’ Party" for c in x.claims)


def test_headline_claim(extract_text):
    x = extract_text("Port Authority Denies It Closed The Harbour\n\nShips were turned away on Sunday.")
    claim = find_claim(x, "Closed The Harbour")
    assert source_name(x, claim) == "Port Authority" and claim.chain[0].cue_type == CueType.DENY


def test_hedge_is_recorded(extract_text):
    x = extract_text("According to the police, the suspect allegedly stole three cars.")
    claim = find_claim(x, "stole three cars")
    assert [h.text for link in claim.chain for h in link.hedges] == ["allegedly"]


def test_comments_are_claims_by_commenters_and_contain_attributions(extract_text):
    text = ("Council Approves New Park\n\nThe council said that the park will open in May.\n\n"
            "  • river_fan\n\n    Great news, finally!\n\n"
            "  • Sam Ortiz\n\n    The developers claim they will plant 500 trees. I doubt it.\n")
    x = extract_text(text, publisher="Hilltown Gazette")
    commenters = {a.name for a in x.agents if a.kind == AgentKind.COMMENTER}
    assert commenters == {"river_fan", "Sam Ortiz"}
    inner = find_claim(x, "plant 500 trees")
    assert inner.chain[0].cue.text == "claim"
    assert x.agent(inner.chain[-1].source).name == "Sam Ortiz"
    whole = [c for c in x.claims if c.chain[0].source.startswith("commenter:")]
    assert len(whole) == 2
    assert all(x.agent(a).scope == "hilltown-gazette" for a in (c.chain[0].source for c in whole))


def test_publisher_given_and_unknown(extract_text):
    known = extract_text("Anna Berg said that the road is closed.", publisher="Valley News")
    assert known.agent(known.publisher).name == "Valley News"
    unknown = extract_text("Anna Berg said that the road is closed.")
    publisher = unknown.agent(unknown.publisher)
    assert publisher.kind == AgentKind.MEDIA_OUTLET and "Unknown publisher" in publisher.name


def test_cue_word_inside_a_quote_is_not_a_new_attribution(extract_text):
    x = extract_text("“They said that we would lose, but we won,” coach Dana White said.")
    assert len(x.claims) == 1 and source_name(x, x.claims[0]) == "Dana White"


def test_stray_quote_mark_does_not_swallow_the_article(extract_text):
    x = extract_text("He called it a “disaster.\n\nJohn Reyes said that the vote will be held on Friday.\n\n"
                     "“We are ready,” Reyes said.")
    assert source_name(x, find_claim(x, "vote will be held")) == "John Reyes"
    assert source_name(x, find_claim(x, "We are ready")) == "John Reyes"


def test_straight_quotes_and_non_breaking_spaces(extract_text):
    x = extract_text('"We are ready for the storm," the governor,\u00a0Maria\u00a0Santos, said\u00a0on Monday.')
    claim = find_claim(x, "ready for the storm")
    assert claim.content[0].text.startswith('"') and claim.chain[0].quote_type == QuoteType.DIRECT


def test_offsets_index_the_original_text(extract_text):
    text = "Headline Here\n\n\u00a0 Jane Roe said that the dam “is safe,” officials added.\n\n  • reader\n\n    Nope."
    x = extract_text(text)
    for claim in x.claims:
        for span in claim.content:
            assert text[span.start:span.end] == span.text
        for link in claim.chain:
            for span in (link.cue, link.source_span):
                if span is not None:
                    assert text[span.start:span.end] == span.text


def test_learned_cues_beyond_the_hand_lexicon(extract_text):
    """Cue verbs the trained model learned from PolNeAR's train split (not in kg/data/cues.tsv)."""
    from kg.extract.lexicon import load

    assert "endorse" not in load().verbs
    x = extract_text("The teachers union endorsed Maria Lopez for mayor on Friday.")
    claim = find_claim(x, "Maria Lopez")
    assert claim.chain[0].cue.text == "endorsed" and "union" in source_name(x, claim).lower()


def test_ordinary_verbs_are_not_cues(extract_text):
    x = extract_text("The senator had lunch with the governor. They walked to the station together.")
    assert x.claims == ()


def test_colon_ending_a_paragraph_introduces_the_next_quotation(extract_text):
    x = extract_text("Asked about the strike, the union leader Tom Baker continued:\n\n"
                     "“We will stay out until the contract is signed. Not one day less.”\n\n"
                     "Mary Chen, the plant manager, said that talks would resume.\n\n"
                     "“We are open to a fair deal for everyone,” Chen added.")
    claim = find_claim(x, "stay out until the contract")
    assert source_name(x, claim) == "Tom Baker" and claim.chain[0].cue.text == "continued"
    assert source_name(x, find_claim(x, "open to a fair deal")) == "Mary Chen"


def test_hearsay_of_hearsay_nests_the_chain(extract_text):
    x = extract_text("Senator Paul Grant said that aides to the governor claimed the audit was rigged.",
                     publisher="Capitol Wire")
    inner = next(c for c in x.claims if c.text.startswith("the audit"))
    names = [x.agent(link.source).name for link in inner.chain]
    assert names[0].lower().startswith("aides") and names[1:] == ["Paul Grant", "Capitol Wire"]
    outer = find_claim(x, "aides to the governor claimed")
    assert [x.agent(link.source).name for link in outer.chain] == ["Paul Grant", "Capitol Wire"]



@pytest.mark.parametrize("text,inner_source", [
    ("The mayor said critics described the plan as reckless.", "Critics"),
    ("The mayor said residents blamed the council for the delays.", "Residents"),
    ("Grant said he was told by aides that the audit was rigged.", "Aides"),
])
def test_listed_cues_inside_reported_words_are_relayed_reports(extract_text, text, inner_source):
    x = extract_text(text)
    chains = [[x.agent(link.source).name for link in claim.chain][:-1] for claim in x.claims]
    assert [inner_source, chains[0][0]] in chains


@pytest.mark.parametrize("text", [
    # the same speaker's stance is part of that speaker's claim: no chain in which X relays X
    "Senator Paul Grant said he believes the audit was rigged.",
    # weak cue words inside reported words are what was said, not who said it
    "The mayor said he would welcome advice from anyone who wants to talk to him about the bridge.",
    "The mayor said the report highlights the danger the bridge poses to commuters.",
])
def test_inner_stance_and_weak_cues_fold_into_the_outer_claim(extract_text, text):
    x = extract_text(text)
    assert len(x.claims) == 1
    assert x.claims[0].text.startswith(("he ", "the report"))

@pytest.mark.parametrize("structured", [True, False])
def test_source_colon_claim_line(extract_text, structured):
    # a headline (structured layout) or a one-line paragraph (plain text) naming its source before a colon
    x = extract_text("Mayor Ana Ruiz: Bridge Will Reopen Before Winter\n\n"
                     "The city council met on Monday to discuss the repairs.", structured=structured)
    claim = find_claim(x, "Bridge Will Reopen")
    assert source_name(x, claim) == "Ana Ruiz" and claim.chain[0].cue.text == ":"
    assert "Mayor" not in claim.text


@pytest.mark.parametrize("line,source", [
    ("Harbour Watch: Port Authority Hid Key Safety Report For Years", "Harbour Watch"),  # "watch" is also a label
    ("KATE MORAN: Why not repair the bridge before the winter?", "KATE MORAN"),  # a transcript's speaker label
    ("A: I came home from school and the house was empty.", "A"),  # an interview's answer
])
def test_source_colon_lines_the_label_words_do_not_stop(extract_text, line, source):
    x = extract_text(line + "\n\nThe city council met on Monday.", structured=False)
    (claim,) = claims_cued(x, ":")
    assert claim.chain[0].source_span.text == source


def test_a_topic_heading_a_paragraph_is_not_its_source(extract_text):
    x = extract_text("Voter turnout: Mayor Ana Ruiz said closed primaries keep young voters away. On Tuesday her "
                     "deputy, Tom Berg, called for open primaries.", structured=False)
    assert not claims_cued(x, ":")
    assert source_name(x, find_claim(x, "closed primaries keep")) == "Ana Ruiz"


@pytest.mark.parametrize("line", ["Update: The council met again on Monday to discuss repairs.",
                                  "Breaking news: The council met again on Monday to discuss repairs.",
                                  "Video transcript: The council met again on Monday to discuss repairs.",
                                  "12:45 p.m.: The council met again on Monday to discuss repairs.",
                                  "Still to come: results from the northern districts tonight.",
                                  "But beware, voters: the repairs may take longer than promised.",
                                  "The Latest: Storm closes the harbour for a second day.",
                                  "At issue: a proposal that would close the harbour at night.",
                                  "Wow: The mayor answered her critics with one short line.",
                                  "The mayor is back: Ana Ruiz returns to the harbour campaign."])
def test_label_colon_lines_are_not_sources(extract_text, line):
    x = extract_text(line + "\n\nThe city council met on Monday.", structured=False)
    assert not claims_cued(x, ":")


def test_possessed_cue_noun_with_its_object(extract_text):
    x = extract_text("Senator Maria Lopez said the town hall was full. "
                     "Her criticism of the new tax plan angered the mayor. "
                     "Governor Tom Reyes defended his decision to close the port.")
    # the subject of "angered" cannot be both what is said and who says it
    assert not claims_cued(x, "angered")
    criticism = claims_cued(x, "criticism of")
    assert len(criticism) == 1 and criticism[0].text == "the new tax plan"
    assert source_name(x, criticism[0]) == "Maria Lopez"
    decision = find_claim(x, "to close the port")
    assert source_name(x, decision) == "Tom Reyes"


def test_cue_noun_without_a_possessor_is_not_an_attribution(extract_text):
    x = extract_text("The debate on the tax plan lasted four hours. The criticism of the plan grew louder.")
    assert not [c for c in x.claims if c.chain[0].cue is not None and c.chain[0].cue.text.startswith(("debate",
                                                                                                     "criticism"))]


def test_quotation_of_a_coordinated_verb_is_not_the_first_verbs_content(extract_text):
    x = extract_text("Nadia Brooks praised the new budget and said the city can “finally fix its roads” this year.")
    praised = claims_cued(x, "praised")
    assert [c.text for c in praised] == ["the new budget"]
    said = find_claim(x, "finally fix its roads")
    assert said.chain[0].cue.text == "said" and source_name(x, said) == "Nadia Brooks"


def test_unlisted_verb_with_a_that_clause_is_judged_by_the_model(extract_text):
    from kg.extract.lexicon import load

    lexicon = load()
    assert "theorize" not in lexicon.verb_lemmas and "groom" not in lexicon.verb_lemmas  # neither lexicon
    x = extract_text("Senator Maria Gomez theorized that the reform would save thousands of lives. "
                     "Her staff groomed the horses before the parade.")
    claim = find_claim(x, "reform would save")
    assert source_name(x, claim) == "Maria Gomez" and claim.chain[0].cue.text == "theorized"
    assert not [c for c in x.claims if "horses" in c.text]


@pytest.mark.parametrize("dateline", ["PORTO ALEGRE (Reuters) – ", "Lisbon (AFP) – ", "KIEV, Ukraine, May 3 (UPI) — "])
def test_dateline_is_neither_content_nor_source(extract_text, dateline):
    x = extract_text(dateline + "Port director Lucia Moreira said on Friday that the harbour would reopen.",
                     structured=False)
    claim = find_claim(x, "harbour would reopen")
    assert source_name(x, claim) == "Lucia Moreira"
    assert claim.chain[0].source_span.start >= len(dateline)
    assert all(span.start >= len(dateline) for span in claim.content)


@pytest.mark.parametrize("text,content", [
    # the object the content is predicated of, and the preposition that joins them (kg/extract/extent.py)
    ("The governor described the new toll as a tax on commuters.", "the new toll as a tax on commuters"),
    ("Most voters see the senator as the stronger candidate.", "the senator as the stronger candidate"),
    ("The union asked members to reject the offer.", "members to reject the offer"),
    # but not the addressee, nor when it was said
    ("Mayor Ana Ruiz told reporters on Tuesday that the bridge would reopen in May.",
     "that the bridge would reopen in May"),
])
def test_content_extent_over_the_cue_verbs_dependents(extract_text, text, content):
    x = extract_text(text)
    assert len(x.claims) == 1
    (claim,) = x.claims
    assert [text[s.start:s.end] for s in claim.content] == [content]


@pytest.mark.parametrize("text,speaker", [
    ("On Monday in Porto, while touring the docks for her brother Mayor Rui Costa, former minister Ana Costa "
     "said the harbour would reopen in May.", "Ana Costa"),
    ("Tuesday in Lisbon, while on the campaign trail for her husband, the port authority chief Maria Lopes "
     "said the cranes were unsafe.", "Maria Lopes"),
])
def test_speaker_the_parser_left_without_its_verb(extract_text, text, speaker):
    # a long opening phrase makes the parser hang the name on it; the name right before "said" speaks
    x = extract_text(text)
    (claim,) = x.claims
    assert source_name(x, claim) == speaker


@pytest.mark.parametrize("text,content,speaker", [
    # a participle modifying its source
    ("Internal emails showing that the mayor knew about the cracks were released on Friday.",
     "the mayor knew about the cracks", "Internal emails"),
    # a gerund after a preposition shares the clause's subject
    ("After saying the bridge was safe, the mayor closed it for repairs.", "the bridge was safe", "Mayor"),
    # an infinitive after "likely", "eager", ... shares the subject of "were", "is"
    ("Older voters were more likely to say the economy mattered most.", "the economy mattered most", "Older voters"),
])
def test_cue_verbs_that_take_their_speaker_from_elsewhere(extract_text, text, content, speaker):
    x = extract_text(text)
    (claim,) = [c for c in x.claims if c.text == content]
    assert source_name(x, claim) == speaker


@pytest.mark.parametrize("text,quotation,speaker", [
    # the verb of a relative clause describing the speaker does not speak the quotation
    ("“Schools cannot run on promises,” said Irene Walsh, a teacher who wrote two books about the strike.",
     "Schools cannot run on promises", "Irene Walsh"),
    ("“We stay until the roof is fixed,” said Omar Haddad, who reported on the valley's farms for decades.",
     "We stay until the roof is fixed", "Omar Haddad"),
    # the parser ends the sentence at the question mark: the bare "X asked." takes the quotation before it
    ("“Who will pay for the new runway at the airport?” Daniel Brandt asked.",
     "Who will pay for the new runway", "Daniel Brandt"),
    # ... and with where and when it was said
    ("\"We need a new runway - and we need it NOW!\" Daniel Brandt said on Twitter on Monday.",
     "we need it NOW", "Daniel Brandt"),
    ("\"The harbour is open for business again!\" Daniel Brandt said as he cut the ribbon.",
     "open for business again", "Daniel Brandt"),
    # the parser ends the previous sentence after the opening mark: that sentence's verbs do not get it
    ("Mayor Peter Okafor predicted a recovery within a year and blamed the port strike. ''After the strike, all the "
     "orders slipped,'' he said.\n\nThe port reopened.", "all the orders slipped", "Peter Okafor"),
])
def test_quotation_goes_to_the_cue_beside_it(extract_text, text, quotation, speaker):
    x = extract_text(text)
    claim = find_claim(x, quotation)
    assert source_name(x, claim) == speaker
    assert claim.chain[0].cue.text in ("said", "asked") and claim.chain[0].quote_type == QuoteType.DIRECT


def test_subject_the_parser_joined_to_an_opening_phrase(extract_text):
    # the parser makes "office" a conjunct inside the opening phrase and leaves "announced" without a subject
    x = extract_text("After a week of talks between two of the country’s largest unions, Transport Minister "
                     "Ana Ruiz’s office announced Friday that the strike would end on Monday.")
    claim = find_claim(x, "the strike would end")
    assert claim.chain[0].source_span.text == "Transport Minister Ana Ruiz’s office"


def test_according_to_inside_a_quotation_is_the_quoted_speakers_source(extract_text):
    x = extract_text("“The bridge collapsed at noon, according to the police,” Mayor Ana Ruiz said.")
    mayor = find_claim(x, "according to the police")
    assert source_name(x, mayor) == "Ana Ruiz" and mayor.chain[0].cue.text == "said"
    (police,) = [c for c in x.claims if c.chain[0].cue.text == "according to"]
    assert police.text == "The bridge collapsed at noon"
    assert source_name(x, police) == "Police" and police.chain[0].source_span.text == "the police"
    assert x.agent(police.chain[1].source).name == "Ana Ruiz"  # the police's words reach us through the mayor


@pytest.mark.parametrize("text,speaker,content", [
    ("Mayor Ana Ruiz went on to say she’s “certain” that once the floods are over, “the two towns are going to "
     "rebuild together.”", "Ana Ruiz", "she’s “certain”"),
    ("The coach went on to say that the team had never played better.", "coach", "the team had never played better"),
])
def test_went_on_to_say_is_one_cue(extract_text, text, speaker, content):
    # the parser makes "to say" an adverbial clause of "went": one cue phrase, the content is what was said
    x = extract_text(text)
    (claim,) = x.claims
    assert claim.chain[0].cue.text == "went on to say" and speaker in claim.chain[0].source_span.text
    assert content in claim.text and "say" not in claim.text


@pytest.mark.parametrize("text,content,asked", [
    ("Asked whether he would close the bridge, Mayor Tom Berg said the engineers would decide.",
     "he would close the bridge", "Tom Berg"),
    ("When asked about the new budget, Finance Minister Lea Kovac said little.", "the new budget", "Lea Kovac"),
    # the tagger reads the participle as a past tense (VBD): with no subject, before the main clause, it is not
    ("Asked what the delay would cost, Tom Berg replied that the board had not decided.",
     "what the delay would cost", "Tom Berg"),
])
def test_asked_participle_has_no_speaker_and_names_whom_it_asked(extract_text, text, content, asked):
    # "Asked whether ..., X said": X is the one asked, the asker is not named
    x = extract_text(text)
    question = find_claim(x, content)
    assert question.chain[0].source_span is None and question.chain[0].cue.text.lower() == "asked"
    assert asked in x.agent(question.chain[0].recipient).name


def test_quotations_signed_with_a_dash(extract_text):
    x = extract_text(
        "Readers wrote to us about the harbour plan.\n\n"
        "“The new harbour will bring jobs back to the coast.” ― Maria Delgado\n"
        "“Nobody asked the fishermen what they need.”\u00a0― Tom Okoro\u00a0\n\n"
        "\"Every ferry will be electric by the end of the decade.\"\n\n"
        "- Senator Ilse Brandt, Rostock.\n\n"
        "<post author=\"@harbourwatch\">The harbour board met in secret again today. — Harbour Watch "
        "(@harbourwatch) May 4, 2024</post>")
    assert source_name(x, find_claim(x, "bring jobs back")) == "Maria Delgado"
    assert source_name(x, find_claim(x, "Nobody asked the fishermen")) == "Tom Okoro"
    ferry = find_claim(x, "Every ferry will be electric")
    assert ferry.chain[0].source_span.text == "Senator Ilse Brandt" and ferry.chain[0].cue.text == "-"
    post = find_claim(x, "harbour board met in secret")
    assert post.chain[0].source_span.text == "Harbour Watch (@harbourwatch)"
    assert "May 4" not in post.text and "—" not in post.text


@pytest.mark.parametrize("text", [
    "The mayor met one man on the pier — John Smith.",  # an aside between dashes, no quotation
    "The council voted on Monday.\n\n– Ready for the vote –",  # a section heading
    "The council voted on Monday.\n\n- Anna Berg.",  # a reporter's byline under a paragraph that quotes nobody
    'She said the port was "the best in the region."--Anna Berg.',  # a byline after an inline quotation
])
def test_dashes_that_sign_nothing(extract_text, text):
    x = extract_text(text)
    assert not [c for c in x.claims if c.chain[0].cue is not None and c.chain[0].cue.text in "-–—―"]


@pytest.mark.parametrize("text", ["The governor seemed to be nervous about the vote on Monday.",
                                  "The new stadium appears to be over budget."])
def test_seem_and_appear_are_the_writers_judgement(extract_text, text):
    # the corpus annotates "seem"/"appear" without a source: the subject is what is judged, not a speaker
    x = extract_text(text)
    (claim,) = x.claims
    assert claim.chain[0].source_span is None and claim.text.startswith("to be")


def test_interview_labels_are_sources_scoped_to_their_article(extract_text):
    x = extract_text("Q: What did you find when you came home?\n\nA: The house was empty and the door was open.")
    answer = find_claim(x, "The house was empty")
    agent = x.agent(answer.chain[0].source)
    assert agent.name == "A" and agent.kind == AgentKind.UNNAMED_SOURCE and agent.scope is not None


def test_two_apostrophe_quotations(extract_text):
    # newspaper archives write ''...'' for quotation marks: the cue after such a quotation is not inside it
    x = extract_text("''The bridge will reopen before the winter storms arrive,'' said Ana Ruiz, the mayor.\n\n"
                     "''We have hired two more crews,'' she added.")
    first = find_claim(x, "The bridge will reopen")
    assert source_name(x, first) == "Ana Ruiz" and first.chain[0].quote_type == QuoteType.DIRECT
    assert first.text.startswith("''") and first.text.endswith("''")
    second = find_claim(x, "two more crews")
    assert source_name(x, second) == "Ana Ruiz" and second.chain[0].cue.text == "added"


def test_name_with_a_long_apposition_after_a_quotation(extract_text):
    # the parser takes the quotation for the subject and hangs the name on it
    x = extract_text("“Very good engineer, very good engineer this woman,” Costa, the harbour's longest-serving "
                     "director and current favourite in the regional polls by a wide margin after winning the "
                     "spring primaries, said when Berg asked her a question.")
    claim = find_claim(x, "Very good engineer")
    assert claim.chain[0].cue.text == "said" and claim.chain[0].source_span.text.startswith("Costa, the harbour")


def test_a_quotation_is_not_given_to_a_verb_that_is_rarely_a_cue(extract_text):
    # away from the quotation, a verb rarely a cue does not take it; right beside it, any verb would
    x = extract_text("“The levy is a tax on the poor and the old,” the minister said as the crowd booed.")
    assert not claims_cued(x, "booed")
    assert find_claim(x, "tax on the poor").chain[0].cue.text == "said"


@pytest.mark.parametrize("text,cue,content,speaker", [
    ("Many farmers are worried that the new dam will dry out the valley.", "are worried",
     "the new dam will dry out the valley", "Many farmers"),
    ("The harbour union was sharply critical of the port authority's pension plan.", "was sharply critical of",
     "the port authority's pension plan", "The harbour union"),
    ("It is unclear whether the ferry will run on Sundays.", "is unclear", "the ferry will run on Sundays", None),
])
def test_attitude_adjectives(extract_text, text, cue, content, speaker):
    x = extract_text(text)
    (claim,) = x.claims
    link = claim.chain[0]
    assert link.cue.text == cue and claim.text == content and link.cue_type == CueType.BELIEVE
    assert (link.source_span.text if link.source_span else None) == speaker


def test_adjectives_that_are_no_attitude(extract_text):
    x = extract_text("The bridge was closed for repairs on Monday. The river is wide at this point.")
    assert not x.claims


def test_participle_opening_the_sentence_is_not_a_statement(extract_text):
    # the parser hangs the speaker on the opening participle's phrase; "Alarmed" says nothing
    x = extract_text("Alarmed by the flooding in the valley, Senator Harry Lund, the minority leader, said that he "
                     "spoke with the mayor on Tuesday and that the town faced a ''test of nerve'' over the dam.")
    (claim,) = x.claims
    assert claim.chain[0].cue.text == "said"
    assert claim.chain[0].source_span.text.startswith("Senator Harry Lund")


@pytest.mark.parametrize("text,first,second", [
    ("Among older voters, 64 percent said they will back the levy, while 30 percent said they might change "
     "their minds.", ("64 percent", "they will back the levy"), ("30 percent", "they might change their minds")),
    ("The mayor said the bridge will reopen in May, but engineers said repairs could take a year.",
     ("The mayor", "the bridge will reopen in May"), ("engineers", "repairs could take a year")),
])
def test_another_speakers_clause_is_not_part_of_the_content(extract_text, text, first, second):
    x = extract_text(text)
    got = {(c.chain[0].source_span.text, c.text) for c in x.claims}
    assert got == {first, second}
    assert all(len(c.chain) == 2 for c in x.claims)  # neither relays the other


@pytest.mark.parametrize("text,outer,inner", [
    ("The harbour master said the contract went to Ana Ruiz, who has said she wants the pier rebuilt.",
     "the contract went to Ana Ruiz", ("who", "she wants the pier rebuilt")),
    ("The mayor praised the dockers' union, which has complained about the new pier for years.",
     "the dockers' union", ("which", "the new pier")),
])
def test_a_nouns_own_statement_in_its_relative_clause_is_not_part_of_the_content(extract_text, text, outer,
                                                                                 inner):
    # "X said Y went to Ana Ruiz, who has said Z": Z is Ana Ruiz's statement, not part of what X said
    x = extract_text(text)
    got = {(c.chain[0].source_span.text, c.text) for c in x.claims}
    assert inner in got and any(content == outer for _, content in got)
    assert all(len(c.chain) == 2 for c in x.claims)  # neither relays the other


def test_a_relative_clause_with_its_own_speaker_or_a_belief_stays_in_the_content(extract_text):
    x = extract_text("The harbour master said the contract went to the ferry firm, which some have argued was "
                     "unfit, and to Ana Ruiz, who knew about the pier.")
    said = find_claim(x, "the contract went to the ferry firm")
    assert "which some have argued" in said.text and said.text.endswith("who knew about the pier")


@pytest.mark.parametrize("text,claims", [
    ("The mayor said the bridge would reopen, adding that the repairs cost more than planned.",
     {("said", "the bridge would reopen"), ("adding", "the repairs cost more than planned")}),
    ("The minister apologized the next day, saying the remark was “careless”.",
     {("saying", "the remark was “careless”")}),
])
def test_participle_statements_are_the_same_speakers_next_cue(extract_text, text, claims):
    # "X said A, adding B": one source, two cues; the participle is not part of A (nor relayed by it)
    x = extract_text(text)
    assert {(c.chain[0].cue.text, c.text) for c in x.claims} == claims
    assert len({c.chain[0].source for c in x.claims}) == 1 and all(len(c.chain) == 2 for c in x.claims)


@pytest.mark.parametrize("text,claims", [
    # the parser joins the second cue to the content's verb: a change of tense says it is the speaker's
    ("Lena Park, an analyst, noted that troop numbers already lag the target and asked whether the minister "
     "could reach it.",
     {("noted", "troop numbers already lag the target"), ("asked", "the minister could reach it")}),
    ("The governor said he will form a stable government and insisted that his party was still the strongest.",
     {("said", "he will form a stable government"), ("insisted", "his party was still the strongest")}),
])
def test_a_cue_joined_to_the_contents_verb_is_the_speakers_next_statement(extract_text, text, claims):
    x = extract_text(text, structured=False)
    assert {(c.chain[0].cue.text, c.text) for c in x.claims} == claims
    assert len({c.chain[0].source for c in x.claims}) == 1 and all(len(c.chain) == 2 for c in x.claims)


def test_a_conjunct_in_the_contents_tense_shares_the_contents_subject(extract_text):
    # "the candidate knew ... and thought ...": both are what the aide told about the candidate
    x = extract_text("The aide told reporters that the candidate knew all about the work and thought the criticism "
                     "was unfair.", structured=False)
    told = find_claim(x, "knew all about the work")
    assert told.chain[0].cue.text == "told" and told.text.endswith("thought the criticism was unfair")
    thought = next(c for c in x.claims if c.chain[0].cue.text == "thought")
    assert thought.chain[1:] == told.chain and source_name(x, thought) != source_name(x, told)


@pytest.mark.parametrize("text,cue,source,content", [
    ("The engineer's main claim is that the bridge was never inspected.", "claim is", "The engineer's",
     "the bridge was never inspected"),
    ("The vote came amid dire warnings from doctors about the virus.", "warnings", "doctors", "the virus"),
])
def test_cue_nouns_with_a_copula_clause_or_a_from_source(extract_text, text, cue, source, content):
    x = extract_text(text)
    assert the_attribution(x) == (cue, source, content)


@pytest.mark.parametrize("text,cue,source,content", [
    ("The harbour plan is facing criticism from many fishermen.", "criticism from", "many fishermen",
     "The harbour plan"),
    ("The new toll sparked criticism from lawmakers in both parties.", "criticism from", "lawmakers in both parties",
     "The new toll"),
    ("Ana Ruiz won the endorsement of the teachers union.", "endorsement of", "the teachers union", "Ana Ruiz"),
])
def test_a_cue_noun_the_subject_receives_from_someone(extract_text, text, cue, source, content):
    # the giver speaks of the subject: PolNeAR annotates the subject as the content of "criticism from X"
    x = extract_text(text, structured=False)
    assert the_attribution(x) == (cue, source, content)


def test_a_received_noun_needs_a_giver_and_a_verb_of_receiving(extract_text):
    # nobody is named as giving the criticism; "welcomed" receives nothing: the residents' stance on the support
    x = extract_text("The harbour plan is facing criticism. The residents welcomed the support of the union.",
                     structured=False)
    assert not [c for c in x.claims if c.chain[0].cue is not None and c.chain[0].cue.text.startswith(("criticism",
                                                                                                     "support"))]


@pytest.mark.parametrize("text,source_phrase", [
    # the parser makes "%" the head noun: it is part of the phrase, not a stray mark
    ("In the county, 42% say the new bridge is too expensive.", "42%"),
    # a comma after an aside opened by one belongs to the phrase; after a bare phrase it does not
    ("Ana Ruiz, the mayor of Porto, said the bridge would reopen in May.", "Ana Ruiz, the mayor of Porto,"),
    ("Officials involved in the talks, however, said the dam was too low.", "Officials involved in the talks"),
    # ... and so does a dash after an aside opened by a dash, or a comma after any aside opened by a comma
    ("Farmers — and some of the engineers — say the dam was too low.", "Farmers — and some of the engineers —"),
    ("Newspapers across the region, including the Gazette, said the dam was too low.",
     "Newspapers across the region, including the Gazette,"),
    # an aside saying what the speaker was doing is not part of who speaks; an apposition before it is
    ("Ana Ruiz, the mayor of Porto, speaking to reporters on Monday, said the dam was too low.",
     "Ana Ruiz, the mayor of Porto,"),
    ("Lena Park, in a statement released by her office, said the dam was too low.", "Lena Park"),
    # ... unless the phrase goes on past it
    ("Mr. Costa, then at the ministry, and Ms. Brandt, at the utility, said the dam was too low.",
     "Mr. Costa, then at the ministry, and Ms. Brandt, at the utility,"),
    # a focus adverb is the writer's
    ("Even the engineers who built it say the dam was too low.", "the engineers who built it"),
    ("Only 7 percent say the dam was too low.", "7 percent"),
])
def test_source_phrase_edges(extract_text, text, source_phrase):
    x = extract_text(text, structured=False)
    said = [c for c in x.claims if c.chain[0].cue and c.chain[0].cue.text in ("say", "said")]
    assert said, [c.chain[0].cue for c in x.claims]
    assert said[0].chain[0].source_span.text == source_phrase


@pytest.mark.parametrize("text,cue,content", [
    ("Residents expressed concern about the noise from the new plant.", "expressed concern about",
     "the noise from the new plant"),
    ("The council voiced strong criticism of the harbour plan on Monday.", "voiced strong criticism of",
     "the harbour plan"),
])
def test_an_object_noun_that_is_part_of_the_cue(extract_text, text, cue, content):
    # which object nouns join the cue is learned from the train split (kind "light" in cues_learned.tsv)
    x = extract_text(text, structured=False)
    (claim,) = x.claims
    assert claim.chain[0].cue.text == cue and claim.text == content


@pytest.mark.parametrize("text,cue,source,content", [
    ("The fishermen have serious doubts about the new quotas.", "have serious doubts about", "The fishermen",
     "the new quotas"),
    ("The union has a low opinion of the harbour plan.", "has a low opinion of", "The union", "the harbour plan"),
])
def test_a_cue_object_noun_makes_any_verb_a_cue(extract_text, text, cue, source, content):
    # "have" is no cue, but with an object noun train annotates as part of the cue it says what its subject thinks
    # (not with every such noun: "refused to answer questions about the bridge" keeps its complement)
    x = extract_text(text, structured=False)
    assert the_attribution(x) == (cue, source, content)


def test_an_ordinary_object_is_the_content(extract_text):
    x = extract_text("The council criticized the harbour plan of the mayor.", structured=False)
    (claim,) = x.claims
    assert claim.chain[0].cue.text == "criticized" and claim.text == "the harbour plan of the mayor"


def test_a_line_break_ends_the_sentence(extract_text, nlp):
    # a live-blog label or a headline on the line above is not part of the statement below it
    text = "10:35 PM Mayor Says Bridge Will Reopen Before Winter\nAna Ruiz said the bridge would reopen in May."
    assert [t.text for t in nlp(text) if t.is_sent_start][-1] == "Ana"
    x = extract_text(text, structured=False)
    claim = find_claim(x, "would reopen in May")
    assert claim.chain[0].cue.text == "said" and claim.text == "the bridge would reopen in May"
    assert claim.chain[0].source_span.text == "Ana Ruiz"


@pytest.mark.parametrize("text,quotation,speaker", [
    ("The mayor was even more resolute.\n\n“Absolutely not,” Ana Ruiz said of a second bridge toll.",
     "“Absolutely not,”", "Ana Ruiz"),
    ("Asked whether the port would close, Peter Okafor said, “Probably.”", "“Probably.”", "Peter Okafor"),
])
def test_a_short_quotation_set_off_as_speech(extract_text, text, quotation, speaker):
    x = extract_text(text, structured=False)
    claim = find_claim(x, quotation)
    assert claim.text == quotation and source_name(x, claim) == speaker


def test_a_short_scare_quote_is_not_a_statement(extract_text):
    x = extract_text("Peter Okafor said the harbour plan was “reckless” and would fail.", structured=False)
    (claim,) = x.claims
    assert claim.text == "the harbour plan was “reckless” and would fail"


@pytest.mark.parametrize("text,speaker,source_phrase", [
    # the parser made the first part an adverbial clause and the second the verb's content
    ("\"If the three last mayors do not want to stand on that stage,\" Ana Ruiz said, \"why would the harbour "
     "board want to stand there?\"", "Ana Ruiz", "Ana Ruiz"),
    # any verb between the two parts of a quotation says them
    # nobody is named: the speaker is an explicit unresolved one (issue 17), not a person called "She"
    ("“The way I see it,” she elaborated, “nobody ever questioned the engineers or their work.”",
     "Unresolved “she”", "she"),
    ("“We are ready for the storm,” Ana Ruiz told reporters on Monday, “and the money is there.”", "Ana Ruiz",
     "Ana Ruiz"),
    # the parser made the name the subject of the second part's verb
    ("“We are ready for the storm,” said Ana Ruiz, the mayor, “and the money is there.”", "Ana Ruiz",
     "Ana Ruiz, the mayor"),
])
def test_a_quotation_interrupted_by_its_cue(extract_text, text, speaker, source_phrase):
    x = extract_text(text, structured=False)
    (claim,) = x.claims
    assert len(claim.content) == 2 and all(part.text[0] in "“\"" for part in claim.content)
    assert source_name(x, claim) == speaker and claim.chain[0].source_span.text == source_phrase


@pytest.mark.parametrize("text,speaker", [
    ("\"Drivers should leave their cars at home during the storm,\" opined the Porto Gazette.\n\nThe port closed.",
     "the Porto Gazette"),
    ("\"We included fragments that reflected her own thinking,\" read the statement.\n\nThe board met.",
     "the statement"),
])
def test_an_inverted_speaker_the_parser_made_the_object(extract_text, text, speaker):
    x = extract_text(text, structured=False)
    claim = find_claim(x, "\"")
    assert claim.chain[0].source_span.text == speaker


def test_a_quotation_before_a_name_the_parser_made_the_sentence_root(extract_text):
    # "tweeted" read as a participle describing the name: the verb still says the quotation before the name
    x = extract_text("“The harbour needs a plan for the winter storms,” Nate Okafor, the analyst who founded the "
                     "site, tweeted on Wednesday. “They are clearly drawing more from the port budget now.”",
                     structured=False)
    claim = find_claim(x, "needs a plan")
    assert claim.chain[0].cue.text == "tweeted" and source_name(x, claim) == "Nate Okafor"
    assert "tweeted" not in claim.chain[0].source_span.text


def test_a_quotation_inside_a_paraphrase_is_not_all_of_the_content(extract_text):
    x = extract_text("The board, on the other hand, knows that ''the harbour needs a plan for the storms,'' Ana "
                     "Ruiz said.", structured=False)
    claim = find_claim(x, "harbour needs a plan")
    assert claim.text.startswith("The board") and claim.chain[0].cue.text == "said"


def test_a_participle_after_the_cue_keeps_its_own_content(extract_text):
    x = extract_text("“We will win the harbour vote,” Ana Ruiz told reporters, adding that the board would meet "
                     "in July.", structured=False)
    assert find_claim(x, "board would meet").chain[0].cue.text == "adding"
    assert find_claim(x, "win the harbour vote").chain[0].cue.text == "told"


def test_speaker_the_parser_made_the_subject_of_its_own_aside(extract_text):
    # "spoke" in the aside became the verb's clause, with "One engineer" as its subject
    x = extract_text("The harbour plan was delayed again.\n\nOne engineer, who like others spoke on the condition "
                     "of anonymity to discuss the private meeting, said the message was that the cranes were unsafe.",
                     structured=False)
    claim = find_claim(x, "cranes were unsafe")
    assert claim.chain[0].cue.text == "said" and claim.chain[0].source_span.text.startswith("One engineer")
    assert claim.text == "the message was that the cranes were unsafe"


def test_speaker_named_between_the_content_and_the_verb(extract_text):
    x = extract_text("Two emails sent to the mayor and 10 emails sent to aides who worked for her have been placed "
                     "in secure storage, Peter Okafor, the undersecretary for management, wrote in a memo.",
                     structured=False)
    (claim,) = x.claims
    assert source_name(x, claim) == "Peter Okafor"
    assert claim.text.startswith("Two emails") and claim.text.endswith("in secure storage")


@pytest.mark.parametrize("text,cue,speaker", [
    # the object of "force", "lead" is who acknowledges, suspects
    ("The results will force Senator Ana Ruiz to acknowledge that it is time for a new plan.", "acknowledge",
     "Senator Ana Ruiz"),
    ("The leak leads many engineers to suspect that the cranes were never inspected.", "suspect", "many engineers"),
    # a passive relative clause: "which" is what was reported, the agent reported it
    ("Ana Ruiz wrote in the email, which was first reported by the Porto Gazette.", "reported", "the Porto Gazette"),
])
def test_speakers_of_controlled_and_passive_verbs(extract_text, text, cue, speaker):
    x = extract_text(text, structured=False)
    (claim,) = claims_cued(x, cue)
    assert claim.chain[0].source_span.text == speaker


@pytest.mark.parametrize("text,cue,speaker", [
    # the object of "have", "use", "give" is the means or the occasion, not who speaks
    ("The captain had good reason to believe that the storm would pass.", "believe", "The captain"),
    ("The docker walked out, using a rude word to describe the harbour board.", "describe", "The docker"),
    ("The storm gave Costa one more reason to criticize the pier plan.", "criticize", "Costa"),
])
def test_the_means_a_speaker_uses_is_not_the_speaker(extract_text, text, cue, speaker):
    x = extract_text(text, structured=False)
    (claim,) = claims_cued(x, cue)
    assert claim.chain[0].source_span.text == speaker


@pytest.mark.parametrize("text,cue", [
    # the "it" of "it's hard to ..." stands for the infinitive: nobody in particular knows or notes
    ("For the ferry crews it is hard to know when the new timetable starts.", "know"),
    ("It is important to stress that the harbour court ruled against the board.", "stress"),
    ("That is not to say the harbour board acted in bad faith.", "say"),
    ("For the board, it means conceding that the dockers were right all along.", "conceding"),
    # a copula's subject noun names the content, it does not say it
    ("The idea is that the harbour fees will pay for the new cranes.", "is"),
])
def test_an_impersonal_subject_is_no_speaker(extract_text, text, cue):
    x = extract_text(text, structured=False)
    (claim,) = claims_cued(x, cue)
    assert claim.chain[0].source_span is None


@pytest.mark.parametrize("text,speaker", [
    # "'s" + participle with a clause, an object or a preposition is "has", not a passive "is"
    ("Ask the harbour master. He's said the cranes need a full inspection.", "He"),
    ("Besides Ana Ruiz, who's called for a new ferry line, no councillor spoke.", "who"),
])
def test_a_contracted_has_is_no_passive(extract_text, text, speaker):
    x = extract_text(text, structured=False)
    (claim,) = x.claims
    assert claim.chain[0].source_span is not None and claim.chain[0].source_span.text == speaker


@pytest.mark.parametrize("text,cue", [
    ("The agency missed its deadline but was told to publish two reports by May.", "told"),
    ("Ruiz won the harbour race in 2010 and has long been regarded as the best sailor in the port.", "regarded"),
])
def test_a_passive_conjunct_without_an_agent_has_no_speaker(extract_text, text, cue):
    # the subject it shares with the verb before it is who is acted on, not who speaks
    x = extract_text(text, structured=False)
    claims = claims_cued(x, cue)
    assert claims and all(c.chain[0].source_span is None for c in claims)


@pytest.mark.parametrize("text,cue,speaker", [
    # a modal never takes "wrote" or "told": the capitalised "Will" / "May" before them is a name
    ("“The plan is a disaster for the party,” Will wrote in his column.", "wrote", "Will"),
    ("The harbour deal is dead, May told reporters on Friday.", "told", "May"),
    # an "-ly" surname read as an adverb, after the verb or glued to it at the start of the sentence
    ("“The night went well for all of us,” said Skelly, explaining that he had worked on the campaign.", "said",
     "Skelly"),
    ("Jolly said he has worked with the harbour board for years.", "said", "Jolly"),
])
def test_a_surname_the_tagger_read_as_another_word_speaks(extract_text, text, cue, speaker):
    x = extract_text(text, structured=False)
    claim = claims_cued(x, cue)[0]
    assert claim.chain[0].source_span.text == speaker


@pytest.mark.parametrize("text, person", [
    # "Pike" / "Sterling" open their sentences tagged as an interjection or a noun, not as a name
    ("Candidate Gordon Pike spoke in Ohio. Pike said taxes would fall. The Pike campaign sent a memo. "
     "Pike added that wages would rise.", "Gordon Pike"),
    # a person named in full before any statement ("Councillor Mara Sterling spoke ..."), then "Sterling said"
    ("Councillor Mara Sterling spoke on Monday. Sterling said the port would reopen. "
     "Sterling added that the ferries would run again.", "Mara Sterling"),
])
def test_a_surname_read_as_a_common_word_is_the_person_named_before(extract_text, text, person):
    x = extract_text(text, structured=False)
    assert len(x.claims) == 2
    assert {source_name(x, c) for c in x.claims} == {person}
    assert not [a for a in x.agents if a.kind == AgentKind.UNNAMED_SOURCE]


def test_a_bare_surname_the_parser_calls_an_organisation_leaves_the_person_a_person(extract_text):
    # the small model labels the second "Pike" an organisation (ORG); the full name made a person
    x = extract_text("Candidate Gordon Pike spoke in Ohio on Monday. Pike said taxes would fall. "
                     "Pike added that wages would rise and Pike promised new roads.", structured=False)
    (person,) = [a for a in x.agents if a.name == "Gordon Pike"]
    assert person.kind == AgentKind.PERSON
    assert {source_name(x, c) for c in x.claims} == {"Gordon Pike"}


@pytest.mark.parametrize("text, name, kind", [
    ("HILLARY CLINTON SAID on Monday that the race was close.", "HILLARY CLINTON", AgentKind.PERSON),
    ("The AFL-CIO said on Monday that the deal was bad.", "AFL-CIO", AgentKind.ORGANIZATION),
])
def test_a_name_in_capitals_is_an_organisation_only_when_it_is_one_word(extract_text, text, name, kind):
    x = extract_text(text, structured=False)
    assert agent_named(x, name).kind == kind


@pytest.mark.parametrize("text, name, kind", [
    # the parser types "Castellani" a place; a person's role noun in apposition makes it a person
    ("Castellani, a lawyer, said the contract was void.", "Castellani", AgentKind.PERSON),
    # a given name opening the name outweighs the parser's place label ("Beverly Quaint": GPE)
    ("The ship was christened by Beverly Quaint, who said the hull was sound.", "Beverly Quaint", AgentKind.PERSON),
])
def test_a_name_the_parser_types_an_organisation_is_a_person_when_the_text_treats_it_as_one(
        extract_text, text, name, kind):
    x = extract_text(text, structured=False)
    assert agent_named(x, name).kind == kind


def test_a_title_makes_a_name_the_parser_typed_an_organisation_a_person(nlp):
    from spacy.tokens import Span

    from kg.extract.lexicon import load as load_lexicon
    from kg.extract.names import guess_kind, name_tokens
    from kg.nlp import parse

    doc = next(iter(parse(["Dr. Okafor said the clinic would reopen."], nlp)))
    okafor = next(t for t in doc if t.text == "Okafor")
    doc.ents = [Span(doc, okafor.i, okafor.i + 1, label="ORG")]  # the label the parser gives such names elsewhere
    assert guess_kind(name_tokens(okafor), load_lexicon()) == AgentKind.PERSON


@pytest.mark.parametrize("text, name", [
    ("Paris Saint-Germain said the striker would stay until June.", "Paris Saint-Germain"),
    ("Officials in Virginia Beach said the storm had passed.", "Virginia Beach"),
    ("Jordan Valley residents said the water was unsafe.", "Jordan Valley"),
])
def test_a_given_name_opening_a_place_s_name_makes_no_person(nlp, text, name):
    from kg.extract.lexicon import load as load_lexicon
    from kg.extract.names import guess_kind
    from kg.nlp import parse

    doc = next(iter(parse([text], nlp)))
    place = next(ent for ent in doc.ents if ent.text == name)  # typed a place or an organisation
    assert guess_kind(place, load_lexicon()) != AgentKind.PERSON


def test_a_name_with_an_organisation_s_word_is_never_treated_as_a_person_s(nlp):
    from kg.extract.lexicon import load as load_lexicon
    from kg.extract.names import name_tokens, treated_as_person
    from kg.nlp import parse

    doc = next(iter(parse(["Marisol Okonkwo Group said the deal was off."], nlp)))
    run = name_tokens(next(t for t in doc if t.text == "Group"))
    assert run.text == "Marisol Okonkwo Group" and not treated_as_person(run, load_lexicon())


def test_a_modal_before_a_base_verb_is_no_speaker(extract_text):
    x = extract_text("Will the council approve the harbour plan? Nobody knows yet.", structured=False)
    assert not any(c.chain[0].source_span is not None and c.chain[0].source_span.text == "Will" for c in x.claims)


@pytest.mark.parametrize("text,cue", [
    ("Instead of calling himself conservative, Mr. Costa said, ''I'm a common-sense person.''", "said"),
    ("After contemplating it, the mayor added: “Now I am going to look into that.”", "added"),
])
def test_a_speech_verb_under_a_preposition_leaves_the_quotation_to_the_main_verb(extract_text, text, cue):
    x = extract_text(text, structured=False)
    claim = next(c for c in x.claims if c.text.startswith(("''", "“")))
    assert claim.chain[0].cue.text == cue


@pytest.mark.parametrize("text,cue,source_phrase", [
    # the parser hung the relative clause deep in the phrase; its verb is a statement of its own
    ("“The plan was never convincing,” said one engineer familiar with the talks, who added that the "
     "ministry seemed “rattled” by the protests.", "said", "one engineer familiar with the talks"),
    ("Ana Ruiz, the mayor, who has said the bridge is safe, told reporters the repairs would end soon.", "told",
     "Ana Ruiz, the mayor"),
])
def test_a_source_phrase_never_holds_another_statement(extract_text, text, cue, source_phrase):
    x = extract_text(text, structured=False)
    claim = claims_cued(x, cue)[0]
    assert claim.chain[0].source_span.text == source_phrase
    assert "rattled" not in claim.text  # the other statement's quotation is not this one's second part


@pytest.mark.parametrize("text,cue", [
    ("“The harbour plan is a disaster for the town and its people,” writes Ana Ruiz, seeming to understand "
     "the anger of the fishermen.", "writes"),
    ("When asked to confirm the figures, a second official did so, with a caveat: “The numbers are only a "
     "first estimate and will change,” the official said.", "said"),
])
def test_a_quotation_belongs_to_the_speech_verb_a_clause_depends_on(extract_text, text, cue):
    # the participle or the adverbial clause depends on the nearer speech verb, which says the quotation
    x = extract_text(text, structured=False)
    claim = next(c for c in x.claims if c.text.startswith("“"))
    assert claim.chain[0].cue.text == cue


def test_a_sentence_opening_with_a_poll_is_the_polls_finding(extract_text):
    x = extract_text("In a Porto Gazette poll released Monday, 38 percent of voters said the bridge should be "
                     "closed.", structured=False)
    finding = find_claim(x, "38 percent of voters said")
    assert finding.chain[0].cue.text == "In"
    assert finding.chain[0].source_span.text == "a Porto Gazette poll released Monday"
    # the respondents' statement is relayed by the poll's claim, not the document's
    said = next(c for c in x.claims if c.chain[0].cue.text == "said")
    assert said.chain[1:] == finding.chain


@pytest.mark.parametrize("text,cue", [
    # the verb is a statement of its own speaker: the poll is where it was found
    ("In a recent poll, the Harbour Institute found that most residents oppose the plan.", "found"),
    # not a poll
    ("In Porto, the mayor said the bridge would open in May.", "said"),
])
def test_a_poll_opening_does_not_take_another_speakers_statement(extract_text, text, cue):
    x = extract_text(text, structured=False)
    assert [c.chain[0].cue.text for c in x.claims if len(c.chain) == 2] == [cue]


@pytest.mark.parametrize("text,speaker,answer", [
    ("Asked whether the bridge should close, 46 percent of voters said yes.", "46 percent of voters", "yes"),
    ("Everyone on the harbour board but Ana Ruiz said no.", "Everyone on the harbour board but Ana Ruiz", "no"),
])
def test_said_yes_or_no_is_an_answer(extract_text, text, speaker, answer):
    x = extract_text(text, structured=False)
    claim = next(c for c in x.claims if c.chain[0].cue.text == "said")
    assert (claim.chain[0].source_span.text, claim.text) == (speaker, answer)


@pytest.mark.parametrize("line,source", [
    ("Lena Park: Saying the harbour is safe is easy. Keeping it safe is the hard part.", "Lena Park"),
    ("Harbour board: “The cranes are safe. We inspected every one of them last week.”", "Harbour board"),
])
def test_a_named_speaker_turn_or_a_quotation_after_a_label_of_several_sentences(extract_text, line, source):
    # a person's name, or a quotation after the colon, is a speaker's turn, not a topic heading the paragraph
    x = extract_text("The hearing ran late.\n\n" + line, structured=False)
    (claim,) = claims_cued(x, ":")
    assert claim.chain[0].source_span.text == source


@pytest.mark.parametrize("text, cue, source", [
    # an infinitive on the copula's noun is said of the copula's other side, not of the rank the noun names
    ("The first member of the council to endorse the ferry plan was Senator Ana Ruiz.", "endorse",
     "Senator Ana Ruiz"),
    ("Ana Ruiz is the only senator to back the new tunnel.", "back", "Ana Ruiz"),
    ("Senator Ana Ruiz was the first member of the council to endorse the ferry plan.", "endorse",
     "Senator Ana Ruiz"),
])
def test_infinitive_on_a_copula_noun_speaks_for_the_other_side(extract_text, text, cue, source):
    x = extract_text(text)
    [claim] = claims_cued(x, cue)
    assert claim.chain[0].source_span.text == source


def test_participle_after_a_nouns_clause_is_the_main_subjects(extract_text):
    # the parser hangs "saying" on the clause describing "the idea"; that clause ends at the comma
    x = extract_text("The harbour master rejected the idea that the ferry company would be a burden on the town, "
                     "saying the new route brings visitors.")
    [claim] = claims_cued(x, "saying")
    assert claim.chain[0].source_span.text == "The harbour master"
    assert source_name(x, claim) == "Harbour master"


def test_cue_noun_object_of_a_verb_is_what_that_verb_is_about(extract_text):
    # "welcomed [the senator's remarks about ...]": the residents' stance on a statement, not the statement
    x = extract_text("Residents welcomed the senator's remarks about the harbour.")
    assert claims_cued(x, "remarks about") == []
    assert [c.chain[0].source_span.text for c in claims_cued(x, "welcomed")] == ["Residents"]
    # the same noun as its clause's subject is the possessor's statement
    x = extract_text("The governor's remarks about the harbour drew applause.")
    assert [c.chain[0].source_span.text for c in claims_cued(x, "remarks about")] == ["The governor's"]


@pytest.mark.parametrize("text, cue, speaker", [
    ("Mayor Ana Ruiz criticized the new ferry tax, which the harbour master described as unfair to fishermen.",
     "described", "Harbour master"),
    ("The governor defended the budget, which critics said would close three schools.", "said", "Critics"),
])
def test_relative_clause_with_its_own_speaker_is_the_writers_not_relayed(extract_text, text, cue, speaker):
    # the writer says who called the noun what; the claim around the noun does not relay it
    x = extract_text(text)
    [claim] = claims_cued(x, cue)
    assert source_name(x, claim) == speaker
    assert [link.cue for link in claim.chain[1:]] == [None]  # straight from the article


@pytest.mark.parametrize("text, verb, aside", [
    ("She criticized the tax, which the harbour master described as unfair.", "described", True),
    ("She criticized the tax, which was described as unfair by the harbour master.", "described", False),
    ("She criticized the harbour master, who described the tax as unfair.", "described", False),
    # someone's spoken words in the first or second person, not the writer's aside
    ("It is the kind of tax that you describe as unfair when you pay it.", "describe", False),
])
def test_writers_aside_needs_a_third_person_speaker_of_its_own(nlp, text, verb, aside):
    from kg.extract.sources import writers_aside

    doc = nlp(text)
    [token] = [t for t in doc if t.text == verb]
    assert writers_aside(token) is aside


@pytest.mark.parametrize("structured", [False, True])
def test_title_cased_headline_verb_is_read_as_a_verb(extract_text, structured):
    # in title case the tagger reads "Praises" as part of the name before it; lowered for the parser, it is the cue
    x = extract_text("Harbour Master Ana Ruiz Praises Ferry Crew After Winter Storm.\n\n"
                     "The crew kept the ferry running through the storm on Tuesday.", structured=structured)
    [claim] = claims_cued(x, "Praises")
    assert claim.chain[0].source_span.text == "Harbour Master Ana Ruiz"
    assert claim.text.startswith("Ferry Crew")


def test_parser_text_lowers_only_inflected_cue_verbs_of_title_cased_lines():
    from kg.pipeline import parser_text

    title = "Hope Hicks Says Harbour Master Praises Ferry Crew"
    assert parser_text(title) == "Hope Hicks says Harbour Master praises Ferry Crew"  # "Hope": a bare lemma, a name
    sentence = "The harbour master Praises nobody, the crew said."  # not title case: left as it is
    assert parser_text(sentence) == sentence
    from kg.extract.headline import for_parser

    odd = "Ana İnce Praises The Ferry Crew Again"  # a capital whose lower case is two characters: left as it is,
    assert for_parser(odd, frozenset({"i̇nce", "praises"})) == "Ana İnce praises The Ferry Crew Again"  # offsets hold


def test_participle_on_a_speech_tag_hung_inside_the_statement_is_the_tags(extract_text):
    # the parser makes "Ana Ruiz added" a clause of "say"; "saying" hangs on "added" and is Ruiz's, not the mayor's
    x = extract_text("The mayor cannot say that “from her office,” Ana Ruiz added, saying it should be "
                     "“up to the council to decide.”")
    [claim] = claims_cued(x, "saying")
    assert source_name(x, claim) == "Ana Ruiz"


@pytest.mark.parametrize("text, first, second", [
    # the verb before the content need not be a speech verb for its subject's next act to be cut out
    ("The minister recognized that the economy would soon rebound and praised the central bank for its patience.",
     "recognized", "praised"),
    # a conjunct that is a cue less than half of the time ("pushed to ...") is still the speaker's next act
    ("The mayor proposed that more buses be added on weekends, and pushed to extend the ferry schedule.",
     "proposed", "pushed"),
])
def test_cue_conjunct_hung_on_the_content_verb_is_cut_out(extract_text, text, first, second):
    x = extract_text(text)
    [outer] = claims_cued(x, first)
    assert second not in outer.text
    [claim] = claims_cued(x, second)
    assert source_name(x, claim) == source_name(x, outer)


def test_generic_you_says_nothing(extract_text):
    # "you know ...": the generic person, nobody in particular; the statement inside stays the Germans'
    x = extract_text("You know times have changed when the Germans announce they are expanding their army.")
    assert claims_cued(x, "know") == []
    [claim] = claims_cued(x, "announce")
    assert claim.chain[0].source_span.text == "the Germans"


def test_object_parsed_as_a_nominal_complement_with_its_own_object(extract_text):
    # the parser makes "Trump" a verb complement and hangs "a coward" on it: still "calling [X a Y]"
    x = extract_text("The debate turned ugly, with one senator calling Trump a coward.")
    claim = find_claim(x, "a coward")
    assert claim.text == "Trump a coward"
    assert claim.chain[0].cue.text == "calling" and source_name(x, claim) == "One senator"


def test_speech_verb_under_a_preposition_takes_the_quotation_right_after_it(extract_text):
    x = extract_text("Ruiz ended her speech by saying “Never again.” The crowd cheered.")
    claim = find_claim(x, "Never again")
    assert claim.text == "“Never again.”" and source_name(x, claim) == "Ruiz"
    assert claim.chain[0].cue.text == "saying"


def test_participle_statement_is_not_reported_by_a_verb_inside_its_quotation(extract_text):
    # the parser hangs the whole sentence on the quoted "know": the participle's speaker is still the mayor
    x = extract_text('The mayor on Monday stepped up her attacks on the board, saying it is "lazy and broke, '
                     'you know that."')
    claim = find_claim(x, "lazy and broke")
    assert claim.chain[0].cue.text == "saying" and source_name(x, claim) == "Mayor"


@pytest.mark.parametrize("text, cue, content", [
    ("The candidate surprised many by naming a young governor as his running mate.", "naming",
     "a young governor as his running mate"),
    ("The mayor responded by saying the pier would close.", "saying", "the pier would close"),
])
def test_gerund_cue_after_by_is_a_statement_of_its_own(extract_text, text, cue, content):
    x = extract_text(text)
    claim = find_claim(x, content)
    assert claim.text == content and claim.chain[0].cue.text == cue
    assert len(x.claims) == 1  # the verb the "by" phrase hangs on says nothing else
