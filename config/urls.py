"""Top-level URLs: the public catalogue (Chinese at /, English under /en/) and the staff admin.

The language is part of the URL rather than a POST to set_language, so every public
URL answers GET and HEAD only and a page in either language is a permalink.
"""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from catalogue.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]
urlpatterns += i18n_patterns(
    path("", include("catalogue.urls")),
    prefix_default_language=False,
)
