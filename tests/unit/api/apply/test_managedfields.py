"""metadata.managedFields entries: identity, ordering, capping, validation, defaults."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from pyk8s.api.apply.fieldpath import FieldSet
from pyk8s.api.apply.managedfields import (
    EntryKey,
    ManagedFieldsDecodeError,
    cap_update_managers,
    decode,
    encode,
    format_time,
    is_reset,
    managed_for_update,
    manager_or_user_agent,
    prefix_from_user_agent,
    revert_timestamp_only_changes,
    validate,
)


def entry(manager: str, operation: str = "Update", api_version: str = "v1", **extra: Any) -> dict[str, Any]:
    out = {"manager": manager, "operation": operation, "apiVersion": api_version, "fieldsType": "FieldsV1"}
    out["fieldsV1"] = extra.pop("fieldsV1", {"f:data": {"f:" + manager: {}}})
    out.update(extra)
    return out


def test_entries_are_written_in_kubernetes_order_and_shape() -> None:
    entries = [
        entry("zeta", time="2024-01-01T00:00:03Z"),
        entry("kubectl", "Apply", time="2024-01-01T00:00:09Z"),
        entry("alpha", time="2024-01-01T00:00:03Z"),
        entry("alpha", time="2024-01-01T00:00:03Z", subresource="status"),
        entry("old", time="2024-01-01T00:00:01Z"),
        entry("notime"),
        entry("alpha", "Update", "v2", time="2024-01-01T00:00:03Z"),
    ]
    out = encode(decode(entries))
    assert [(e["manager"], e["operation"], e["apiVersion"], e.get("subresource", "")) for e in out] == [
        ("kubectl", "Apply", "v1", ""),  # Apply sorts before Update, whatever the time
        ("notime", "Update", "v1", ""),  # no time counts as the epoch
        ("old", "Update", "v1", ""),
        ("alpha", "Update", "v1", ""),
        ("alpha", "Update", "v1", "status"),
        ("alpha", "Update", "v2", ""),
        ("zeta", "Update", "v1", ""),
    ]
    assert list(out[0]) == ["manager", "operation", "apiVersion", "time", "fieldsType", "fieldsV1"]
    assert list(out[4]) == [
        "manager",
        "operation",
        "apiVersion",
        "time",
        "fieldsType",
        "fieldsV1",
        "subresource",
    ]


def test_appliers_are_one_entry_per_manager_updaters_one_per_version() -> None:
    managed = decode(
        [
            entry("kubectl", "Apply", "apps/v1"),
            entry("kubectl", "Apply", "apps/v1beta1", fieldsV1={"f:later": {}}),  # the same applier
            entry("hpa", "Update", "autoscaling/v1"),
            entry("hpa", "Update", "autoscaling/v2"),
        ]
    )
    assert set(managed) == {
        EntryKey("kubectl", "Apply", ""),
        EntryKey("hpa", "Update", "autoscaling/v1"),
        EntryKey("hpa", "Update", "autoscaling/v2"),
    }
    assert managed[EntryKey("kubectl", "Apply", "")].fields.paths() == [("f:later",)]


def test_manager_identifiers_are_the_json_kubernetes_builds() -> None:
    assert EntryKey.for_update("kube-controller-manager", "apps/v1", "status").identifier() == (
        '{"manager":"kube-controller-manager","operation":"Update","apiVersion":"apps/v1","subresource":"status"}'
    )
    assert EntryKey.for_apply("kubectl").identifier() == '{"manager":"kubectl","operation":"Apply"}'
    assert EntryKey.for_update("", "v1").manager == "unknown"


def test_empty_sets_are_not_written() -> None:
    managed = decode([entry("a", fieldsV1={}), entry("b")])
    assert [e["manager"] for e in encode(managed)] == ["b"]


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"operation": "Patch"}, "operation must be `Apply` or `Update`"),
        ({"apiVersion": ""}, "apiVersion must not be empty"),
        ({"fieldsType": ""}, "missing fieldsType in managed fields entry 0"),
        ({"fieldsType": "FieldsV2"}, 'invalid fieldsType "FieldsV2" in managed fields entry 0'),
        ({"fieldsV1": {"x": {}}}, 'error decoding versioned set from "m": error decoding set: key must be 2'),
    ],
)
def test_undecodable_entries_are_refused_in_apimachinery_words(bad: dict[str, Any], message: str) -> None:
    with pytest.raises(ManagedFieldsDecodeError, match=message.replace("(", r"\(")):
        decode([{**entry("m"), **bad}])


def test_validation_reports_what_kubernetes_reports() -> None:
    entries = [
        {**entry("m"), "operation": ""},
        {**entry("m"), "operation": "Patch", "fieldsType": "FieldsV2"},
        entry("x" * 129, subresource="s" * 257),
        entry("bad\x07name"),
    ]
    assert [str(e) for e in validate(entries)] == [
        "metadata.managedFields[0].operation: Required value: must not be empty",
        "metadata.managedFields[1].operation: "
        'Unsupported value: "Patch": supported values: "Apply", "Update"',
        'metadata.managedFields[1].fieldsType: Invalid value: "FieldsV2": must be `FieldsV1`',
        "metadata.managedFields[2].manager: Too long: may not be more than 128 bytes",
        "metadata.managedFields[2].subresource: Too long: may not be more than 256 bytes",
        "metadata.managedFields[3].manager: "
        'Invalid value: "bad\\aname": invalid character U+0007 (at position 3)',
    ]


def set_of(*names: str) -> dict[str, Any]:
    return FieldSet.of(*((n,) for n in names)).to_fields_v1()


def at(hours: int) -> str:
    return (dt.datetime(2000, 1, 1, tzinfo=dt.UTC) + dt.timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M:%SZ")


def capped(*entries: tuple[str, str, int, tuple[str, ...]]) -> list[tuple[str, str, str, list[str]]]:
    managed = decode(
        [
            entry(m, "Update", v, time=at(h), fieldsV1=set_of(*("f:" + f for f in fs)))
            for m, v, h, fs in entries
        ]
    )
    out = encode(cap_update_managers(managed, 3))
    return [(e["manager"], e["apiVersion"], e["time"], sorted(k[2:] for k in e["fieldsV1"])) for e in out]


# The cases of apimachinery's TestCapUpdateManagers (cap of 3).
def test_cap_merges_the_oldest_updaters_per_version() -> None:
    assert capped(
        ("m1", "v1", 1, ("a",)), ("m2", "v1", 2, ("b",)), ("m3", "v1", 3, ("c",)), ("m4", "v1", 4, ("d",))
    ) == [
        ("ancient-changes", "v1", at(2), ["a", "b"]),
        ("m3", "v1", at(3), ["c"]),
        ("m4", "v1", at(4), ["d"]),
    ]
    assert capped(
        ("ancient-changes", "v1", 2, ("a", "b")),
        ("m3", "v1", 3, ("c",)),
        ("m4", "v1", 4, ("d",)),
        ("m5", "v1", 5, ("e",)),
    ) == [
        ("ancient-changes", "v1", at(3), ["a", "b", "c"]),
        ("m4", "v1", at(4), ["d"]),
        ("m5", "v1", at(5), ["e"]),
    ]
    assert capped(
        ("m1", "v1", 1, ("a",)),
        ("m2", "v2", 2, ("b",)),
        ("m3", "v1", 3, ("c",)),
        ("m4", "v1", 4, ("d",)),
        ("m5", "v1", 5, ("e",)),
    ) == [
        ("m2", "v2", at(2), ["b"]),
        ("ancient-changes", "v1", at(4), ["a", "c", "d"]),
        ("m5", "v1", at(5), ["e"]),
    ]
    assert capped(
        ("m2", "v2", 2, ("b",)),
        ("ancient-changes", "v1", 4, ("a", "c", "d")),
        ("m5", "v1", 5, ("e",)),
        ("m6", "v3", 6, ("f",)),
        ("m7", "v2", 7, ("g",)),
    ) == [
        ("ancient-changes", "v1", at(5), ["a", "c", "d", "e"]),
        ("m6", "v3", at(6), ["f"]),
        ("ancient-changes", "v2", at(7), ["b", "g"]),
    ]
    four_versions = (
        ("ancient-changes", "v1", 5, ("a", "c", "d", "e")),
        ("m6", "v3", 6, ("f",)),
        ("ancient-changes", "v2", 7, ("b", "g")),
        ("m8", "v4", 8, ("h",)),
    )
    assert capped(*four_versions) == [(m, v, at(h), list(fs)) for m, v, h, fs in four_versions]


def test_appliers_are_never_capped() -> None:
    managed = decode([entry(f"a{i}", "Apply", time=at(i)) for i in range(12)])
    assert cap_update_managers(managed, 3) is managed


@pytest.mark.parametrize(
    ("sent", "reset"),
    [
        ([], True),
        ([{}], True),
        ([{"manager": ""}], True),
        (None, False),
        ([entry("x")], False),
        ([{}, {}], False),
    ],
)
def test_reset_is_an_empty_list_or_one_empty_entry(sent: Any, reset: bool) -> None:
    assert is_reset(sent) is reset


def test_managed_for_update_prefers_what_the_request_sends() -> None:
    old = {"metadata": {"managedFields": [entry("live")]}}
    assert [k.manager for k in managed_for_update(old)] == ["live"]  # omitted: kept
    assert [k.manager for k in managed_for_update(old, None)] == ["live"]
    assert [k.manager for k in managed_for_update(old, [entry("sent")])] == ["sent"]
    assert managed_for_update(old, []) == {}  # reset
    assert [k.manager for k in managed_for_update(old, [{"operation": "bad"}])] == [
        "live"
    ]  # undecodable: live
    assert [k.manager for k in managed_for_update(old, [entry("sent")], subresource="status")] == ["live"]
    assert managed_for_update({"metadata": {"managedFields": [{"operation": "x"}]}}) == {}


@pytest.mark.parametrize(
    ("agent", "manager"),
    [
        ("kubectl/v1.37.1 (linux/amd64) kubernetes/abcdef", "kubectl"),
        (
            "kube-controller-manager/v1.30.0 (linux/amd64) kubernetes/x/system:serviceaccount:a:b",
            "kube-controller-manager",
        ),
        ("OpenAPI-Generator/37.0.2/python", "OpenAPI-Generator"),
        ("tab\there/1", "tabhere"),
        ("", ""),
        ("é" * 100, "é" * 64),
    ],
)
def test_manager_from_user_agent(agent: str, manager: str) -> None:
    assert prefix_from_user_agent(agent) == manager
    assert manager_or_user_agent("explicit", agent) == "explicit"


def test_times_are_rfc3339_seconds_utc() -> None:
    assert format_time(
        dt.datetime(2024, 5, 1, 12, 0, 0, 999999, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    ) == ("2024-05-01T10:00:00Z")
    assert format_time("2024-05-01T10:00:00Z") == "2024-05-01T10:00:00Z"


def test_timestamp_only_changes_are_reverted() -> None:
    old = {
        "metadata": {"name": "a", "managedFields": [entry("m", time="2024-01-01T00:00:00Z")]},
        "data": {"k": "v"},
    }
    new = {
        "metadata": {"name": "a", "managedFields": [entry("m", time="2024-02-02T00:00:00Z")]},
        "data": {"k": "v"},
    }
    revert_timestamp_only_changes(old, new)
    assert new["metadata"]["managedFields"][0]["time"] == "2024-01-01T00:00:00Z"
    assert list(new["metadata"]["managedFields"][0]) == [
        "manager",
        "operation",
        "apiVersion",
        "time",
        "fieldsType",
        "fieldsV1",
    ]
    changed = {**new, "data": {"k": "w"}, "metadata": {**new["metadata"]}}
    changed["metadata"]["managedFields"] = [entry("m", time="2024-03-03T00:00:00Z")]
    revert_timestamp_only_changes(old, changed)
    assert changed["metadata"]["managedFields"][0]["time"] == "2024-03-03T00:00:00Z"
