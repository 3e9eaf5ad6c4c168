"""Pressroom: the command line that builds and checks the press portal.

The Pelican plugins that shape the site live in ``plugins/``; this package holds what
both the plugins and the command line share (content diagnostics, the site's
language and URL configuration, the build clock) and the commands themselves.
"""
