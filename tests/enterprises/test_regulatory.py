"""Products and regulatory milestones: the pages, the side-by-side view and the date rules."""

import datetime
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from enterprises.models import Milestone, Product
from enterprises.services import regulatory
from tests.factories import EnterpriseFactory, member_of

pytestmark = pytest.mark.django_db


class TableGrid(HTMLParser):
    """The text of a table (found by class) as a header row and body rows, cell by cell."""

    def __init__(self, css_class):
        super().__init__()
        self.css_class, self.depth, self.section = css_class, 0, None
        self.header, self.rows, self.current = [], [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and self.css_class in (attrs.get("class") or "").split():
            self.depth = 1
        elif self.depth:
            if tag in ("thead", "tbody"):
                self.section = tag
            elif tag == "tr" and self.section == "tbody":
                self.rows.append([])
            elif tag in ("td", "th"):
                self.current = []

    def handle_endtag(self, tag):
        if not self.depth:
            return
        if tag in ("td", "th") and self.current is not None:
            text = " ".join(" ".join(self.current).split())
            (self.header if self.section == "thead" else self.rows[-1]).append(text)
            self.current = None
        elif tag == "table":
            self.depth = 0

    def handle_data(self, data):
        if self.depth and self.current is not None:
            self.current.append(data)

    @classmethod
    def of(cls, html, css_class):
        grid = cls(css_class)
        grid.feed(html)
        return grid

    def cell(self, row_label, column_label):
        column = self.header.index(column_label)
        row = next(r for r in self.rows if r[0] == row_label)
        return row[column]


@pytest.fixture
def enterprise():
    return EnterpriseFactory()


@pytest.fixture
def member(enterprise):
    return member_of(enterprise)


@pytest.fixture
def product(enterprise, member):
    return regulatory.save_product(enterprise, actor=member, name="HZ-101 anti-PD-1 antibody", modality="biologic")


def url(name, enterprise, *args):
    return reverse(name, args=[enterprise.reference, *args])


def milestone_data(**overrides):
    data = {
        "jurisdiction": "fda",
        "pathway": "ind",
        "status": "submitted",
        "planned_on": "2025-04-01",
        "actual_on": "2025-05-02",
        "reference_number": "IND 165432",
        "notes": "",
    }
    return {**data, **overrides}


def test_a_member_adds_a_product_and_sees_it_listed(client, enterprise, member):
    client.force_login(member)
    response = client.post(
        url("product_list", enterprise), {"name": "HZ-7 glucose sensor", "modality": "medical_device"}
    )
    product = Product.objects.get(enterprise=enterprise)
    assert response.status_code == 302
    assert response["Location"] == url("product_detail", enterprise, product.pk)
    page = client.get(url("product_list", enterprise)).content.decode()
    assert "HZ-7 glucose sensor" in page
    assert "Medical device" in page
    assert "nothing recorded" in page


def test_product_list_summarises_each_track(client, enterprise, member, product):
    regulatory.save_milestone(
        product,
        actor=member,
        **milestone_data(jurisdiction="nmpa", status="approved", actual_on=datetime.date(2025, 3, 3)),
    )
    regulatory.save_milestone(product, actor=member, **milestone_data())
    regulatory.save_milestone(
        product,
        actor=member,
        **milestone_data(pathway="bla", status="planned", actual_on=None, planned_on=datetime.date(2027, 1, 15)),
    )
    client.force_login(member)
    grid = TableGrid.of(client.get(url("product_list", enterprise)).content.decode(), "products-table")
    assert "IND" in grid.cell(product.name, "NMPA (China)")
    assert "Approved" in grid.cell(product.name, "NMPA (China)")
    # The FDA IND is filed: that is where the FDA track stands, not the BLA still planned.
    assert "IND" in grid.cell(product.name, "FDA (United States)")
    assert "Submitted" in grid.cell(product.name, "FDA (United States)")


def test_side_by_side_puts_each_milestone_in_its_pathway_row_and_jurisdiction_column(
    client, enterprise, member, product
):
    regulatory.save_milestone(
        product,
        actor=member,
        jurisdiction="nmpa",
        pathway="ind",
        status="approved",
        actual_on=datetime.date(2025, 3, 3),
        reference_number="CXSL2500123",
    )
    regulatory.save_milestone(
        product,
        actor=member,
        jurisdiction="fda",
        pathway="ind",
        status="submitted",
        actual_on=datetime.date(2025, 5, 2),
    )
    regulatory.save_milestone(
        product,
        actor=member,
        jurisdiction="fda",
        pathway="bla",
        status="planned",
        planned_on=datetime.date(2027, 6, 30),
    )
    client.force_login(member)
    html = client.get(url("product_detail", enterprise, product.pk)).content.decode()
    grid = TableGrid.of(html, "tracks")

    assert grid.header == ["Pathway", "NMPA (China)", "FDA (United States)"]
    assert [row[0] for row in grid.rows] == ["IND", "BLA"]
    nmpa_ind = grid.cell("IND", "NMPA (China)")
    assert "Approved" in nmpa_ind and "2025-03-03" in nmpa_ind and "CXSL2500123" in nmpa_ind
    fda_ind = grid.cell("IND", "FDA (United States)")
    assert "Submitted" in fda_ind and "2025-05-02" in fda_ind
    # The FDA's 30-day IND clock from the filing date.
    assert "2025-06-01" in fda_ind and "clinical hold" in fda_ind
    assert "Planned" in grid.cell("BLA", "FDA (United States)")
    assert grid.cell("BLA", "NMPA (China)") == "— Not planned"


def test_nmpa_ind_clock_counts_60_working_days(client, enterprise, member, product):
    # Accepted on Monday 2025-03-03: 60 working days (12 weeks) later is Monday 2025-05-26.
    regulatory.save_milestone(
        product,
        actor=member,
        jurisdiction="nmpa",
        pathway="ind",
        status="accepted",
        actual_on=datetime.date(2025, 3, 3),
    )
    client.force_login(member)
    grid = TableGrid.of(client.get(url("product_detail", enterprise, product.pk)).content.decode(), "tracks")
    assert "2025-05-26" in grid.cell("IND", "NMPA (China)")
    assert "implied approval" in grid.cell("IND", "NMPA (China)")


def test_other_jurisdictions_get_a_column_only_when_used(client, enterprise, member, product):
    regulatory.save_milestone(product, actor=member, jurisdiction="nmpa", pathway="nda", status="planned")
    client.force_login(member)
    grid = TableGrid.of(client.get(url("product_detail", enterprise, product.pk)).content.decode(), "tracks")
    assert grid.header == ["Pathway", "NMPA (China)", "FDA (United States)"]

    regulatory.save_milestone(product, actor=member, jurisdiction="ema", pathway="other", status="planned")
    grid = TableGrid.of(client.get(url("product_detail", enterprise, product.pk)).content.decode(), "tracks")
    assert grid.header == ["Pathway", "NMPA (China)", "FDA (United States)", "EMA (European Union)"]
    assert "Planned" in grid.cell("Other", "EMA (European Union)")


def test_a_product_without_milestones_says_so(client, enterprise, member, product):
    client.force_login(member)
    page = client.get(url("product_detail", enterprise, product.pk)).content.decode()
    assert "No milestones yet" in page
    assert 'type="date"' in page


def test_milestone_crud_through_the_pages(client, enterprise, member, product):
    client.force_login(member)
    response = client.post(url("product_detail", enterprise, product.pk), milestone_data())
    assert response.status_code == 302
    milestone = Milestone.objects.get(product=product)
    assert (milestone.jurisdiction, milestone.pathway, milestone.status) == ("fda", "ind", "submitted")
    assert milestone.actual_on == datetime.date(2025, 5, 2)

    edit_url = url("milestone_edit", enterprise, product.pk, milestone.pk)
    form = client.get(edit_url).content.decode()
    assert 'value="2025-05-02"' in form and "IND 165432" in form
    response = client.post(edit_url, milestone_data(status="approved", actual_on="2025-06-01", notes="May proceed."))
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.status == "approved"
    assert milestone.actual_on == datetime.date(2025, 6, 1)
    assert "May proceed." in client.get(url("product_detail", enterprise, product.pk)).content.decode()

    response = client.post(url("milestone_delete", enterprise, product.pk, milestone.pk))
    assert response.status_code == 302
    assert not Milestone.objects.filter(pk=milestone.pk).exists()


def test_deleting_a_milestone_needs_post(client, enterprise, member, product):
    milestone = regulatory.save_milestone(product, actor=member, jurisdiction="fda", pathway="ind", status="planned")
    client.force_login(member)
    assert client.get(url("milestone_delete", enterprise, product.pk, milestone.pk)).status_code == 405
    assert Milestone.objects.filter(pk=milestone.pk).exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"status": "approved", "actual_on": ""}, "actual_on", "Give the date of the decision."),
        ({"status": "rejected", "actual_on": ""}, "actual_on", "Give the date of the decision."),
        ({"status": "approved", "actual_on": "FUTURE"}, "actual_on", "cannot be in the future"),
        ({"status": "submitted", "actual_on": "FUTURE"}, "actual_on", "cannot be in the future"),
        ({"status": "planned", "actual_on": "2025-01-01"}, "actual_on", "A planned milestone has no actual date"),
        ({"planned_on": "1999-12-31"}, "planned_on", "before 2000"),
        ({"jurisdiction": "nmpa", "pathway": "510k"}, "pathway", "510(k) is a pathway of FDA (United States) only"),
        ({"jurisdiction": "fda", "pathway": "nmpa_class_iii"}, "pathway", "pathway of NMPA (China) only"),
        ({"planned_on": "2025-13-01"}, "planned_on", "Enter a valid date."),
    ],
)
def test_impossible_milestones_are_refused_on_the_field(client, enterprise, member, product, overrides, field, message):
    if overrides.get("actual_on") == "FUTURE":
        overrides = {**overrides, "actual_on": (timezone.localdate() + datetime.timedelta(days=3)).isoformat()}
    client.force_login(member)
    response = client.post(url("product_detail", enterprise, product.pk), milestone_data(**overrides))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not Milestone.objects.exists()


