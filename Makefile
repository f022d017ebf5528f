# Shortcuts for the two quick-start commands; tasks.py does the work (it needs only Python 3.11+).
.PHONY: demo test train evaluate
demo:
	python3 tasks.py demo
test:
	python3 tasks.py test
train:
	python3 tasks.py setup && .venv/bin/notereview train
evaluate:
	python3 tasks.py setup && .venv/bin/notereview evaluate classifier
