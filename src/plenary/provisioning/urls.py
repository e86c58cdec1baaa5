from django.urls import URLPattern, URLResolver, path

from plenary.provisioning import views

app_name = "provisioning"
urlpatterns: list[URLPattern | URLResolver] = [
    path("meetings/<slug:code>/request/", views.request_services, name="request"),
]
