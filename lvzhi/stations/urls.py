"""Web page routes of the deputies' liaison stations (代表联络站)."""

from django.urls import path

from lvzhi.stations import views

urlpatterns = [
    path("stations/", views.station_list, name="station-list"),
    path("stations/lookup/", views.matter_lookup, name="station-lookup"),
    path("stations/criteria/", views.criteria, name="station-criteria"),
    path("stations/manage/", views.manage, name="station-manage"),
    path("stations/new/", views.station_edit, name="station-new"),
    path("stations/import/", views.station_import, name="station-import"),
    path("stations/import/template.xlsx", views.import_template, name="station-import-template"),
    path("stations/my/", views.my_turns, name="station-my"),
    path("stations/matters/", views.matter_list, name="station-matters"),
    path("stations/matters/<int:pk>/", views.matter_detail, name="station-matter"),
    path("stations/matters/<int:pk>/do/<slug:step>/", views.matter_detail, name="station-matter-step"),
    path("stations/receptions/<int:pk>/", views.reception_detail, name="station-reception"),
    path("stations/themes/", views.themes, name="station-themes"),
    path("stations/themes/<int:pk>/", views.theme_detail, name="station-theme"),
    path("stations/figures/", views.figures, name="station-figures"),
    path("stations/<int:pk>/", views.station_detail, name="station-detail"),
    path("stations/<int:pk>/edit/", views.station_edit, name="station-edit"),
    path("stations/<int:pk>/rota/", views.rota, name="station-rota"),
    path("stations/<int:pk>/rota/<int:turn>/cancel/", views.turn_cancel, name="station-turn-cancel"),
    path("stations/<int:pk>/receptions/new/", views.reception_new, name="station-reception-new"),
    path("stations/<int:pk>/rate/", views.rate, name="station-rate"),
]
