"""Public pages of billing, no sign-in: the prices."""

from django.shortcuts import render

from .models import Tariff


def prices(request):
    """Tariffs with their limits and support quotas (4.4), as offered to subscribers."""
    return render(
        request, "billing/prices.html", {"tariffs": Tariff.objects.filter(is_public=True)}
    )
