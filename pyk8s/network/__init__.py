"""Pod network, service proxy, cluster DNS, ingress and network policy."""
