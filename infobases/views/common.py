from django.contrib import messages
from django.core.exceptions import ValidationError


def run(request, action, success: str | None = None):
    """Call a service; a ValidationError becomes the page's error message and changes nothing."""
    try:
        result = action()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return None, False
    if success:
        messages.success(request, success)
    return result, True
