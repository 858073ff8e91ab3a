"""claimgraph: turn news articles into a who-said-what RDF graph."""

__version__ = "0.1.0"
EXTRACTOR_VERSION = "rule-attrib-0.7"  # 0.7: source phrases without asides or other statements, poll findings, cue conjuncts
