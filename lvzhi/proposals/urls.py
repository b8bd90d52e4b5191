"""Web page routes of the proposals app."""

from django.urls import path

from lvzhi.proposals import views

urlpatterns = [
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal-detail"),
]
