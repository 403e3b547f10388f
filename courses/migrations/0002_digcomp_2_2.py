"""Load DigComp 2.2 (5 areas, 21 competences, English and French names) as
the default competence framework. Source: Vuorikari, Kluzer, Punie, JRC,
2022, EUR 31006 EN, CC BY 4.0; French titles are working translations."""

from django.db import migrations

AREAS = [
    ('1', 'Information and data literacy', 'Information et données'),
    ('2', 'Communication and collaboration', 'Communication et collaboration'),
    ('3', 'Digital content creation', 'Création de contenus numériques'),
    ('4', 'Safety', 'Sécurité'),
    ('5', 'Problem solving', 'Résolution de problèmes'),
]

COMPETENCES = [
    ('1.1', 'Browsing, searching and filtering data, information and digital content', 'Naviguer, rechercher et filtrer des données, informations et contenus numériques'),
    ('1.2', 'Evaluating data, information and digital content', 'Évaluer des données, informations et contenus numériques'),
    ('1.3', 'Managing data, information and digital content', 'Gérer des données, informations et contenus numériques'),
    ('2.1', 'Interacting through digital technologies', 'Interagir au moyen des technologies numériques'),
    ('2.2', 'Sharing through digital technologies', 'Partager au moyen des technologies numériques'),
    ('2.3', 'Engaging citizenship through digital technologies', 'Exercer sa citoyenneté au moyen des technologies numériques'),
    ('2.4', 'Collaborating through digital technologies', 'Collaborer au moyen des technologies numériques'),
    ('2.5', 'Netiquette', 'Nétiquette'),
    ('2.6', 'Managing digital identity', 'Gérer son identité numérique'),
    ('3.1', 'Developing digital content', 'Développer des contenus numériques'),
    ('3.2', 'Integrating and re-elaborating digital content', 'Intégrer et retravailler des contenus numériques'),
    ('3.3', 'Copyright and licences', "Droit d'auteur et licences"),
    ('3.4', 'Programming', 'Programmation'),
    ('4.1', 'Protecting devices', 'Protéger ses appareils'),
    ('4.2', 'Protecting personal data and privacy', 'Protéger ses données personnelles et sa vie privée'),
    ('4.3', 'Protecting health and well-being', 'Protéger sa santé et son bien-être'),
    ('4.4', 'Protecting the environment', "Protéger l'environnement"),
    ('5.1', 'Solving technical problems', 'Résoudre des problèmes techniques'),
    ('5.2', 'Identifying needs and technological responses', 'Identifier des besoins et des réponses technologiques'),
    ('5.3', 'Creatively using digital technologies', 'Utiliser les technologies numériques de façon créative'),
    ('5.4', 'Identifying digital competence gaps', 'Repérer ses lacunes en compétences numériques'),
]


def load(apps, schema_editor):
    CompetenceArea = apps.get_model("courses", "CompetenceArea")
    Competence = apps.get_model("courses", "Competence")
    areas = {}
    for code, name_en, name_fr in AREAS:
        areas[code], _ = CompetenceArea.objects.update_or_create(
            code=code, defaults={"name_en": name_en, "name_fr": name_fr}
        )
    for code, name_en, name_fr in COMPETENCES:
        Competence.objects.update_or_create(
            code=code, defaults={"area": areas[code.split(".")[0]], "name_en": name_en, "name_fr": name_fr}
        )


def unload(apps, schema_editor):
    apps.get_model("courses", "Competence").objects.filter(code__in=[c[0] for c in COMPETENCES]).delete()
    apps.get_model("courses", "CompetenceArea").objects.filter(code__in=[a[0] for a in AREAS]).delete()


class Migration(migrations.Migration):
    dependencies = [("courses", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
