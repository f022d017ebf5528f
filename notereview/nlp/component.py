"""What notereview's spaCy components share."""
from __future__ import annotations


class StatelessComponent:
    """A component whose rules ship with the package: nothing of its own to save or load.

    `nlp.to_disk` / `spacy.load` still work (a test round-trips the pipeline); the component
    rebuilds itself from the package's pattern files.
    """

    def to_disk(self, path, exclude=tuple()):
        pass

    def from_disk(self, path, exclude=tuple()):
        return self
