"""send-plan: local-area SEND improvement plans kept in git.

The library is the product; the command line is a thin adapter over it.
Public API (imported lazily so that ``send-plan --version`` stays fast):

- :func:`send_plan.check.check` -- load and validate a portfolio of plan files.
"""

__version__ = "0.1.0"
