"""Board documents: view-models built in Python, rendered by Jinja or python-docx.

No Typer and no Rich here: a renderer takes a view-model (plain data) and returns
text or bytes; the command line decides where they go.
"""
