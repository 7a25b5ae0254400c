from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination


class _PageParameters(serializers.Serializer):
    page = serializers.IntegerField(required=False, min_value=1)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=200)


class ApiPagination(PageNumberPagination):
    """Every list: ?page=N&page_size=M (1–200, default 50), with count, next and previous.
    Unlike DRF's default, a malformed page size is refused (400) rather than ignored."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def paginate_queryset(self, queryset, request, view=None):
        given = _PageParameters(data=request.query_params.dict())
        if not given.is_valid():
            raise serializers.ValidationError(given.errors)
        return super().paginate_queryset(queryset, request, view)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["maximum"] = self.max_page_size
                parameter["description"] = str(_("Results per page, 1–200 (50 by default)."))
            else:
                parameter["description"] = str(_("The page number, from 1."))
        return parameters
