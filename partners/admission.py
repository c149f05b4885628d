"""Whether an /api/ request may be answered: its key checked and its caller's budget counted, once per request.

Both the stored-answer front (bonecare/front.py), which answers most reads
before Django builds a request, and RateLimitMiddleware ask; whichever asks
first counts, and the outcome is kept in the WSGI environ (request.META), so a
request the front hands on to Django is never counted twice.
"""

from dataclasses import dataclass

from partners import keys, limits

ADMISSION = "bonecare.admission"


@dataclass(frozen=True)
class Admission:
    raw_key: str
    checked_key: keys.CheckedKey | None
    verdict: limits.Verdict

    @property
    def throttled(self):
        return not self.verdict.allowed

    @property
    def invalid_key(self):
        """A key was sent and does not check out: the request is refused, never served as anonymous."""
        return bool(self.raw_key) and self.checked_key is None

    @property
    def refused(self):
        return self.throttled or self.invalid_key


def admit(request):
    admission = request.META.get(ADMISSION)
    if admission is None:
        raw_key = request.META.get("HTTP_X_API_KEY", "").strip()
        checked_key = keys.check_key(raw_key) if raw_key else None
        if raw_key and checked_key is None:
            # Refused (401) before any budget is counted: a revoked key behind an address whose anonymous budget
            # others spent (a hospital's NAT) is told its key is the problem, not to wait, and never spends that
            # budget itself. Guessing gains nothing from it: a key's secret is 32 random characters, and an
            # unknown prefix costs one query per KEY_CHECK_SECONDS (partners/keys.py).
            verdict = limits.uncounted()
        else:
            verdict = limits.count_request(request, checked_key)
        admission = request.META[ADMISSION] = Admission(raw_key, checked_key, verdict)
    return admission
