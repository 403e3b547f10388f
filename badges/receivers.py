"""Subscriptions: a published course gets its badge class; a completed
course may earn its badge. Progress and courses never import badges."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from courses.models import Course
from progress.signals import course_completed

from . import services


@receiver(post_save, sender=Course, dispatch_uid="badges.course_published")
def course_published(sender, instance: Course, **kwargs):
    if instance.is_published:
        services.badge_class_ensure(instance)


@receiver(course_completed, dispatch_uid="badges.course_completed")
def course_was_completed(sender, learner, course, **kwargs):
    services.award_if_eligible(learner=learner, course=course)
