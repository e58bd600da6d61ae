"""Privacy firewall primitives: identifier normalisation, keyed pseudonyms, free-text
redaction and the PII scanner for published databases (DESIGN.md principle 2).

Pure functions over values and pandas Series; the only I/O is the pseudonym key store
(``pseudonym.load_key``) and the read-only database scan (``scan.scan_database``).
"""

from models.privacy.idnumber import IdReason, InvalidIdNumber, normalise_id_number
from models.privacy.pseudonym import Pseudonymiser, normalise_phone
from models.privacy.redact import PLACEHOLDERS, Span, find_pii, redact, redact_many

__all__ = [
    "PLACEHOLDERS",
    "IdReason",
    "InvalidIdNumber",
    "Pseudonymiser",
    "Span",
    "find_pii",
    "normalise_id_number",
    "normalise_phone",
    "redact",
    "redact_many",
]