def test_a_decision_dated_today_is_accepted(client, enterprise, member, product):
    client.force_login(member)
    today = timezone.localdate().isoformat()
    response = client.post(
        url("product_detail", enterprise, product.pk), milestone_data(status="approved", actual_on=today)
    )
    assert response.status_code == 302
    assert Milestone.objects.get().status == "approved"


def test_editing_a_milestone_with_bad_input_changes_nothing(client, enterprise, member, product):
    milestone = regulatory.save_milestone(product, actor=member, jurisdiction="fda", pathway="ind", status="planned")
    client.force_login(member)
    response = client.post(
        url("milestone_edit", enterprise, product.pk, milestone.pk), milestone_data(status="approved", actual_on="")
    )
    assert response.status_code == 200
    assert "Give the date of the decision." in response.content.decode()
    milestone.refresh_from_db()
    assert milestone.status == "planned"


def test_product_edit_and_confirmed_delete(client, enterprise, member, product):
    regulatory.save_milestone(product, actor=member, jurisdiction="fda", pathway="ind", status="planned")
    client.force_login(member)
    response = client.post(
        url("product_edit", enterprise, product.pk), {"name": "HZ-101 (toripalimab-like)", "modality": "biologic"}
    )
    assert response.status_code == 302
    product.refresh_from_db()
    assert product.name == "HZ-101 (toripalimab-like)"

    page = client.get(url("product_edit", enterprise, product.pk)).content.decode()
    assert "Its 1 milestone is deleted with it." in page

    response = client.post(url("product_delete", enterprise, product.pk), follow=True)
    assert "Tick the box to confirm" in response.content.decode()
    assert Product.objects.filter(pk=product.pk).exists()

    response = client.post(url("product_delete", enterprise, product.pk), {"confirm": "on"})
    assert response.status_code == 302
    assert response["Location"] == url("product_list", enterprise)
    assert not Product.objects.filter(pk=product.pk).exists()
    assert not Milestone.objects.exists()


