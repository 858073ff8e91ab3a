"""claimgraph: turn news articles into a who-said-what RDF graph."""

__version__ = "0.1.0"
# 0.8: a cue-less quotation continues the statement before it; clause and prepositional frames need p >= 0.25;
# an object noun annotated as part of the cue >= 60 % of the time makes any verb a cue
# 0.10: a name the text treats as a person's (title, given name first, role noun in apposition, family noun it
# owns) is a person whatever the parser's label; a lone word is never gendered from the given-name list
EXTRACTOR_VERSION = "rule-attrib-0.11"
