"""The interaction model's one source (`source.py`) and its generator (`build.py`).

`python -m skill.tools.model` (or `closer model`) writes skill/package/interactionModels/custom/<locale>.json
for every locale we publish; `--check` only says whether the committed files are what the source makes.
Never edit a generated file by hand: a test compares them with the source.
"""
