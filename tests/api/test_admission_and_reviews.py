"""Built-in admission (service addresses, service accounts, limit ranges, priority, default
storage class, quota) and the request-only kinds, over HTTP."""

from __future__ import annotations

import asyncio

import orjson

from .conftest import Api

NS = "/api/v1/namespaces/default"


def pod(name: str, **spec: object) -> dict:
    body: dict = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name},
        "spec": {"containers": [{"name": "c", "image": "busybox"}]},
    }
    body["spec"].update(spec)
    return body


async def test_concurrent_services_never_share_an_address_or_node_port(api: Api) -> None:
    async def make(i: int) -> dict:
        body = {
            "metadata": {"name": f"s{i}"},
            "spec": {"type": "NodePort", "ports": [{"port": 80, "name": "a"}, {"port": 81, "name": "b"}]},
        }
        return await api.json("POST", f"{NS}/services", body, expect=201)

    services = await asyncio.gather(*(make(i) for i in range(20)))
    ips = [s["spec"]["clusterIP"] for s in services]
    ports = [p["nodePort"] for s in services for p in s["spec"]["ports"]]
    assert len(set(ips)) == 20 and "10.96.0.1" not in ips
    assert len(set(ports)) == 40 and all(30000 <= p <= 32767 for p in ports)
    taken = ports[0]
    body = {
        "metadata": {"name": "clash"},
        "spec": {"type": "NodePort", "ports": [{"port": 80, "nodePort": taken}]},
    }
    err = await api.json("POST", f"{NS}/services", body, expect=422)
    assert "provided port is already allocated" in err["message"]
    await api.json("DELETE", f"{NS}/services/s0", expect=200)
    await asyncio.sleep(0.1)
    reuse = {"metadata": {"name": "reuse"}, "spec": {"clusterIP": ips[0], "ports": [{"port": 80}]}}
    await asyncio.sleep(0)
    api.server.admission._reserved.clear()  # type: ignore[union-attr]  # the reservation has served its time
    await api.json("POST", f"{NS}/services", reuse, expect=201)


async def test_pods_get_the_default_service_account_and_its_token_volume(api: Api) -> None:
    created = await api.json("POST", f"{NS}/pods", pod("sa"), expect=201)
    spec = created["spec"]
    assert spec["serviceAccountName"] == "default"
    volume = next(v for v in spec["volumes"] if v["name"].startswith("kube-api-access-"))
    assert volume["projected"]["sources"][0]["serviceAccountToken"]["path"] == "token"
    mount = spec["containers"][0]["volumeMounts"][0]
    assert mount["mountPath"] == "/var/run/secrets/kubernetes.io/serviceaccount" and mount["readOnly"] is True
    none = await api.json("POST", f"{NS}/pods", pod("nosa", automountServiceAccountToken=False), expect=201)
    assert "volumes" not in none["spec"]


async def test_limit_ranges_default_and_bound_containers(api: Api) -> None:
    await api.json(
        "POST",
        f"{NS}/limitranges",
        {
            "metadata": {"name": "lr"},
            "spec": {
                "limits": [
                    {
                        "type": "Container",
                        "default": {"cpu": "500m"},
                        "defaultRequest": {"cpu": "250m"},
                        "max": {"cpu": "1"},
                    }
                ]
            },
        },
        expect=201,
    )
    await asyncio.sleep(0.05)
    created = await api.json("POST", f"{NS}/pods", pod("lr1"), expect=201)
    resources = created["spec"]["containers"][0]["resources"]
    assert resources == {"limits": {"cpu": "500m"}, "requests": {"cpu": "250m"}}
    greedy = pod("lr2")
    greedy["spec"]["containers"][0]["resources"] = {"limits": {"cpu": "2"}}
    err = await api.json("POST", f"{NS}/pods", greedy, expect=403)
    assert "maximum cpu usage per Container is 1, but limit is 2" in err["message"]


async def test_resource_quota_refuses_and_charges(api: Api) -> None:
    await api.json(
        "POST",
        f"{NS}/resourcequotas",
        {"metadata": {"name": "q"}, "spec": {"hard": {"configmaps": "2"}}},
        expect=201,
    )
    await asyncio.sleep(0.05)
    await api.json("POST", f"{NS}/configmaps", {"metadata": {"name": "a"}}, expect=201)
    await api.json("POST", f"{NS}/configmaps", {"metadata": {"name": "b"}}, expect=201)
    err = await api.json("POST", f"{NS}/configmaps", {"metadata": {"name": "c"}}, expect=403)
    assert err["message"].startswith(
        'configmaps "c" is forbidden: exceeded quota: q, requested: configmaps=1, '
        "used: configmaps=2, limited: configmaps=2"
    )
    quota = await api.json("GET", f"{NS}/resourcequotas/q", expect=200)
    assert quota["status"]["used"]["configmaps"] == "2"


