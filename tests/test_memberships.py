"""Memberships, agent types and refusals to comment, on invented sentences (issue 17)."""
from __future__ import annotations

import pytest

from conftest import query_json, run_kg
from kg.model import AgentKind


def the_speaker(x):
    """The agent who speaks in the extraction's one claim."""
    (claim,) = x.claims
    return x.agent(claim.chain[0].source)


def facts(x) -> set[tuple[str, str | None, str]]:
    return {(x.agent(m.member).name, m.role, x.agent(m.organization).name) for m in x.memberships}


@pytest.mark.parametrize("text, fact", [
    # the role after the name, its organisation after a preposition
    ("Jorge Salas, a spokesman for the Andean Shipping Board, said the port was closed.",
     ("Jorge Salas", "spokesperson", "Andean Shipping Board")),
    # an organisation's name and a role before the name
    ("Harlow Insurance spokeswoman Dana Whitby said claims were rising.",
     ("Dana Whitby", "spokesperson", "Harlow Insurance")),
    # a possessive organisation, the name after the role
    ("Cobalt Aerospace's director, Irene Vasquez, said the tests had failed.",
     ("Irene Vasquez", "director", "Cobalt Aerospace")),
    # the role after the name, its organisation a possessive
    ("Peter Lund, the Nordic Nurses Union's spokesman, said wards were understaffed.",
     ("Peter Lund", "spokesperson", "Nordic Nurses Union")),
    # "the head of Y, X"
    ("The head of the Alpine Avalanche Service, Markus Egger, said the slopes were unsafe.",
     ("Markus Egger", "head", "Alpine Avalanche Service")),
    # "X, who heads Y"
    ("Leila Amiri, who heads the Tehran Tenants Association, said rents had tripled.",
     ("Leila Amiri", "head", "Tehran Tenants Association")),
    # "X of Y" with no role said
    ("Oskar Nyberg of the Baltic Research Institute said the ice was thinning.",
     ("Oskar Nyberg", None, "Baltic Research Institute")),
    # a title before the name, the organisation after it
    ("Market analyst Ruth Okonkwo of Delta Equity Partners said shares would fall.",
     ("Ruth Okonkwo", "market analyst", "Delta Equity Partners")),
    # an organisation's acronym before a role, a place after it
    ("A UNHCR official in Nairobi, Dr. Halima Noor, said the camp was full.",
     ("Halima Noor", "official", "UNHCR")),
    # the organisation named in the previous sentence, "its"
    ("Fenwick Mills closed its last factory. Its chief financial officer, Arjun Rao, said the plant lost money.",
     ("Arjun Rao", "chief financial officer", "Fenwick Mills")),
    # a bare corporate title takes the company of the previous sentence
    ("Silvergate Foods recalled its frozen peas. Chief operating officer Mara Quist said no one had fallen ill.",
     ("Mara Quist", "chief operating officer", "Silvergate Foods")),
    # an organisation noun refers to the one named before ("company", "union")
    ("Pinewood Bakeries was fined on Monday. Company director Hugo Brandt said the firm would pay.",
     ("Hugo Brandt", "director", "Pinewood Bakeries")),
])
def test_membership_forms(extract_text, text, fact):
    x = extract_text(text)
    assert fact in facts(x)
    member = next(a for a in x.agents if a.name == fact[0])
    organization = next(a for a in x.agents if a.name == fact[2])
    assert member.kind == AgentKind.PERSON and organization.kind in (AgentKind.ORGANIZATION, AgentKind.MEDIA_OUTLET)


@pytest.mark.parametrize("text, title_word, person", [
    ("Deputy transport minister Ines Moreau said the bridge would reopen.", "Deputy", "Ines Moreau"),
    ("Foreign Minister Ravi Shankar said talks would continue.", "Foreign", "Ravi Shankar"),
    # a capitalised role noun the parser does not take into the PERSON entity: the given name says where the name
    # starts
    ("Team news\nLawyer Beatrix Hollis said the case was over.", "Lawyer", "Beatrix Hollis"),
])
def test_a_title_before_a_name_is_never_an_organisation(extract_text, text, title_word, person):
    x = extract_text(text)
    assert not any(title_word in a.name.split() for a in x.agents)
    assert any(a.name == person and a.kind == AgentKind.PERSON for a in x.agents)
    assert not x.memberships  # a minister of no organisation named nearby


