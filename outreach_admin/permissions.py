"""Who may act: coordinators and admins change things, viewers only look."""

from django.contrib.auth import get_user_model
from django.contrib.auth.mixins import UserPassesTestMixin

ACTING_GROUPS = ("coordinator", "admin")


def can_act(user) -> bool:
    """True for superusers and members of the coordinator or admin group."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return user.groups.filter(name__in=ACTING_GROUPS).exists()


def username_can_act(username: str) -> bool:
    """``can_act`` for the active user named ``username`` (services are given the actor's
    name); False for an unknown or inactive name."""
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    return user is not None and can_act(user)


def is_admin(user) -> bool:
    """True for superusers and members of the admin group."""
    return user.is_superuser or user.groups.filter(name="admin").exists()


class ActorRequiredMixin(UserPassesTestMixin):
    """For POST action views: anyone signed in but outside coordinator/admin gets 403."""

    raise_exception = True

    def test_func(self):
        return can_act(self.request.user)
