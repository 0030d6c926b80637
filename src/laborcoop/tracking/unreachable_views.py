"""The unreachable list page (无法联系人员) and its xlsx download."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from laborcoop.accounts.navigation import region_picker
from laborcoop.core.pagination import page_of
from laborcoop.tracking.forms import RegionFilterForm
from laborcoop.tracking.selectors import unreachable_list
from laborcoop.tracking.unreachable import unreachable_export


@login_required
def unreachable_list_view(request: HttpRequest) -> HttpResponse:
    region = RegionFilterForm(request.GET or None).region_code()
    page = page_of(unreachable_list(user=request.user, region=region), request)
    picker = region_picker(user=request.user, selected_code=region)
    return render(request, "tracking/unreachable_list.html", {"page": page, "picker": picker, "region": region})


@login_required
@require_POST
def unreachable_download(request: HttpRequest) -> FileResponse:
    region = RegionFilterForm(request.POST).region_code()
    exported = unreachable_export(acting_user=request.user, region=region)
    response = FileResponse(exported.file, as_attachment=True, filename=exported.filename)
    response["Content-Type"] = exported.content_type
    response["Cache-Control"] = "no-store"
    return response
