from django.contrib import admin
from django.urls import include, path

from sangyo.api import api
from sangyo.core import views as core_views
from sangyo.strategy import urls as strategy_urls
from sangyo.strategy import views as strategy_views

urlpatterns = [
    path("", strategy_views.home, name="home"),
    path("strategy/", include(strategy_urls.current_patterns)),
    path("strategies/", include(strategy_urls.by_code_patterns)),
    path("strategies/<slug:strategy_code>/", include(strategy_urls.coded_patterns)),
    path("staff/", core_views.staff_home, name="staff_home"),
    path("staff/audit/", core_views.audit_log, name="audit_log"),
    path("staff/audit/export/", core_views.audit_export, name="audit_export"),  # matrix: audit
    path("staff/jobs/<int:pk>/", core_views.job_detail, name="job_detail"),
    path("staff/businesses/", include("sangyo.registry.urls")),
    path("staff/indicators/", include("sangyo.indicators.staff_urls")),
    path("indicators/", include("sangyo.indicators.urls")),
    path("apply/", include(("sangyo.applications.urls_portal", "portal"))),
    path("programs/", include(("sangyo.applications.urls_public", "programs"))),
    path("staff/applications/", include(("sangyo.applications.urls_staff", "applications_staff"))),
    path("staff/founders/", include(("sangyo.applications.urls_founders", "founders"))),
    path("events/", include(("sangyo.events.urls_public", "events"))),
    path("staff/events/", include(("sangyo.events.urls_staff", "events_staff"))),
    path("consult/", include(("sangyo.consultations.urls_public", "consult"))),
    path(
        "staff/consultations/", include(("sangyo.consultations.urls_staff", "consultations_staff"))
    ),
    path("staff/diagnostics/", include(("sangyo.diagnostics.urls_staff", "diagnostics"))),
    path("navigator/", include(("sangyo.navigator.urls_public", "navigator"))),
    path("staff/navigator/", include(("sangyo.navigator.urls_staff", "navigator_staff"))),
    path("matching/", include(("sangyo.matching.urls_public", "matching"))),
    path("staff/matching/", include(("sangyo.matching.urls_staff", "matching_staff"))),
    path("evaluation/", include(("sangyo.evaluation.urls_public", "evaluation"))),
    path("staff/evaluation/", include(("sangyo.evaluation.urls_staff", "evaluation_staff"))),
    # api helper: staff API tokens
    path("staff/integrations/", include("sangyo.integrations.urls")),
    # privacy: the person's own page and the staff pages for requests
    path("privacy/", include(("sangyo.privacy.urls_public", "privacy"))),
    path("staff/privacy/", include(("sangyo.privacy.urls_staff", "privacy_staff"))),
    path("accounts/", include("sangyo.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    path("admin/", admin.site.urls),
]

handler404 = "sangyo.core.views.not_found"
