"""The querysets every public page starts from, and the shared cache settings.

Public pages never show hidden reports, rejected extractions or history: every
selector starts from the `*_public()` querysets here.
"""

from __future__ import annotations

from django.db.models import QuerySet

from .. import state
from ..models import Indicator, Initiative, Programme, Region, Report

# Labels of indicators that describe a region rather than the work done in it.
PROFILE_LABEL = r"面积|人口|户籍|常住|民族成分|少数民族"
# The version changes with every write, so cached home figures only need to expire
# eventually (a day) to leave no garbage behind.
HOME_CACHE_SECONDS = 24 * 3600
HOME_REGIONS = 15


def report_public() -> QuerySet[Report]:
    """Reports the public site shows."""
    return Report.objects.published()


def programme_public() -> QuerySet[Programme]:
    """Programmes of public reports that staff did not reject."""
    return Programme.objects.public()


def initiative_public() -> QuerySet[Initiative]:
    """Initiatives of public reports that staff did not reject."""
    return Initiative.objects.public()


def indicator_public() -> QuerySet[Indicator]:
    """Indicators of public reports that staff did not reject."""
    return Indicator.objects.public()


def region_codes_below(region: Region) -> QuerySet[Region]:
    """The codes of `region` and every region below it, as a subquery."""
    return Region.objects.descendants_of(region, include_self=True).values("code")


def catalogue_version() -> str:
    """The catalogue's version (catalogue.state): one primary-key read, changed by every write."""
    return state.version()
