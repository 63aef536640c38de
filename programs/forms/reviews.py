"""The reviewer's forms (the conflict declaration, the scoring form built from the call's rubric,
an organisation named in advance) and the officer's forms for an application's reviewers."""

from django import forms
from django.utils.translation import gettext_lazy as _

from hkhz_portal.core.forms import add_service_error
from hkhz_portal.core.validators import validate_multiline_text, validate_plain_text

from ..choices import Recommendation
from ..models import ConflictDeclaration
from ..services.reviews import panel_reviewers
from .staff import TEXT_MAX, text_field

#: The prefix of a criterion's field in the scoring form (``score-science``).
SCORE_PREFIX = "score-"


def _as_conflict(value) -> bool:
    return value == "conflict"


class DeclarationForm(forms.Form):
    conflict = forms.TypedChoiceField(
        label=_("Conflict of interest"),
        choices=[
            ("none", _("I have no conflict of interest with this enterprise")),
            ("conflict", _("I have a conflict of interest with this enterprise")),
        ],
        coerce=_as_conflict,
        widget=forms.RadioSelect,
    )
    reason = text_field(
        _("What ties you to the enterprise"),
        _("Only if you have a conflict. The officer reads it; the application goes to another reviewer."),
        required=False,
        rows=3,
    )


class OrganisationForm(forms.Form):
    organisation = forms.CharField(
        label=_("Organisation"),
        help_text=_("A company, institute or investor you work for, advise or hold shares in."),
        max_length=ConflictDeclaration._meta.get_field("organisation").max_length,
        validators=[validate_plain_text],
    )
    reason = text_field(_("How you are tied to it"), _("Optional. Officers read it."), required=False, rows=2)


class ReviewForm(forms.Form):
    """The call's rubric as radio groups, one per criterion over the rubric's scale, each score
    labelled with what it means; then the recommendation and the two comments. A score left
    blank is not sent: a review can be saved half done."""

    recommendation = forms.ChoiceField(
        label=_("Recommendation"), choices=Recommendation.choices, required=False, widget=forms.RadioSelect
    )
    comment_to_officer = text_field(
        _("Comment to the officer"),
        _("Officers read it, and the other reviewers once they submit theirs."),
        required=False,
    )
    comment_to_applicant = text_field(
        _("Comment to the applicant"), _("The applicant may read it with the decision."), required=False
    )

    def __init__(self, *args, rubric, review=None, disabled=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = []
        scores = review.scores if review is not None else {}
        for criterion in rubric.criteria.all():
            described = {level.score: level.description for level in criterion.levels.all()}
            field = forms.TypedChoiceField(
                label=criterion.name,
                help_text=criterion.description,
                choices=[(score, described.get(score, "")) for score in rubric.scale],
                coerce=int,
                required=False,
                widget=forms.RadioSelect,
                initial=scores.get(criterion.key),
            )
            self.fields[SCORE_PREFIX + criterion.key] = field
            self.criteria.append(criterion)
        if review is not None:
            for name in ("recommendation", "comment_to_officer", "comment_to_applicant"):
                self.fields[name].initial = getattr(review, name)
        for field in self.fields.values():
            field.disabled = disabled
        self.order_fields([SCORE_PREFIX + c.key for c in self.criteria])

    def score_fields(self) -> list:
        """Each criterion with its bound field and its share of the weight (in per cent)."""
        weight = sum(c.weight for c in self.criteria)
        return [
            {"criterion": c, "field": self[SCORE_PREFIX + c.key], "share": round(100 * c.weight / weight)}
            for c in self.criteria
        ]

    def scores(self) -> dict:
        return {
            c.key: self.cleaned_data[SCORE_PREFIX + c.key]
            for c in self.criteria
            if self.cleaned_data.get(SCORE_PREFIX + c.key) not in (None, "")
        }

    def add_refusal(self, err) -> None:
        """A service's refusal on the field it names: a score's on its criterion."""
        by_criterion = getattr(err, "errors", None)
        if not by_criterion:
            add_service_error(self, err)
            return
        for key, message in by_criterion.items():
            name = SCORE_PREFIX + key
            self.add_error(name if name in self.fields else None, message)


class ReviewerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return user.full_name or user.email


class AssignReviewerForm(forms.Form):
    """An officer gives an empty review place to a reviewer of the call's panel."""

    reviewer = ReviewerChoiceField(label=_("Reviewer"), queryset=None, empty_label=_("Choose a reviewer"))

    def __init__(self, *args, application, **kwargs):
        kwargs.setdefault("prefix", "assign")
        super().__init__(*args, **kwargs)
        self.application = application
        already = application.assignments.values("reviewer_id")
        self.fields["reviewer"].queryset = panel_reviewers(application.call).exclude(pk__in=already)


class ReplaceReviewerForm(forms.Form):
    """An officer takes back an assignment not yet submitted and gives its place to a reviewer of
    the panel, or lets the portal choose."""

    reviewer = ReviewerChoiceField(
        label=_("Replacement"),
        queryset=None,
        required=False,
        empty_label=_("Let the portal choose"),
    )
    reason = forms.CharField(
        label=_("Reason"),
        help_text=_("Optional. Kept with the assignment; the reviewer does not see it."),
        required=False,
        max_length=TEXT_MAX,
        validators=[validate_multiline_text],
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, assignment, **kwargs):
        kwargs.setdefault("prefix", f"replace-{assignment.pk}")
        super().__init__(*args, **kwargs)
        self.assignment = assignment
        application = assignment.application
        already = application.assignments.values("reviewer_id")
        self.fields["reviewer"].queryset = panel_reviewers(application.call).exclude(pk__in=already)
