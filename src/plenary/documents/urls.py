from django.urls import URLPattern, URLResolver, path

from plenary.documents import feeds, views

app_name = "documents"
_file = "documents/<int:pk>/<str:language>/v<int:number>/"
urlpatterns: list[URLPattern | URLResolver] = [
    path("meetings/<slug:code>/documents/", views.register, name="register"),
    path("meetings/<slug:code>/documents/feed/", feeds.RegisterFeed(), name="feed"),
    path("meetings/<slug:code>/documents/submit/", views.submit, name="submit"),
    path("documents/<int:pk>/", views.detail, name="detail"),
    path("documents/<int:pk>/files/", views.add_file, name="add_file"),
    path("documents/<int:pk>/revise/", views.revise, name="revise"),
    path("documents/<int:pk>/<slug:action>/", views.act, name="act"),
    path(_file, views.download, name="download"),
    path(_file + "pdf/", views.pdf, name="pdf"),
    path(_file + "status/", views.status, name="status"),
    path(_file + "pages/", views.viewer, name="viewer"),
    path(_file + "pages/<int:page>.png", views.page_image, name="page"),
    path(_file + "thumbnail.png", views.thumbnail, name="thumbnail"),
]
