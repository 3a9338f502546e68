"""The "0/N nodes are available" message, as kube-scheduler formats it."""

from __future__ import annotations

from pyk8s.scheduler.status import Code, Diagnosis, FitError, Status, fit_error_message


def test_reasons_are_counted_and_sorted_as_strings() -> None:
    statuses = {
        "a": Status(Code.UNSCHEDULABLE_AND_UNRESOLVABLE, "node(s) didn't match Pod's node affinity/selector"),
        "b": Status(Code.UNSCHEDULABLE, "Insufficient cpu"),
        "c": Status(Code.UNSCHEDULABLE, "Insufficient cpu"),
    }
    assert fit_error_message(3, statuses) == (
        "0/3 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 2 Insufficient cpu."
    )


def test_a_node_with_several_reasons_counts_in_each() -> None:
    statuses = {
        "a": Status(Code.UNSCHEDULABLE, "Insufficient cpu", "Insufficient memory"),
        "b": Status(Code.UNSCHEDULABLE, "Insufficient memory"),
    }
    assert (
        fit_error_message(2, statuses)
        == "0/2 nodes are available: 1 Insufficient cpu, 2 Insufficient memory."
    )


def test_counts_sort_as_text_so_ten_comes_before_two() -> None:
    statuses = {f"n{i}": Status(Code.UNSCHEDULABLE, "Insufficient cpu") for i in range(10)}
    statuses |= {f"m{i}": Status(Code.UNSCHEDULABLE, "Too many pods") for i in range(2)}
    assert (
        fit_error_message(12, statuses) == "0/12 nodes are available: 10 Insufficient cpu, 2 Too many pods."
    )


def test_a_prefilter_rejection_is_said_once_and_preemption_follows() -> None:
    diagnosis = Diagnosis(pre_filter_msg="pod has unbound immediate PersistentVolumeClaims")
    diagnosis.post_filter_msg = (
        "preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling."
    )
    assert str(FitError("default/p", 2, diagnosis)) == (
        "0/2 nodes are available: pod has unbound immediate PersistentVolumeClaims. "
        "preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling."
    )


def test_absent_nodes_take_the_absent_status() -> None:
    statuses = {
        "a": Status(Code.UNSCHEDULABLE_AND_UNRESOLVABLE, "No preemption victims found for incoming pod")
    }
    absent = Status(Code.UNSCHEDULABLE_AND_UNRESOLVABLE, "Preemption is not helpful for scheduling")
    assert fit_error_message(3, statuses, absent_nodes=2, absent_status=absent) == (
        "0/3 nodes are available: 1 No preemption victims found for incoming pod, "
        "2 Preemption is not helpful for scheduling."
    )