async def test_priority_comes_from_the_priority_class(api: Api) -> None:
    await api.json(
        "POST",
        "/apis/scheduling.k8s.io/v1/priorityclasses",
        {"metadata": {"name": "high"}, "value": 1000},
        expect=201,
    )
    await asyncio.sleep(0.05)
    created = await api.json("POST", f"{NS}/pods", pod("prio", priorityClassName="high"), expect=201)
    assert created["spec"]["priority"] == 1000
    assert created["spec"]["preemptionPolicy"] == "PreemptLowerPriority"
    err = await api.json("POST", f"{NS}/pods", pod("noclass", priorityClassName="nope"), expect=403)
    assert "no PriorityClass with name nope was found" in err["message"]


async def test_claims_get_the_default_storage_class(api: Api) -> None:
    await api.json(
        "POST",
        "/apis/storage.k8s.io/v1/storageclasses",
        {
            "metadata": {
                "name": "fast",
                "annotations": {"storageclass.kubernetes.io/is-default-class": "true"},
            },
            "provisioner": "example.com/fast",
        },
        expect=201,
    )
    await asyncio.sleep(0.05)
    claim = {
        "metadata": {"name": "data"},
        "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}},
    }
    created = await api.json("POST", f"{NS}/persistentvolumeclaims", claim, expect=201)
    assert created["spec"]["storageClassName"] == "fast"


async def test_reviews_answer_who_and_may_i(api: Api) -> None:
    me = await api.json(
        "POST",
        "/apis/authentication.k8s.io/v1/selfsubjectreviews",
        {"apiVersion": "authentication.k8s.io/v1", "kind": "SelfSubjectReview"},
        expect=201,
    )
    assert me["status"]["userInfo"]["username"] == "admin"
    assert "system:masters" in me["status"]["userInfo"]["groups"]
    access = await api.json(
        "POST",
        "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
        {"spec": {"resourceAttributes": {"namespace": "default", "verb": "get", "resource": "pods"}}},
        expect=201,
    )
    assert access["status"]["allowed"] is True
    rules = await api.json(
        "POST",
        "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews",
        {"spec": {"namespace": "default"}},
        expect=201,
    )
    assert rules["status"]["resourceRules"][0]["verbs"] == ["*"]


async def test_service_account_tokens_authenticate_and_review(api: Api) -> None:
    await api.json("POST", f"{NS}/serviceaccounts", {"metadata": {"name": "robot"}}, expect=201)
    await asyncio.sleep(0.05)
    issued = await api.json(
        "POST",
        f"{NS}/serviceaccounts/robot/token",
        {
            "apiVersion": "authentication.k8s.io/v1",
            "kind": "TokenRequest",
            "spec": {"expirationSeconds": 3600},
        },
        expect=201,
    )
    token = issued["status"]["token"]
    assert issued["status"]["expirationTimestamp"].endswith("Z")
    me = await api.json(
        "POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews", {}, token=token, expect=201
    )
    assert me["status"]["userInfo"]["username"] == "system:serviceaccount:default:robot"
    assert "system:serviceaccounts:default" in me["status"]["userInfo"]["groups"]
    review = await api.json(
        "POST", "/apis/authentication.k8s.io/v1/tokenreviews", {"spec": {"token": token}}, expect=201
    )
    assert review["status"]["authenticated"] is True
    assert review["status"]["user"]["username"] == "system:serviceaccount:default:robot"
    bad = await api.json(
        "POST",
        "/apis/authentication.k8s.io/v1/tokenreviews",
        {"spec": {"token": token[:-4] + "AAAA"}},
        expect=201,
    )
    assert bad["status"]["authenticated"] is False
    await api.json("DELETE", f"{NS}/serviceaccounts/robot", expect=200)
    await asyncio.sleep(0.05)
    api.dispatcher.authenticator._validated.clear()
    await api.json("GET", f"{NS}/configmaps", token=token, expect=401)  # its account is gone


