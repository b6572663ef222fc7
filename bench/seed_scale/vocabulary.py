"""Sizes and word pools of the scale dataset (all values are drawn from these in SQL)."""

from __future__ import annotations

M_COUNTS = {
    "companies": 100_000,
    "people": 500_000,
    "raw_loads": 1_000_000,
    "batches": 2_000,
    "messages": 2_000_000,
    "campaigns": 100,
    "members": 500_000,
}
SIZES = {"XS": 0.001, "S": 0.1, "M": 1.0, "L": 10.0}
DEV_DATABASES = {"outreach"}

# Syllables for synthetic surnames: 60 × 60 × 20 = 72,000 distinct combinations.
SYL1 = [
    "al", "an", "ar", "ba", "be", "bo", "br", "ca", "ce", "ch", "co", "da", "de", "do", "el",
    "er", "fa", "fe", "fi", "fo", "ga", "ge", "go", "ha", "he", "ho", "ja", "je", "jo", "ka",
    "ke", "ki", "ko", "la", "le", "lo", "ma", "me", "mi", "mo", "na", "ne", "no", "pa", "pe",
    "pi", "po", "ra", "re", "ro", "sa", "se", "si", "so", "ta", "te", "to", "va", "ve", "wa",
]  # fmt: skip
SYL2 = [
    "b", "bb", "c", "ck", "d", "dd", "f", "g", "gg", "h", "k", "l", "ll", "m", "mm", "n", "nn",
    "p", "pp", "r", "rr", "s", "ss", "t", "tt", "v", "w", "z", "ber", "ven", "din", "len",
    "mar", "ner", "son", "ton", "ver", "wel", "bur", "der", "fel", "gan", "har", "kin", "lan",
    "mon", "nor", "ran", "sen", "tar", "vin", "wal", "rick", "mund", "land", "ford", "ley",
    "rton", "well", "ing",
]  # fmt: skip
SYL3 = [
    "a", "e", "i", "o", "y", "er", "en", "an", "on", "el", "ell", "ard", "ins", "ett", "man",
    "ley", "s", "son", "stein", "berg",
]  # fmt: skip
# First names: 30 × 30 × 4 = 3,600 combinations.
FN1 = [
    "A", "Be", "Ca", "Da", "E", "Fa", "Ga", "Ha", "I", "Ja", "Ka", "La", "Ma", "Na", "O", "Pa",
    "Ra", "Sa", "Ta", "U", "Va", "Wa", "Xe", "Ya", "Za", "Bri", "Cla", "Dre", "Fre", "Gre",
]  # fmt: skip
FN2 = [
    "b", "d", "l", "m", "n", "r", "s", "t", "v", "z", "lan", "ran", "son", "der", "mi", "li",
    "na", "ri", "ta", "ni", "ro", "lo", "ne", "se", "ve", "ca", "ke", "ma", "da", "ko",
]  # fmt: skip
FN3 = ["", "a", "o", "ie"]
TITLES = [
    ("Chief Executive Officer", 6),
    ("CEO", 4),
    ("Chief Financial Officer", 4),
    ("CFO", 3),
    ("VP Finance", 3),
    ("HR Director", 4),
    ("Head of People", 3),
    ("Chief Operating Officer", 3),
    ("Software Engineer", 12),
    ("Sales Manager", 10),
    ("Account Executive", 10),
    ("Marketing Manager", 8),
    ("Office Manager", 6),
    ("Operations Analyst", 8),
    ("Controller", 4),
    ("Benefits Specialist", 4),
    ("Founder", 3),
    ("Product Manager", 5),
]
INDUSTRIES = [
    "Manufacturing", "Healthcare", "Retail", "Construction", "Logistics", "Education",
    "Hospitality", "Financial Services", "Software", "Legal", "Real Estate", "Energy",
    "Agriculture", "Media", "Nonprofit", "Automotive", "Insurance", "Telecommunications",
    "Biotech", "Government",
]  # fmt: skip
STATES = [
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA",
    "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ",
    "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT",
    "VA", "WA", "WV", "WI", "WY",
]  # fmt: skip


def counts_for(size: str) -> dict[str, int]:
    """Row counts for a size: M as stated in the issue, the others scaled (at least 1)."""
    factor = SIZES[size]
    return {k: max(1, round(v * factor)) for k, v in M_COUNTS.items()}


def sql_array(values) -> str:
    return "ARRAY[" + ",".join("'" + v.replace("'", "''") + "'" for v in values) + "]"
