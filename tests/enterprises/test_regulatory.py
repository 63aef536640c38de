"""Products and regulatory milestones: the pages, the side-by-side view and the date rules."""

import datetime
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from enterprises import regulatory as rules
from enterprises.choices import Pathway
from enterprises.models import PATHWAY_JURISDICTION, Milestone, Product
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


def record(product, member, *entries):
    """Save milestones given as (jurisdiction, pathway, status, actual date) through the service."""
    for jurisdiction, pathway, status, actual_on, *extra in entries:
        regulatory.save_milestone(
            product,
            actor=member,
            jurisdiction=jurisdiction,
            pathway=pathway,
            status=status,
            actual_on=actual_on,
            planned_on=extra[0] if extra else None,
        )


def tracks(client, enterprise, product):
    return TableGrid.of(client.get(url("product_detail", enterprise, product.pk)).content.decode(), "tracks")


def d(text):
    return datetime.date.fromisoformat(text)


def test_fda_ind_and_nmpa_ind_share_a_row(client, enterprise, member, product):
    record(
        product,
        member,
        ("nmpa", "ind", "approved", d("2025-03-03")),
        ("fda", "ind", "submitted", d("2025-05-02")),
        ("fda", "bla", "planned", None, d("2027-06-30")),
    )
    client.force_login(member)
    grid = tracks(client, enterprise, product)

    assert grid.header == ["Step", "NMPA (China)", "FDA (United States)", "NMPA vs FDA"]
    assert [row[0] for row in grid.rows] == [
        "Clinical-trial authorisation",
        "Marketing authorisation: drug or biologic",
    ]
    assert grid.cell("Clinical-trial authorisation", "NMPA (China)").startswith("IND ✓ Approved Actual 2025-03-03")
    assert grid.cell("Clinical-trial authorisation", "FDA (United States)").startswith("IND ↗ Submitted")
    drug = "Marketing authorisation: drug or biologic"
    assert grid.cell(drug, "NMPA (China)") == "— Not planned"
    assert grid.cell(drug, "FDA (United States)").startswith("BLA ○ Planned Planned 2027-06-30")


def test_510k_and_nmpa_class_ii_share_a_row(client, enterprise, member):
    device = regulatory.save_product(enterprise, actor=member, name="HZ-BP monitor", modality="medical_device")
    record(
        device,
        member,
        ("fda", "510k", "approved", d("2025-06-10")),
        ("nmpa", "nmpa_class_ii", "submitted", d("2025-09-01")),
    )
    client.force_login(member)
    grid = tracks(client, enterprise, device)
    assert [row[0] for row in grid.rows] == ["Marketing authorisation: device"]
    row = "Marketing authorisation: device"
    assert grid.cell(row, "NMPA (China)").startswith("NMPA class II registration ↗ Submitted")
    assert grid.cell(row, "FDA (United States)").startswith("510(k) ✓ Approved Actual 2025-06-10")


def test_each_side_shows_its_latest_status_with_the_history_on_demand(client, enterprise, member, product):
    record(
        product,
        member,
        ("nmpa", "ind", "accepted", d("2025-01-13")),
        ("nmpa", "ind", "submitted", d("2025-01-06")),
        ("nmpa", "ind", "approved", d("2025-03-20")),
        # Recorded the same day as the approval: the status order puts the approval last.
        ("nmpa", "ind", "accepted", d("2025-03-20")),
        ("fda", "ind", "submitted", d("2025-02-03")),
    )
    client.force_login(member)
    html = client.get(url("product_detail", enterprise, product.pk)).content.decode()
    nmpa = TableGrid.of(html, "tracks").cell("Clinical-trial authorisation", "NMPA (China)")

    assert nmpa.startswith("IND ✓ Approved Actual 2025-03-20")
    history = nmpa[nmpa.index("History: 4 entries") :]
    assert [day for day in history.split() if day.startswith("2025-")] == [
        "2025-01-06",
        "2025-01-13",
        "2025-03-20",
        "2025-03-20",
    ]
    assert history.index("Accepted", history.index("2025-03-20")) < history.rindex("Approved")
    # The history opens without JavaScript; a side with one entry needs none.
    assert html.count('<details class="track-history">') == 1


