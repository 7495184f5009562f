"""Placeholder until written."""


def healthz(request): ...
