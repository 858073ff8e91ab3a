"""Imported by the worker fork server (kg.parallel): spaCy loaded once there, so every worker forked from it has it."""
try:
    from kg import nlp as _nlp

    _nlp.load()
except Exception:  # noqa: BLE001 -- each worker loads it again and reports the problem itself
    pass
