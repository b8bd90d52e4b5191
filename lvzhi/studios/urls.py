"""Pages of members' studios."""

from django.urls import path

from lvzhi.studios import views

urlpatterns = [
    path("studios/", views.studio_list, name="studios"),
    path("studios/new/", views.studio_new, name="studio-new"),
    path("studios/<int:pk>/", views.studio_detail, name="studio"),
    path("studios/<int:pk>/members/", views.studio_members, name="studio-members"),
    path("studios/<int:pk>/activity/", views.activity_new, name="studio-activity-new"),
    path("studios/activities/<int:pk>/items/", views.items_new, name="studio-items-new"),
    path("studios/items/", views.item_list, name="studio-items"),
    path("studios/items/<int:pk>/", views.item_detail, name="studio-item"),
]
