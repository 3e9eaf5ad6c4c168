"""Build benchmark: a synthetic archive generator and the `make bench` harness."""
