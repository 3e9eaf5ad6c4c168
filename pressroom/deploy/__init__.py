"""Hosting: how the built site is served (``policy``) and put where readers get it.

``s3`` uploads to an S3-compatible bucket, ``nginx`` fills in ``deploy/nginx.conf``;
rsync and GitHub Pages need no code (see the Makefile and ``.github/workflows``).
Nothing here is imported by a build.
"""
