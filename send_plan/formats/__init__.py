"""Output formats: what each command prints, as pure ``format(result) -> str``.

One module per command (``validate``, ``status``, ``changes``, ``history``,
``revisit``), each with a ``FORMATS`` registry from format name to function that
also feeds the command's ``--format`` choices; :mod:`.markdown` is the one
Markdown escaper every Markdown output uses; :mod:`.terminal` holds the Rich
views for a terminal (the only module that imports Rich). The command line
decides where the text goes (stdout or a file); nothing here prints or writes.
"""
