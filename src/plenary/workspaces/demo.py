"""A demo workspace for Study Group 17, made through the services (``plenary demo``).

Its members are the study group's Member States and Sector Member (by entity),
its chair as moderator; a few topics in several languages, a mention, a reply,
reactions, so that every page has something to show.
"""

from __future__ import annotations

from plenary.accounts.models import Entity, User
from plenary.documents.demo import demo_docx
from plenary.meetings.models import Meeting
from plenary.workspaces.models import Membership, Workspace
from plenary.workspaces.services import access, setup
from plenary.workspaces.services import messages as posting

SLUG = "sg17"
MEMBER_ENTITIES = ("F", "KEN", "B", "CHN", "ARS", "RUS", "NORDTEL")

CONVERSATION = [
    # (author, language, channel, topic, text, reply to the previous message?)
    ("chair", "en", "general", "Welcome to SG17's workspace",
     "Dear colleagues, this is where we prepare our meetings between sessions. "
     "Please follow the topics of your **Questions**; write to @chair for the chair.", False),
    ("delegate.france", "fr", "general", "Welcome to SG17's workspace",
     "Merci, Monsieur le Président. La France contribuera au projet de plan de travail.", True),
    ("delegate.kenya", "en", "q4", "Work plan for Q4/17 (2027)",
     "Proposal for the work plan:\n\n1. Review of X.1060\n2. New item on quantum-safe keys\n\n"
     "@F @ARS could you share your drafts before the next e-meeting?", False),
    ("delegate.saudi", "ar", "q4", "Work plan for Q4/17 (2027)",
     "شكراً. سنرسل مشروع المساهمة قبل الاجتماع الإلكتروني القادم.", True),
    ("delegate.china", "zh-hans", "q4", "Terminology for quantum-safe",
     "建议统一使用“抗量子”一词。欢迎各位提出意见。", False),
]  # fmt: skip


def load_demo_workspace(meeting: Meeting, people: dict[str, User]) -> Workspace | None:
    """The SG17 workspace with a short conversation, once."""
    if Workspace.objects.filter(slug=SLUG).exists():
        return None
    workspace = setup.do_create_workspace(
        people["secretariat"],
        slug=SLUG,
        names={
            "en": "Study Group 17 — Security",
            "fr": "Commission d'études 17 — Sécurité",
            "es": "Comisión de Estudio 17 — Seguridad",
            "ar": "لجنة الدراسات 17 — الأمن",
            "ru": "Исследовательская комиссия 17 — Безопасность",
            "zh-hans": "第17研究组——安全",
        },
        descriptions={
            "en": "Between meetings: the study group's discussions, drafts and calls.",
            "fr": "Entre les réunions : les discussions, projets et appels de la commission.",
        },
        kind=Workspace.Kind.STUDY_GROUP,
        visibility=Workspace.Visibility.MEMBERS,
        meeting=meeting,
        entity_ids=list(
            Entity.objects.filter(code__in=MEMBER_ENTITIES).values_list("pk", flat=True)
        ),
    )
    Membership.objects.create(
        workspace=workspace, user=people["chair"], role=Membership.Role.MODERATOR
    )
    chair = people["chair"]
    q4 = setup.do_create_channel(
        chair, access.place_of(chair, workspace), "Q4", description="Question 4/17"
    )
    channels = {"general": workspace.channels.get(slug="general"), "q4": q4}
    previous = None
    for author_name, language, channel, title, text, reply in CONVERSATION:
        author = people[author_name]
        place = access.place_of(author, workspace)
        if reply and previous is not None:
            previous = posting.do_post(
                author, place, previous.topic_id, text, language=language, reply_to_id=previous.pk
            )
        else:
            previous = posting.do_start_topic(
                author, place, channels[channel].pk, title, text, language=language
            )
    first = workspace.channels.get(slug="general").topics.get().messages.order_by("pk").first()
    if first is not None:
        for name in ("delegate.france", "delegate.kenya"):
            person = people[name]
            posting.do_react(person, access.place_of(person, workspace), first.pk, "👍", True)
        # A draft shared with the first message's topic: a library document and its file.
        author = people["delegate.france"]
        posting.do_post(
            author,
            access.place_of(author, workspace),
            first.topic_id,
            "Le projet de texte pour la Q4, en pièce jointe.",
            language="fr",
            upload=demo_docx(
                "Projet X.quantum",
                "Projet de Recommandation sur les réseaux à sécurité quantique.",
                pages=2,
            ),
        )
    return workspace
