"""The transformation fund in the admin site.

A fund's settings (size, quorum and majority, the priority window's length) and the due-diligence
template are edited here. Everything else is shown only: the capital ledger, deals, committee
meetings, rounds and priority windows change through the fund's services (its pages and the
API), which check who may act and keep the audit trail and the timeline. A vote is not shown
here at all: until its item closes nobody but its author reads it, and afterwards the meeting's
page shows it; the admin sees each closed item's outcome and tally.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from enterprises.admin import ReadOnlyInline
from hkhz_portal.accounts.models import Unit
from hkhz_portal.accounts.roles import UnitKind
from hkhz_portal.core.admin import ReadOnlyAdmin
from programs.admin import trilingual

from .models import (
    AgendaItem,
    CapitalTransaction,
    CommitteeMeeting,
    Deal,
    DealDocument,
    DealStageChange,
    DiligenceItem,
    DiligenceTemplateItem,
    Exit,
    FinancingRound,
    Fund,
    Investment,
    PriorityWindow,
    RoundOffer,
    WindowReminder,
)


@admin.register(Fund)
class FundAdmin(admin.ModelAdmin):
    list_display = ["name_en", "unit", "currency", "target_size", "vintage", "quorum", "window_days"]
    list_select_related = ["unit"]
    search_fields = ["slug", *trilingual("name")]
    prepopulated_fields = {"slug": ["name_en"]}
    fieldsets = [
        (None, {"fields": ["unit", "slug", "currency", "target_size", "vintage"]}),
        (_("Name"), {"fields": trilingual("name")}),
        (_("Investment committee"), {"fields": ["quorum", "majority_percent", "chair_casting_vote"]}),
        (_("Priority windows"), {"fields": ["window_days", "window_business_days"]}),
    ]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "unit":
            kwargs["queryset"] = Unit.objects.filter(kind=UnitKind.FUND)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(DiligenceTemplateItem)
class DiligenceTemplateItemAdmin(admin.ModelAdmin):
    """The checklist a deal gets when due diligence starts: a change applies to later deals."""

    list_display = ["title_en", "area", "order", "is_active"]
    list_filter = ["area", "is_active"]
    search_fields = trilingual("title")
    fields = ["area", "order", *trilingual("title"), "is_active"]


@admin.register(CapitalTransaction)
class CapitalTransactionAdmin(ReadOnlyAdmin):
    """Shown only: the ledger is written by the services (commitments and calls on the portfolio
    page, investments with their closing, proceeds with their exit), each converted once at the
    rate stored with it; a correction is a new entry."""

    list_display = ["value_date", "fund", "kind", "amount", "fx_rate", "fund_amount", "deal", "counterparty"]
    list_filter = ["fund", "kind"]
    list_select_related = ["fund", "deal"]
    search_fields = ["counterparty", "deal__reference", "note"]
    date_hierarchy = "value_date"
    fields = readonly_fields = [
        "fund",
        "kind",
        "deal",
        "counterparty",
        "amount",
        "fx_rate",
        "fund_amount",
        "value_date",
        "note",
        "recorded_by",
        "created_at",
    ]


class DealStageChangeInline(ReadOnlyInline):
    model = DealStageChange
    fields = readonly_fields = ["created_at", "transition", "from_stage", "to_stage", "actor", "note"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


class DiligenceItemInline(ReadOnlyInline):
    model = DiligenceItem
    fields = readonly_fields = ["area", "item_title", "owner", "status", "finding", "signed_off_by", "signed_off_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("owner", "signed_off_by")

    @admin.display(description=_("title"))
    def item_title(self, item):
        return item.title


class DealDocumentInline(ReadOnlyInline):
    model = DealDocument
    fields = readonly_fields = ["created_at", "original_name", "item", "size", "uploaded_by"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("item", "uploaded_by")


class InvestmentInline(ReadOnlyInline):
    model = Investment
    fields = readonly_fields = ["closed_on", "kind", "instrument", "amount", "pre_money", "ownership_percent"]


class ExitInline(ReadOnlyInline):
    model = Exit
    fields = readonly_fields = ["exited_on", "kind", "proceeds", "stake_sold_percent", "note"]


@admin.register(Deal)
class DealAdmin(ReadOnlyAdmin):
    """Shown only: a deal moves through the fund's services (the board and its page), which check
    who may take each step and its gate, and keep its timeline."""

    list_display = ["reference", "enterprise", "fund", "stage", "source", "amount_sought", "lead", "created_at"]
    list_filter = ["fund", "stage", "source"]
    list_select_related = ["enterprise", "fund", "lead"]
    search_fields = ["reference", "enterprise__legal_name_en", "enterprise__legal_name_zh"]
    date_hierarchy = "created_at"
    fields = readonly_fields = [
        "reference",
        "fund",
        "enterprise",
        "stage",
        "source",
        "application",
        "amount_sought",
        "summary",
        "lead",
        "requested_by",
        "decline_reason",
        "created_at",
        "stage_changed_at",
    ]
    inlines = [DealStageChangeInline, DiligenceItemInline, DealDocumentInline, InvestmentInline, ExitInline]


class AgendaItemInline(ReadOnlyInline):
    """Each deal put to the meeting with its outcome and tally once its vote closed."""

    model = AgendaItem
    fields = readonly_fields = ["order", "deal", "closed_at", "outcome", "casting_vote", "tally"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("deal")


@admin.register(CommitteeMeeting)
class CommitteeMeetingAdmin(ReadOnlyAdmin):
    """Shown only: meetings are convened, and their votes cast and closed, on the committee's pages."""

    list_display = ["title", "fund", "scheduled_for", "chair", "location"]
    list_filter = ["fund"]
    list_select_related = ["fund", "chair"]
    search_fields = ["title", "location"]
    date_hierarchy = "scheduled_for"
    fields = readonly_fields = ["fund", "title", "scheduled_for", "location", "chair", "members", "created_by"]
    inlines = [AgendaItemInline]


