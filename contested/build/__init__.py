"""Build: the stages run in order, the cache, writing, the engine, verify, swap, preview."""
