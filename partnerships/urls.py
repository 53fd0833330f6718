from .views import directory, plans, register

app_name = "partnerships"

urlpatterns = register.urlpatterns + directory.urlpatterns + plans.urlpatterns
