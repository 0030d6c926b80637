"""The Django admin's titles; the models' admins build on `laborcoop.accounts.scoped_admin.ScopedModelAdmin`."""

from django.contrib import admin

admin.site.site_header = "劳务协作信息服务平台 · 后台"
admin.site.site_title = "劳务协作信息服务平台后台"
admin.site.index_title = "后台管理"
