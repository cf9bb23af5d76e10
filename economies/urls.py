from django.urls import path

from economies import views

urlpatterns = [
    path("", views.economy_list, name="economy_list"),
    path("<str:code>/", views.economy_detail, name="economy_detail"),
]
