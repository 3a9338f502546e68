"""The streaming protocols kubectl speaks to pods: the channel protocol of exec/attach
(v4/v5.channel.k8s.io) and SPDY/3.1 for port-forward (carried inside a WebSocket by
kubectl ≥ 1.31)."""
