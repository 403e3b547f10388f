"""courses.diffs.snapshot_diff: grains matched by slug, added / removed /
changed / unchanged and moved, a line diff of each changed text, the
course's metadata first. A pure function: snapshots are plain dicts here."""

import copy

from courses.diffs import ADDED, CHANGED, REMOVED, UNCHANGED, snapshot_diff


def _unit(slug, **fields):
    unit = {
        "slug": slug,
        "position": 1,
        "kind": "fiche",
        "title": slug.title(),
        "minutes": 5,
        "required": True,
        "body": f"Texte de {slug}.",
        "video_url": "",
        "video_file": "",
        "captions": "",
        "transcript": "",
        "duration_seconds": None,
    }
    unit.update(fields)
    return unit


def _quiz(*questions):
    return {
        "pass_mark": 70,
        "attempts_allowed": None,
        "questions_per_attempt": None,
        "shuffle_questions": False,
        "shuffle_choices": False,
        "feedback": "after_submit",
        "questions": list(questions),
    }


def _question(key, prompt="Quelle longueur ?", right="12 caractères", wrong="4 caractères"):
    return {
        "key": key,
        "position": 1,
        "kind": "single",
        "prompt": prompt,
        "explanation": "",
        "points": 1,
        "competence": None,
        "accepted_answers": [],
        "numeric_answer": None,
        "tolerance": "0",
        "choices": [
            {"position": 1, "text": right, "is_correct": True, "feedback": ""},
            {"position": 2, "text": wrong, "is_correct": False, "feedback": ""},
        ],
    }


def _snapshot(*units, title="Sécuriser ses comptes", level="beginner"):
    return {
        "format": 1,
        "course": {"slug": "securiser", "title": title, "summary": "Court.", "level": level},
        "units": list(units),
    }


def _by_slug(diffs):
    return {diff.slug: diff for diff in diffs}


BASE = _snapshot(
    _unit("a"),
    _unit("b"),
    _unit("c"),
    _unit("quiz", kind="quiz", quiz=_quiz(_question("q1"))),
)


def test_identical_snapshots_have_no_change():
    diffs = snapshot_diff(BASE, copy.deepcopy(BASE))
    assert [d.status for d in diffs] == [UNCHANGED] * 5
    assert not any(d.moved or d.fields for d in diffs)


def test_a_first_proposal_is_all_new_course_information_first():
    diffs = snapshot_diff(None, BASE)
    assert [(d.slug, d.status) for d in diffs] == [
        ("", ADDED),
        ("a", ADDED),
        ("b", ADDED),
        ("c", ADDED),
        ("quiz", ADDED),
    ]
    body = next(f for f in diffs[1].fields if f.key == "body")
    assert [(line.op, line.text) for line in body.lines] == [("insert", "Texte de a.")]


def test_an_added_grain_is_added_and_the_others_are_not_moved():
    new = copy.deepcopy(BASE)
    new["units"].insert(1, _unit("nouveau"))
    diffs = snapshot_diff(BASE, new)
    assert [(d.slug, d.status, d.moved) for d in diffs[1:]] == [
        ("a", UNCHANGED, False),
        ("nouveau", ADDED, False),
        ("b", UNCHANGED, False),
        ("c", UNCHANGED, False),
        ("quiz", UNCHANGED, False),
    ]
    assert _by_slug(diffs)["nouveau"].new_position == 2


def test_a_removed_grain_stays_where_it_was_marked_removed():
    new = copy.deepcopy(BASE)
    del new["units"][1]
    diffs = snapshot_diff(BASE, new)
    assert [(d.slug, d.status) for d in diffs[1:]] == [
        ("a", UNCHANGED),
        ("b", REMOVED),
        ("c", UNCHANGED),
        ("quiz", UNCHANGED),
    ]
    removed = _by_slug(diffs)["b"]
    assert (removed.old_position, removed.new_position) == (2, None)
    body = next(f for f in removed.fields if f.key == "body")
    assert [(line.op, line.text) for line in body.lines] == [("delete", "Texte de b.")]


def test_a_removed_first_grain_comes_first():
    new = copy.deepcopy(BASE)
    del new["units"][0]
    assert [(d.slug, d.status) for d in snapshot_diff(BASE, new)][1:3] == [
        ("a", REMOVED),
        ("b", UNCHANGED),
    ]


