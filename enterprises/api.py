"""The enterprises API (DRF, session auth, under /api/v1/): members read and update their own
enterprises, list their documents, read their fellow members (logged as an export) and keep
products and regulatory milestones. Reads go through selectors, every write through a service;
another enterprise's objects are 404.
"""

from decimal import Decimal

from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from djmoney.money import Money
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.validators import UniqueValidator

from hkhz_portal.core.converters import ID_REGEX, REFERENCE_REGEX
from hkhz_portal.core.validators import is_row_id

from . import api_schema as docs
from . import selectors
from .choices import CURRENCIES, ExportKind
from .identifiers import IDENTIFIERS
from .models import (
    DUPLICATE_MESSAGES,
    FIGURES_FIELDS,
    IDENTITY_FIELDS,
    LOCATION_FIELDS,
    MILESTONE_FIELDS,
    Document,
    DocumentVersion,
    Enterprise,
    Membership,
    Milestone,
    Product,
)
from .services import consent, profile, regulatory

CURRENCY_CODES = [code for code, _label in CURRENCIES]


@extend_schema_field(docs.MONEY)
class MoneyField(serializers.Field):
    """Money as ``{"amount": "123.00", "currency": "CNY"}``; ``null`` when not given.

    djmoney's own DRF field spreads an amount and its currency over two flat keys
    (``annual_revenue`` and ``annual_revenue_currency``); one object reads better and cannot
    be half-sent.
    """

    default_error_messages = {
        "invalid": _('Give an object with an amount and a currency, e.g. {"amount": "1200000.00", "currency": "CNY"}.'),
        "currency": _("The currency must be one of: %(choices)s."),
    }

    def __init__(self, *, max_digits=16, decimal_places=2, **kwargs):
        super().__init__(**kwargs)
        self.amount = serializers.DecimalField(
            max_digits=max_digits, decimal_places=decimal_places, min_value=Decimal(0), coerce_to_string=True
        )

    def to_representation(self, value):
        return {"amount": self.amount.to_representation(value.amount), "currency": value.currency.code}

    def to_internal_value(self, data):
        if not isinstance(data, dict) or set(data) != {"amount", "currency"}:
            raise serializers.ValidationError(self.error_messages["invalid"], code="invalid")
        if data["currency"] not in CURRENCY_CODES:
            raise serializers.ValidationError(
                self.error_messages["currency"] % {"choices": ", ".join(CURRENCY_CODES)}, code="currency"
            )
        return Money(self.amount.run_validation(data["amount"]), data["currency"])


class IdentifierField(serializers.CharField):
    """An identifier normalised (spaces, hyphens, case) before the model's validators see it."""

    def __init__(self, *, normalize, **kwargs):
        self.normalize = normalize
        kwargs.update(required=False, allow_null=True, allow_blank=True)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        return self.normalize(super().to_internal_value(data))


def _identifier(name, max_length):
    """The identifier field ``name``: cleaned up and checked as everywhere, unique among enterprises."""
    normalize, validate = IDENTIFIERS[name]
    unique = UniqueValidator(queryset=Enterprise.objects.all(), message=DUPLICATE_MESSAGES[name])
    return IdentifierField(normalize=normalize, max_length=max_length, validators=[validate, unique])


class EnterpriseSerializer(serializers.ModelSerializer):
    uscc = _identifier("uscc", max_length=18)
    hk_br = _identifier("hk_br", max_length=8)
    hk_cr = _identifier("hk_cr", max_length=7)
    annual_revenue = MoneyField(required=False, allow_null=True)
    rd_spend = MoneyField(required=False, allow_null=True)
    links = serializers.SerializerMethodField()

    class Meta:
        model = Enterprise
        fields = [
            "reference",
            *IDENTITY_FIELDS,
            *LOCATION_FIELDS,
            *FIGURES_FIELDS,
            "data_residency",
            "created_at",
            "updated_at",
            "links",
        ]
        read_only_fields = ["reference", "data_residency", "created_at", "updated_at"]

    @extend_schema_field(docs.LinksShape)
    def get_links(self, enterprise):
        request = self.context["request"]
        kwargs = {"reference": enterprise.reference}
        return {
            name: request.build_absolute_uri(reverse(f"api-{name[:-1]}-list", kwargs=kwargs))
            for name in ("documents", "products", "milestones", "members")
        }


