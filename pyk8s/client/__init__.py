"""The async client every in-tree component uses: REST, kubeconfig, informers, leader election."""
