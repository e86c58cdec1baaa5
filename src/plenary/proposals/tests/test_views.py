"""Pages and API through the real URL routing, as the users see them."""

import pytest
from django.test import Client

from plenary.accounts.models import User
from plenary.proposals import services
from plenary.proposals.models import Conference, ProposalDocument
from plenary.proposals.tests.factories import MOD_TEXT, draft_with_mod, rr

pytestmark = pytest.mark.django_db


def _client(user: User | None = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_drafts_are_invisible_to_other_entities_in_pages(
    conference: Conference, drafter: User, other_drafter: User
) -> None:
    document, proposal = draft_with_mod(drafter, conference)
    mine, theirs = _client(drafter), _client(other_drafter)
    assert mine.get(f"/pms/documents/{document.pk}/").status_code == 200
    assert theirs.get(f"/pms/documents/{document.pk}/").status_code == 404
    assert theirs.get(f"/pms/proposals/{proposal.pk}/").status_code == 404
    assert theirs.get(f"/pms/documents/{document.pk}/export.docx").status_code == 404
    assert document.title not in theirs.get("/pms/WRC-27/").content.decode()
    assert document.title in mine.get("/pms/WRC-27/").content.decode()


def test_drafts_are_invisible_to_other_entities_in_the_api(
    conference: Conference, drafter: User, other_drafter: User
) -> None:
    document, proposal = draft_with_mod(drafter, conference)
    theirs = _client(other_drafter)
    assert theirs.get(f"/api/v1/pms/documents/{document.pk}").status_code == 404
    assert theirs.get("/api/v1/pms/conferences/WRC-27/documents").json() == []
    assert theirs.get(f"/api/v1/pms/proposals/{proposal.pk}/diff").status_code == 404
    response = theirs.put(
        f"/api/v1/pms/proposals/{proposal.pk}",
        {"action": "MOD", "edition": rr(conference).pk, "pid": "5.338A", "version": 1},
        content_type="application/json",
    )
    assert response.status_code == 404


def test_invited_co_signatory_sees_the_draft_and_signs(
    conference: Conference, drafter: User, other_drafter: User
) -> None:
    document, _ = draft_with_mod(drafter, conference)
    services.do_invite_co_signatory(drafter, document, "D")
    theirs = _client(other_drafter)
    page = theirs.get(f"/pms/documents/{document.pk}/").content.decode()
    assert "Co-sign" in page
    theirs.post(f"/pms/documents/{document.pk}/sign/")
    assert document.sponsorships.get(entity__code="D").state == "signed"


def test_stale_edit_shows_the_conflict_and_keeps_the_input(
    conference: Conference, drafter: User
) -> None:
    _document, proposal = draft_with_mod(drafter, conference)
    services.do_update_proposal(
        drafter,
        proposal,
        1,
        services.ProposalInput(
            action="MOD",
            edition_id=rr(conference).pk,
            pid="5.338A",
            texts={"en": MOD_TEXT + " Saved first."},
            reasons={"en": "Update the reference to Resolution 750."},
        ),
    )
    form = {
        "action": "MOD",
        "edition": rr(conference).pk,
        "pid": "5.338A",
        "text": "My own wording.",
        "reasons": "Mine.",
        "version": 1,
    }
    page = _client(drafter).post(f"/pms/proposals/{proposal.pk}/edit/", form).content.decode()
    assert 'id="conflict"' in page and "Saved first." in page and "My own wording." in page
    assert 'name="version" value="2"' in page
    proposal.refresh_from_db()
    assert proposal.texts["en"].endswith("Saved first.")


def test_bad_proposal_input_is_shown_on_the_form(conference: Conference, drafter: User) -> None:
    document, _ = draft_with_mod(drafter, conference)
    form = {
        "action": "MOD",
        "edition": rr(conference).pk,
        "pid": "9.99",
        "text": "x",
        "reasons": "y",
    }
    response = _client(drafter).post(f"/pms/documents/{document.pk}/proposals/new/", form)
    assert response.status_code == 200
    assert "does not exist in RR (2024)" in response.content.decode()


def test_published_compilation_and_provision_views(
    conference: Conference, drafter: User, other_drafter: User, staff: User
) -> None:
    for user in (drafter, other_drafter):
        document, _ = draft_with_mod(user, conference)
        document = services.do_submit(user, document)
        services.do_publish(staff, document)
    item = conference.agenda_items.get(number="1")  # parent of 1.2
    public = _client()
    page = public.get(f"/pms/WRC-27/agenda/{item.pk}/").content.decode()
    assert "F/1/1" in page and "D/2/1" in page and "<ins>27</ins>" in page
    page = public.get("/pms/WRC-27/provisions/5.338A/").content.decode()
    assert "2 identical proposals" in page
    groups = public.get("/api/v1/pms/conferences/WRC-27/provisions/5.338A/proposals").json()
    assert groups == [{"action": "MOD", "text": MOD_TEXT, "proposals": ["F/1/1", "D/2/1"]}]


def test_submitted_but_unpublished_is_hidden_from_the_public(
    conference: Conference, drafter: User, staff: User
) -> None:
    document, _ = draft_with_mod(drafter, conference)
    services.do_submit(drafter, document)
    item = conference.agenda_items.get(number="1.2")
    assert "F/1/1" not in _client().get(f"/pms/WRC-27/agenda/{item.pk}/").content.decode()
    assert "F/1/1" in _client(staff).get(f"/pms/WRC-27/agenda/{item.pk}/").content.decode()


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("règlements", "CS29"),
        ("REGLEMENTS", "CS29"),
        ("zzzz", None),
        ("Пересм", "5.338A"),
        ("适用第750号", "5.338A"),
        ("يطبق", "5.338A"),
    ],
)
def test_search_finds_base_texts_in_every_language(
    conference: Conference, query: str, found: str | None
) -> None:
    results = _client().get("/api/v1/pms/conferences/WRC-27/search", {"q": query}).json()
    pids = {p["pid"] for p in results["provisions"]}
    assert (found in pids) if found else pids == set()


