from functools import wraps
from urllib.parse import quote

from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.utils import quote as admin_quote
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.translation import gettext


class ReadOnlyAdminMixin:
    """For append-only records (audit, state history, ledgers): staff read, nobody edits."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(ReadOnlyAdminMixin, admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False


def admin_has_permissions(model_admin, request, permissions) -> bool:
    """The check behind `@admin.action(permissions=…)`, also for custom admin views: "view",
    "change", "add", "delete" or a custom word ask the ModelAdmin's `has_<word>_permission`;
    a dotted "app.codename" asks the user directly."""
    for permission in permissions:
        if "." in permission:
            allowed = request.user.has_perm(permission)
        else:
            allowed = getattr(model_admin, f"has_{permission}_permission")(request)
        if not allowed:
            return False
    return True


def admin_view_permissions(*permissions: str):
    """Declare and enforce what a custom admin view (a ModelAdmin method behind `get_urls`)
    needs, as `@admin.action(permissions=…)` does for actions: without it the answer is 403.

    The declaration is kept on the view (`admin_permissions`), so the permission walk
    (tests/security/test_admin_permissions.py) checks every custom view as every staff role;
    a view without it fails that test.
    """
    if not permissions:
        raise ValueError("name at least one permission")

    def decorate(view):
        @wraps(view)
        def checked(model_admin, request, *args, **kwargs):
            if not admin_has_permissions(model_admin, request, permissions):
                raise PermissionDenied
            return view(model_admin, request, *args, **kwargs)

        checked.admin_permissions = permissions
        return checked

    return decorate


# Django's own msgid (its catalogue has the Russian), passed by name so that our catalogue does
# not extract it again.
_DJANGO_SELECT_ROW = "Select this object for an action - {}"


class _QuickChangeList(ChangeList):
    """The change page's address reversed once per page, not once per row (and per link column):
    the rows differ only in the key."""

    _PLACEHOLDER = "0"

    def url_for_result(self, result):
        template = getattr(self, "_change_url_parts", None)
        if template is None:
            url = reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
                args=(self._PLACEHOLDER,),
                current_app=self.model_admin.admin_site.name,
            )
            head, _sep, tail = url.rpartition(f"/{self._PLACEHOLDER}/")
            template = self._change_url_parts = (f"{head}/", f"/{tail}")
        key = quote(
            str(admin_quote(getattr(result, self.pk_attname))), safe=RFC3986_SUBDELIMS + "/~:@"
        )
        return f"{template[0]}{key}{template[1]}"

    def get_results(self, request):
        super().get_results(request)
        self.model_admin.prepare_results(request, self.result_list)


class QuickChangeListMixin:
    """For changelists over big tables (tickets, the ledger): the same page with less Python per
    row. Django renders each row's action checkbox through the form widget templates and reverses
    each row's change address; here the checkbox is one format_html with the same markup and the
    address is reversed once per page (bench/bench_admin.py measures the difference);
    `prepare_results` lets an admin compute its columns for the whole page at once."""

    def get_changelist(self, request, **kwargs):
        return _QuickChangeList

    def prepare_results(self, request, rows) -> None:
        """Called once with the page's rows before they are rendered: compute what the columns
        show for all of them at once (labels, badges) and keep it on the rows."""

    def action_checkbox(self, obj):
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            obj.pk,
            format_html(gettext(_DJANGO_SELECT_ROW), str(obj)),
        )
