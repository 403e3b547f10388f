"""What the bad-input tests share: the values a tampered request puts
where an id goes, and the sign-up form."""

from django.urls import reverse

from learning_platform.models import User


def signup(client, **fields):
    """Post the sign-up form as "nouvelle" with a good password and ``fields``."""
    data = {
        "username": "nouvelle",
        "password1": "un-mot-de-passe-long",
        "password2": "un-mot-de-passe-long",
    }
    return client.post(reverse("signup"), {**data, **fields})


def users() -> list[tuple]:
    """Every account's username, display name and address, to compare."""
    return list(User.objects.order_by("pk").values_list("username", "display_name", "email"))


# 0 and -1 (below every id), 2**63 (one past a signed 64-bit column),
# 30 nines, a superscript two and an Arabic-Indic three (str.isdigit() is
# True for both, and int() reads the second as 3), and an integer longer
# than Python converts from text (4,300 digits).
BAD_IDS = ["0", "-1", str(2**63), "9" * 30, "²", "٣", "9" * 5000]
