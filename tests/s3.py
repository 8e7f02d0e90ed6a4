"""A local S3 server (moto's server mode on 127.0.0.1) and buckets on it, for the photo storage
tests; the app reaches it over HTTP as it would a real one."""

from __future__ import annotations

import socket
import uuid

import boto3
import pytest
from moto.server import ThreadedMotoServer

REGION = "eu-north-1"
KEYS = {"S3_ACCESS_KEY_ID": "test-key", "S3_SECRET_ACCESS_KEY": "test-secret"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def s3_endpoint():
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


def s3_client(endpoint: str):
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=KEYS["S3_ACCESS_KEY_ID"],
        aws_secret_access_key=KEYS["S3_SECRET_ACCESS_KEY"],
    )


def new_bucket(endpoint: str) -> dict[str, str]:
    """A new private bucket; returns the environment that points the app at it."""
    name = f"photos-{uuid.uuid4().hex[:12]}"
    s3_client(endpoint).create_bucket(
        Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION}
    )
    return {
        "S3_BUCKET": name,
        "S3_ENDPOINT_URL": endpoint,
        "S3_REGION": REGION,
        "S3_ADDRESSING_STYLE": "path",
        **KEYS,
    }


def keys_in(endpoint: str, bucket: str) -> list[str]:
    listed = s3_client(endpoint).list_objects_v2(Bucket=bucket)
    return [item["Key"] for item in listed.get("Contents", [])]