def test_a_plan_does_not_hide_what_has_happened(client, enterprise, member, product):
    record(
        product,
        member,
        ("fda", "ind", "submitted", d("2025-02-03")),
        ("fda", "ind", "planned", None, d("2025-09-01")),
    )
    client.force_login(member)
    fda = tracks(client, enterprise, product).cell("Clinical-trial authorisation", "FDA (United States)")
    assert fda.startswith("IND ↗ Submitted Actual 2025-02-03")
    assert "planned 2025-09-01" in fda


def test_the_fda_ind_clock_runs_30_days_from_filing(client, enterprise, member, product):
    record(product, member, ("fda", "ind", "submitted", d("2025-05-02")))
    client.force_login(member)
    fda = tracks(client, enterprise, product).cell("Clinical-trial authorisation", "FDA (United States)")
    assert "The trial may proceed unless on clinical hold 2025-06-01" in fda
    assert "30 days from 2025-05-02" in fda


def test_the_nmpa_ind_clock_counts_mainland_working_days(client, enterprise, member, product):
    # Accepted Monday 2025-01-20. Counted by hand: Sunday 26 January and Saturday 8 February are
    # make-up working days; the Spring Festival (28 January to 4 February) and Tomb-Sweeping Day
    # (Friday 4 April) are not, so the 60th working day is Monday 21 April. Weekdays alone would
    # give 14 April.
    record(
        product,
        member,
        ("nmpa", "ind", "submitted", d("2025-01-15")),
        ("nmpa", "ind", "accepted", d("2025-01-20")),
    )
    client.force_login(member)
    nmpa = tracks(client, enterprise, product).cell("Clinical-trial authorisation", "NMPA (China)")
    assert "Implied approval unless the CDE objects 2025-04-21" in nmpa
    assert "60 working days from 2025-01-20" in nmpa


def test_a_decided_filing_has_no_clock(client, enterprise, member, product):
    record(
        product,
        member,
        ("fda", "ind", "submitted", d("2025-05-02")),
        ("fda", "ind", "withdrawn", d("2025-05-09")),
    )
    client.force_login(member)
    fda = tracks(client, enterprise, product).cell("Clinical-trial authorisation", "FDA (United States)")
    assert "clinical hold" not in fda


def test_priority_review_shortens_the_pdufa_goal(client, enterprise, member, product):
    client.force_login(member)
    data = milestone_data(pathway="nda", actual_on="2025-01-31", reference_number="NDA 219876")
    client.post(url("product_detail", enterprise, product.pk), data)
    drug = "Marketing authorisation: drug or biologic"
    standard = tracks(client, enterprise, product).cell(drug, "FDA (United States)")
    assert "PDUFA goal date 2025-11-30" in standard and "10 months from 2025-01-31" in standard

    milestone = Milestone.objects.get()
    client.post(url("milestone_edit", enterprise, product.pk, milestone.pk), {**data, "priority_review": "on"})
    priority = tracks(client, enterprise, product).cell(drug, "FDA (United States)")
    assert "Priority review" in priority
    assert "PDUFA goal date 2025-07-31" in priority and "6 months from 2025-01-31 · priority review" in priority


def test_the_lead_or_lag_between_the_tracks_is_shown_per_step(client, enterprise, member, product):
    record(
        product,
        member,
        ("nmpa", "ind", "submitted", d("2024-03-04")),
        ("fda", "ind", "submitted", d("2024-12-02")),
        ("nmpa", "nda", "submitted", d("2025-06-02")),
        ("fda", "nda", "planned", None, d("2027-01-15")),
    )
    client.force_login(member)
    grid = tracks(client, enterprise, product)
    assert grid.cell("Clinical-trial authorisation", "NMPA vs FDA") == "NMPA filed 9 months before FDA (273 days)"
    assert grid.cell("Marketing authorisation: drug or biologic", "NMPA vs FDA") == "Only NMPA has filed; FDA not yet"


