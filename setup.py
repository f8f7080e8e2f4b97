# Only for `scrapyd-deploy`, which builds the project egg with `setup.py bdist_egg`
# (it writes a setup.py of its own when there is none); everything is declared in
# pyproject.toml.
from setuptools import setup

setup()
