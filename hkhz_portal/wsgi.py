import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hkhz_portal.settings.dev")
application = get_wsgi_application()
# What is loaded by now (Django and the apps) lives as long as the process. Frozen, it is out of
# the garbage collector's generations, so a full collection no longer walks its ~170,000 objects
# during a request: about 100 ms a collection here (bench/ranking.py --freeze measures the effect).
gc.freeze()
