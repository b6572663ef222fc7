"""The database's refusal of a verification result for an address that is not the person's.

``people.email_verification`` refuses (trigger, migration 0050) a result whose address is not the
person's current e-mail with SQLSTATE ``23V01`` and the message
``verification refused: <address> is not the current e-mail of person <id>``. The worker API
answers such a refusal with HTTP 409 and that message.
"""

ADDRESS_NOT_CURRENT = "23V01"


def address_conflict(exc: BaseException) -> str | None:
    """The 409 message when ``exc`` (or an exception it wraps) is that refusal, else None."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if getattr(exc, "sqlstate", None) == ADDRESS_NOT_CURRENT:
            return exc.diag.message_primary
        exc = exc.__cause__ or exc.__context__
    return None