@pytest.mark.parametrize("text, complement, person", [
    ("Secretary of State Marta Lindqvist said the treaty would hold.", "State", "Marta Lindqvist"),
    ("Minister of Finance Ana Ruiz said the tax would fall.", "Finance", "Ana Ruiz"),
    ("Chief of Staff Tomas Berg said the plan was dead.", "Staff", "Tomas Berg"),
    # the parser makes the title the subject and the name the object of its "of"
    ("Director of National Intelligence Owen Pryce said the breach was real.", "Intelligence", "Owen Pryce"),
    ("The deal was fair, Secretary of the Treasury Ilse Vogel told reporters.", "Treasury", "Ilse Vogel"),
])
def test_a_title_with_its_complement_before_a_name_is_no_part_of_the_name(extract_text, text, complement, person):
    x = extract_text(text)
    speaker = the_speaker(x)
    assert (speaker.name, speaker.kind) == (person, AgentKind.PERSON)
    assert not any(complement in a.name.split() or a.name == "Director" for a in x.agents)


@pytest.mark.parametrize("text, speaker_name, kind", [
    ("Former mayor and state senator Tom Hale said the plan was reckless.", "Tom Hale", AgentKind.PERSON),
    ("Former governor and current senator Ana Ruiz said the plan was reckless.", "Ana Ruiz", AgentKind.PERSON),
    # a determiner makes the first role someone else's: two speakers, the first one unnamed
    ("The governor and Ana Ruiz said the plan was reckless.", "Governor", AgentKind.UNNAMED_SOURCE),
])
def test_two_roles_joined_before_a_name_are_that_persons(extract_text, text, speaker_name, kind):
    x = extract_text(text)
    speaker = the_speaker(x)
    assert (speaker.name, speaker.kind) == (speaker_name, kind)


@pytest.mark.parametrize("text, date_word", [
    ("The Green nominee for the Nov. 8 election said the count was fair.", "Nov"),
    ("The organizer of the March 3 rally said the crowd was huge.", "March"),
    ("The winner of the Tuesday vote said taxes would fall.", "Tuesday"),
])
def test_a_date_is_never_a_speakers_name(extract_text, text, date_word):
    x = extract_text(text)
    speaker = the_speaker(x)
    assert speaker.kind == AgentKind.UNNAMED_SOURCE  # the whole description, as any unnamed source
    assert speaker.name.lower() == text.split(" said")[0].removeprefix("The ").lower()
    assert not any(a.name == date_word for a in x.agents)


@pytest.mark.parametrize("text, word", [
    ("The secretary of state said the deal was good.", "state"),
    ("The minister of finance said the tax would fall.", "finance"),
])
def test_a_lower_case_word_is_no_name_where_the_writer_uses_capitals(extract_text, text, word):
    x = extract_text(text)
    assert the_speaker(x).kind == AgentKind.UNNAMED_SOURCE
    assert not any(a.name.lower() == word for a in x.agents)


def test_a_lower_case_particle_stays_in_a_name(extract_text):
    x = extract_text("Piet de Vries, the NVL union's spokesman, said members would strike.")
    assert the_speaker(x).name == "Piet de Vries"


def test_a_lower_case_name_is_a_name_where_the_writer_uses_none(extract_text):
    x = extract_text("obama said he would close the camp.")
    assert the_speaker(x).kind == AgentKind.PERSON


def test_a_bare_government_title_takes_no_organisation_from_the_article(extract_text):
    # "President X" is not the president of the company the previous sentence names
    x = extract_text("Orion Cables won the contract. President Lena Frost said the deal was good for the country.")
    assert not x.memberships