def test_a_moved_grain_is_the_one_out_of_order_not_those_it_passed():
    new = copy.deepcopy(BASE)
    new["units"] = [new["units"][2], new["units"][0], new["units"][1], new["units"][3]]
    diffs = _by_slug(snapshot_diff(BASE, new))
    assert diffs["c"].moved and (diffs["c"].old_position, diffs["c"].new_position) == (3, 1)
    assert not diffs["a"].moved and not diffs["b"].moved
    assert diffs["c"].status == UNCHANGED  # moved, not changed


def test_a_changed_body_gives_a_line_diff_with_context():
    old = _snapshot(_unit("a", body="Ligne 1\nLigne 2\nLigne 3\nLigne 4\nLigne 5\nLigne 6"))
    new = _snapshot(_unit("a", body="Ligne 1\nLigne 2\nLigne 3\nLigne 4\nLigne 5 revue\nLigne 6"))
    (diff,) = snapshot_diff(old, new)[1:]
    assert diff.status == CHANGED
    (body,) = diff.fields
    assert body.key == "body"
    assert [(line.op, line.text) for line in body.lines] == [
        ("gap", ""),
        ("same", "Ligne 2"),
        ("same", "Ligne 3"),
        ("same", "Ligne 4"),
        ("delete", "Ligne 5"),
        ("insert", "Ligne 5 revue"),
        ("same", "Ligne 6"),
    ]


def test_a_changed_video_address_and_transcript_are_each_a_field():
    old = _snapshot(_unit("v", kind="video", video_url="https://youtu.be/a", transcript="Dit."))
    new = _snapshot(_unit("v", kind="video", video_url="https://youtu.be/b", transcript="Redit."))
    (diff,) = snapshot_diff(old, new)[1:]
    assert [f.key for f in diff.fields] == ["video_url", "transcript"]


def test_a_changed_question_shows_its_prompt_and_which_choice_is_right():
    new = copy.deepcopy(BASE)
    question = new["units"][3]["quiz"]["questions"][0]
    question["prompt"] = "Quelle longueur minimale ?"
    question["choices"][0]["is_correct"], question["choices"][1]["is_correct"] = False, True
    (diff,) = [d for d in snapshot_diff(BASE, new) if d.slug == "quiz"]
    assert diff.status == CHANGED
    (field,) = diff.fields
    assert field.key == "question:q1"
    changes = [(line.op, line.text) for line in field.lines if line.op != "same"]
    assert changes == [
        ("delete", "Énoncé: Quelle longueur ?"),
        ("insert", "Énoncé: Quelle longueur minimale ?"),
        ("delete", "[juste] 12 caractères"),
        ("delete", "[faux] 4 caractères"),
        ("insert", "[faux] 12 caractères"),
        ("insert", "[juste] 4 caractères"),
    ]


def test_an_added_and_a_removed_question():
    new = copy.deepcopy(BASE)
    new["units"][3]["quiz"]["questions"] = [_question("q2", prompt="Autre ?")]
    (diff,) = [d for d in snapshot_diff(BASE, new) if d.slug == "quiz"]
    keys = {f.key: {line.op for line in f.lines} for f in diff.fields}
    assert keys == {"question:q2": {"insert"}, "question:q1": {"delete"}}


def test_a_metadata_change_is_on_the_course_part():
    new = copy.deepcopy(BASE)
    new["course"]["title"] = "Protéger ses comptes"
    new["course"]["level"] = "intermediate"
    course, *grains = snapshot_diff(BASE, new)
    assert course.slug == "" and course.status == CHANGED
    assert [f.key for f in course.fields] == ["title", "level"]
    assert all(g.status == UNCHANGED for g in grains)
    title = course.fields[0]
    assert [(line.op, line.text) for line in title.lines] == [
        ("delete", "Sécuriser ses comptes"),
        ("insert", "Protéger ses comptes"),
    ]


def test_a_grain_whose_kind_changes_is_changed_not_replaced():
    new = copy.deepcopy(BASE)
    new["units"][0]["kind"] = "video"
    diff = _by_slug(snapshot_diff(BASE, new))["a"]
    assert diff.status == CHANGED and [f.key for f in diff.fields] == ["kind"]
