"""Don't hash every content file twice for a cache that is off.

Pressroom caches parses in Pelican's reader layer (``CONTENT_CACHING_LAYER =
"reader"``, which hashes each file once). Pelican's generators keep their own cache
machinery even when that layer is off, and still compute a file's md5 on every
lookup and every store (twice per file, about 0.8 s at 5,000 releases), to compare
it with nothing and store nothing.
"""

from __future__ import annotations


def _no_stamp(filename: str) -> bytes:
    return b""


def skip_unused_stamps(generator) -> None:
    """Give a generator whose own cache is off a stamp that costs nothing."""
    # Nothing stored (the policy) and nothing loaded (an empty cache): no stamp is ever compared.
    if hasattr(generator, "_filestamp_func") and not generator._cache_data_policy and not generator._cache:
        generator._filestamp_func = _no_stamp
