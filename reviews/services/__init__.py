"""Writes on the review stage that are not state transitions. Callers check the right first."""
