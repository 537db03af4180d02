"""Test factories for the registry. Businesses are made through the service, so derived
fields (size class, search keys, district) are what production would compute."""

import datetime
import itertools

import factory

from sangyo.registry import services
from sangyo.registry.models import Business, District, SupportRecord

_seq = itertools.count(1)


def business(**fields) -> Business:
    """A synthetic business via `business_create`; keyword arguments override the defaults."""
    n = next(_seq)
    defaults = {
        "name": f"合成データ株式会社{n:05d}",
        "kana": f"ゴウセイデータ{n:05d}",
        "corporate_type": "301",
        "location": "茨城県つくば市研究学園一丁目1番地1",
        "city_code": "082201",
        "jsic_code": "3911",
        "capital_stock": 10_000_000,
        "employee_number": 12,
        "date_of_establishment": datetime.date(2015, 4, 1),
        "is_synthetic": True,
    }
    return services.business_create(actor="test", **(defaults | fields))


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ("municipality_code", "code")

    municipality_code = "082201"
    code = factory.Sequence(lambda n: f"district-{n}")
    name_ja = factory.Sequence(lambda n: f"合成地区{n}")
    address_prefixes = factory.LazyAttribute(lambda o: [o.name_ja])


def support_record(
    *, business_obj, program, date=datetime.date(2025, 6, 1), kind="consultation", **extra
) -> SupportRecord:
    return services.support_record_create(
        business=business_obj, program=program, date=date, kind=kind, actor="test", **extra
    )
