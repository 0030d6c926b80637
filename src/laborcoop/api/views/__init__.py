"""API views, one module per resource. Each view parses input, calls one selector, access function or
service, and renders the result; scope and rules live in the domain apps."""
