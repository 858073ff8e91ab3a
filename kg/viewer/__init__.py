"""Static assets of the HTML viewer (page template, script, style)."""
