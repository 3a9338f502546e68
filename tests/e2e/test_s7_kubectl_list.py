"""`kubectl apply -f` of a `kind: List` file: kubectl validates a List on the client against
`/openapi/v2` (protobuf), then applies each item; applying again changes nothing and
`kubectl delete -f` removes every item."""

from __future__ import annotations

from .conftest import Cluster

LIST = """
apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: ConfigMap
  metadata: {name: settings, labels: {app: listed}}
  data: {mode: prod}
- apiVersion: v1
  kind: Service
  metadata: {name: listed, labels: {app: listed}}
  spec:
    selector: {app: listed}
    ports: [{port: 80, targetPort: 8080}]
- apiVersion: apps/v1
  kind: Deployment
  metadata: {name: listed, labels: {app: listed}}
  spec:
    replicas: 0
    selector: {matchLabels: {app: listed}}
    template:
      metadata: {labels: {app: listed}}
      spec: {containers: [{name: web, image: nginx}]}
"""

ITEMS = ("configmap/settings", "service/listed", "deployment.apps/listed")


def test_apply_a_list_twice_then_delete_it(cluster: Cluster, ns: str) -> None:
    created = cluster.kubectl("apply", "-n", ns, "-f", "-", input=LIST).stdout.splitlines()
    assert created == [f"{item} created" for item in ITEMS]
    assert cluster.kubectl_json("get", "-n", ns, "configmap", "settings")["data"] == {"mode": "prod"}

    unchanged = cluster.kubectl("apply", "-n", ns, "-f", "-", input=LIST).stdout.splitlines()
    assert unchanged == [f"{item} unchanged" for item in ITEMS]

    cluster.kubectl("delete", "-n", ns, "-f", "-", input=LIST)
    left = cluster.kubectl(
        "get", "-n", ns, "configmap,service,deployment", "-l", "app=listed", "-o", "name"
    ).stdout.split()
    assert left == []


def test_a_list_item_with_an_unknown_field_is_refused(cluster: Cluster, ns: str) -> None:
    # validation of the items is left to the server (fieldValidation=Strict on each request)
    bad = LIST.replace("data: {mode: prod}", "data: {mode: prod}\n  colour: blue")
    result = cluster.kubectl("apply", "-n", ns, "-f", "-", input=bad, check=False)
    assert result.returncode != 0
    assert 'unknown field "colour"' in result.stderr
