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

# claim kind -> (verb for one claimant, verb for several): "Alibaba alleges", "Critics argue".
KIND_VERBS = {
    "allegation": ("alleges", "allege"),
    "assertion": ("says", "say"),
    "prediction": ("expects", "warn"),
    "opinion": ("argues", "argue"),
}
KIND_LABELS = {"allegation": "Allegation", "assertion": "Assertion", "prediction": "Prediction",
               "opinion": "Opinion"}
# stance -> what the page says, after the actor's name: "Alibaba denies", "Apple: no response reported".
STANCE_LABELS = {
    "denies": "denies", "disputes": "disputes", "confirms": "confirms", "supports": "supports",
    "declines-to-comment": "declines to comment", "did-not-respond": "did not respond",
    "no-response-reported": "no response reported",
}


def claim_verb(kind: str, plural: bool) -> str:
    """The verb for a claimant of this kind of claim, agreeing with it: 'alleges', 'warn'."""
    singular, many = KIND_VERBS[kind]
    return many if plural else singular


def in_text(name: str, article: str = "", start: bool = False) -> str:
    """An actor's name as a sentence says it: 'the U.S. government' (its `article:`), 'The U.S.
    government' at the start of a sentence; a name without one ('Apple', 'Critics') as written.
    Headings, lists and tables of names print the name alone."""
    if not article:
        return name
    return f"{article.capitalize() if start else article} {name}"


def no_response_text(actor_name: str, stance: str, article: str = "") -> str:
    """The sentence for a reply that is not there: 'No response from Apple is reported.', 'No
    response from the U.S. government is reported.'"""
    if stance == "did-not-respond":
        return f"{in_text(actor_name, article, start=True)} did not respond to a request for comment."
    return f"No response from {in_text(actor_name, article)} is reported."
