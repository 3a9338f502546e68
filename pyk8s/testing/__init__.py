"""Helpers for pyk8s's own tests and benchmarks: real etcd servers on loopback, and the like."""
