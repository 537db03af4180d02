"""Staff URLs of the registry, mounted at /staff/businesses/. Two modules own them: the
registry screens (urls_staff) and the imports (urls_imports)."""

from .urls_imports import urlpatterns as import_patterns
from .urls_staff import urlpatterns as staff_patterns

app_name = "registry"
urlpatterns = staff_patterns + import_patterns
