"""Talking to a customer's own S3-compatible bucket (copies of backups, issue 16).

Every failure becomes a short Russian sentence the customer can act on (bad keys, no such
bucket, an address that does not answer); the raw error is kept for staff. The endpoint is the
customer's input, so the portal connects only to https addresses that resolve to public IPs
unless ONEBUH_BACKUP_TARGET_ALLOW_PRIVATE is on (a portal must not become a way into its own
network).
"""

import ipaddress
import socket
from urllib.parse import urlparse

import boto3
from botocore.config import Config
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    NoCredentialsError,
)
from botocore.exceptions import (
    ConnectionError as BotoConnectionError,
)
from django.conf import settings
from django.utils.translation import gettext as _

from onebuh.sealed import unseal

TIMEOUTS = Config(
    connect_timeout=5,
    read_timeout=60,
    retries={"max_attempts": 2, "mode": "standard"},
    s3={"addressing_style": "path"},
    signature_version="s3v4",
)


class BucketError(Exception):
    """`str(error)` is for the customer (Russian); `detail` for staff."""

    def __init__(self, message: str, detail: str = ""):
        super().__init__(message)
        self.detail = detail or message


def endpoint_problem(url: str) -> str | None:
    """Why the portal will not connect to `url`, or None."""
    parsed = urlparse(url)
    allow_private = settings.ONEBUH_BACKUP_TARGET_ALLOW_PRIVATE
    if parsed.scheme not in ("https", "http") or not parsed.hostname:
        return _(
            "Enter the storage address as https://host (for example https://s3.ru-1.storage.selcloud.ru)."
        )
    if parsed.scheme != "https" and not allow_private:
        return _("The storage address must start with https://: keys are not sent in clear.")
    if allow_private:
        return None
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(parsed.hostname, parsed.port or 443)}
    except OSError:
        return _("The storage address %(host)s does not resolve. Check the address.") % {
            "host": parsed.hostname
        }
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%")[0])
        if not ip.is_global:
            return _(
                "The storage address must be a public one; %(host)s is in a private network."
            ) % {"host": parsed.hostname}
    return None


def client_for(target):
    access_key, secret_key = unseal(target.access_key_sealed), unseal(target.secret_key_sealed)
    if not access_key or not secret_key:
        raise BucketError(_("The storage keys cannot be read any more. Enter them again."))
    problem = endpoint_problem(target.endpoint_url)
    if problem:
        raise BucketError(problem)
    return boto3.session.Session().client(
        "s3",
        endpoint_url=target.endpoint_url,
        region_name=target.region or "us-east-1",
        aws_access_key_id=access_key,
        aws_secret_access_key=secret_key,
        config=TIMEOUTS,
    )


def object_key(target, name: str) -> str:
    prefix = target.prefix.strip("/")
    return f"{prefix}/{name}" if prefix else name


CREDENTIAL_CODES = {
    "InvalidAccessKeyId",
    "SignatureDoesNotMatch",
    "InvalidToken",
    "AuthorizationHeaderMalformed",
    "InvalidClientTokenId",
    "UnrecognizedClientException",
}


def explain(error: Exception, target) -> BucketError:
    """A customer's sentence for what went wrong with the bucket."""
    if isinstance(error, BucketError):
        return error
    detail = f"{error.__class__.__name__}: {error}"
    if isinstance(error, ClientError):
        code = error.response.get("Error", {}).get("Code", "")
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        if code in CREDENTIAL_CODES:
            message = _(
                "The storage did not accept the access keys. Check the access key and the secret key."
            )
        elif code == "NoSuchBucket":
            message = _(
                "The bucket «%(bucket)s» was not found at this address. Check its name and the region."
            ) % {"bucket": target.bucket}
        elif code in ("AccessDenied", "AllAccessDisabled") or status == 403:
            message = _(
                "The keys are valid, but they may not write to the bucket «%(bucket)s». Give them write and delete rights."
            ) % {"bucket": target.bucket}
        else:
            message = _(
                "The storage answered with an error (%(code)s). Try again later or check the settings."
            ) % {"code": code or status}
        return BucketError(message, detail)
    if isinstance(error, NoCredentialsError):
        return BucketError(_("The storage keys cannot be read any more. Enter them again."), detail)
    if isinstance(error, BotoConnectionError | BotoCoreError | OSError):
        return BucketError(
            _(
                "The storage at %(url)s does not answer. Check the address; if it is right, the storage may be down."
            )
            % {"url": target.endpoint_url},
            detail,
        )
    return BucketError(
        _("The copy failed because of an unexpected error. Support has the details."), detail
    )
