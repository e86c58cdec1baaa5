"""Where sessions' media live: the registered Janus servers and each session's placement."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class MediaServer(models.Model):
    """A Janus server the control plane may place sessions on.

    ``capacity`` is in listeners (the mountpoints' viewers and the rooms'
    participants it carries); the load is sampled from Janus itself by the
    web servers' room managers. A ``draining`` server gets no new session;
    one whose connection has been lost past the failover delay is ``down``
    (``down_since``) and its sessions are placed again elsewhere.
    """

    url = models.CharField(_("address"), max_length=200, unique=True)
    capacity = models.PositiveIntegerField(_("capacity (listeners)"))
    draining = models.BooleanField(_("draining"), default=False)
    rooms = models.PositiveIntegerField(_("rooms"), default=0)
    listeners = models.PositiveIntegerField(_("listeners"), default=0)
    sampled_at = models.DateTimeField(_("load sampled at"), null=True, blank=True)
    down_since = models.DateTimeField(_("down since"), null=True, blank=True)
    registered_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    class Meta:
        ordering = ["url"]
        verbose_name = _("media server")
        verbose_name_plural = _("media servers")

    def __str__(self) -> str:
        return self.url


class Placement(models.Model):
    """The media server a session's rooms and mountpoint are on (one per session)."""

    session = models.OneToOneField(
        "meetings.Session", on_delete=models.CASCADE, related_name="media_placement"
    )
    server = models.ForeignKey(MediaServer, on_delete=models.CASCADE, related_name="placements")
    placed_at = models.DateTimeField(_("placed at"), auto_now=True)

    class Meta:
        verbose_name = _("media placement")
        verbose_name_plural = _("media placements")

    def __str__(self) -> str:
        return f"{self.session_id} → {self.server.url}"
