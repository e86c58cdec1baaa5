from django.urls import path

from plenary.meetings import views

app_name = "meetings"
urlpatterns = [
    path("", views.home, name="home"),
]
