from django.urls import path

from laborcoop.linkage import views

app_name = "linkage"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/mapping/", views.mapping, name="mapping"),
    path("<int:pk>/changes/<int:change_pk>/accept/", views.decide, {"action": "accept"}, name="accept"),
    path("<int:pk>/changes/<int:change_pk>/reject/", views.decide, {"action": "reject"}, name="reject"),
    path("<int:pk>/accept-above/", views.accept_above, name="accept_above"),
    path("<int:pk>/feedback/", views.feedback, name="feedback"),
]
