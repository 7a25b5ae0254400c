import re

from django import template
from django.template.base import TemplateSyntaxError
from django.urls import get_script_prefix
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from markdown_it import MarkdownIt

from onebuh.cache import ProcessCache
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


# Rendered fragments by name and the values they vary on (no expiry: a fragment is a function of
# its key, the templates and the code, which change only with a restart).
_fragments = ProcessCache(ttl=float("inf"), size=1024)


class FixedFragmentNode(template.Node):
    def __init__(self, name: str, vary_on: list, nodelist):
        self.name, self.vary_on, self.nodelist = name, vary_on, nodelist

    def render(self, context):
        values = tuple(value.resolve(context) for value in self.vary_on)
        key = (self.name, get_language(), get_script_prefix(), values)
        html = _fragments.get(key)
        if html is None:
            html = mark_safe(self.nodelist.render(context))  # noqa: S308 — rendered by the engine
            _fragments.set(key, html)
        return html


@register.tag
def fixed_fragment(parser, token):
    """`{% fixed_fragment "name" var… %}…{% endfixed_fragment %}`: the enclosed part rendered once
    per process for each combination of the listed values (and the language and script prefix),
    then reused: for the layout's parts that every panel page renders alike (the sidebar's links
    and labels, the footer), which were about a tenth of a list page's work (issue 16.4). The
    part must depend on nothing but the listed values."""
    bits = token.split_contents()
    if len(bits) < 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
        raise TemplateSyntaxError(
            "fixed_fragment takes a quoted name, then the values it varies on"
        )
    nodelist = parser.parse(("endfixed_fragment",))
    parser.delete_first_token()
    return FixedFragmentNode(
        bits[1][1:-1], [parser.compile_filter(bit) for bit in bits[2:]], nodelist
    )
