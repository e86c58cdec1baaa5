from django.urls import URLPattern, URLResolver

app_name = "speech"
urlpatterns: list[URLPattern | URLResolver] = []
