"""Statistics in the API (``/api/v1/stats/``, scope ``stats:read``): the tables apps register in
``core.stats``, aggregates only, small cells suppressed. Every signed-in user holds the scope,
and so does a key that names it; nobody anonymous."""

import dataclasses

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from hkhz_portal.accounts.api_keys import HasScope, Scope, ScopePermission

from . import stats
from .openapi import AutoSchema, scope_refused

API = "https://portal.example.org/api/v1"
WHO = "For keys with `stats:read` and every signed-in user; aggregates only."
SUPPRESSION = (
    f"Counts under {stats.THRESHOLD} are not published, so that no figure singles out a firm: such a cell's "
    "`count` is null with `suppressed: true`. So is the smallest other cell when the total minus the published "
    "cells would give the withheld one away, and the total itself when it is under the threshold or would "
    "still tell too much."
)


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

    @extend_schema(
        summary="List the statistics tables",
        description=f"Each table there is, with its link. {WHO}",
        responses=StatsLinkSerializer(many=True),
        examples=[
            OpenApiExample(
                "Tables",
                value={
                    "dataset": "applications",
                    "by": "status",
                    "title": "Applications by status",
                    "url": f"{API}/stats/applications/status/",
                },
                response_only=True,
            ),
            scope_refused(Scope.STATS_READ),
        ],
    )
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


class StatsTableSchema(AutoSchema):
    """One route per registered table, each documented as its table: its title as the summary,
    and its example cells published as its example, suppression and all."""

    def get_summary(self):
        return str(self.view.table.title)

    def get_description(self):
        return f"{SUPPRESSION}\n\n{WHO}"

    def get_response_serializers(self):
        return StatsTableSerializer

    def get_examples(self):
        table = self.view.table
        published = stats.publish(dataclasses.replace(table, rows=lambda: table.example))
        return [OpenApiExample(str(table.title), value=published, response_only=True), scope_refused(Scope.STATS_READ)]


class StatsTableView(StatsScoped):
    """One table of counts. A count under the threshold is null with ``suppressed: true``, and
    so is whatever would let it be worked out from the others (``core.stats.suppress``)."""

    table: stats.Table | None = None
    schema = StatsTableSchema()

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
