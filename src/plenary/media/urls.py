from django.urls import URLPattern, URLResolver

app_name = "media"
urlpatterns: list[URLPattern | URLResolver] = []
