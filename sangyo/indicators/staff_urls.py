app_name = "indicators_staff"
urlpatterns: list = []
