"""claimgraph: turn news articles into a who-said-what RDF graph."""

__version__ = "0.1.0"
# 0.8: a cue-less quotation continues the statement before it; clause and prepositional frames need p >= 0.25;
# an object noun annotated as part of the cue >= 60 % of the time makes any verb a cue
# 0.10: a name the text treats as a person's (title, given name first, role noun in apposition, family noun it
# owns) is a person whatever the parser's label; a lone word is never gendered from the given-name list
# 0.12: a noun's own statement in its comma-set relative clause is cut out of the content around it; a passive
# without an agent, an extraposed "it" and a copula's content noun are no speakers; a means verb's object is not
# who speaks in its infinitive; "'s" + participle with a clause or an object is "has"; "Asked ..., X said" read
# as a past tense is still the participle
# 0.13: a verb in neither lexicon takes a verb complement or a prepositional frame the model gives >= 0.4; a "for",
# "on" or "to" opening the content right after its cue verb belongs to the cue ("called for", "pointed to")
EXTRACTOR_VERSION = "rule-attrib-0.13"
