"""The reviewer's API (under /api/v1/reviews/): their own assignments, the conflict declaration,
and the review, with the pages' rules: before the declaration only the enterprise's name and the
call; the application and the rubric once the reviewer declared no conflict; the other reviews
only once their own is submitted. Another reviewer's assignment is 404, as is every assignment
for a user who is not a reviewer. Every change goes through ``services.reviews``.
"""

from django.urls import reverse
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from hkhz_portal.core.converters import ID_REGEX
from hkhz_portal.core.validators import validate_multiline_text

from . import api_schema as docs
from . import selectors
from .answers import form_schema
from .api import MESSAGE_MAX
from .choices import DECLARED_NONE, Recommendation
from .display import answered_documents
from .models import ReviewAssignment
from .services import reviews as services


def _text(**kwargs):
    return serializers.CharField(
        max_length=MESSAGE_MAX, required=False, allow_blank=True, validators=[validate_multiline_text], **kwargs
    )


class AssignmentSerializer(serializers.ModelSerializer):
    """An assignment as the reviewer's list shows it: nothing of the application but its
    reference, the enterprise's name and the call."""

    status_label = serializers.CharField(source="get_status_display")
    application = serializers.CharField(source="application.reference")
    enterprise_name = serializers.CharField(source="application.enterprise_name")
    call = serializers.CharField(source="application.call.slug")
    call_title = serializers.CharField(source="application.call.title")
    overdue = serializers.BooleanField(source="is_overdue")
    working_days_left = serializers.IntegerField(allow_null=True)
    url = serializers.HyperlinkedIdentityField(view_name="api-review-detail")

    class Meta:
        model = ReviewAssignment
        fields = [
            "id",
            "status",
            "status_label",
            "application",
            "enterprise_name",
            "call",
            "call_title",
            "due_on",
            "overdue",
            "working_days_left",
            "assigned_at",
            "declared_at",
            "ended_at",
            "url",
        ]
        read_only_fields = fields


def _rubric(rubric) -> dict:
    return {
        "scale_min": rubric.scale_min,
        "scale_max": rubric.scale_max,
        "criteria": [
            {
                "key": c.key,
                "name": c.name,
                "description": c.description,
                "weight": str(c.weight),
                "levels": [{"score": level.score, "description": level.description} for level in c.levels.all()],
            }
            for c in rubric.criteria.all()
        ],
    }


def _review(review, *, full: bool) -> dict:
    """A review's scores and recommendation; ``full``: with both comments (the reviewer's own)
    rather than the comment to the officer only (another reviewer's, once theirs is in)."""
    data = {
        "scores": review.scores,
        "total": None if review.total is None else str(review.total),
        "recommendation": review.recommendation,
        "comment_to_officer": review.comment_to_officer,
        "submitted_at": serializers.DateTimeField().to_representation(review.submitted_at),
    }
    if full:
        data["comment_to_applicant"] = review.comment_to_applicant
        data["updated_at"] = serializers.DateTimeField().to_representation(review.updated_at)
    return data


def assignment_detail(assignment, request) -> dict:
    """One assignment with what its reviewer may see now (see the module's docstring)."""
    data = AssignmentSerializer(assignment, context={"request": request}).data
    application = assignment.application
    data["open"] = services.review_open(assignment)
    if assignment.status not in DECLARED_NONE:
        return data
    schema = form_schema(application.form_version)
    documents = selectors.answer_documents(application)
    data["answers"] = application.answers
    data["documents"] = [
        {
            "id": pk,
            "title": documents[pk][0],
            "url": request.build_absolute_uri(
                reverse("programs:review_document_download", args=[assignment.pk, pk, documents[pk][1]])
            ),
        }
        for pk in sorted(answered_documents(application, schema))
        if documents.get(pk, (None, None))[1] is not None
    ]
    rubric = selectors.rubric_of(application.call)
    data["rubric"] = _rubric(rubric) if rubric is not None else None
    review = getattr(assignment, "review", None)
    data["review"] = _review(review, full=True) if review is not None else None
    others = selectors.reviews_seen_by(assignment)
    if others is not None:
        data["other_reviews"] = [_review(other, full=False) for other in others]
    return data


