"""The API's landing page (/api/): public, in Russian, for the people who write integrations."""

import json

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from .schema import ERRORS, TAGS, rate_limit_texts


def landing(request):
    api_base = request.build_absolute_uri(reverse("v1_api:me")).removesuffix("me/")
    return render(
        request,
        "api/landing.html",
        {
            "api_base": api_base,
            "example_url": f"{api_base}me/",
            "sections": [TAGS[key] for key in TAGS if key != "1c"],
            "errors": sorted(ERRORS.items()),
            "limits": rate_limit_texts(),
            "error_example": json.dumps(
                {
                    "error": {
                        "code": "invalid",
                        "message": _("Check the data: some fields are wrong."),
                        "fields": {"name": [_("This field is required.")]},
                    }
                },
                ensure_ascii=False,
                indent=2,
            ),
            "onec_url": request.build_absolute_uri(reverse("support_api:ticket_create")),
        },
    )
