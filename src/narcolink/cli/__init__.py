"""The ``narcolink`` command: thin commands over services (see ``narcolink --help``)."""
