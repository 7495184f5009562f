"""The review stage's pages: the expert pool and panels (pool), assignments, the review queue."""
