from django.contrib import admin

from economies.models import Economy


@admin.register(Economy)
class EconomyAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name",
        "iso_alpha2",
        "year_joined",
        "subregion",
        "grid_row",
        "grid_col",
    ]
    list_filter = ["region", "subregion", "year_joined"]
    search_fields = ["code", "name", "iso_short_name", "iso_alpha2"]
    ordering = ["name"]