async def test_eviction_respects_disruption_budgets(api: Api) -> None:
    labelled = pod("evictme", nodeName="n1")
    labelled["metadata"]["labels"] = {"app": "db"}
    await api.json("POST", f"{NS}/pods", labelled, expect=201)
    await api.json(
        "POST",
        "/apis/policy/v1/namespaces/default/poddisruptionbudgets",
        {"metadata": {"name": "db"}, "spec": {"minAvailable": 1, "selector": {"matchLabels": {"app": "db"}}}},
        expect=201,
    )
    await asyncio.sleep(0.05)
    eviction = {"apiVersion": "policy/v1", "kind": "Eviction", "metadata": {"name": "evictme"}}
    err = await api.json("POST", f"{NS}/pods/evictme/eviction", eviction, expect=429)
    assert "Cannot evict pod as it would violate the pod's disruption budget" in err["message"]
    budget = await api.json("GET", "/apis/policy/v1/namespaces/default/poddisruptionbudgets/db", expect=200)
    status = {
        "disruptionsAllowed": 1,
        "currentHealthy": 2,
        "desiredHealthy": 1,
        "expectedPods": 2,
        "observedGeneration": budget["metadata"]["generation"],
    }
    await api.json(
        "PATCH",
        "/apis/policy/v1/namespaces/default/poddisruptionbudgets/db/status",
        raw=orjson.dumps({"status": status}),
        headers={"Content-Type": "application/merge-patch+json"},
        expect=200,
    )
    await api.json("POST", f"{NS}/pods/evictme/eviction", eviction, expect=201)
    gone = await api.json("GET", f"{NS}/pods/evictme", expect=200)
    assert gone["metadata"]["deletionTimestamp"]  # graceful: the node agent finishes it
    budget = await api.json("GET", "/apis/policy/v1/namespaces/default/poddisruptionbudgets/db", expect=200)
    assert budget["status"]["disruptionsAllowed"] == 0 and "evictme" in budget["status"]["disruptedPods"]


async def test_pods_without_a_class_get_priority_zero_and_system_classes_exist(api: Api) -> None:
    created = await api.json("POST", f"{NS}/pods", pod("plain"), expect=201)
    assert (created["spec"]["priority"], created["spec"]["preemptionPolicy"]) == (0, "PreemptLowerPriority")
    err = await api.json("POST", f"{NS}/pods", pod("forced", priority=5), expect=403)
    assert "the integer value of priority (5) must not be provided in pod spec" in err["message"]
    critical = await api.json(
        "POST", f"{NS}/pods", pod("critical", priorityClassName="system-node-critical"), expect=201
    )
    assert critical["spec"]["priority"] == 2000001000


async def test_headless_services_and_single_stack_families(api: Api) -> None:
    def service(name: str, **spec: object) -> dict:
        return {"metadata": {"name": name}, "spec": {"ports": [{"port": 80}], **spec}}

    selectorless = await api.json("POST", f"{NS}/services", service("h1", clusterIP="None"), expect=201)
    assert selectorless["spec"]["ipFamilyPolicy"] == "RequireDualStack"
    assert selectorless["spec"]["ipFamilies"] == ["IPv4"] and selectorless["spec"]["clusterIPs"] == ["None"]
    selected = await api.json(
        "POST", f"{NS}/services", service("h2", clusterIP="None", selector={"app": "x"}), expect=201
    )
    assert selected["spec"]["ipFamilyPolicy"] == "SingleStack"
    by_list = await api.json("POST", f"{NS}/services", service("s1", clusterIPs=["10.96.7.7"]), expect=201)
    assert by_list["spec"]["clusterIP"] == "10.96.7.7"
    err = await api.json(
        "POST", f"{NS}/services", service("s2", ipFamilyPolicy="RequireDualStack"), expect=422
    )
    assert err["details"]["causes"][0]["field"] == "spec.ipFamilyPolicy"
    err = await api.json("POST", f"{NS}/services", service("s3", clusterIP="10.96.7.7"), expect=422)
    assert err["details"]["causes"][0] == {
        "reason": "FieldValueInvalid",
        "message": 'Invalid value: "10.96.7.7": failed to allocate IP 10.96.7.7: '
        "provided IP is already allocated",
        "field": "spec.clusterIPs[0]",
    }


async def test_binding_sets_the_node_and_scheduled_condition_once(api: Api) -> None:
    await api.json("POST", f"{NS}/pods", pod("bound"), expect=201)
    binding = {"apiVersion": "v1", "kind": "Binding", "metadata": {"name": "bound"}, "target": {"name": "n1"}}
    await api.json("POST", f"{NS}/pods/bound/binding", binding, expect=201)
    current = await api.json("GET", f"{NS}/pods/bound", expect=200)
    assert current["spec"]["nodeName"] == "n1"
    assert [c["type"] for c in current["status"]["conditions"]] == ["PodScheduled"]
    again = await api.json("POST", f"{NS}/bindings", {**binding, "target": {"name": "n2"}}, expect=409)
    assert 'is already assigned to node "n1"' in again["message"]
    other = {**binding, "metadata": {"name": "other"}}
    await api.json("POST", f"{NS}/pods/bound/binding", other, expect=400)
    invalid = await api.json("POST", f"{NS}/bindings", {**binding, "target": {}}, expect=422)
    assert invalid["details"]["causes"][0]["field"] == "target.name"


