"""The API's endpoints: one read-only viewset per resource, on the stages' own selectors."""