def test_other_jurisdictions_get_a_column_only_when_used(client, enterprise, member, product):
    regulatory.save_milestone(product, actor=member, jurisdiction="nmpa", pathway="nda", status="planned")
    client.force_login(member)
    grid = tracks(client, enterprise, product)
    assert grid.header == ["Step", "NMPA (China)", "FDA (United States)", "NMPA vs FDA"]

    regulatory.save_milestone(product, actor=member, jurisdiction="ema", pathway="other", status="planned")
    regulatory.save_milestone(product, actor=member, jurisdiction="hk_doh", pathway="nda", status="planned")
    grid = tracks(client, enterprise, product)
    assert grid.header == [
        "Step",
        "NMPA (China)",
        "FDA (United States)",
        "EMA (European Union)",
        "Department of Health (Hong Kong)",
        "NMPA vs FDA",
    ]
    assert "Planned" in grid.cell("Other", "EMA (European Union)")
    assert "NDA" in grid.cell("Marketing authorisation: drug or biologic", "Department of Health (Hong Kong)")
    assert grid.cell("Marketing authorisation: drug or biologic", "NMPA vs FDA") == "— Neither has filed"


def test_the_product_page_does_not_query_per_milestone(client, enterprise, member, product):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url("product_detail", enterprise, product.pk)).status_code == 200
        return len(captured)

    client.force_login(member)
    record(product, member, ("nmpa", "ind", "submitted", d("2025-01-06")))
    one = queries()
    record(
        product,
        member,
        ("nmpa", "ind", "accepted", d("2025-01-13")),
        ("fda", "ind", "submitted", d("2025-02-03")),
        ("fda", "nda", "submitted", d("2025-06-02")),
        ("nmpa", "nda", "accepted", d("2025-07-01")),
        ("ema", "nda", "planned", None, d("2026-01-01")),
    )
    assert queries() == one


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
        ({"jurisdiction": "fda", "pathway": "nmpa_class_i"}, "pathway", "pathway of NMPA (China) only"),
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


# --- The rules themselves (no database) ------------------------------------------------------


def filing(jurisdiction, pathway, status, actual_on, priority_review=False):
    return Milestone(
        jurisdiction=jurisdiction,
        pathway=pathway,
        status=status,
        actual_on=actual_on,
        priority_review=priority_review,
    )


@pytest.mark.parametrize(
    ("today", "remaining", "overdue"),
    [
        ("2025-05-22", "10 days left", False),
        ("2025-05-31", "1 day left", False),
        ("2025-06-01", "due today", False),
        # An IND's 30 days running out is the trial's go-ahead, not a regulator running late.
        ("2025-06-03", "reached 2 days ago", False),
    ],
)
def test_the_fda_ind_clock_counts_down_to_the_go_ahead(today, remaining, overdue):
    clock = rules.clock([filing("fda", "ind", "submitted", d("2025-05-02"))], today=d(today))
    assert clock.due_on == d("2025-06-01")
    assert (clock.remaining, clock.overdue) == (remaining, overdue)


def test_a_regulator_past_its_goal_is_overdue():
    clock = rules.clock([filing("fda", "510k", "submitted", d("2025-03-03"))], today=d("2025-06-04"))
    assert clock.due_on == d("2025-06-01")
    assert (clock.remaining, clock.overdue) == ("3 days overdue", True)