async def test_binding_as_kubernetes_binds(api: Api) -> None:
    """Gated pods are refused; the binding's annotations reach the pod; the nomination and the
    Unschedulable reason are cleared."""
    gated = pod("gated")
    gated["spec"]["schedulingGates"] = [{"name": "example.com/wait"}]
    await api.json("POST", f"{NS}/pods", gated, expect=201)
    binding = {"apiVersion": "v1", "kind": "Binding", "metadata": {"name": "gated"}, "target": {"name": "n1"}}
    refused = await api.json("POST", f"{NS}/pods/gated/binding", binding, expect=409)
    assert refused["message"] == (
        'Operation cannot be fulfilled on pods/binding "gated": pod gated has non-empty .spec.schedulingGates'
    )
    assert refused["details"] == {"name": "gated", "kind": "pods/binding"}

    created = await api.json("POST", f"{NS}/pods", pod("waiting"), expect=201)
    created["status"] = {
        "nominatedNodeName": "n2",
        "conditions": [
            {
                "type": "PodScheduled",
                "status": "False",
                "reason": "Unschedulable",
                "message": "0/1 nodes are available",
                "lastProbeTime": None,
                "lastTransitionTime": "2026-01-01T00:00:00Z",
            }
        ],
    }
    await api.json("PUT", f"{NS}/pods/waiting/status", created, expect=200)
    annotated = {**binding, "metadata": {"name": "waiting", "annotations": {"example.com/why": "fits"}}}
    await api.json("POST", f"{NS}/pods/waiting/binding", annotated, expect=201)
    bound = await api.json("GET", f"{NS}/pods/waiting", expect=200)
    assert bound["metadata"]["annotations"]["example.com/why"] == "fits"
    assert "nominatedNodeName" not in bound["status"]
    [scheduled] = bound["status"]["conditions"]
    assert scheduled["status"] == "True" and "reason" not in scheduled and "message" not in scheduled
    assert scheduled["lastTransitionTime"] != "2026-01-01T00:00:00Z"


async def test_component_statuses_are_read_from_storage_and_leases(api: Api) -> None:
    resp = await api.request("GET", "/api/v1/componentstatuses")
    assert resp.headers["Warning"] == '299 - "v1 ComponentStatus is deprecated in v1.19+"'
    listed = orjson.loads(await resp.read())
    by_name = {item["metadata"]["name"]: item["conditions"][0] for item in listed["items"]}
    assert by_name["memory-0"] == {"type": "Healthy", "status": "True", "message": "ok"}
    assert by_name["scheduler"]["status"] == "False"  # no scheduler holds its lease yet
    now = "2030-01-01T00:00:00.000000Z"
    lease = {
        "metadata": {"name": "kube-scheduler"},
        "spec": {"holderIdentity": "s1", "leaseDurationSeconds": 15, "renewTime": now},
    }
    await api.json("POST", "/apis/coordination.k8s.io/v1/namespaces/kube-system/leases", lease, expect=201)
    await asyncio.sleep(0.05)
    scheduler = await api.json("GET", "/api/v1/componentstatuses/scheduler", expect=200)
    assert scheduler["conditions"][0]["status"] == "True"
    table = await api.json(
        "GET", "/api/v1/componentstatuses", headers={"Accept": "application/json;as=Table;v=v1;g=meta.k8s.io"}
    )
    assert [c["name"] for c in table["columnDefinitions"]] == ["Name", "Status", "Message", "Error"]
    await api.json("GET", "/api/v1/componentstatuses/nope", expect=404)
    await api.json("DELETE", "/api/v1/componentstatuses/scheduler", expect=405)


async def test_deprecated_resources_warn_on_every_verb(api: Api) -> None:
    body = {"metadata": {"name": "e"}, "subsets": []}
    created = await api.request("POST", f"{NS}/endpoints", body)
    read = await api.request("GET", f"{NS}/endpoints/e")
    for resp in (created, read):
        assert resp.headers.getall("Warning") == [
            '299 - "v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice"'
        ]


async def test_reviews_are_checked_before_they_are_answered(api: Api) -> None:
    path = "/apis/authentication.k8s.io/v1/tokenreviews"
    err = await api.json("POST", path, {"spec": {}}, expect=400)
    assert err["message"] == "token is required for TokenReview in authentication"
