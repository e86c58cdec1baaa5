from django.urls import URLPattern, URLResolver, path

from plenary.proposals import views

app_name = "proposals"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.conference_list, name="conferences"),
    path("documents/<int:pk>/", views.document_detail, name="document"),
    path("documents/<int:pk>/edit/", views.document_edit, name="document_edit"),
    path("documents/<int:pk>/proposals/new/", views.proposal_create, name="proposal_create"),
    path("documents/<int:pk>/export.<str:fmt>", views.document_export, name="document_export"),
    path(
        "documents/<int:pk>/translations/<str:language>/",
        views.translation_edit,
        name="translation",
    ),
    path("documents/<int:pk>/<str:action>/", views.document_action, name="document_action"),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal"),
    path("proposals/<int:pk>/edit/", views.proposal_edit, name="proposal_edit"),
    path("proposals/<int:pk>/delete/", views.proposal_delete, name="proposal_delete"),
    path("proposals/<int:pk>/withdraw/", views.proposal_withdraw, name="proposal_withdraw"),
    path("<slug:code>/", views.conference_detail, name="conference"),
    path("<slug:code>/deadlines/", views.deadline_set, name="deadline_set"),
    path("<slug:code>/documents/new/", views.document_create, name="document_create"),
    path("<slug:code>/agenda/<int:item_pk>/", views.agenda_compilation, name="agenda"),
    path("<slug:code>/provisions/<str:pid>/", views.by_provision, name="provision"),
    path("<slug:code>/entities/<str:entity_code>/", views.by_entity, name="entity"),
    path("<slug:code>/search/", views.search, name="search"),
    path("<slug:code>/proposals.csv", views.proposals_csv, name="csv"),
    path("<slug:code>/editions/<int:pk>/", views.edition_detail, name="edition"),
    path("<slug:code>/editions/<int:pk>/akn.xml", views.edition_akn, name="edition_akn"),
]
