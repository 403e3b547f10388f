"""The Open Badges 2.0 documents (hosted verification): issuer profile,
badge class and assertion, as dicts ready for JSON. Every ``id`` is an
absolute URL on ``SITE_URL``, so that any verifier can fetch it.

Spec: https://www.imsglobal.org/sites/default/files/Badges/OBv2p0Final/index.html
"""

from urllib.parse import urlencode

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse

from .models import Assertion, BadgeClass
from .selectors import badge_criteria

CONTEXT = "https://w3id.org/openbadges/v2"
DIGCOMP_URL = "https://joint-research-centre.ec.europa.eu/digcomp/digcomp-framework_en"


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def issuer_url() -> str:
    return absolute(reverse("badges:issuer"))


def issuer_document() -> dict:
    return {
        "@context": CONTEXT,
        "type": "Issuer",
        "id": issuer_url(),
        "name": settings.BADGE_ISSUER["name"],
        "url": settings.BADGE_ISSUER["url"] or settings.SITE_URL + "/",
        "email": settings.BADGE_ISSUER["email"],
        "image": absolute(static("img/issuer.png")),
    }


def badge_class_image_url(badge_class: BadgeClass) -> str:
    return absolute(reverse("badges:class_image", args=[badge_class.uuid]))


def badge_class_document(badge_class: BadgeClass) -> dict:
    course = badge_class.course
    course_url = absolute(course.get_absolute_url())
    return {
        "@context": CONTEXT,
        "type": "BadgeClass",
        "id": absolute(badge_class.get_absolute_url()),
        "name": badge_class.name,
        "description": badge_class.description,
        "image": badge_class_image_url(badge_class),
        "criteria": {"id": course_url, "narrative": badge_criteria(badge_class=badge_class)},
        "issuer": issuer_url(),
        "alignment": [
            {
                "targetName": f"{c.code} {c.name_fr if course.language == 'fr' else c.name_en}",
                "targetUrl": DIGCOMP_URL,
                "targetFramework": "DigComp 2.2",
                "targetCode": c.code,
            }
            for c in course.competences.all()
        ],
        "tags": [course.get_level_display(), "DigComp 2.2"],
    }


def assertion_url(assertion: Assertion) -> str:
    return absolute(assertion.get_absolute_url())


def assertion_document(assertion: Assertion) -> dict:
    badge_class = assertion.badge_class
    return {
        "@context": CONTEXT,
        "type": "Assertion",
        "id": assertion_url(assertion),
        "recipient": {
            "type": "email",
            "hashed": True,
            "salt": assertion.salt,
            "identity": assertion.recipient_identity,
        },
        "badge": absolute(badge_class.get_absolute_url()),
        "verification": {"type": "hosted"},
        "issuedOn": assertion.issued_on.isoformat(),
        "image": badge_class_image_url(badge_class),
        "evidence": [
            {
                "id": absolute(badge_class.course.get_absolute_url()),
                "narrative": assertion.evidence,
            }
        ],
    }


def revoked_document(assertion: Assertion) -> dict:
    return {
        "@context": CONTEXT,
        "id": assertion_url(assertion),
        "revoked": True,
        "revocationReason": assertion.revocation_reason,
    }


def linkedin_url(award: Assertion) -> str:
    """LinkedIn's "add licence or certification" form, prefilled."""
    return "https://www.linkedin.com/profile/add?" + urlencode(
        {
            "startTask": "CERTIFICATION_NAME",
            "name": award.badge_class.name,
            "organizationName": issuer_document()["name"],
            "issueYear": award.issued_on.year,
            "issueMonth": award.issued_on.month,
            "certUrl": assertion_url(award),
            "certId": str(award.uuid),
        }
    )
