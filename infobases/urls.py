from django.urls import path

from .views import backups, infobases, uploads

app_name = "infobases"
urlpatterns = [
    path("", infobases.index, name="index"),
    path("add/", infobases.add, name="add"),
    path("upload/", uploads.upload, name="upload"),
    path("upload/start/", uploads.upload_start, name="upload_start"),
    path("upload/<uuid:pk>/", uploads.upload_status, name="upload_status"),
    path("upload/<uuid:pk>/parts/<int:number>/", uploads.upload_part, name="upload_part"),
    path(
        "upload/<uuid:pk>/parts/<int:number>/data/",
        uploads.upload_part_data,
        name="upload_part_data",
    ),
    path("upload/<uuid:pk>/complete/", uploads.upload_complete, name="upload_complete"),
    path("access/", infobases.access, name="access"),
    path("access/set/", infobases.access_set, name="access_set"),
    path("access/<int:pk>/revoke/", infobases.access_revoke, name="access_revoke"),
    path("licences/", backups.licences, name="licences"),
    path("<int:pk>/", infobases.detail, name="detail"),
    path("<int:pk>/rename/", infobases.rename, name="rename"),
    path("<int:pk>/delete/", infobases.delete, name="delete"),
    path("<int:pk>/lock/", infobases.lock, name="lock"),
    path("<int:pk>/backup/", backups.create, name="backup_create"),
    path("<int:pk>/sessions/<str:session_id>/end/", infobases.session_end, name="session_end"),
    path("backups/", backups.index, name="backups"),
    path("backups/<int:pk>/download/", backups.download, name="backup_download"),
    path("backups/<int:pk>/restore/", backups.restore, name="backup_restore"),
    path("backups/file/<str:token>/", backups.download_file, name="backup_file"),
]
