"""A local S3-protocol server for the tests: moto's standalone server (PyPI `moto[server]`).

It runs as its own process speaking HTTP on 127.0.0.1, so the portal's boto3/django-storages
code is exercised over the wire exactly as against real object storage. The port comes from
ONEBUH_TEST_S3_PORTS ("first-last", default 16600-16699): the first one free is taken.
"""

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import uuid

import boto3
import pytest

ACCESS_KEY, SECRET_KEY, REGION = "testing-key", "testing-secret", "us-east-1"


def _free_port() -> int:
    first, last = (int(p) for p in os.environ.get("ONEBUH_TEST_S3_PORTS", "16600-16699").split("-"))
    for port in range(first, last + 1):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port for the S3 test server")


@contextlib.contextmanager
def _moto_server(env: dict | None = None):
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, **(env or {})},
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
                break
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("moto server did not start")
            time.sleep(0.05)  # waiting for a real process to listen, not for time in a test
        yield url
    finally:
        server.terminate()
        server.wait(10)


@pytest.fixture(scope="session")
def s3_endpoint():
    with _moto_server() as url:
        yield url


# The customer's own storage (copies of backups, issue 16) is a second moto server that checks
# keys as real storage does: after the first three calls (which create its user, key and
# policy) every request must be signed with a key it knows.
CUSTOMER_SETUP_CALLS = 3


@pytest.fixture(scope="session")
def customer_s3_endpoint():
    with _moto_server({"INITIAL_NO_AUTH_ACTION_COUNT": str(CUSTOMER_SETUP_CALLS)}) as url:
        iam = boto3.client(
            "iam",
            endpoint_url=url,
            aws_access_key_id="setup",
            aws_secret_access_key="setup",
            region_name=REGION,
        )
        iam.create_user(UserName="customer")
        key = iam.create_access_key(UserName="customer")["AccessKey"]
        iam.put_user_policy(
            UserName="customer",
            PolicyName="storage",
            PolicyDocument=json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}],
                }
            ),
        )
        yield {
            "endpoint": url,
            "access_key": key["AccessKeyId"],
            "secret_key": key["SecretAccessKey"],
        }


@pytest.fixture
def customer_bucket(customer_s3_endpoint):
    """A fresh bucket of the customer's storage and a client holding the customer's keys."""
    info = customer_s3_endpoint
    client = boto3.client(
        "s3",
        endpoint_url=info["endpoint"],
        aws_access_key_id=info["access_key"],
        aws_secret_access_key=info["secret_key"],
        region_name=REGION,
    )
    name = f"customer-{uuid.uuid4().hex[:12]}"
    client.create_bucket(Bucket=name)
    return {**info, "bucket": name, "client": client}


def s3_client(endpoint: str):
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        region_name=REGION,
    )


@pytest.fixture
def s3_storage(settings, s3_endpoint):
    """Both storages switched to a fresh bucket of the local S3 server, as in production."""
    bucket = f"onebuh-{uuid.uuid4().hex[:12]}"
    s3_client(s3_endpoint).create_bucket(Bucket=bucket)
    options = {
        **settings.ONEBUH_S3_OPTIONS,
        "bucket_name": bucket,
        "endpoint_url": s3_endpoint,
        "region_name": REGION,
        "access_key": ACCESS_KEY,
        "secret_key": SECRET_KEY,
    }
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {**options, "location": "media"},
        },
        "infobases": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {**options, "location": "infobases"},
        },
    }
    return {"endpoint": s3_endpoint, "bucket": bucket, "client": s3_client(s3_endpoint)}
