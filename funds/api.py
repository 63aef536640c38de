"""The fund's API (DRF, under /api/v1/): an enterprise's own financing rounds, with each fund's
priority window as the enterprise may see it, and the funds' figures for partners.

A round is confidential while a fund's window on it runs: its enterprise's members read and
record their enterprises' rounds, anyone else's is 404, and a key is refused (403, saying so),
as on service requests. The window shows its state, until when it is open and the commitment
once exercised, never the fund's decision note. The figures are aggregates for ``stats:read``:
each fund's capital from its ledger, and its cells of the statistics tables of deals by stage
and windows by state, small counts suppressed as in ``/stats/``.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from enterprises.api import EnterpriseScopedMixin, MoneyField
from hkhz_portal.accounts.api_keys import ScopePermission
from hkhz_portal.core.api_stats import StatsScoped
from hkhz_portal.core.validators import validate_multiline_text, validate_plain_text
from programs.api import MESSAGE_MAX
from programs.centres.api import NotForPartners

from . import api_schema as docs
from . import display, selectors, stats
from .models import FinancingRound, Fund, Instrument, RoundOffer, WindowState
from .services import capital, rounds
from .workflow import Stage

# --- Rounds -------------------------------------------------------------------------------------------


class RoundsNotForPartners(NotForPartners):
    refusal = _("Financing rounds are not shared with partners: these endpoints are for signed-in users.")


class OfferSerializer(serializers.ModelSerializer):
    amount = MoneyField()
    pre_money = MoneyField()
    instrument_label = serializers.CharField(source="get_instrument_display")

    class Meta:
        model = RoundOffer
        fields = ["amount", "pre_money", "instrument", "instrument_label", "terms", "created_at"]
        read_only_fields = fields


class RoundSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    amount_sought = MoneyField()
    pre_money = MoneyField()
    instrument_label = serializers.CharField(source="get_instrument_display")
    windows = serializers.SerializerMethodField()
    offers = OfferSerializer(many=True)

    class Meta:
        model = FinancingRound
        fields = [
            "id",
            "url",
            "name",
            "amount_sought",
            "pre_money",
            "instrument",
            "instrument_label",
            "terms",
            "closing_target",
            "created_at",
            "windows",
            "offers",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.URLField())
    def get_url(self, round_):
        path = reverse("api-round-detail", args=[self.context["enterprise"].reference, round_.pk])
        return self.context["request"].build_absolute_uri(path)

    @extend_schema_field(docs.WindowShape(many=True))
    def get_windows(self, round_):
        when = serializers.DateTimeField()
        money = MoneyField()
        return [
            {
                "fund": {"slug": window.fund_slug, "name": window.fund},
                "state": window.state.value,
                "state_label": str(window.state.label),
                "notice_received_at": when.to_representation(window.notice_received_at),
                "ends_at": when.to_representation(window.ends_at),
                "last_day": window.last_day.isoformat(),
                "ended_at": when.to_representation(window.ended_at) if window.ended_at else None,
                "commitment": money.to_representation(window.commitment) if window.commitment else None,
                "revived": window.revived,
            }
            for window in display.current_windows(round_)
        ]


class RecordRoundSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100, validators=[validate_plain_text], help_text="For example “Series A”.")
    amount_sought = MoneyField()
    pre_money = MoneyField(help_text="The valuation before the round's money.")
    instrument = serializers.ChoiceField(choices=Instrument.choices)
    closing_target = serializers.DateField(help_text="In the future.")
    terms = serializers.CharField(
        max_length=MESSAGE_MAX,
        required=False,
        allow_blank=True,
        default="",
        validators=[validate_multiline_text],
        help_text="Liquidation preference, board seats, anything else investors are offered.",
    )


@extend_schema_view(
    list=extend_schema(
        summary="List an enterprise's financing rounds",
        description="Newest first, each with each fund's priority window on it (its latest: a window revived by an "
        "offer on better terms stands for the one it revives) and the offers to other investors. For the "
        "enterprise's members; sessions only: rounds are not shared with partners.",
        tags=["rounds"],
        examples=docs.ROUND_LIST,
    ),
    retrieve=extend_schema(
        summary="Read a financing round",
        description="The round, each fund's window (open until `last_day`; exercised with the `commitment`; waived; "
        "expired) and the offers to other investors. Another enterprise's round is 404.",
        tags=["rounds"],
        examples=docs.ROUND_DETAIL,
    ),
    create=extend_schema(
        summary="Record a financing round",
        description="For a member of the enterprise who has consented to the cross-border transfer of its data. "
        "Each fund's priority window opens now, with these terms frozen in it, for the fund's window (30 days "
        "unless the fund says otherwise; working days on the enterprise's calendar if the fund counts so). 201 with "
        "the round and its `Location`.",
        tags=["rounds"],
        request=RecordRoundSerializer,
        responses={201: RoundSerializer},
        examples=docs.ROUND_CREATE,
    ),
)
class RoundViewSet(EnterpriseScopedMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The enterprise's financing rounds: ``POST`` records one (each fund's window opens)."""

    permission_classes = [RoundsNotForPartners, ScopePermission, IsAuthenticated]

    def get_queryset(self):
        return selectors.with_windows(selectors.enterprise_rounds(self.enterprise))

    def get_serializer_class(self):
        return RecordRoundSerializer if self.action == "create" else RoundSerializer

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        made = rounds.record_round(actor=request.user, enterprise=self.enterprise, **serializer.validated_data)
        made = self.get_queryset().get(pk=made.pk)
        data = RoundSerializer(made, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED, headers={"Location": data["url"]})


