"""Views: directory."""

urlpatterns: list = []
