from django.conf import settings


def site(request):
    return {"SYNTHETIC_BANNER": settings.SANGYO_SYNTHETIC_BANNER}
