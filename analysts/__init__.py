"""The analysts' loop: the review queue, label files, the audit log and training."""
