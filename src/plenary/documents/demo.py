"""Demo documents for the live demo meeting, made through the services (``plenary demo``).

The files are real DOCX made here; their conversion runs in the background, and
a server started afterwards resumes what the demo command left queued.
"""

from __future__ import annotations

import io

import docx
from django.core.files.uploadedfile import SimpleUploadedFile

from plenary.accounts.models import User
from plenary.documents.models import Series
from plenary.documents.services import secretariat, submission
from plenary.meetings.models import AgendaItem, Meeting

AGENDA = [
    ("1", {"en": "Opening of the meeting", "fr": "Ouverture de la réunion"}),
    ("2", {"en": "Quantum-safe networks", "fr": "Réseaux à sécurité quantique"}),
    ("3", {"en": "Digital inclusion", "fr": "Inclusion numérique"}),
]


def demo_docx(title: str, *paragraphs: str, pages: int = 3) -> SimpleUploadedFile:
    document = docx.Document()
    document.add_heading(title, 0)
    for page in range(pages):
        for paragraph in paragraphs:
            document.add_paragraph(paragraph)
        if page < pages - 1:
            document.add_page_break()
    out = io.BytesIO()
    document.save(out)
    return SimpleUploadedFile(f"{title[:40]}.docx", out.getvalue())


def load_demo_documents(meeting: Meeting, people: dict[str, User]) -> None:
    """A register with contributions and a temporary document, once per meeting."""
    if meeting.document_series.exists():
        return
    items = [
        AgendaItem.objects.create(meeting=meeting, number=number, titles=titles, position=n)
        for n, (number, titles) in enumerate(AGENDA)
    ]
    contributions = Series.objects.create(
        meeting=meeting,
        code="C",
        prefix="SG17-C-",
        names={"en": "Contributions", "fr": "Contributions", "ar": "المساهمات"},
    )
    temporary = Series.objects.create(
        meeting=meeting,
        code="TD",
        prefix="TD-",
        digits=3,
        delegates_submit=False,
        position=1,
        names={"en": "Temporary documents", "fr": "Documents temporaires"},
    )
    staff = people["secretariat"]
    french = submission.submit(
        people["delegate.france"],
        contributions,
        submission.Submission(
            title="Proposition de cadre pour les réseaux à sécurité quantique",
            language="fr",
            abstract="La France propose un cadre pour la distribution quantique de clés.",
            agenda_items=[items[1]],
        ),
        demo_docx(
            "Réseaux à sécurité quantique",
            "La France propose que la commission d'études étudie la distribution quantique "
            "de clés dans les réseaux de télécommunication.",
        ),
    )
    chinese = submission.submit(
        people["delegate.china"],
        contributions,
        submission.Submission(
            title="关于数字包容的建议", language="zh-hans", agenda_items=[items[2]]
        ),
        demo_docx("数字包容", "中国建议研究组开展数字包容和无障碍标准化工作。"),
    )
    report = submission.submit(
        staff,
        temporary,
        submission.Submission(
            title="Draft report of the meeting",
            language="en",
            access="public",
            source="secretariat",
        ),
        demo_docx("Draft report", "The meeting was opened by the chair.", pages=5),
    )
    for document in (french, chinese, report):
        secretariat.publish(staff, document)
    secretariat.set_translation(staff, french, "en", "in_progress")
    secretariat.set_translation(staff, french, "ar", "requested")
