"""claimgraph: turn news articles into a who-said-what RDF graph."""

__version__ = "0.1.0"
EXTRACTOR_VERSION = "rule-attrib-0.4"  # 0.4: catenative cues ("declined to say"), sentence-final according-to
