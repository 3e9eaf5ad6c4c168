"""A page template's share of the theme (plugins/incremental/template_keys.py): what its pages' keys hold."""

from __future__ import annotations

from pathlib import Path

from conftest import write_tree
from plugins.incremental.template_keys import TemplateKeys

THEME = {
    "templates/base.html": "<html>{% block content %}{% endblock %}{% include 'partials/footer.html' %}</html>",
    "templates/partials/footer.html": "<footer>{{ shared_partial('partials/nav.html') }}</footer>",
    "templates/partials/nav.html": "<nav></nav>",
    "templates/article.html": '{% extends "base.html" %}{% block content %}A{% endblock %}',
    "templates/home.html": '{% extends "base.html" %}{% block content %}{% include "tag.html" %}{% endblock %}',
    "templates/tag.html": '{% extends "base.html" %}{% block content %}T{% endblock %}',
    "templates/year.html": "{% include kind ~ '.html' %}",
    "translations/vi/LC_MESSAGES/messages.po": 'msgid "A"\nmsgstr "Á"\n',
    "static/css/site.css": "body {}",
}


def keys(theme: Path) -> dict[str, str]:
    found = TemplateKeys({"THEME": str(theme), "THEME_STATIC_PATHS": ["static"], "SITENAME": "x"})
    return {name: found.for_template(name) for name in ("article.html", "home.html", "tag.html", "year.html")}


def edit(theme: Path, name: str) -> None:
    path = theme / name
    path.write_text(path.read_text(encoding="utf-8") + " ", encoding="utf-8")


def test_a_template_counts_for_the_pages_of_the_templates_that_use_it(tmp_path):
    write_tree(tmp_path, THEME)
    before = keys(tmp_path)
    edit(tmp_path, "templates/article.html")
    after = keys(tmp_path)
    # Its own pages, and the template that computes a name (it could name any).
    assert {name for name in before if before[name] != after[name]} == {"article.html", "year.html"}
    before = after
    edit(tmp_path, "templates/tag.html")  # included by the home page
    after = keys(tmp_path)
    assert {name for name in before if before[name] != after[name]} == {"home.html", "tag.html", "year.html"}


def test_the_layout_partials_and_catalogues_count_for_every_page_and_the_assets_for_none(tmp_path):
    write_tree(tmp_path, THEME)
    for shared in ("templates/base.html", "templates/partials/nav.html", "translations/vi/LC_MESSAGES/messages.po"):
        before = keys(tmp_path)
        edit(tmp_path, shared)
        after = keys(tmp_path)
        assert all(before[name] != after[name] for name in before), shared
    before = keys(tmp_path)
    edit(tmp_path, "static/css/site.css")
    assert keys(tmp_path) == before
