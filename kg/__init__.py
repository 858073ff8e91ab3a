"""claimgraph: turn news articles into a who-said-what RDF graph."""

__version__ = "0.1.0"
EXTRACTOR_VERSION = "rule-attrib-0.2"  # 0.2: chain depth and claim on links, learned nouns, per-preposition frames