def test_product_name_is_required(client, enterprise, member):
    client.force_login(member)
    response = client.post(url("product_list", enterprise), {"name": "", "modality": "biologic"})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not Product.objects.exists()


def test_without_consent_nothing_is_saved_and_the_user_is_sent_to_the_consent_page(client, enterprise):
    user = member_of(enterprise, consent=False)
    client.force_login(user)
    page = client.get(url("product_list", enterprise)).content.decode()
    assert "Give your consent to cross-border transfer" in page
    response = client.post(url("product_list", enterprise), {"name": "HZ-9", "modality": "other"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("consent"))
    assert not Product.objects.exists()


@pytest.mark.parametrize(
    ("name", "method", "needs_milestone"),
    [
        ("product_list", "get", False),
        ("product_list", "post", False),
        ("product_detail", "get", False),
        ("product_detail", "post", False),
        ("product_edit", "get", False),
        ("product_edit", "post", False),
        ("product_delete", "post", False),
        ("milestone_edit", "get", True),
        ("milestone_edit", "post", True),
        ("milestone_delete", "post", True),
    ],
)
def test_a_non_member_gets_404_and_changes_nothing(client, enterprise, member, product, name, method, needs_milestone):
    milestone = regulatory.save_milestone(product, actor=member, jurisdiction="fda", pathway="ind", status="planned")
    outsider = member_of(EnterpriseFactory())
    client.force_login(outsider)
    args = [] if name == "product_list" else [product.pk] + ([milestone.pk] if needs_milestone else [])
    data = {"name": "Hijacked", "modality": "other", "confirm": "on", **milestone_data(status="withdrawn")}
    response = getattr(client, method)(url(name, enterprise, *args), data if method == "post" else None)
    assert response.status_code == 404
    product.refresh_from_db()
    milestone.refresh_from_db()
    assert product.name != "Hijacked"
    assert milestone.status == "planned"
    assert Product.objects.count() == 1


def test_another_enterprises_product_is_404_under_ones_own_enterprise(client, enterprise, member):
    other = EnterpriseFactory()
    theirs = regulatory.save_product(other, actor=member_of(other), name="Secret", modality="other")
    client.force_login(member)
    assert client.get(url("product_detail", enterprise, theirs.pk)).status_code == 404
    assert client.post(url("product_delete", enterprise, theirs.pk), {"confirm": "on"}).status_code == 404
    assert Product.objects.filter(pk=theirs.pk).exists()


def test_a_milestone_of_another_product_is_404(client, enterprise, member, product):
    sibling = regulatory.save_product(enterprise, actor=member, name="HZ-2", modality="other")
    milestone = regulatory.save_milestone(sibling, actor=member, jurisdiction="fda", pathway="ind", status="planned")
    client.force_login(member)
    assert client.get(url("milestone_edit", enterprise, product.pk, milestone.pk)).status_code == 404


def test_pages_need_a_signed_in_user(client, enterprise):
    response = client.get(url("product_list", enterprise))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_two_members_see_the_same_products(client, enterprise, member, product):
    colleague = member_of(enterprise)
    client.force_login(colleague)
    regulatory.save_milestone(
        product,
        actor=member,
        jurisdiction="nmpa",
        pathway="ind",
        status="submitted",
        actual_on=datetime.date(2025, 1, 6),
    )
    assert product.name in client.get(url("product_list", enterprise)).content.decode()
    response = client.post(url("product_detail", enterprise, product.pk), milestone_data())
    assert response.status_code == 302
    assert Milestone.objects.filter(product=product).count() == 2