class DocumentVersionSerializer(serializers.ModelSerializer):
    file_name = serializers.CharField(source="original_name")
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = DocumentVersion
        fields = ["number", "file_name", "content_type", "size", "uploaded_at", "download_url"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_download_url(self, version):
        path = reverse(
            "document_download", args=[self.context["enterprise"].reference, version.document_id, version.number]
        )
        return self.context["request"].build_absolute_uri(path)


class DocumentSerializer(serializers.ModelSerializer):
    title = serializers.CharField(source="display_title")
    type = serializers.CharField(source="doc_type")
    type_label = serializers.CharField(source="get_doc_type_display")
    current_version = serializers.SerializerMethodField()
    versions = DocumentVersionSerializer(many=True)

    class Meta:
        model = Document
        fields = ["id", "title", "type", "type_label", "created_at", "current_version", "versions"]
        read_only_fields = fields

    def get_current_version(self, document) -> int | None:
        versions = document.versions.all()  # prefetched, newest first
        return versions[0].number if versions else None


class MemberSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(source="user.full_name")
    email = serializers.EmailField(source="user.email")

    class Meta:
        model = Membership
        fields = ["id", "full_name", "email", "role", "joined_at"]
        read_only_fields = fields


class ProductMilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Milestone
        fields = ["id", *MILESTONE_FIELDS, "updated_at"]
        read_only_fields = fields


class ProductSerializer(serializers.ModelSerializer):
    milestones = ProductMilestoneSerializer(many=True, read_only=True)

    class Meta:
        model = Product
        fields = ["id", "name", "modality", "created_at", "milestones"]
        read_only_fields = ["created_at"]


class MilestoneSerializer(serializers.ModelSerializer):
    product = serializers.PrimaryKeyRelatedField(
        queryset=Product.objects.none(),
        error_messages={"does_not_exist": _("This enterprise has no product with id {pk_value}.")},
    )

    class Meta:
        model = Milestone
        fields = ["id", "product", *MILESTONE_FIELDS, "updated_at"]
        read_only_fields = ["updated_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the enterprise's own products can be named: any other id is "does not exist".
        enterprise = self.context.get("enterprise")
        if enterprise is not None:
            self.fields["product"].queryset = enterprise.products.all()

    def validate_product(self, product):
        if self.instance is not None and product.pk != self.instance.product_id:
            raise serializers.ValidationError(
                _("A milestone stays with its product: delete it and add it to the other product instead.")
            )
        return product


@extend_schema_view(
    list=extend_schema(summary="List your enterprises", examples=docs.ENTERPRISE_LIST),
    retrieve=extend_schema(summary="Read one of your enterprises", examples=docs.ENTERPRISE_DETAIL),
    partial_update=extend_schema(
        summary="Update an enterprise's profile",
        description="Needs your consent to the cross-border transfer of the data you enter (403 without it).",
        examples=docs.ENTERPRISE_UPDATE,
    ),
)
class EnterpriseViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet
):
    """The user's own enterprises: list, read, and PATCH the profile (consent required)."""

    serializer_class = EnterpriseSerializer
    lookup_field = "reference"
    lookup_value_regex = REFERENCE_REGEX
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.enterprises_of(self.request.user)

    def perform_update(self, serializer):
        serializer.instance = profile.update_enterprise(
            serializer.instance, actor=self.request.user, **serializer.validated_data
        )


class EnterpriseScopedMixin:
    """Views nested under ``enterprises/<reference>/``: another enterprise's are 404, and so
    is an id that is not a number (before any query)."""

    lookup_value_regex = ID_REGEX

    @cached_property
    def enterprise(self):
        return selectors.enterprise_of(self.request.user, self.kwargs["reference"])

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "enterprise": self.enterprise}


