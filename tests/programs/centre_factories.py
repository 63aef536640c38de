"""The service centres for the tests: a centre with its SLA policy, a service, its staff, and
requests made and moved through the real services."""

import datetime
from decimal import Decimal

import factory
from djmoney.money import Money

from hkhz_portal.accounts.roles import Role, UnitKind
from hkhz_portal.core.calendars import Calendar
from programs.centres import services
from programs.models import Service, ServiceCategory, ServiceStep, SLAPolicy, WorkingPeriod
from tests.factories import EnterpriseFactory, UnitFactory, member_of, user_with_role

from .factories import texts

#: The centres' working hours in the tests: Monday to Friday, 09:00–12:30 and 13:30–18:00.
WORKDAY = ((datetime.time(9), datetime.time(12, 30)), (datetime.time(13, 30), datetime.time(18)))


def hk_centre():
    return UnitFactory(
        code="hk-centre",
        kind=UnitKind.GO_GLOBAL_CENTRE,
        name_en="Hong Kong Go-Global Service Centre",
        name_zh_hans="香港出海服务中心",
        name_zh_hant="香港出海服務中心",
    )


def hz_centre():
    return UnitFactory(
        code="hz-centre",
        kind=UnitKind.COME_IN_CENTRE,
        name_en="Hangzhou Come-In Service Centre",
        name_zh_hans="杭州引进服务中心",
        name_zh_hant="杭州引進服務中心",
    )


def policy_for(unit, *, first_response=4, resolution=40, at_risk_percent=80) -> SLAPolicy:
    calendar = Calendar.HK if unit.kind == UnitKind.GO_GLOBAL_CENTRE else Calendar.CN
    policy = SLAPolicy.objects.create(
        unit=unit,
        name=f"{unit.code} standard",
        calendar=calendar,
        first_response_hours=Decimal(first_response),
        resolution_hours=Decimal(resolution),
        at_risk_percent=at_risk_percent,
    )
    WorkingPeriod.objects.bulk_create(
        WorkingPeriod(policy=policy, weekday=day, starts=starts, ends=ends)
        for day in range(5)
        for starts, ends in WORKDAY
    )
    return policy


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service
        skip_postgeneration_save = True

    unit = factory.LazyFunction(hk_centre)
    slug = factory.Sequence(lambda n: f"service-{n}")
    category = ServiceCategory.COMPANY_SETUP
    sla_policy = factory.LazyAttribute(lambda s: policy_for(s.unit))
    fee = Money("8000.00", "HKD")
    name_en = "Hong Kong company incorporation"
    name_zh_hans = "香港公司注册"
    name_zh_hant = "香港公司註冊"
    description_en = "We incorporate your Hong Kong company and obtain its Business Registration certificate."
    description_zh_hans = "我们为您注册香港公司并取得商业登记证。"
    description_zh_hant = "我們為您註冊香港公司並取得商業登記證。"

    @factory.post_generation
    def steps(self, create, extracted, **kwargs):
        if create:
            for order, (title, hours) in enumerate(
                extracted or (("Check the documents", 8), ("File with the registry", 32))
            ):
                ServiceStep.objects.create(
                    service=self, order=order, target_hours=Decimal(hours), **texts("title", title)
                )


def staff_of(unit, *, lead=False, **fields):
    """A member of the centre's staff (its lead: a program officer of the centre)."""
    user = user_with_role(Role.PROGRAM_OFFICER if lead else Role.CENTRE_STAFF, **fields)
    user.unit = unit
    user.save(update_fields=["unit"])
    return user


def client_of_new_enterprise(**user_fields):
    """The owner of a new enterprise, with a current consent."""
    return member_of(EnterpriseFactory(), role="owner", **user_fields)


def requested(service=None, client=None, *, details="Please set up our Hong Kong subsidiary.", documents=()):
    """A request made through the service, by ``client`` (a new enterprise's owner by default)."""
    service = service or ServiceFactory()
    client = client or client_of_new_enterprise()
    enterprise = client.memberships.get().enterprise
    return services.request_service(
        actor=client, service=service, enterprise=enterprise, details=details, documents=documents
    )


#: How a request reaches each state through the real services, from requested.
PATHS = {
    "requested": [],
    "accepted": ["accept"],
    "in_progress": ["accept", "start_work"],
    "waiting_on_client": ["accept", "start_work", "ask_client"],
    "waiting_on_third_party": ["accept", "start_work", "wait_third_party"],
    "completed": ["accept", "start_work", "complete"],
    "cancelled": ["decline"],
}


def take(name, request, *, staff, client, **overrides):
    """Take step ``name`` as its side would (``staff`` for the centre's, ``client`` for the
    enterprise's), with what it needs; ``overrides`` replace any of it."""
    from programs.centres.workflow import NEEDS_REASON, TRANSITIONS, Side

    if name == "ask_client":
        kwargs = {"actor": staff, "request": request, "body": "Please send the directors' passports."}
        return services.ask_client(**{**kwargs, **overrides})
    kwargs = {"actor": client if TRANSITIONS[name].by == Side.CLIENT else staff, "request": request, "name": name}
    if name in NEEDS_REASON:
        kwargs["note"] = "HSBC's account opening team" if name == "wait_third_party" else "No longer needed."
    if name == "wait_third_party":
        kwargs["pause_reason"] = "bank"
    return services.take_step(**{**kwargs, **overrides})


def moved_to(state, staff, service=None):
    """A new request of ``staff``'s centre, moved by ``staff`` to ``state`` through the services."""
    request = requested(service or ServiceFactory(unit=staff.unit))
    for name in PATHS[state]:
        take(name, request, staff=staff, client=request.requested_by)
    request.refresh_from_db()
    assert request.state == state
    return request
