"""Statistics in the API (``/api/v1/stats/``, scope ``stats:read``): the tables apps register in
``core.stats``, aggregates only, small cells suppressed. Every signed-in user holds the scope,
and so does a key that names it; nobody anonymous."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from hkhz_portal.accounts.api_keys import HasScope, Scope, ScopePermission

from . import stats


class StatsCountSerializer(serializers.Serializer):
    count = serializers.IntegerField(allow_null=True, help_text=_("Null when suppressed."))
    suppressed = serializers.BooleanField()


class StatsRowSerializer(StatsCountSerializer):
    key = serializers.CharField(help_text=_("A stable code: a call's short name, a status, a sector, 2026-03, 2026."))
    label = serializers.CharField(help_text=_("The key in the reader's language."))


class StatsTableSerializer(serializers.Serializer):
    dataset = serializers.CharField()
    by = serializers.CharField()
    title = serializers.CharField()
    threshold = serializers.IntegerField(help_text=_("Counts under this are suppressed."))
    rows = StatsRowSerializer(many=True)
    total = StatsCountSerializer()


class StatsLinkSerializer(serializers.Serializer):
    dataset = serializers.CharField()
    by = serializers.CharField()
    title = serializers.CharField()
    url = serializers.URLField()


class StatsScoped(APIView):
    permission_classes = [ScopePermission, HasScope]
    key_scopes = Scope.STATS_READ


class StatsIndexView(StatsScoped):
    """The statistics tables there are, each with its link."""

    @extend_schema(responses=StatsLinkSerializer(many=True))
    def get(self, request):
        return Response(
            [
                {
                    "dataset": table.dataset,
                    "by": table.by,
                    "title": str(table.title),
                    "url": request.build_absolute_uri(reverse(f"api-stats-{table.name}")),
                }
                for table in stats.tables()
            ]
        )


class StatsTableView(StatsScoped):
    """One table of counts. A count under the threshold is null with ``suppressed: true``, and
    so is whatever would let it be worked out from the others (``core.stats.suppress``)."""

    table: stats.Table | None = None

    @extend_schema(responses=StatsTableSerializer)
    def get(self, request):
        return Response(stats.publish(self.table))


def stats_urls() -> list:
    """The index and one route per registered table (the apps registered them in ``ready()``,
    before any URL configuration is loaded)."""
    return [
        path("stats/", StatsIndexView.as_view(), name="api-stats"),
        *(
            path(
                f"stats/{table.dataset}/{table.by}/",
                StatsTableView.as_view(table=table),
                name=f"api-stats-{table.name}",
            )
            for table in stats.tables()
        ),
    ]