def test_search_finds_proposals_with_folded_accents(
    conference: Conference, drafter: User, staff: User
) -> None:
    document, _ = draft_with_mod(drafter, conference, text=MOD_TEXT + " Précisé.")
    services.do_publish(staff, services.do_submit(drafter, document))
    page = _client().get("/pms/WRC-27/search/", {"q": "precise"}).content.decode()
    assert "F/1/1" in page


def test_api_drafting_round_trip(conference: Conference, drafter: User) -> None:
    client = _client(drafter)
    item = conference.agenda_items.get(number="1.2")
    created = client.post(
        "/api/v1/pms/conferences/WRC-27/documents",
        {"title": "API draft", "agenda_items": [item.pk]},
        content_type="application/json",
    )
    assert created.status_code == 201
    document = created.json()["id"]
    bad = client.post(
        f"/api/v1/pms/documents/{document}/proposals",
        {"action": "SUP", "edition": rr(conference).pk, "pid": "5.999"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.json()["field"] == "pid"
    added = client.post(
        f"/api/v1/pms/documents/{document}/proposals",
        {
            "action": "SUP",
            "edition": rr(conference).pk,
            "pid": "5.341",
            "reasons": {"en": "Obsolete."},
        },
        content_type="application/json",
    )
    assert added.status_code == 201
    submitted = client.post(f"/api/v1/pms/documents/{document}/submit")
    assert submitted.json()["reference"] == "Document 1"
    assert ProposalDocument.objects.get(pk=document).status == "submitted"


def test_untranslated_proposal_is_compared_in_its_original_language(
    conference: Conference, drafter: User
) -> None:
    _document, proposal = draft_with_mod(drafter, conference)
    client = _client(drafter)
    diff = client.get(f"/api/v1/pms/proposals/{proposal.pk}/diff", {"language": "fr"}).json()
    assert diff["language"] == "en"
    assert {"op": "insert", "text": "27"} in diff["chunks"]
    assert "".join(c["text"] for c in diff["chunks"]).startswith("In the frequency bands")


def test_every_page_renders_for_the_secretariat(
    conference: Conference, drafter: User, staff: User
) -> None:
    document, proposal = draft_with_mod(drafter, conference)
    services.do_publish(staff, services.do_submit(drafter, document))
    edition = rr(conference)
    client = _client(staff)
    pages = [
        "/pms/",
        "/pms/WRC-27/",
        f"/pms/documents/{document.pk}/",
        f"/pms/proposals/{proposal.pk}/",
        f"/pms/documents/{document.pk}/translations/fr/",
        "/pms/WRC-27/entities/F/",
        f"/pms/WRC-27/editions/{edition.pk}/",
        f"/pms/WRC-27/editions/{edition.pk}/?consolidated=1",
        "/pms/WRC-27/search/?q=5.338A",
    ]
    for url in pages:
        assert client.get(url).status_code == 200, url
    assert client.get("/pms/WRC-27/proposals.csv").content.startswith(b"identifier,")
    assert client.get(f"/pms/WRC-27/editions/{edition.pk}/akn.xml").content.startswith(b"<?xml")
    docx = client.get(f"/pms/documents/{document.pk}/export.docx", {"language": "ar"})
    assert docx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_pages_follow_the_reader_language_and_direction(conference: Conference) -> None:
    page = Client(headers={"accept-language": "ar"}).get("/pms/WRC-27/").content.decode()
    assert 'dir="rtl"' in page and "المواعيد النهائية" in page
    page = Client(headers={"accept-language": "fr"}).get("/pms/WRC-27/").content.decode()
    assert "Points de l&#x27;ordre du jour" in page or "Points de l'ordre du jour" in page


def test_translator_saves_a_translation(conference: Conference, drafter: User, staff: User) -> None:
    document, proposal = draft_with_mod(drafter, conference)
    services.do_submit(drafter, document)
    response = _client(staff).post(
        f"/pms/documents/{document.pk}/translations/fr/",
        {f"text-{proposal.pk}": "Texte révisé.", f"reasons-{proposal.pk}": "Motifs."},
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.texts["fr"] == "Texte révisé." and proposal.reasons["fr"] == "Motifs."
    assert proposal.versions.get(version=2).editor == staff
    assert document.translations.get(language="fr").status == "revised"


def test_drafting_forms_are_closed_to_others_and_after_submission(
    conference: Conference, drafter: User, other_drafter: User, staff: User
) -> None:
    document, proposal = draft_with_mod(drafter, conference)
    services.do_invite_co_signatory(drafter, document, "D")
    cosigner = _client(other_drafter)
    response = cosigner.get(f"/pms/proposals/{proposal.pk}/edit/")
    assert response.status_code == 302 and response["Location"] == f"/pms/proposals/{proposal.pk}/"
    assert cosigner.get(f"/pms/documents/{document.pk}/edit/").status_code == 302


def test_document_edit_detects_a_stale_version(conference: Conference, drafter: User) -> None:
    document, _ = draft_with_mod(drafter, conference)
    item = conference.agenda_items.get(number="1.1")
    form = {"title": "Renamed", "original_language": "en", "agenda_items": [item.pk], "version": 1}
    client = _client(drafter)
    assert client.post(f"/pms/documents/{document.pk}/edit/", form).status_code == 302
    page = client.post(f"/pms/documents/{document.pk}/edit/", form | {"title": "Again"})
    assert "Someone else changed this document" in page.content.decode()
    document.refresh_from_db()
    assert document.title == "Renamed" and list(document.agenda_items.all()) == [item]


def test_deadlines_are_shown_in_the_conference_time_zone(
    conference: Conference, drafter: User
) -> None:
    page = _client().get("/pms/WRC-27/").content.decode()
    assert "2027-09-15 23:59</time> (Europe/Zurich)" in page
    document, _ = draft_with_mod(drafter, conference)
    page = _client(drafter).get(f"/pms/documents/{document.pk}/").content.decode()
    assert "2027-09-15 23:59</time> (Europe/Zurich)" in page


def test_a_superseded_published_document_stays_public_but_leaves_compilations(
    conference: Conference, drafter: User, staff: User
) -> None:
    document, _ = draft_with_mod(drafter, conference)
    services.do_publish(staff, services.do_submit(drafter, document))
    revision = services.do_start_revision(drafter, ProposalDocument.objects.get(pk=document.pk))
    services.do_publish(staff, services.do_submit(drafter, revision))
    public = _client()
    assert public.get(f"/pms/documents/{document.pk}/").status_code == 200
    item = conference.agenda_items.get(number="1.2")
    page = public.get(f"/pms/WRC-27/agenda/{item.pk}/").content.decode()
    assert page.count("F/1/1") == 1 and "Document 1(Rev.1)" in page


def test_secretariat_sets_a_deadline_in_conference_time(
    conference: Conference, staff: User
) -> None:
    response = _client(staff).post(
        "/pms/WRC-27/deadlines/", {"kind": "proposals", "closes_at": "2027-08-01T18:00"}
    )
    assert response.status_code == 302
    closes_at = conference.deadlines.get(kind="proposals").closes_at
    assert closes_at.isoformat() == "2027-08-01T16:00:00+00:00"


def test_only_the_secretariat_sets_deadlines(conference: Conference, drafter: User) -> None:
    _client(drafter).post(
        "/pms/WRC-27/deadlines/", {"kind": "proposals", "closes_at": "2020-01-01T00:00"}
    )
    assert conference.deadlines.get(kind="proposals").closes_at.year == 2027
