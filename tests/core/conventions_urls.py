"""Test-only API views for the API's conventions (``@pytest.mark.urls``): a write a key may make,
which can be held open, slowed or made to fail; and a list paged by ``CursorPage``.

Each write creates a ``Heartbeat`` row, so a test counts the writes that really happened."""

import threading
import time
import uuid

from django.urls import path
from django.utils import timezone
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from hkhz_portal.accounts.api_keys import Scope
from hkhz_portal.core.models import Heartbeat
from hkhz_portal.core.pagination import CursorPage


class Control:
    """What the next writes do: wait for ``gate``, take ``delay`` seconds, or fail (503) while
    ``failures`` lasts."""

    def __init__(self):
        self.reset()

    def reset(self):
        self.gate: threading.Event | None = None
        self.started = threading.Event()
        self.delay = 0.0
        self.failures = 0


control = Control()


class WriteView(APIView):
    key_scopes = Scope.WEBHOOKS_MANAGE  # the one scope with which keys may write

    def post(self, request):
        control.started.set()
        if control.gate is not None:
            control.gate.wait(30)
        time.sleep(control.delay)
        if control.failures:
            control.failures -= 1
            return Response({"type": "unavailable"}, status=status.HTTP_503_SERVICE_UNAVAILABLE)
        row = Heartbeat.objects.create(name=f"write-{uuid.uuid4().hex}", seen_at=timezone.now())
        return Response(
            {"id": row.pk, "sent": request.data}, status=status.HTTP_201_CREATED, headers={"Location": "/x/"}
        )


class HeartbeatSerializer(serializers.ModelSerializer):
    class Meta:
        model = Heartbeat
        fields = ["id", "name", "seen_at"]


class HeartbeatList(generics.ListAPIView):
    key_scopes = Scope.DIRECTORY_READ
    serializer_class = HeartbeatSerializer
    pagination_class = CursorPage
    ordering = ("-seen_at",)
    ordering_fields = ("name", "seen_at")
    queryset = Heartbeat.objects.all()


urlpatterns = [
    path("api/test/writes/", WriteView.as_view()),
    path("api/test/writes/other/", WriteView.as_view()),
    path("api/test/heartbeats/", HeartbeatList.as_view()),
]
