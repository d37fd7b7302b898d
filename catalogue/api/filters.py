"""The API's FilterSets: the pages' own, plus the indicator's measure and period kind."""

from __future__ import annotations

import django_filters as df

from ..filters import IndicatorFilter, InitiativeFilter, ProgrammeFilter, ReportFilter
from ..models import Indicator, Measure

__all__ = ["IndicatorApiFilter", "InitiativeFilter", "ProgrammeFilter", "ReportFilter"]


class IndicatorApiFilter(IndicatorFilter):
    """The indicator list's filters, and what a machine compares figures by."""

    measure = df.ModelChoiceFilter(
        label="measure", queryset=Measure.objects.all(), to_field_name="slug"
    )
    period_kind = df.ChoiceFilter(
        label="period kind", choices=Indicator._meta.get_field("period_kind").choices
    )
