"""Search as people type it, in French first: the text of a course and the
words of a query go through the same steps, so that they meet.

1. Words: case and accents ignored ("Sécurité" and "securite" are one
   word), split on anything that is not a letter or a digit, short
   function words dropped ("mot de passe" keeps "mot" and "passe").
2. Stems: the Snowball French stemmer (snowballstemmer, pure Python) folds
   plurals and simple inflections ("mots" -> "mot", "arnaques" -> "arnaqu").
3. A query word matches a course term that is its stem, or, for a stem of
   more than six letters, any term that begins with its first six
   ("securite" finds "sécuriser": "securit" and "securis" share "securi"),
   or, for a word of four letters or more, any term it begins (a word
   typed in part: "tabl" finds "tableur").

Each course is indexed into ``courses.SearchTerm`` rows (course, term,
weight): where a word stands gives its weight, the title first. This is
plain SQL on both SQLite and PostgreSQL, so the same query ranks the same
courses the same way on both (tests/courses/test_search.py).
"""

import re
import unicodedata
from collections import Counter
from functools import lru_cache

import snowballstemmer

# Weights by where the word stands: a title match ranks first.
WEIGHTS = {
    "title": 20,
    "keywords": 12,
    "summary": 5,
    "competences": 4,
    "grain_titles": 3,
    "text": 1,
}
# Words in the body texts count once per occurrence, up to this.
TEXT_CAP = 6
PREFIX = 6  # stems longer than this also match terms sharing their first PREFIX letters
PARTIAL_WORD = 4  # a query word this long also finds the terms it begins ("tabl")
MAX_QUERY_WORDS = 8
MAX_TERM_LENGTH = 60

STOPWORDS = frozenset(
    """
    a à au aux avec ce ces cet cette comme d dans de des du elle en est et eux il ils
    je l la le les leur leurs lui m ma mais me mes moi mon n ne nos notre nous on ou où
    par pas pour qu que qui s sa se ses si son sur t ta te tes toi ton tu un une vos
    votre vous y c j ca ça quoi comment quel quelle quels quelles
    the of and to in for on with how what is are an or
    """.split()
)
_WORD = re.compile(r"[0-9a-z]+")


def fold(text: str) -> str:
    """Lower case, accents off: "Hameçonnage" -> "hameconnage"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """The folded words of a text, without function words."""
    return [w for w in _WORD.findall(fold(text)) if w not in STOPWORDS]


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    return _stemmer().stemWord(word)[:MAX_TERM_LENGTH]


@lru_cache(maxsize=1)
def _stemmer():
    return snowballstemmer.stemmer("french")


def query_terms(query: str) -> list[tuple[str, str]]:
    """A query's distinct (stem, word) pairs, in the order typed, at most
    MAX_QUERY_WORDS."""
    seen, terms = set(), []
    for word in words(query):
        term = stem(word)
        if term not in seen:
            seen.add(term)
            terms.append((term, word))
    return terms[:MAX_QUERY_WORDS]


def prefix_of(term: str) -> str | None:
    """The prefix a long stem also matches by, or None for a short one."""
    return term[:PREFIX] if len(term) > PREFIX else None


def document_terms(fields: dict[str, list[str]]) -> dict[str, tuple[int, str]]:
    """A course's index: for each term, its weight and a word that stands
    for it (for suggestions). ``fields`` maps a key of WEIGHTS to texts."""
    weight: Counter = Counter()
    word_for: dict[str, str] = {}
    for field, texts in fields.items():
        counts: Counter = Counter()
        for text in texts:
            for word in words(text):
                term = stem(word)
                counts[term] += 1
                word_for.setdefault(term, word)
        for term, n in counts.items():
            if field == "text":
                weight[term] += WEIGHTS["text"] * min(n, TEXT_CAP)
            else:
                weight[term] += WEIGHTS[field]
    return {term: (w, word_for[term][:MAX_TERM_LENGTH]) for term, w in weight.items()}
