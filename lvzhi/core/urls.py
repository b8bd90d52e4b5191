"""Login, logout, inbox and notifications."""

from django.contrib.auth.decorators import login_required
from django.urls import path

from lvzhi.core import views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("password/", login_required(views.PasswordChangeView.as_view()), name="password-change"),
    path("", views.inbox, name="inbox"),
    path("search/", views.search, name="search"),
    path("filters/", views.saved_filter_save, name="saved-filter-save"),
    path("filters/<int:pk>/delete/", views.saved_filter_delete, name="saved-filter-delete"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/settings/", views.notification_settings, name="notification-settings"),
    path("notifications/<int:pk>/", views.notification_open, name="notification-open"),
]
