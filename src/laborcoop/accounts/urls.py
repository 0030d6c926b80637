from django.urls import path

from laborcoop.accounts import views
from laborcoop.accounts.help.views import help_view

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("users/", views.user_list_view, name="user_list"),
    path("users/new/", views.user_create_view, name="user_create"),
    path("users/<int:pk>/", views.user_detail_view, name="user_detail"),
    path("users/<int:pk>/edit/", views.user_edit_view, name="user_edit"),
    path("users/<int:pk>/password/", views.user_password_view, name="user_password"),
    path("users/<int:pk>/active/", views.user_set_active_view, name="user_set_active"),
    path("users/<int:pk>/unlock/", views.user_unlock_view, name="user_unlock"),
    path("help/", help_view, name="help"),
    path("me/", views.my_account_view, name="me"),
    path("me/password/", views.my_password_view, name="my_password"),
    path("me/tokens/<int:token_id>/revoke/", views.my_token_revoke_view, name="my_token_revoke"),
]
