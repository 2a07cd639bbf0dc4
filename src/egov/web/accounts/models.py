"""The audit trail and the API tokens.

Every write of the platform records one :class:`AuditEntry` in the same transaction (who, when,
what, and the object before and after), so the trail and the data cannot disagree.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AuditEntry(models.Model):
    """One write: ``action`` on a target, by an actor, with the target before and after."""

    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Kept as written: the trail still names an account that was renamed or removed.
    actor_name = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=64, help_text='What was done, e.g. "item.publish".')
    target_type = models.CharField(max_length=40)
    target_id = models.CharField(max_length=64)
    target_label = models.CharField(max_length=300, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "audit entries"
        indexes = [models.Index(fields=["target_type", "target_id", "at"])]

    def __str__(self) -> str:
        return (
            f"{self.at:%Y-%m-%d %H:%M} {self.actor_name or '-'} {self.action} {self.target_label}"
        )

    @property
    def changes(self) -> list[tuple[str, object, object]]:
        """(field, before, after) for every field whose value differs, in field order."""
        before = self.before if isinstance(self.before, dict) else {}
        after = self.after if isinstance(self.after, dict) else {}
        fields = list(dict.fromkeys([*before, *after]))
        return [
            (field, before.get(field), after.get(field))
            for field in fields
            if before.get(field) != after.get(field)
        ]


class ApiToken(models.Model):
    """A key for scripts calling the write endpoints of the API (``Authorization: Bearer``).

    Only a SHA-256 of the key is stored; the key is shown once, when it is made."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    prefix = models.CharField(
        max_length=8, help_text="The key's first characters, to tell keys apart."
    )
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user} {self.name} ({self.prefix}…)"
