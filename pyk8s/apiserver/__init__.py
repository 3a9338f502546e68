"""HTTP only: routing, negotiation, discovery, OpenAPI, handlers per verb, watch streams."""
