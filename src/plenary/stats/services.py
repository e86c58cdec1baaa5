"""Report jobs (request, run) and the webcast viewing fact."""

from __future__ import annotations

import datetime as dt
import logging

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from plenary.accounts.models import User
from plenary.accounts.permissions import is_verified_staff
from plenary.core import audit
from plenary.core.errors import NotFoundRefusal, PermissionRefusal, Refusal
from plenary.core.languages import UN_LANGUAGES
from plenary.core.tasks import enqueue, task
from plenary.meetings.models import Session
from plenary.stats.models import ReportJob, WebcastView

logger = logging.getLogger(__name__)

FIRST_YEAR = 2000
# A job "running" for longer than this was cut off by a restart.
STALE_AFTER = dt.timedelta(minutes=30)


def check_staff(user: User) -> None:
    """Secretariat staff in a session verified with their second factor."""
    if not (is_verified_staff(user) and user.is_secretariat):
        raise PermissionRefusal(_("Statistics are for the secretariat."))


def check_year(year: int) -> int:
    """Years from 2000 to the current one; the current one is reported as in progress."""
    if not FIRST_YEAR <= year <= timezone.now().year:
        raise Refusal(
            _("Choose a year from %(first)d to %(last)d.")
            % {"first": FIRST_YEAR, "last": timezone.now().year},
            field="year",
        )
    return year


def check_request_report(user: User, year: int, language: str) -> None:
    check_staff(user)
    check_year(year)
    if language not in UN_LANGUAGES:
        raise Refusal(_("Choose one of the six languages."), field="language")


def do_request_report(user: User, year: int, language: str) -> ReportJob:
    """The active job for (year, language), or a new one queued for the task worker.

    A report asked for twice at once (even in two requests racing) gives the
    same job: a partial unique constraint allows one active job per pair.
    """
    check_request_report(user, year, language)
    ReportJob.objects.filter(
        status__in=ReportJob.ACTIVE, created_at__lt=timezone.now() - STALE_AFTER
    ).update(status=ReportJob.Status.FAILED, error=_("Interrupted; please ask again."))
    active = ReportJob.objects.filter(year=year, language=language, status__in=ReportJob.ACTIVE)
    existing = active.first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            job = ReportJob.objects.create(year=year, language=language, requested_by=user)
            audit.record(user, "stats.report_requested", job, year=year, language=language)
            enqueue(run_report_job, job.pk)  # queued with the job, or not at all
    except IntegrityError:
        return active.get()
    return job


@task()
def run_report_job(job_id: int) -> None:
    """Generate the DOCX and PDF of a job, recording progress; never raises. A job left
    running by a worker that died is made again."""
    from plenary.stats import report

    job = ReportJob.objects.get(pk=job_id)
    if job.status not in (ReportJob.Status.QUEUED, ReportJob.Status.RUNNING):
        return

    def progress(percent: int, step: str) -> None:
        # ``step`` is an untranslated message: pages translate it into their own language.
        ReportJob.objects.filter(pk=job_id).update(progress=percent, step=step[:120])

    ReportJob.objects.filter(pk=job_id).update(status=ReportJob.Status.RUNNING)
    try:
        with translation.override(job.language):
            content = report.build_report(job.year, progress)
            progress(60, gettext_noop("Writing the DOCX document"))
            docx = report.render_docx(content)
            progress(80, gettext_noop("Writing the PDF document"))
            pdf = report.render_pdf(content)
        name = f"council-report-{job.year}-{job.language}"
        job.docx.save(f"{name}.docx", ContentFile(docx), save=False)
        job.pdf.save(f"{name}.pdf", ContentFile(pdf), save=False)
        job.status = ReportJob.Status.DONE
        job.progress = 100
        job.step = ""
        job.finished_at = timezone.now()
        job.save(update_fields=["docx", "pdf", "status", "progress", "step", "finished_at"])
    except Exception as error:
        logger.exception("report %s failed", job_id)
        ReportJob.objects.filter(pk=job_id).update(
            status=ReportJob.Status.FAILED, error=str(error)[:500], finished_at=timezone.now()
        )


def get_job(user: User, job_id: int) -> ReportJob:
    check_staff(user)
    job = ReportJob.objects.filter(pk=job_id).first()
    if job is None:
        raise NotFoundRefusal(_("There is no such report."))
    return job


def record_webcast_view(session: Session, viewer: str, language: str = "") -> WebcastView:
    """Append one webcast viewing (the media app calls this when a viewer starts playing).

    ``viewer`` is the anonymous key the webcast page keeps in the browser.
    """
    if not viewer or len(viewer) > 64:
        raise Refusal(_("The viewer key is missing or too long."))
    if language and language not in UN_LANGUAGES:
        raise Refusal(_("Choose one of the six languages."), field="language")
    return WebcastView.objects.create(
        session=session, meeting_id=session.meeting_id, language=language, viewer=viewer
    )
