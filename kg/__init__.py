"""claimgraph: turn news articles into a who-said-what RDF graph."""

__version__ = "0.1.0"
EXTRACTOR_VERSION = "rule-attrib-0.6"  # 0.6: context vectors in the cue model, line breaks, interrupted quotations
