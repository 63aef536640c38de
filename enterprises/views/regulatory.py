"""Products and their regulatory milestones, with the side-by-side view of the NMPA and FDA tracks."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms.models import model_to_dict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hkhz_portal.core.forms import call_service

from .. import selectors
from ..choices import Jurisdiction
from ..forms.regulatory import ConfirmDeleteForm, MilestoneForm, ProductForm
from ..regulatory import Step, chronological, compare, step_of, track_summary
from ..services import regulatory
from .consent import needs_consent


def _render(request, template, context):
    """Render a member page; warn before the form when the user's consent is missing."""
    context["needs_consent"] = needs_consent(request.user)
    return render(request, template, context)


JURISDICTION_ORDER = {value: i for i, value in enumerate(Jurisdiction.values)}
STEP_ORDER = {value: i for i, value in enumerate(Step.values)}


def _milestone_order(milestone):
    """Track by track (NMPA first), then step by step in the order a product meets them."""
    return JURISDICTION_ORDER[milestone.jurisdiction], STEP_ORDER[step_of(milestone)]


@login_required
def product_list(request, reference):
    enterprise = selectors.enterprise_of(request.user, reference)
    form = ProductForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        product = call_service(
            form, lambda: regulatory.save_product(enterprise, actor=request.user, **form.cleaned_data)
        )
        if product is not None:
            messages.success(request, _("Product added. Record its milestones on each track below."))
            return redirect("product_detail", enterprise.reference, product.pk)
    products = [(product, track_summary(product.milestones.all())) for product in selectors.products(enterprise)]
    return _render(
        request,
        "enterprises/products.html",
        {"enterprise": enterprise, "products": products, "form": form},
    )


@login_required
def product_detail(request, reference, pk):
    enterprise = selectors.enterprise_of(request.user, reference)
    product = selectors.product(enterprise, pk)
    form = MilestoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        saved = call_service(form, lambda: regulatory.save_milestone(product, actor=request.user, **form.cleaned_data))
        if saved is not None:
            messages.success(request, _("Milestone saved."))
            return redirect(reverse("product_detail", args=[enterprise.reference, product.pk]) + "#milestones")
    return _render(
        request,
        "enterprises/product_detail.html",
        {
            "enterprise": enterprise,
            "product": product,
            "comparison": compare(product.milestones.all(), today=timezone.localdate()),
            # Sorting is stable: within a track and step, oldest first.
            "milestones": sorted(chronological(product.milestones.all()), key=_milestone_order),
            "form": form,
        },
    )


@login_required
def product_edit(request, reference, pk):
    enterprise = selectors.enterprise_of(request.user, reference)
    product = selectors.product(enterprise, pk)
    form = ProductForm(request.POST or None, initial={"name": product.name, "modality": product.modality})
    if request.method == "POST" and form.is_valid():
        saved = call_service(
            form, lambda: regulatory.save_product(enterprise, actor=request.user, product=product, **form.cleaned_data)
        )
        if saved is not None:
            messages.success(request, _("Product saved."))
            return redirect("product_detail", enterprise.reference, product.pk)
    return _render(
        request,
        "enterprises/product_edit.html",
        {"enterprise": enterprise, "product": product, "form": form, "delete_form": ConfirmDeleteForm()},
    )


@login_required
@require_POST
def product_delete(request, reference, pk):
    enterprise = selectors.enterprise_of(request.user, reference)
    product = selectors.product(enterprise, pk)
    if not ConfirmDeleteForm(request.POST).is_valid():
        messages.error(request, _("Tick the box to confirm that the product and its milestones should be deleted."))
        return redirect("product_edit", enterprise.reference, product.pk)
    name = product.name
    regulatory.delete_product(product, actor=request.user)
    messages.success(request, _("Product “%(name)s” deleted.") % {"name": name})
    return redirect("product_list", enterprise.reference)


@login_required
def milestone_edit(request, reference, pk, mpk):
    enterprise = selectors.enterprise_of(request.user, reference)
    product = selectors.product(enterprise, pk)
    milestone = selectors.milestone(product, mpk)
    form = MilestoneForm(request.POST or None, initial=model_to_dict(milestone, fields=MilestoneForm._meta.fields))
    if request.method == "POST" and form.is_valid():
        saved = call_service(
            form,
            lambda: regulatory.save_milestone(product, actor=request.user, milestone=milestone, **form.cleaned_data),
        )
        if saved is not None:
            messages.success(request, _("Milestone saved."))
            return redirect(reverse("product_detail", args=[enterprise.reference, product.pk]) + "#milestones")
    return _render(
        request,
        "enterprises/milestone_edit.html",
        {
            "enterprise": enterprise,
            "product": product,
            "milestone": milestone,
            "form": form,
        },
    )


@login_required
@require_POST
def milestone_delete(request, reference, pk, mpk):
    enterprise = selectors.enterprise_of(request.user, reference)
    product = selectors.product(enterprise, pk)
    milestone = selectors.milestone(product, mpk)
    regulatory.delete_milestone(milestone, actor=request.user)
    messages.success(request, _("Milestone deleted."))
    return redirect(reverse("product_detail", args=[enterprise.reference, product.pk]) + "#milestones")
