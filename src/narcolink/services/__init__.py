"""Use cases shared by the API, the pages and the CLI. Each owns its transaction and audit."""