class RoundOfferInline(ReadOnlyInline):
    model = RoundOffer
    fields = readonly_fields = ["created_at", "amount", "pre_money", "instrument", "terms"]


class RoundWindowInline(ReadOnlyInline):
    model = PriorityWindow
    fields = readonly_fields = ["fund", "state", "notice_received_at", "ends_at", "commitment"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("fund")


@admin.register(FinancingRound)
class FinancingRoundAdmin(ReadOnlyAdmin):
    """Shown only: the enterprise records its rounds and its offers to others on its funding page."""

    list_display = ["name", "enterprise", "amount_sought", "pre_money", "instrument", "closing_target", "created_at"]
    list_filter = ["instrument"]
    list_select_related = ["enterprise"]
    search_fields = ["name", "enterprise__legal_name_en", "enterprise__legal_name_zh"]
    fields = readonly_fields = [
        "enterprise",
        "name",
        "amount_sought",
        "pre_money",
        "instrument",
        "terms",
        "closing_target",
        "created_by",
        "created_at",
    ]
    inlines = [RoundOfferInline, RoundWindowInline]


class WindowReminderInline(ReadOnlyInline):
    model = WindowReminder
    fields = readonly_fields = ["days_before", "sent_at"]


@admin.register(PriorityWindow)
class PriorityWindowAdmin(ReadOnlyAdmin):
    """Shown only: a window opens with its round and ends once, exercised or waived on the fund's
    page or expired by the beat task."""

    list_display = ["round", "enterprise", "fund", "state", "ends_at", "commitment"]
    list_filter = ["fund", "state"]
    list_select_related = ["round__enterprise", "fund"]
    search_fields = ["round__name", "round__enterprise__legal_name_en", "round__enterprise__legal_name_zh"]
    date_hierarchy = "ends_at"
    fields = readonly_fields = [
        "fund",
        "round",
        "enterprise",
        "state",
        "notice_received_at",
        "ends_at",
        "terms",
        "revived_from",
        "ended_at",
        "ended_by",
        "decision",
        "commitment",
        "deal",
    ]
    inlines = [WindowReminderInline]

    @admin.display(description=_("enterprise"))
    def enterprise(self, window):
        return window.round.enterprise
