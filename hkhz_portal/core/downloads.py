"""Stored files served as downloads: as an attachment under the name the user gave the file,
with the content type the upload checks found, never sniffed by the browser into something else."""

from django.http import FileResponse, Http404


def download_response(stored_file, *, filename: str, content_type: str, missing: str) -> FileResponse:
    """``stored_file`` (a model's ``FieldFile``) as a download; a file gone from storage is a 404
    saying ``missing``."""
    try:
        handle = stored_file.open("rb")
    except FileNotFoundError as exc:
        raise Http404(missing) from exc
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response
