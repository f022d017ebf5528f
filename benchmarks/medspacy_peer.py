"""The peer pipeline for the speed comparison: medSpaCy's default pipeline on the same notes.

Run with a Python that has medspacy installed (it pins spaCy below 3.8, so it lives in its own
virtual environment). Reads JSON on stdin: {"notes": [...], "terms": {"technique_id": [...]}, "repeat": N};
prints JSON: notes/s and per-note seconds. Components: PyRuSH sentences, the target matcher with
the same technique terms notereview uses, and ConText with its default rules.
"""
import json
import statistics
import sys
import time

import medspacy
from medspacy.target_matcher import TargetRule


def main() -> None:
    request = json.load(sys.stdin)
    nlp = medspacy.load()  # default: medspacy_pyrush, medspacy_target_matcher, medspacy_context
    matcher = nlp.get_pipe("medspacy_target_matcher")
    rules = [TargetRule(term, "TECHNIQUE") for terms in request["terms"].values() for term in terms]
    matcher.add(rules)
    notes = request["notes"]
    for doc in nlp.pipe(notes[:20]):
        pass
    runs = []
    for _ in range(request.get("repeat", 3)):
        start = time.perf_counter()
        entities = 0
        for doc in nlp.pipe(notes):
            entities += len(doc.ents)
        runs.append(time.perf_counter() - start)
    seconds = statistics.median(runs)
    print(json.dumps({"pipeline": nlp.pipe_names, "notes": len(notes), "median_seconds": seconds,
                      "notes_per_second": len(notes) / seconds, "entities": entities, "runs": runs}))


if __name__ == "__main__":
    main()
