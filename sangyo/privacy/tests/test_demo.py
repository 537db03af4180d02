import pytest

from sangyo.privacy.models import PersonalDataRequest


@pytest.mark.django_db
def test_demo_requests_are_synthetic_and_loading_twice_adds_nothing(tsukuba, make_user):
    from sangyo.privacy.demo import load_demo

    make_user("officer", email="officer@example.jp")
    make_user("business", email="business@example.jp")
    assert load_demo(strategy=tsukuba).endswith("請求 +3")
    assert load_demo(strategy=tsukuba).endswith("請求 +0")
    requests = PersonalDataRequest.objects.all()
    assert requests.count() == 3 and all(r.is_synthetic for r in requests)
    assert {r.status for r in requests} == {"done", "received", "in_progress"}
