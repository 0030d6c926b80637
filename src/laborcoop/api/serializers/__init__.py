"""Serializers, one module per resource: output shapes (never the ciphertext, hash or clear ID number) and
request bodies (parsing only; the rules live in the services)."""
