"""claimgraph: turn news articles into a who-said-what RDF graph."""

__version__ = "0.1.0"
# 0.8: a cue-less quotation continues the statement before it; clause and prepositional frames need p >= 0.25;
# an object noun annotated as part of the cue >= 60 % of the time makes any verb a cue
EXTRACTOR_VERSION = "rule-attrib-0.9"