def test_a_person_is_no_organisation(extract_text):
    # "a lawyer for X", "X's attorney": relations between people, not memberships
    x = extract_text("Tom Hale, a lawyer for Anna Kowalczyk, said she would appeal. "
                     "Kowalczyk's attorney, Ben Ortiz, declined to say more.")
    assert not x.memberships


@pytest.mark.parametrize("text, speaker_name", [
    ("Strike news\nThe head of the Fenwick Workers Union, Marta Olsen, said the strike would go on.", "Marta Olsen"),
    ("Plant news\nA spokeswoman for Velda Foods, Hope Hicks, said the plant was full.", "Hope Hicks"),
    ("Road news\nA spokesman for the ministry, Colonel Idris Baka, told reporters that the road was open.",
     "Idris Baka"),
])
def test_the_named_holder_of_a_role_speaks_not_the_organisation(extract_text, text, speaker_name):
    # "the head of Y, X said": X speaks (the parser hangs X on Y as its apposition)
    speaker = the_speaker(extract_text(text))
    assert (speaker.name, speaker.kind) == (speaker_name, AgentKind.PERSON)


@pytest.mark.parametrize("text, wrong", [
    ("Union news\nThe head of the union, who replaced John Smith last year, said the strike would go on.", "John Smith"),
    ("Acme news\nThe chief executive of Acme, a firm backed by Warren Buffett, said sales rose.", "Warren Buffett"),
    ("Union news\nThe leader of the union, a former ally of Mary Barra, said the deal was close.", "Mary Barra"),
])
def test_a_name_further_on_in_a_role_phrase_is_not_its_holder(extract_text, text, wrong):
    assert the_speaker(extract_text(text)).name != wrong


def test_a_role_without_a_named_holder_still_speaks_for_the_organisation(extract_text):
    speaker = the_speaker(extract_text("Plant news\nA spokesman for Velda Foods said the plant was full."))
    assert (speaker.name, speaker.kind) == ("Velda Foods", AgentKind.ORGANIZATION)


def test_a_persons_staff_are_no_members_of_the_person(extract_text):
    # "Trump" is Donald Trump's surname here, not an organisation his spokeswoman belongs to
    x = extract_text("Rally news\nDonald Trump spoke in Ohio. Hope Hicks, a spokeswoman for Trump, said the rally "
                     "was full. Trump's attorney, Alan Garten, said the suit had no merit.")
    assert not x.memberships
    assert all(x.agent(c.chain[0].source).kind == AgentKind.PERSON for c in x.claims)


