"""The words readers see for the schema's enums (schema.py): on the pages and in the open data
and JSON-LD alike, so both sides take them from here."""

from __future__ import annotations

# verification -> (label, what the label means)
VERIFICATION_LABELS = {
    "unconfirmed": ("Unconfirmed", "No one independent of the claimant has confirmed this."),
    "corroborated": ("Corroborated", "Independent sources support this, short of confirmation."),
    "confirmed": ("Confirmed", "Confirmed by a party in a position to know, or by documents."),
    "refuted": ("Refuted", "Evidence shows this is not so."),
}
STATUS_LABELS = {"developing": "Developing story", "settled": "Settled", "draft": "Draft"}
ACTOR_KIND_LABELS = {
    "person": "Person", "company": "Company", "government": "Government body",
    "military": "Military", "media": "News media", "organization": "Organization", "group": "Group",
}
