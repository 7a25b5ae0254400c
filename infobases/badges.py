"""An infobase's state as the panel shows it (the list's rows and the details page): one badge for
its status or block, one more while the subscriber's session lock is in force."""

from html import escape

from django.template.defaultfilters import filesizeformat
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import pgettext

from onebuh.listing import UrlPattern, choice_labels, local_datetimes

from .models import InfobaseStatus


def status_badge(infobase, statuses: dict[str, str] | None = None) -> SafeString:
    """`statuses`: the labels of InfobaseStatus when one page shows many (choice_labels)."""
    label = escape(
        statuses.get(infobase.status, infobase.status)
        if statuses is not None
        else infobase.get_status_display()
    )
    if infobase.blocked_at:
        blocked = escape(pgettext("infobase badge", "Blocked"))
        html = f'<span class="badge bad">{blocked}</span>'
    elif infobase.status == InfobaseStatus.READY:
        html = f'<span class="badge ok">{label}</span>'
    elif infobase.status == InfobaseStatus.FAILED:
        html = f'<span class="badge bad" title="{escape(infobase.status_message)}">{label}</span>'
    else:
        html = f'<span class="badge info">{label}</span>'
    if getattr(infobase, "lock_is_active", False):  # set by infobases.selectors.infobase_list
        locked = escape(pgettext("infobase badge", "Sessions locked"))
        html += f' <span class="badge warn">{locked}</span>'
    return mark_safe(html)  # noqa: S308 — every text escaped above


_ROW = (
    '<tr><td><a href="{url}">{name}</a></td><td>{solution}</td><td class="mono">{release}</td>'
    '<td>{status}</td><td class="num">{size}</td><td>{backup}</td></tr>'
)


def infobase_rows(infobases) -> list[SafeString]:
    """The infobase list's table rows as HTML, written here rather than in the template: its
    loop, include and filters were about a third of the page's work for three bases (issue
    16.4). `infobases`: infobases.selectors.infobase_list."""
    url = UrlPattern("infobases:detail")
    statuses = choice_labels(InfobaseStatus)
    when = local_datetimes()
    return [
        mark_safe(  # noqa: S308 — every text escaped
            _ROW.format(
                url=url(ib.pk),
                name=escape(ib.name),
                solution=escape(ib.solution.name),
                release=escape(ib.release.version) if ib.release else "—",
                status=status_badge(ib, statuses),
                size=escape(filesizeformat(ib.size_bytes)),
                backup=when(ib.last_backup_at) or "—",
            )
        )
        for ib in infobases
    ]
