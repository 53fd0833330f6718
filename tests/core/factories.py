import factory
from django.contrib.contenttypes.models import ContentType
from factory.django import DjangoModelFactory

from core.models import Notification, RecordView
from tests.partnerships.factories import UserFactory


class NotificationFactory(DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Notification {n}")


class RecordViewFactory(DjangoModelFactory):
    class Meta:
        model = RecordView

    user = factory.SubFactory(UserFactory)
    content_type = factory.LazyAttribute(lambda view: ContentType.objects.get_for_model(view.record))
    object_id = factory.LazyAttribute(lambda view: view.record.pk)

    class Params:
        record = factory.SubFactory(UserFactory)
