"""Background processing: the durable inbox, workers, the task queue, speech glue, metrics counters,
notifications. No FastAPI here: api/ is HTTP only."""
