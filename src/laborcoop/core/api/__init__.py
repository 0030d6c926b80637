"""Plumbing every app's API views share: the base view, error answers, pagination, query-parameter parsing."""
