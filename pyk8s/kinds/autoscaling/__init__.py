"""The autoscaling API group."""
