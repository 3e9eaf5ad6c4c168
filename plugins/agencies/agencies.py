"""Share the agency registry with every generator and template as ``agency_registry``."""

from __future__ import annotations

from pelican import signals

from pressroom.config import site_config

from .registry import load_registry


def add_registry_to_context(generator) -> None:
    # generator_init fires once per generator; the context is shared, so load once.
    if "agency_registry" not in generator.context:
        config = site_config(generator.settings)
        registry, _problems = load_registry(generator.settings["PATH"], config.codes)
        generator.context["agency_registry"] = registry  # problems: content_check reports them


def register() -> None:
    """Load ``agencies.yml`` from the content directory being built."""
    signals.generator_init.connect(add_registry_to_context)
