"""claimgraph: turn news articles into a who-said-what RDF graph."""

__version__ = "0.1.0"
EXTRACTOR_VERSION = "rule-attrib-0.5"  # 0.5: ''...'' quotations, sign-offs, attitude adjectives, participle statements
