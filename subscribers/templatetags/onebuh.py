import re

from django import template
from django.utils.safestring import mark_safe
from markdown_it import MarkdownIt

from onebuh.listing import fixed_url

register = template.Library()


@register.filter
def phone(value: str) -> str:
    """'+77011234567' → '+7 701 123 45 67'."""
    match = re.fullmatch(r"\+7(\d{3})(\d{3})(\d{2})(\d{2})", value or "")
    return "+7 {} {} {} {}".format(*match.groups()) if match else value


@register.filter
def markdown(value: str) -> str:
    """Operator-written Markdown (terms, help articles) as HTML. Raw HTML in the source is
    escaped (markdown-it's `html` option off), so the output is safe to mark as such."""
    renderer = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
    return mark_safe(renderer.render(value or ""))  # noqa: S308 — html off: the source is escaped


# `{% url name %}` for a URL without arguments, reversed once per process (onebuh.listing).
register.simple_tag(fixed_url, name="fixed_url")
