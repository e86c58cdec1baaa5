from django.urls import URLPattern, URLResolver, path

from plenary.meetings import views

app_name = "meetings"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.home, name="home"),
    path("my-meetings/", views.my_meetings, name="my_meetings"),
    path("approvals/", views.approvals, name="approvals"),
    path("registrations/<int:registration_id>/decide/", views.decide, name="decide"),
    path("meetings/<slug:code>/", views.detail, name="detail"),
    path("meetings/<slug:code>/register/", views.register, name="register"),
    path("meetings/<slug:code>/registered/", views.registered, name="registered"),
    path("meetings/<slug:code>/withdraw/", views.withdraw, name="withdraw"),
    # Organisers
    path("new-meeting/", views.wizard, name="wizard"),
    path("meetings/<slug:code>/edit/", views.edit, name="edit"),
    path("meetings/<slug:code>/sessions/", views.sessions, name="sessions"),
    path("sessions/<int:session_id>/edit/", views.session_edit, name="session_edit"),
    path("sessions/<int:session_id>/delete/", views.session_delete, name="session_delete"),
    path("meetings/<slug:code>/review/", views.review, name="review"),
    path("meetings/<slug:code>/publish/", views.publish, name="publish"),
    path("meetings/<slug:code>/manage/", views.manage, name="manage"),
    path("meetings/<slug:code>/cancel/", views.cancel, name="cancel"),
    path("meetings/<slug:code>/registration/", views.registration_open, name="registration_open"),
    path("meetings/<slug:code>/roles/", views.role_add, name="role_add"),
    path("roles/<int:participation_id>/remove/", views.role_remove, name="role_remove"),
]
