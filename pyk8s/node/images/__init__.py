"""The node's images: references, the content-addressed store, layers and the busybox image."""
