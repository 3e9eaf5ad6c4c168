"""Pressroom's Pelican plugins: one package per capability, each with ``register()``.

- ``agencies``: the registry of issuing agencies (``content/agencies.yml``).
- ``content_check``: the content rules, run before Pelican reads a single file.
- ``release_markdown``: our Markdown reader (figures, Vietnamese heading ids, lead, sanitising).
- ``sanitise``: the HTML allowlist (nh3) that release bodies are cleaned with.
- ``releases``: release identity, agencies, tags, embargo and translation pairing.
- ``listings``: home, agency, tag and year listings in every language.
- ``theme_i18n``: UI translation catalogues, Babel dates and template helpers.
"""
