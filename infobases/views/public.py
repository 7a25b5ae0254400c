"""The public catalog of 1C applications (1.3: https://1b.kz/solutions)."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render

from ..models import Release, Solution

PUBLISHED_RELEASES = Release.objects.filter(published_at__isnull=False).order_by(
    "-released_on", "-id"
)


def catalog(request):
    solutions = Solution.objects.filter(is_published=True).prefetch_related(
        Prefetch("releases", queryset=PUBLISHED_RELEASES, to_attr="published_releases")
    )
    return render(request, "infobases/catalog.html", {"solutions": solutions})


def solution(request, code):
    item = get_object_or_404(
        Solution.objects.prefetch_related(
            Prefetch("releases", queryset=PUBLISHED_RELEASES, to_attr="published_releases")
        ),
        code=code,
        is_published=True,
    )
    return render(request, "infobases/solution.html", {"solution": item})
