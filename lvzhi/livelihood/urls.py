"""Web page routes of livelihood-project votes (民生实事票决)."""

from django.urls import path

from lvzhi.livelihood import views

urlpatterns = [
    path("livelihood/", views.vote_list, name="livelihood-list"),
    path("livelihood/votes/<int:pk>/", views.vote_detail, name="livelihood-vote"),
    path("livelihood/votes/<int:pk>/ballot/", views.cast, name="livelihood-ballot"),
    path("livelihood/votes/<int:pk>/turnout/", views.vote_turnout, name="livelihood-turnout"),
    path("livelihood/votes/<int:pk>/verify/", views.verify, name="livelihood-verify"),
    path("livelihood/votes/<int:pk>/do/<slug:step>/", views.vote_step, name="livelihood-step"),
]
urlpatterns += [
    path("livelihood/collections/<int:pk>/", views.collection, name="livelihood-collection"),
    path("livelihood/collections/<int:pk>/screen/<int:project>/", views.screen, name="livelihood-screen"),
    path("livelihood/collections/<int:pk>/propose/", views.propose, name="livelihood-propose"),
    path("livelihood/evaluations/<int:pk>/", views.evaluation_page, name="livelihood-evaluation"),
    path("livelihood/figures/", views.figures, name="livelihood-figures"),
]
urlpatterns += [
    path("livelihood/projects/<int:pk>/", views.project_page, name="livelihood-project"),
    path("livelihood/progress/<int:council>/<int:year>/", views.progress_page, name="livelihood-progress"),
    path("livelihood/votes/<int:pk>/deliver/<str:code>/", views.start_delivery, name="livelihood-deliver"),
]
urlpatterns += [
    path("livelihood/micro/", views.micro_list, name="livelihood-micro-list"),
    path("livelihood/micro/<int:pk>/", views.micro_page, name="livelihood-micro"),
]
urlpatterns += [path("livelihood/votes/<int:pk>/materials.docx", views.materials, name="livelihood-materials")]
urlpatterns += [path("livelihood/collections/<int:pk>/carry/<int:project>/", views.carry, name="livelihood-carry")]
urlpatterns += [
    path("livelihood/votes/new/", views.vote_new, name="livelihood-vote-new"),
    path("livelihood/evaluations/new/", views.evaluation_new, name="livelihood-evaluation-new"),
]
urlpatterns += [path("livelihood/micro/new/", views.micro_new, name="livelihood-micro-new")]
urlpatterns += [
    path("livelihood/supervision/", views.supervision_list, name="livelihood-supervision-list"),
    path("livelihood/supervision/<int:pk>/", views.supervision_page, name="livelihood-supervision"),
]
urlpatterns += [path("livelihood/photos/<int:pk>/", views.photo, name="livelihood-photo")]