@pytest.mark.parametrize(
    ("jurisdiction", "pathway", "priority", "length"),
    [
        ("fda", "510k", False, "90 days"),
        ("fda", "de_novo", False, "150 days"),
        ("fda", "bla", False, "10 months"),
        ("fda", "bla", True, "6 months"),
        ("nmpa", "nda", False, "200 working days"),
        ("nmpa", "nda", True, "130 working days"),
        ("nmpa", "ind", True, "60 working days"),  # no priority route: the flag changes nothing
    ],
)
def test_each_regulator_has_its_own_clock(jurisdiction, pathway, priority, length):
    clock = rules.clock([filing(jurisdiction, pathway, "submitted", d("2025-03-31"), priority)], today=d("2025-04-01"))
    assert clock.length == length


def test_months_end_on_the_last_day_of_a_shorter_month():
    assert rules.add_months(d("2025-03-31"), 6) == d("2025-09-30")
    assert rules.add_months(d("2023-08-31"), 6) == d("2024-02-29")
    assert rules.add_months(d("2025-11-15"), 10) == d("2026-09-15")


def test_pathways_without_a_fixed_clock_have_none():
    assert rules.clock([filing("fda", "pma", "submitted", d("2025-03-03"))], today=d("2025-03-04")) is None
    assert rules.clock([filing("nmpa", "nmpa_class_ii", "submitted", d("2025-03-03"))], today=d("2025-03-04")) is None


@pytest.mark.parametrize(
    ("nmpa", "fda", "text", "days"),
    [
        ("2024-03-04", "2024-12-02", "NMPA filed 9 months before FDA", 273),
        ("2024-12-02", "2024-03-04", "FDA filed 9 months before NMPA", -273),
        ("2025-01-06", "2025-01-27", "NMPA filed 21 days before FDA", 21),
        ("2025-01-07", "2025-01-06", "FDA filed 1 day before NMPA", -1),
        ("2022-01-10", "2024-11-11", "NMPA filed 2 years 10 months before FDA", 1036),
        ("2025-01-06", "2025-01-06", "NMPA and FDA filed on the same day", 0),
        ("2025-01-06", None, "Only NMPA has filed; FDA not yet", None),
        (None, "2025-01-06", "Only FDA has filed; NMPA not yet", None),
    ],
)
def test_lead_or_lag_in_words(nmpa, fda, text, days):
    gap = rules.lead_lag(("NMPA", nmpa and d(nmpa)), ("FDA", fda and d(fda)))
    assert (gap.text, gap.days) == (text, days)


def test_no_lead_or_lag_before_either_side_files():
    assert rules.lead_lag(("NMPA", None), ("FDA", None)) is None


def test_the_filing_date_is_the_submission_else_the_acceptance():
    accepted_only = [filing("nmpa", "ind", "accepted", d("2025-01-13")), filing("nmpa", "ind", "approved", None)]
    assert rules.filed_on(accepted_only) == d("2025-01-13")
    both = [*accepted_only, filing("nmpa", "ind", "submitted", d("2025-01-06"))]
    assert rules.filed_on(both) == d("2025-01-06")
    assert rules.filed_on([filing("fda", "ind", "planned", None)]) is None


def test_every_dual_track_pathway_has_its_equivalent_step():
    """The equivalence table covers every FDA and NMPA pathway a milestone can have."""
    for jurisdiction in rules.DUAL_TRACK:
        for pathway in Pathway:
            if PATHWAY_JURISDICTION.get(pathway, jurisdiction) != jurisdiction or pathway == Pathway.OTHER:
                continue
            assert (jurisdiction, pathway) in rules.STEPS, (jurisdiction, pathway)


def test_the_product_and_milestone_forms_say_what_to_pick(client, enterprise, member, product):
    client.force_login(member)
    products = client.get(reverse("product_list", args=[enterprise.reference])).content.decode()
    milestones = client.get(reverse("product_detail", args=[enterprise.reference, product.pk])).content.decode()
    assert "---------" not in products + milestones
    assert "Choose a modality" in products
    assert "Choose a regulator" in milestones
    assert "Choose a pathway" in milestones
