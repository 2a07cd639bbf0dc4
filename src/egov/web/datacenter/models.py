"""The published Survey in the database: countries, editions and one row per index value.

An edition holds every country row of its file (:class:`EditionCountry`, with the name as the
file spells it and the file's order) and one :class:`IndexValue` per country and index.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from egov.data.tables import INDICES


class Country(models.Model):
    """A UN Member State, from the country registry (ISO3, UN M49, groups)."""

    iso3 = models.CharField(max_length=3, unique=True)
    m49 = models.CharField(max_length=3)
    name = models.CharField(max_length=100)
    region = models.CharField(max_length=20)
    sub_region = models.CharField(max_length=60)
    income_group = models.CharField(max_length=20, blank=True)
    developed = models.BooleanField(default=False)
    un_member = models.BooleanField(default=True)
    ldc = models.BooleanField("least developed country", default=False)
    lldc = models.BooleanField("landlocked developing country", default=False)
    sids = models.BooleanField("small island developing State", default=False)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "countries"

    def __str__(self) -> str:
        return self.name


class Edition(models.Model):
    """One Survey edition as imported, with the file it came from."""

    year = models.PositiveSmallIntegerField(unique=True)
    # Text, not CharField: an import may merge many files and layouts into one edition.
    source = models.TextField(help_text="File name(s) the edition was read from.")
    layout = models.TextField(help_text="Reader layout(s), e.g. undesa-csv + data360-wide.")
    imported_at = models.DateTimeField()

    class Meta:
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)


class EditionCountry(models.Model):
    """A country's row in an edition's file: its name as spelled there and the row it stood on."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="rows")
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="+")
    published_name = models.CharField(max_length=120)
    row = models.PositiveIntegerField(help_text="Spreadsheet row in the source file (header = 1).")

    class Meta:
        ordering = ["edition", "row"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "country"], name="edition_country_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.edition_id}:{self.country_id}"


class IndexValue(models.Model):
    """One published value: country × edition × index, with the published rank if any."""

    INDEX_CHOICES = [(code, code.upper()) for code in INDICES]

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="values")
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="values")
    index = models.CharField(max_length=4, choices=INDEX_CHOICES)
    value = models.FloatField()
    rank = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["edition", "index", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "country", "index"], name="index_value_unique"
            ),
            # [0, 1], but HCI of 2003-2005 was not rescaled and is published above 1
            # (Micronesia 2003: 1.422); the readers allow that per edition, the database per index.
            models.CheckConstraint(
                condition=Q(value__gte=0) & (Q(value__lte=1) | Q(index="hci")),
                name="index_value_in_unit_interval",
            ),
            models.CheckConstraint(
                condition=Q(rank__isnull=True) | Q(rank__gte=1), name="index_value_rank_positive"
            ),
            models.CheckConstraint(condition=Q(index__in=INDICES), name="index_value_known_index"),
        ]
        indexes = [models.Index(fields=["country", "index"])]

    def __str__(self) -> str:
        return f"{self.edition_id} {self.country_id} {self.index}={self.value}"
