"""Settings for ``bench/api.py``'s gunicorn: the portal's, with the baseline view's URLconf
(``bench/api_urls.py``) in front of its own, so that the baseline is served by the same
processes, middleware and database as the API it is compared with. Never used by the portal."""

from hkhz_portal.settings.dev import *  # noqa: F403

ROOT_URLCONF = "bench.api_urls"
