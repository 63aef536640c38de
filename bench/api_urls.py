"""``bench/api.py``'s URLconf: a hand-written baseline beside the portal's own URLs.

The baseline returns what ``/api/v1/directory/?page_size=100`` returns in its ``results``, the
same 100 rows of the same query (``values()``), encoded by the standard library's C JSON
encoder, with no framework between: what the directory would cost written by hand.
"""

import json

from django.http import HttpResponse
from django.urls import include, path

from enterprises import partners


def baseline(request):
    base = request.build_absolute_uri("/api/v1/directory/")
    rows = []
    for row in partners.directory().order_by("reference")[:100]:
        founded = row["founded_on"]
        rows.append(
            {
                "reference": row["reference"],
                "name_en": row["legal_name_en"],
                "name_zh": row["legal_name_zh"],
                "short_name": row["short_name"],
                "sector": row["sector"],
                "district": row["district"],
                "stage": row["stage"],
                "description_en": row["description_en"],
                "description_zh": row["description_zh"],
                "founded_year": founded.year if founded else None,
                "admitted": row["admitted"],
                "url": f"{base}{row['reference']}/",
            }
        )
    return HttpResponse(json.dumps(rows, ensure_ascii=False, separators=(",", ":")), content_type="application/json")


urlpatterns = [
    path("bench/baseline/", baseline),
    path("", include("hkhz_portal.urls")),
]
