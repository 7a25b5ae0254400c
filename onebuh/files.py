"""The one storage layer under every stored file (Django's STORAGES).

"default" holds ticket attachments and generated reports, "infobases" backups and uploaded .dt
files. On the embedded default both are folders; in production both are S3-compatible object
storage (django-storages), so any web node or worker sees every file. Callers address files by
their stored name only and never assume a disk:

- downloads go out after the caller's permission check as a short-lived presigned URL (object
  storage), an X-Accel-Redirect to the front server (file system behind nginx) or, on the
  embedded default, a streamed response;
- the 1C tools need real files: `local_copy` and `local_target` give them a path and move the
  bytes to and from storage around the call;
- big uploads come in parts (`multipart_*`): presigned `UploadPart` URLs the browser PUTs to on
  object storage, the portal's own part endpoint on the file system — one protocol for the page.
"""

import contextlib
import datetime
import hashlib
import mimetypes
import os
import shutil
import tempfile
import urllib.parse
from collections.abc import Iterable, Iterator
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.utils.http import content_disposition_header
from storages.utils import clean_name

OCTET_STREAM = "application/octet-stream"


def storage_for(alias: str):
    return storages[alias]


def is_object_storage(storage) -> bool:
    """S3-compatible (django-storages' S3Storage) rather than a folder."""
    return hasattr(storage, "bucket_name") and hasattr(storage, "connection")


def _s3(storage):
    """The boto3 client, bucket and key prefix of an S3Storage."""
    return storage.connection.meta.client, storage.bucket_name


def _key(storage, name: str) -> str:
    return storage._normalize_name(clean_name(name))


def download_response(
    *, alias: str, name: str, filename: str, content_type: str | None = None
) -> HttpResponse:
    """The stored file as a download named `filename`; the caller has checked the right."""
    storage = storage_for(alias)
    content_type = content_type or mimetypes.guess_type(filename)[0] or OCTET_STREAM
    disposition = content_disposition_header(True, filename)
    if is_object_storage(storage):
        # The body goes storage -> browser; the link expires in ONEBUH_S3_URL_SECONDS.
        url = storage.url(
            name,
            parameters={
                "ResponseContentDisposition": disposition,
                "ResponseContentType": content_type,
            },
        )
        return HttpResponseRedirect(url)
    if not name or not storage.exists(name):
        raise Http404
    prefix = settings.ONEBUH_X_ACCEL_REDIRECT_PREFIX
    if prefix:
        response = HttpResponse(content_type=content_type)
        response["Content-Disposition"] = disposition
        response["X-Accel-Redirect"] = f"{prefix.rstrip('/')}/{alias}/{name.lstrip('/')}"
        return response
    return FileResponse(
        storage.open(name, "rb"), as_attachment=True, filename=filename, content_type=content_type
    )


def delete(*, alias: str, names: Iterable[str]) -> int:
    """Delete stored files; ones already gone are fine (a retried purge or retention)."""
    storage = storage_for(alias)
    deleted = 0
    for name in names:
        if not name:
            continue
        if not is_object_storage(storage) and not storage.exists(name):
            continue
        storage.delete(name)
        deleted += 1
    return deleted


def scratch_dir() -> Path:
    """Local room for files on their way to or from object storage (workers only)."""
    path = Path(settings.DATA_DIR) / "scratch"
    path.mkdir(parents=True, exist_ok=True)
    return path


@contextlib.contextmanager
def local_copy(*, alias: str, name: str) -> Iterator[Path]:
    """A path on this machine holding the stored file, for tools that read files (1C restore)."""
    storage = storage_for(alias)
    if not is_object_storage(storage):
        yield Path(storage.path(name))
        return
    fd, tmp = tempfile.mkstemp(dir=scratch_dir(), suffix=".dt")
    try:
        with os.fdopen(fd, "wb") as out:
            client, bucket = _s3(storage)
            client.download_fileobj(bucket, _key(storage, name), out)
        yield Path(tmp)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


