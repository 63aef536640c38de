"""Applications for partners (``/api/v1/partner/applications/``, scope ``applications:read``):
read-only, and only the submitted applications of enterprises that share them with the
partner's organisation (``enterprises.DataSharing``). A key reads for its organisation; a
partner user signed in reads the same as their organisation's keys.

A route of its own rather than a branch of ``/api/v1/applications/``: that one is the
applicant's own applications, which they write to, and a user may be both an applicant and a
partner; here each client gets one meaning per URL and one shape per response in the schema.

The list holds no personal data. One application's detail holds its answers (team members,
people named in them) and the enterprise's consenting contact persons: each such read writes
one export-log row, naming the organisation.
"""

from django.utils.functional import cached_property
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from enterprises.choices import ExportKind
from enterprises.services.consent import log_export
from hkhz_portal.accounts.api_keys import HasScope, PartnerClient, Scope, ScopePermission, request_organisation
from hkhz_portal.core.converters import REFERENCE_REGEX
from hkhz_portal.core.pagination import CursorPage

from . import api_schema as docs
from . import partners
from .models import Application

SHARING = (
    "An enterprise's owner chooses, on its profile, the partner organisations its applications are shared "
    "with (which needs the owner's consent to cross-border transfer of personal data); they can revoke that "
    "at any time, and from then on its applications are not found here. Only submitted "
    "applications are shared: a draft is the enterprise's own. Any other application, another "
    "organisation's or no one's, is 404, exactly as one that does not exist. For keys with "
    "`applications:read` and your organisation's partner users."
)


class SharedEnterpriseSerializer(serializers.Serializer):
    reference = serializers.CharField()
    name_en = serializers.CharField(source="legal_name_en")
    name_zh = serializers.CharField(source="legal_name_zh")


class SharedApplicationSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display")
    call = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    call_title = serializers.CharField(source="call.title")
    programme = serializers.CharField(source="call.programme.slug")
    enterprise = SharedEnterpriseSerializer()
    url = serializers.HyperlinkedIdentityField(view_name="api-partner-application-detail", lookup_field="reference")

    class Meta:
        model = Application
        fields = [
            "reference",
            "status",
            "status_label",
            "call",
            "call_title",
            "programme",
            "enterprise",
            "sector",
            "submitted_at",
            "status_changed_at",
            "url",
        ]
        read_only_fields = fields


class ContactSerializer(serializers.Serializer):
    name = serializers.CharField()
    title = serializers.CharField()
    email = serializers.EmailField()
    phone = serializers.SerializerMethodField()

    def get_phone(self, contact) -> str:
        return contact.phone.as_e164 if contact.phone else ""


class SharedApplicationDetailSerializer(SharedApplicationSerializer):
    form_version = serializers.IntegerField(source="form_version.number")
    answers = serializers.JSONField()
    contacts = ContactSerializer(source="enterprise.consented_contacts", many=True)

    class Meta(SharedApplicationSerializer.Meta):
        fields = [*SharedApplicationSerializer.Meta.fields, "form_version", "answers", "contacts"]
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(
        summary="List applications shared with your organisation",
        description=f"In order of reference, in cursor pages. No personal data: the enterprise's names, the call, "
        f"the status. {SHARING}",
        tags=["partner-applications"],
        examples=docs.SHARED_APPLICATION_LIST,
    ),
    retrieve=extend_schema(
        summary="Read an application shared with your organisation",
        description="With its answers (which may name people: the team, advisers) and the enterprise's contact "
        "persons who consented to the transfer of their data. Each read is written to the enterprise's export "
        f"log, naming your organisation and the key (or user) that read it. {SHARING}",
        tags=["partner-applications"],
        examples=docs.SHARED_APPLICATION_DETAIL,
    ),
)
class PartnerApplicationViewSet(viewsets.ReadOnlyModelViewSet):
    """Applications shared with your organisation, submitted ones only, in order of reference.
    One that is not shared with it (another organisation's, or no one's) is not found (404)."""

    permission_classes = [ScopePermission, HasScope]
    key_scopes = Scope.APPLICATIONS_READ
    pagination_class = CursorPage
    ordering = ["reference"]
    lookup_field = "reference"
    lookup_value_regex = REFERENCE_REGEX

    @cached_property
    def organisation(self):
        return request_organisation(self.request)

    def get_queryset(self):
        return partners.shared_applications(self.organisation)

    def get_serializer_class(self):
        return SharedApplicationSerializer if self.action == "list" else SharedApplicationDetailSerializer

    def get_object(self):
        application = partners.shared_application(self.organisation, self.kwargs["reference"])
        self.check_object_permissions(self.request, application)
        return application

    def retrieve(self, request, *args, **kwargs):
        application = self.get_object()
        data = self.get_serializer(application).data
        by_key = isinstance(request.user, PartnerClient)
        through = f"key {request.user.key.prefix}…" if by_key else "a partner user's session"
        log_export(
            kind=ExportKind.API_READ,
            actor=None if by_key else request.user,
            enterprise=application.enterprise,
            organisation=self.organisation,
            description=(
                f"Partner API read of {application.reference} by {self.organisation.code} through {through}: "
                f"answers and {len(data['contacts'])} contact person(s)"
            ),
        )
        return Response(data)
