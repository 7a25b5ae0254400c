"""Operations endpoints of the portal itself."""

from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@never_cache
@require_GET
def healthz(request):
    """Liveness for load balancers and monitoring: the process answers; no database is touched."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")