@contextlib.contextmanager
def local_target(*, alias: str, name: str) -> Iterator[Path]:
    """A path for a tool to write (1C dump); stored under `name` when the block ends well."""
    storage = storage_for(alias)
    if not is_object_storage(storage):
        path = Path(storage.path(name))
        path.parent.mkdir(parents=True, exist_ok=True)
        yield path
        return
    fd, tmp = tempfile.mkstemp(dir=scratch_dir(), suffix=".dt")
    os.close(fd)
    try:
        yield Path(tmp)
        with open(tmp, "rb") as handle:
            # boto3 switches to a multipart upload by itself for big dumps.
            client, bucket = _s3(storage)
            client.upload_fileobj(handle, bucket, _key(storage, name))
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def save(*, alias: str, name: str, content) -> str:
    """Store bytes or a file object under exactly `name` (names here are unique by design)."""
    storage = storage_for(alias)
    if isinstance(content, bytes):
        content = ContentFile(content)
    elif not isinstance(content, File):
        content = File(content)
    return storage.save(name, content)


def read_head(*, alias: str, name: str, length: int) -> bytes:
    storage = storage_for(alias)
    if is_object_storage(storage):
        client, bucket = _s3(storage)
        answer = client.get_object(
            Bucket=bucket, Key=_key(storage, name), Range=f"bytes=0-{length - 1}"
        )
        return answer["Body"].read()
    with storage.open(name, "rb") as handle:
        return handle.read(length)


def sha256_and_size(*, alias: str, name: str) -> tuple[str, int]:
    """Stream the stored file once (in a worker) for its checksum and size."""
    digest, size = hashlib.sha256(), 0
    with storage_for(alias).open(name, "rb") as handle:
        while piece := handle.read(4 * 2**20):
            digest.update(piece)
            size += len(piece)
    return digest.hexdigest(), size


# --- Multipart uploads: the transport under the panel's resumable upload ---------------------


def _parts_dir(storage, name: str) -> Path:
    return Path(storage.path(name + ".parts"))


def multipart_start(*, alias: str, name: str) -> str:
    """Begin an upload; the answer is the storage's upload id ("" on the file system)."""
    storage = storage_for(alias)
    if is_object_storage(storage):
        client, bucket = _s3(storage)
        answer = client.create_multipart_upload(
            Bucket=bucket, Key=_key(storage, name), ContentType=OCTET_STREAM
        )
        return answer["UploadId"]
    _parts_dir(storage, name).mkdir(parents=True, exist_ok=True)
    return ""


def multipart_part_url(
    *, alias: str, name: str, upload_id: str, number: int, local_url: str, seconds: int = 3600
) -> str:
    """Where the browser PUTs part `number`: a presigned UploadPart, or the portal's endpoint."""
    storage = storage_for(alias)
    if not is_object_storage(storage):
        return local_url
    client, bucket = _s3(storage)
    return client.generate_presigned_url(
        "upload_part",
        Params={
            "Bucket": bucket,
            "Key": _key(storage, name),
            "UploadId": upload_id,
            "PartNumber": number,
        },
        ExpiresIn=seconds,
    )


def direct_upload_origin(*, alias: str) -> str:
    """The origin the browser PUTs upload parts to on object storage ("" on the file system),
    for the upload page's Content-Security-Policy (connect-src): taken from a presigned URL, so
    it is right for path- and virtual-host-style addressing alike (signing is local, no call)."""
    storage = storage_for(alias)
    if not is_object_storage(storage):
        return ""
    client, bucket = _s3(storage)
    url = client.generate_presigned_url(
        "upload_part",
        Params={"Bucket": bucket, "Key": _key(storage, "origin"), "UploadId": "x", "PartNumber": 1},
        ExpiresIn=60,
    )
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def multipart_parts(*, alias: str, name: str, upload_id: str) -> list[dict]:
    """The parts stored so far: [{"number", "etag", "size"}] in order (what a resume skips)."""
    storage = storage_for(alias)
    if is_object_storage(storage):
        client, bucket = _s3(storage)
        parts, marker = [], 0
        while True:
            answer = client.list_parts(
                Bucket=bucket, Key=_key(storage, name), UploadId=upload_id, PartNumberMarker=marker
            )
            parts += [
                {"number": p["PartNumber"], "etag": p["ETag"], "size": p["Size"]}
                for p in answer.get("Parts", [])
            ]
            if not answer.get("IsTruncated"):
                return parts
            marker = answer["NextPartNumberMarker"]
    folder = _parts_dir(storage, name)
    if not folder.is_dir():
        return []
    parts = []
    for path in sorted(folder.glob("*.part")):
        parts.append(
            {"number": int(path.stem), "etag": path.with_suffix(".etag").read_text(), "size": 0}
        )
        parts[-1]["size"] = path.stat().st_size
    return parts


