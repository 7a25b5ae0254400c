from django.urls import path

from .views import backups, connect, infobases, targets, uploads

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
    path("<int:pk>/password/", connect.password, name="password"),
    path("<int:pk>/password/reveal/", connect.password_reveal, name="password_reveal"),
    path("<int:pk>/password/reset/", connect.password_reset, name="password_reset"),
    path("<int:pk>/onebuh.v8i", connect.v8i_one, name="v8i"),
    path("onebuh.v8i", connect.v8i_all, name="v8i_all"),
    path("<int:pk>/rename/", infobases.rename, name="rename"),
    path("<int:pk>/delete/", infobases.delete, name="delete"),
    path("<int:pk>/lock/", infobases.lock, name="lock"),
    path("<int:pk>/backup/", backups.create, name="backup_create"),
    path("<int:pk>/sessions/<str:session_id>/end/", infobases.session_end, name="session_end"),
    path("backups/", backups.index, name="backups"),
    path("backups/<int:pk>/download/", backups.download, name="backup_download"),
    path("backups/<int:pk>/restore/", backups.restore, name="backup_restore"),
    path("backups/file/<str:token>/", backups.download_file, name="backup_file"),
    path("backups/copies/<int:pk>/retry/", targets.copy_retry, name="backup_copy_retry"),
    path("backups/storage/", targets.index, name="backup_targets"),
    path("backups/storage/<int:pk>/", targets.detail, name="backup_target"),
    path("backups/storage/<int:pk>/check/", targets.check, name="backup_target_check"),
    path("backups/storage/<int:pk>/delete/", targets.delete, name="backup_target_delete"),
]
