"""Sender authenticity of inbound mail: who vouches that From is true (issue 11, README).

Trusted, in order:
1. the `Authentication-Results` header of the operator's own receiving server (its authserv-id is
   `ONEBUH_SUPPORT_MAIL_AUTHSERV_ID`): DMARC pass, or DKIM pass with a signing domain aligned with
   From. Only the topmost header with that id counts (ours is prepended last; RFC 8601 §5 lets a
   sender forge older ones further down). Any other such header is the sender's own claim.
2. where no trusted header is present: the message's own DKIM signature, verified with dkimpy
   (DNS lookups bounded by `ONEBUH_SUPPORT_MAIL_DKIM_TIMEOUT`), aligned with From.
Anything else is unauthenticated.
"""

import logging
from dataclasses import dataclass

import authres
import dkim
from django.conf import settings

log = logging.getLogger(__name__)
MAX_SIGNATURES = 5


@dataclass(frozen=True)
class SenderVerdict:
    authenticated: bool
    method: str = "none"  # "authentication-results", "dkim" or "none"
    detail: str = ""
    # The trusted server saw SPF or DMARC fail: most likely forged, never worth an answer.
    failed: bool = False


def dns_txt(name: bytes, timeout: int = 5):
    """The TXT record of a DKIM key (tests replace this: remote DNS cannot run here)."""
    return dkim.dnsplug.get_txt(name, timeout=timeout)


def aligned(signing_domain: str, from_domain: str) -> bool:
    """Relaxed alignment (RFC 7489 §3.1.1), approximated without the public-suffix list: the same
    domain or one a subdomain of the other."""
    signing_domain, from_domain = signing_domain.lower().strip("."), from_domain.lower().strip(".")
    if not signing_domain or not from_domain:
        return False
    return (
        signing_domain == from_domain
        or from_domain.endswith("." + signing_domain)
        or signing_domain.endswith("." + from_domain)
    )


def _trusted_header(message):
    authserv_id = settings.ONEBUH_SUPPORT_MAIL_AUTHSERV_ID.strip().lower()
    if not authserv_id:
        return None
    for value in message.get_all("Authentication-Results") or []:
        try:
            header = authres.AuthenticationResultsHeader.parse_value(" ".join(str(value).split()))
        except Exception as error:  # a malformed header is simply not trusted
            log.info("Authentication-Results not parsed: %s", error)
            continue
        if str(header.authserv_id or "").lower() == authserv_id:
            return header
    return None


def _from_header_verdict(header, from_domain: str) -> SenderVerdict:
    results = {}
    passed_dkim_domains = []
    for result in header.results:
        method, verdict = str(result.method).lower(), str(result.result).lower()
        results.setdefault(method, verdict)
        if method == "dkim" and verdict == "pass":
            for prop in result.properties:
                if prop.type == "header" and prop.name in ("d", "i"):
                    passed_dkim_domains.append(str(prop.value).rpartition("@")[2])
    detail = " ".join(f"{m}={v}" for m, v in sorted(results.items()))
    failed = results.get("dmarc") == "fail" or results.get("spf") == "fail"
    if results.get("dmarc") == "pass":
        return SenderVerdict(True, "authentication-results", detail)
    if any(aligned(d, from_domain) for d in passed_dkim_domains):
        return SenderVerdict(True, "authentication-results", detail)
    return SenderVerdict(False, "authentication-results", detail, failed=failed)


def _dkim_verdict(raw: bytes, from_domain: str) -> SenderVerdict:
    timeout = settings.ONEBUH_SUPPORT_MAIL_DKIM_TIMEOUT
    try:
        verifier = dkim.DKIM(raw, timeout=timeout)
        count = sum(1 for name, _value in verifier.headers if name.lower() == b"dkim-signature")
    except Exception:
        return SenderVerdict(False, "none", "dkim=permerror")
    if not count:
        return SenderVerdict(False, "none", "dkim=none")
    domains = []
    for index in range(min(count, MAX_SIGNATURES)):
        try:
            ok = verifier.verify(
                idx=index, dnsfunc=lambda name, timeout=timeout: dns_txt(name, timeout)
            )
        except Exception as error:
            log.info("DKIM signature %s not verified: %s", index, error)
            continue
        if ok and verifier.domain:
            domain = verifier.domain.decode("ascii", "replace").lower()
            domains.append(domain)
            if aligned(domain, from_domain):
                return SenderVerdict(True, "dkim", f"dkim=pass d={domain}")
    detail = f"dkim=pass d={','.join(domains)} (not aligned)" if domains else "dkim=fail"
    return SenderVerdict(False, "dkim", detail)


def sender_check(*, message, raw: bytes, sender_email: str) -> SenderVerdict:
    from_domain = sender_email.rpartition("@")[2]
    header = _trusted_header(message)
    if header is not None:
        return _from_header_verdict(header, from_domain)
    return _dkim_verdict(raw, from_domain)