def multipart_write_part(*, alias: str, name: str, number: int, stream, limit: int) -> str:
    """File system only: store one part from a request body; its ETag is the MD5, as on S3."""
    storage = storage_for(alias)
    folder = _parts_dir(storage, name)
    if not folder.is_dir():
        raise FileNotFoundError(name)
    digest, size = hashlib.md5(usedforsecurity=False), 0
    fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            while piece := stream.read(2**20):
                size += len(piece)
                if size > limit:
                    raise ValueError("part too big")
                digest.update(piece)
                out.write(piece)
        etag = f'"{digest.hexdigest()}"'
        (folder / f"{number:05d}.etag").write_text(etag)
        # The rename makes the part visible only whole: a dropped connection leaves nothing.
        os.replace(tmp, folder / f"{number:05d}.part")
        return etag
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def multipart_complete(*, alias: str, name: str, upload_id: str, parts: list[dict]) -> None:
    """Join the parts into the stored file (S3 CompleteMultipartUpload; a concatenation here)."""
    storage = storage_for(alias)
    if is_object_storage(storage):
        client, bucket = _s3(storage)
        client.complete_multipart_upload(
            Bucket=bucket,
            Key=_key(storage, name),
            UploadId=upload_id,
            MultipartUpload={
                "Parts": [{"PartNumber": p["number"], "ETag": p["etag"]} for p in parts]
            },
        )
        return
    folder = _parts_dir(storage, name)
    target = Path(storage.path(name))
    tmp = target.with_suffix(".joining")
    with open(tmp, "wb") as out:
        for part in parts:
            with open(folder / f"{part['number']:05d}.part", "rb") as piece:
                shutil.copyfileobj(piece, out, 4 * 2**20)
    os.replace(tmp, target)
    shutil.rmtree(folder, ignore_errors=True)


def multipart_abort(*, alias: str, name: str, upload_id: str) -> None:
    storage = storage_for(alias)
    if is_object_storage(storage):
        client, bucket = _s3(storage)
        with contextlib.suppress(client.exceptions.NoSuchUpload):
            client.abort_multipart_upload(
                Bucket=bucket, Key=_key(storage, name), UploadId=upload_id
            )
        return
    shutil.rmtree(_parts_dir(storage, name), ignore_errors=True)


def multipart_stale(*, alias: str, prefix: str, before: datetime.datetime) -> list[dict]:
    """Multipart uploads under `prefix` untouched since `before`: [{"name", "upload_id"}].

    On S3, the uploads the bucket still holds open (ListMultipartUploads) started before it; on
    the file system, part folders (`<name>.parts`) whose last part was written before it. What
    the clean-up of abandoned uploads aborts even when no upload row points at it any more."""
    storage = storage_for(alias)
    if is_object_storage(storage):
        client, bucket = _s3(storage)
        key_prefix = _key(storage, prefix)
        location = _key(storage, "")
        found, params = [], {"Bucket": bucket, "Prefix": key_prefix}
        while True:
            answer = client.list_multipart_uploads(**params)
            for upload in answer.get("Uploads", []):
                if upload["Initiated"] < before:
                    name = upload["Key"].removeprefix(location).lstrip("/")
                    found.append({"name": name, "upload_id": upload["UploadId"]})
            if not answer.get("IsTruncated"):
                return found
            params.update(
                KeyMarker=answer["NextKeyMarker"], UploadIdMarker=answer["NextUploadIdMarker"]
            )
    root = Path(storage.path(prefix))
    if not root.is_dir():
        return []
    cutoff = before.timestamp()
    return [
        {"name": str(folder.relative_to(Path(storage.path(""))))[: -len(".parts")], "upload_id": ""}
        for folder in root.rglob("*.parts")
        if folder.is_dir() and folder.stat().st_mtime < cutoff
    ]