# --- The fund's figures ---------------------------------------------------------------------------------


class FiguresSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField(help_text="In the request's language.")
    currency = serializers.CharField(help_text="Every figure is in it, converted when recorded at a stored rate.")
    vintage = serializers.IntegerField()
    target_size = MoneyField()
    committed = MoneyField(help_text="What investors promised.")
    called = MoneyField(help_text="What the fund asked them to pay in.")
    uncalled = MoneyField()
    invested = MoneyField(help_text="Closings and follow-ons.")
    distributed = MoneyField(help_text="Exit proceeds.")
    remaining = MoneyField(help_text="Committed, not yet invested.")
    threshold = serializers.IntegerField(help_text="Counts under this are suppressed.")
    deals_by_stage = docs.StageCountShape(many=True, help_text="Stages with no deal are left out.")
    windows_by_state = docs.WindowCountShape(many=True, help_text="States with no window are left out.")


def _cells(table: dict, fund: Fund, name: str, choices) -> list[dict]:
    """``fund``'s cells of a published table keyed ``<fund slug>:<value>``."""
    labels = dict(choices)
    prefix = f"{fund.slug}:"
    return [
        {name: key, "label": str(labels[key]), "count": row["count"], "suppressed": row["suppressed"]}
        for row in table["rows"]
        if row["key"].startswith(prefix) and (key := row["key"][len(prefix) :])
    ]


class FundFiguresView(StatsScoped):
    """Each fund's capital and counts: aggregates only, small counts suppressed."""

    @extend_schema(
        summary="The fund's figures",
        description="Per fund: its target, and committed, called, uncalled, invested, distributed and remaining "
        "capital, summed from its ledger in its currency (a transaction in another currency converted once, at the "
        "rate stored with it); its deals by stage and its priority windows by state, as the statistics tables "
        "`deals/fund-stage` and `priority-windows/fund-state` publish them (counts under the threshold suppressed, "
        "and whatever would give them away). For keys with `stats:read` and every signed-in user.",
        tags=["fund"],
        responses=FiguresSerializer(many=True),
        examples=docs.FIGURES,
    )
    def get(self, request):
        deals, windows = stats.published(*stats.DEALS), stats.published(*stats.WINDOWS)
        answer = []
        for fund in Fund.objects.order_by("slug"):
            figures = capital.figures(fund)
            answer.append(
                {
                    "slug": fund.slug,
                    "name": fund.name,
                    "currency": fund.currency,
                    "vintage": fund.vintage,
                    "target_size": figures.target,
                    "committed": figures.committed,
                    "called": figures.called,
                    "uncalled": figures.uncalled,
                    "invested": figures.invested,
                    "distributed": figures.distributed,
                    "remaining": figures.remaining,
                    "threshold": deals["threshold"],
                    "deals_by_stage": _cells(deals, fund, "stage", Stage.choices),
                    "windows_by_state": _cells(windows, fund, "state", WindowState.choices),
                }
            )
        return Response(FiguresSerializer(answer, many=True).data)
