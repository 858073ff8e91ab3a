"""claimgraph: turn news articles into a who-said-what RDF graph."""

__version__ = "0.1.0"
EXTRACTOR_VERSION = "rule-attrib-0.5"  # 0.5: quotations go to the cue beside them, not to a verb describing its speaker
