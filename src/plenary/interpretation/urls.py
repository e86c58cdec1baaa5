from django.urls import URLPattern, URLResolver

app_name = "interpretation"
urlpatterns: list[URLPattern | URLResolver] = []
