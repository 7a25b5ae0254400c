"""The resumable .dt upload (6.1): a page and the JSON steps static/js/dt-upload.js walks.

start → (part URL → PUT the part)* → complete → status until done. On object storage the part
URLs are presigned S3 UploadPart URLs and the body never reaches the portal; on the file system
they point at `upload_part_data` here, which stores each part as it comes.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from onebuh import files
from onebuh.ioerrors import io_error_log, io_error_message
from onebuh.uploads import upload_limits
from subscribers.access import manager_required

from .. import services, storage
from ..access import active_subscriber_required, upload_for_manager
from ..forms import UploadStartForm
from ..models import UploadStatus
from ..services.common import check_infobase_limit
from ..services.resumable import part_bytes_for


def _error(error: ValidationError | str, status: int = 400) -> JsonResponse:
    message = error if isinstance(error, str) else " ".join(error.messages)
    return JsonResponse({"error": message}, status=status)


def _state(session) -> dict:
    pk = session.pk
    return {
        "id": str(pk),
        "status": session.status,
        "message": session.message,
        "filename": session.original_name,
        "size": session.size_bytes,
        "part_bytes": session.part_bytes,
        "parts": [
            {"number": p["number"], "size": p["size"]}
            for p in services.upload_parts(session=session)
        ],
        "status_url": reverse("infobases:upload_status", args=[pk]),
        "part_url": reverse("infobases:upload_part", args=[pk, 0]),
        "complete_url": reverse("infobases:upload_complete", args=[pk]),
    }


@manager_required
@active_subscriber_required
def upload(request):
    subscriber = request.membership.subscriber
    limit_error = None
    try:
        check_infobase_limit(subscriber)
    except ValidationError as error:
        limit_error = " ".join(error.messages)
    response = render(
        request,
        "infobases/upload.html",
        {
            "form": UploadStartForm(),
            "limit": settings.ONEBUH_INFOBASES_UPLOAD_MAX_BYTES,
            "limit_error": limit_error,
        },
    )
    if origin := files.direct_upload_origin(alias=storage.ALIAS):
        # The parts go from this page straight to the storage: its origin joins connect-src.
        response._csp_update = {"connect-src": [origin]}
    return response


@require_POST
@manager_required
@active_subscriber_required
def upload_start(request):
    form = UploadStartForm(request.POST)
    if not form.is_valid():
        return _error(" ".join(m for errors in form.errors.values() for m in errors))
    try:
        size = int(request.POST.get("size", ""))
    except ValueError:
        return _error(_("Choose the file to upload."))
    try:
        session = services.upload_start(
            subscriber=request.membership.subscriber,
            uploaded_by=request.user,
            filename=request.POST.get("filename", ""),
            size=size,
            **form.cleaned_data,
        )
    except ValidationError as error:
        return _error(error)
    return JsonResponse(_state(session), status=201)


@manager_required
def upload_status(request, pk):
    session = upload_for_manager(membership=request.membership, pk=pk)  # 404 before 405
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    return JsonResponse(_state(session))


@require_POST
@manager_required
@active_subscriber_required
def upload_part(request, pk, number):
    session = upload_for_manager(membership=request.membership, pk=pk)
    try:
        url = services.upload_part_url(
            session=session,
            number=number,
            local_url=reverse("infobases:upload_part_data", args=[pk, number]),
        )
    except ValidationError as error:
        return _error(error)
    return JsonResponse({"url": url})


@require_http_methods(["PUT", "POST"])  # PUT from the page; POST as well for plain clients
@manager_required
# One part, not the whole file: bigger bodies are refused on their declared length.
@upload_limits(
    request_bytes=lambda: part_bytes_for(settings.ONEBUH_INFOBASES_UPLOAD_MAX_BYTES),
    file_bytes=lambda: part_bytes_for(settings.ONEBUH_INFOBASES_UPLOAD_MAX_BYTES),
)
def upload_part_data(request, pk, number):
    session = upload_for_manager(membership=request.membership, pk=pk)
    try:
        length = int(request.headers.get("Content-Length", ""))
    except ValueError:
        return _error(_("The part's length is missing."), status=411)
    try:
        etag = services.upload_receive_part(
            session=session, number=number, stream=request, length=length
        )
    except ValidationError as error:
        return _error(error)
    except FileNotFoundError:
        return _error(_("This upload is already finished. Start a new one."))
    except OSError as error:
        # A full or failing disk: a Russian message, one ERROR line; the part is not recorded,
        # so the page sends it again once there is room (a resumable upload).
        io_error_log(error, f"Receiving part {number} of upload {pk}")
        return _error(io_error_message(error), status=507)
    response = HttpResponse(status=200)
    response["ETag"] = etag
    return response


@require_POST
@manager_required
@active_subscriber_required
def upload_complete(request, pk):
    session = upload_for_manager(membership=request.membership, pk=pk)
    try:
        session = services.upload_complete(session=session, sha256=request.POST.get("sha256", ""))
    except ValidationError as error:
        return _error(error)
    return JsonResponse(_state(session), status=202 if session.status != UploadStatus.DONE else 200)
