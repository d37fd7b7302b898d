"""The stored search vector every searchable table keeps, and its GIN indexes.

Search: jieba tokens (ingest.segment.search_tokens) stored space-joined in
`search_tokens`; PostgreSQL keeps `search_vector` = to_tsvector('simple', …) of
them as a stored generated column with a GIN index, so matching and ranking read
a stored vector instead of parsing the tokens of every candidate row. A report's
vector is stored without a compression attempt (migration 0024): pglz never shrinks one.
"""

from __future__ import annotations

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models import Q


def search_vector_field() -> models.GeneratedField:
    """The stored tsvector of a table's `search_tokens`."""
    return models.GeneratedField(
        expression=SearchVector("search_tokens", config="simple"),
        output_field=SearchVectorField(),
        db_persist=True,
        editable=False,
    )


def search_index(prefix: str) -> GinIndex:
    """The GIN index over a table's search vector."""
    return GinIndex(fields=["search_vector"], name=f"{prefix}_search_vector")


def public_search_index(prefix: str) -> GinIndex:
    """The GIN index over the search vectors of public rows only: search never reads the others."""
    return GinIndex(
        fields=["search_vector"], name=f"{prefix}_search_public", condition=Q(public=True)
    )
