"""Content: editors' YAML read, checked against the schema and linted."""
