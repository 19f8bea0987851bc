"""Chemical screening: is a chemical controlled, where and since when, or one or two
synthetic steps from something that is.

RDKit is imported only by the modules that need it (``structures``, ``index``,
``screen`` and their helpers), never by this package's ``__init__``, ``kb`` or
``results``, so the rest of narcolink imports without it.
"""