@extend_schema_view(
    list=extend_schema(summary="List an enterprise's documents", examples=docs.DOCUMENT_LIST),
    retrieve=extend_schema(summary="Read a document and its versions", examples=docs.DOCUMENT_DETAIL),
)
class DocumentViewSet(EnterpriseScopedMixin, viewsets.ReadOnlyModelViewSet):
    """The enterprise's documents (not the withdrawn ones) with every version and where to download it."""

    serializer_class = DocumentSerializer

    def get_queryset(self):
        return selectors.documents(self.enterprise)


@extend_schema_view(
    list=extend_schema(
        summary="List an enterprise's members",
        description="Fellow members' names and e-mail addresses: personal data, so every read is written to the "
        "export log.",
        examples=docs.MEMBER_LIST,
    )
)
class MemberViewSet(EnterpriseScopedMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Fellow members' names and e-mail addresses: personal data, so every read is an export-log row."""

    serializer_class = MemberSerializer

    def get_queryset(self):
        return selectors.members(self.enterprise)

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        rows = response.data["results"] if isinstance(response.data, dict) else response.data
        consent.log_export(
            kind=ExportKind.API_READ,
            actor=request.user,
            enterprise=self.enterprise,
            description=f"API read of {len(rows)} member(s)' names and e-mail addresses of {self.enterprise.reference}",
        )
        return response


@extend_schema_view(
    list=extend_schema(summary="List an enterprise's products", examples=docs.PRODUCT_LIST),
    retrieve=extend_schema(summary="Read a product and its milestones", examples=docs.PRODUCT_DETAIL),
    create=extend_schema(summary="Add a product", examples=docs.PRODUCT_WRITE),
    update=extend_schema(summary="Replace a product", examples=docs.PRODUCT_WRITE),
    partial_update=extend_schema(summary="Change a product", examples=docs.PRODUCT_WRITE),
    destroy=extend_schema(summary="Delete a product and its milestones", examples=docs.PRODUCT_DELETE),
)
class ProductViewSet(EnterpriseScopedMixin, viewsets.ModelViewSet):
    serializer_class = ProductSerializer

    def get_queryset(self):
        return selectors.products(self.enterprise)

    def perform_create(self, serializer):
        serializer.instance = regulatory.save_product(
            self.enterprise, actor=self.request.user, **serializer.validated_data
        )

    def perform_update(self, serializer):
        serializer.instance = regulatory.save_product(
            self.enterprise, actor=self.request.user, product=serializer.instance, **serializer.validated_data
        )

    def perform_destroy(self, instance):
        regulatory.delete_product(instance, actor=self.request.user)


@extend_schema_view(
    list=extend_schema(
        summary="List the milestones of an enterprise's products",
        parameters=[docs.PRODUCT_FILTER],
        examples=[*docs.MILESTONE_LIST, docs.PRODUCT_FILTER_REFUSED],
    ),
    retrieve=extend_schema(summary="Read a milestone", examples=docs.MILESTONE_DETAIL),
    create=extend_schema(summary="Add a milestone", examples=docs.MILESTONE_WRITE),
    update=extend_schema(summary="Replace a milestone", examples=docs.MILESTONE_WRITE),
    partial_update=extend_schema(summary="Change a milestone", examples=docs.MILESTONE_WRITE),
    destroy=extend_schema(summary="Delete a milestone", examples=docs.MILESTONE_DELETE),
)
class MilestoneViewSet(EnterpriseScopedMixin, viewsets.ModelViewSet):
    """Milestones of the enterprise's products; ``?product=<id>`` narrows to one product."""

    serializer_class = MilestoneSerializer

    def get_queryset(self):
        milestones = selectors.milestones(self.enterprise).order_by("product__name", "pathway", "jurisdiction", "pk")
        product = self.request.query_params.get("product")
        if product is not None:
            if not is_row_id(product):
                raise serializers.ValidationError({"product": [_("Give a product id (a number).")]})
            milestones = milestones.filter(product_id=int(product))
        return milestones

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        product = data.pop("product")
        serializer.instance = regulatory.save_milestone(product, actor=self.request.user, **data)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("product", None)
        milestone = serializer.instance
        serializer.instance = regulatory.save_milestone(
            milestone.product, actor=self.request.user, milestone=milestone, **data
        )

    def perform_destroy(self, instance):
        regulatory.delete_milestone(instance, actor=self.request.user)
