from django.urls import URLPattern, URLResolver

app_name = "floor"
urlpatterns: list[URLPattern | URLResolver] = []