def test_the_membership_query_keeps_its_columns(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("Jorge Salas, a spokesman for the Andean Shipping Board, said the port was closed.\n",
                       encoding="utf-8")
    out = tmp_path / "a.ttl"
    run_kg("extract", article, "-o", out, check=True)
    rows = query_json("memberships", "--data", out)
    assert [(r["memberName"], r["organizationName"], r["role"]) for r in rows] == \
        [("Jorge Salas", "Andean Shipping Board", "spokesperson")]
    assert set(rows[0]) == {"member", "memberName", "organization", "organizationName", "role"}


@pytest.mark.parametrize("text, refused, kind", [
    ("Corvid Energy declined to comment on the leak.", "comment on the leak", "declined"),
    ("The mayor's office did not respond to requests for comment.", "requests for comment", "no-response"),
    ("Ilse Brandt could not be reached for comment.", "reached for comment", "unreachable"),
])
def test_a_refusal_to_comment_is_no_claim(extract_text, text, refused, kind):
    x = extract_text(text)
    assert not x.claims
    (refusal,) = x.refusals
    assert refusal.kind == kind and refused in refusal.content[0].text
    assert x.agent(refusal.source).kind != AgentKind.DOCUMENT_SOURCE


def test_a_refusal_is_a_valid_rdf_node(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("Corvid Energy declined to comment on the leak. Its engineers said the pipe was old.\n",
                       encoding="utf-8")
    out = tmp_path / "a.trig"
    run_kg("extract", article, "-o", out, check=True)
    turtle = out.read_text(encoding="utf-8")
    assert "claimkg#Refusal" in turtle or "ckg:Refusal" in turtle
    result = run_kg("validate", out)
    assert result.returncode == 0, result.stdout_text + result.stderr_text


@pytest.mark.parametrize("text, content, author", [
    ("A statement e-mailed by Harbor Lines said the ferry would sail on Sunday.",
     "the ferry would sail on Sunday", "Harbor Lines"),
    ("A letter from the Dockworkers Federation said the strike would go ahead.",
     "the strike would go ahead", "Dockworkers Federation"),
])
def test_a_document_with_an_author_points_to_the_author(extract_text, content, author, text):
    x = extract_text(text)
    claim = next(c for c in x.claims if content in c.text)
    assert x.agent(claim.chain[0].source).name == author
    assert claim.chain[0].source_span.text.lower().startswith(("a statement", "a letter"))


def test_a_document_without_an_author_is_a_document_source(extract_text):
    x = extract_text("The memo, sent to drivers on Friday, said routes would be cut.")
    claim = next(c for c in x.claims if "routes would be cut" in c.text)
    assert x.agent(claim.chain[0].source).kind == AgentKind.DOCUMENT_SOURCE


@pytest.mark.parametrize("text, thought", [
    ("It is easier for the council to blame the weather than to admit that the drains were never cleaned.",
     "drains were never cleaned"),
    ("Some voters would rather blame the mayor than concede that the budget was balanced.",
     "budget was balanced"),
])
def test_a_writers_reasoning_is_no_one_s_claim(extract_text, text, thought):
    x = extract_text(text)
    assert not any(thought in c.text for c in x.claims)


@pytest.mark.parametrize("text, name", [
    ("The KVN union said its members would walk out on Friday.", "KVN"),
    ("The Osprey party said the count was wrong.", "Osprey"),
    ("The Red Ridge Militia said it had left the valley.", "Red Ridge Militia"),
])
def test_named_unions_parties_and_militias_are_organisations(extract_text, text, name):
    source = the_speaker(extract_text(text))
    assert source.name == name and source.kind == AgentKind.ORGANIZATION


def test_a_persons_name_before_an_organisation_noun_is_no_organisation(extract_text):
    x = extract_text("The Trump campaign said the poll was fake.")
    assert not any(a.name == "Trump" for a in x.agents)


def test_a_document_named_again_points_to_its_author(extract_text):
    x = extract_text("A study by the Coastal Fisheries Council found fewer cod. The study warned that quotas "
                     "were too high. A letter from Harbor Lines said the ferry would sail. The study added that "
                     "stocks might recover.")
    for content in ("quotas were too high", "stocks might recover"):
        claim = next(c for c in x.claims if content in c.text)
        assert x.agent(claim.chain[0].source).name == "Coastal Fisheries Council"
        assert claim.chain[0].source_span.text == "The study"


REFUSALS = """The harbour authority said on Monday that the north pier would stay closed until March.

Dockers Union spokesman Tom Hale declined to comment on the closure. The ferry company did not respond to \
requests for comment, and Mayor Lena Ortiz could not be reached.
"""


def test_refusals_are_a_named_query_answered_alike_by_a_second_engine(tmp_path):
    from rdflib import Graph

    from kg.query import named_queries

    article = tmp_path / "pier.txt"
    article.write_text(REFUSALS, encoding="utf-8")
    turtle = tmp_path / "pier.ttl"
    run_kg("extract", article, "-o", turtle, check=True)
    rows = query_json("refusals", "--data", turtle)
    found = [(row["sourceName"], row["kind"], row["cue"]) for row in rows]
    # "the ferry company" describes a company of its own, not the union named before it
    assert found == [("Tom Hale", "declined", "declined"), ("Ferry company", "no-response", "respond"),
                     ("Lena Ortiz", "unreachable", "could not")]
    assert not any("comment" in row["claimText"] for row in query_json("who-said-what", "--data", turtle))
    graph = Graph()
    graph.parse(turtle, format="turtle")
    result = graph.query(named_queries()["refusals"])
    assert sorted((str(r.sourceName), str(r.kind), str(r.cue)) for r in result) == sorted(found)