class AssignmentDetailSerializer(AssignmentSerializer):
    """For the schema: what ``assignment_detail`` adds to an assignment. Keys beyond ``open`` are
    there only once the reviewer declared no conflict; ``other_reviews`` only once their own
    review is submitted."""

    open = serializers.BooleanField(help_text="Whether the review can still be saved or submitted.")
    answers = serializers.JSONField(required=False, help_text="The application's answers by question key.")
    documents = docs.ReviewDocumentShape(many=True, required=False)
    rubric = docs.RubricShape(allow_null=True, required=False)
    review = docs.OwnReviewShape(allow_null=True, required=False)
    other_reviews = docs.OtherReviewShape(many=True, required=False)

    class Meta(AssignmentSerializer.Meta):
        fields = [
            *AssignmentSerializer.Meta.fields,
            "open",
            "answers",
            "documents",
            "rubric",
            "review",
            "other_reviews",
        ]
        read_only_fields = fields


class DeclareSerializer(serializers.Serializer):
    conflict = serializers.BooleanField()
    reason = _text()


class ReviewSerializer(serializers.Serializer):
    scores = serializers.DictField(child=serializers.JSONField(), required=False, default=dict)
    recommendation = serializers.ChoiceField(choices=Recommendation.choices, required=False, allow_blank=True)
    comment_to_officer = _text()
    comment_to_applicant = _text()
    submit = serializers.BooleanField(default=False)


@extend_schema_view(
    list=extend_schema(summary="List your review assignments", examples=docs.ASSIGNMENT_LIST),
    retrieve=extend_schema(
        summary="Read an assignment",
        description="Before your conflict declaration, only the enterprise's name and the call; once you declared "
        "no conflict, the application's answers and documents and the rubric; the other reviews only once yours "
        "is submitted.",
        responses=AssignmentDetailSerializer,
        examples=docs.ASSIGNMENT_DETAIL,
    ),
    update=extend_schema(
        summary="Save or submit your review",
        request=ReviewSerializer,
        responses=AssignmentDetailSerializer,
        examples=docs.SAVE_REVIEW,
    ),
    declare=extend_schema(
        summary="Declare a conflict of interest, or none",
        request=DeclareSerializer,
        responses=AssignmentDetailSerializer,
        examples=docs.DECLARE,
    ),
)
class ReviewViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The reviewer's own assignments. ``POST …/declare/`` (``{"conflict": bool, "reason": str}``)
    declares a conflict of interest or none; ``PUT`` (``{"scores": {key: int}, "recommendation",
    "comment_to_officer", "comment_to_applicant", "submit": bool}``) saves the review, or submits
    it, while the reviews are open. Invalid scores are a 400 naming each criterion at fault."""

    serializer_class = AssignmentSerializer
    lookup_value_regex = ID_REGEX
    http_method_names = ["get", "post", "put", "head", "options"]

    def get_queryset(self):
        found = selectors.reviewer_assignments(self.request.user)
        if self.action == "list":
            return found
        return found.select_related("application__form_version", "application__enterprise", "review")

    def _input(self, serializer_class):
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def _show(self, assignment):
        return Response(assignment_detail(self.get_queryset().get(pk=assignment.pk), self.request))

    def retrieve(self, request, *args, **kwargs):
        return Response(assignment_detail(self.get_object(), request))

    def update(self, request, *args, **kwargs):
        assignment = self.get_object()
        data = self._input(ReviewSerializer)
        services.save_review(
            actor=request.user,
            assignment=assignment,
            scores=data["scores"],
            recommendation=data.get("recommendation", ""),
            comment_to_officer=data.get("comment_to_officer", "").strip(),
            comment_to_applicant=data.get("comment_to_applicant", "").strip(),
            submit=data["submit"],
        )
        return self._show(assignment)

    @action(detail=True, methods=["post"])
    def declare(self, request, pk=None):
        assignment = self.get_object()
        data = self._input(DeclareSerializer)
        services.declare(
            actor=request.user, assignment=assignment, conflict=data["conflict"], reason=data.get("reason", "")
        )
        return self._show(assignment)
