"""Scheduler configuration: profiles and the command line."""

from __future__ import annotations

import pytest

from pyk8s.scheduler.__main__ import parse_args
from pyk8s.scheduler.config import Profile, SchedulerConfig


def test_the_command_line_builds_the_config() -> None:
    config, verbose = parse_args(
        [
            "--kubeconfig",
            "/tmp/kubeconfig",
            "--scoring-strategy",
            "MostAllocated",
            "--percentage-of-nodes-to-score",
            "30",
            "--extra-scheduler-name",
            "batch",
            "--no-leader-elect",
        ]
    )
    assert config.kubeconfig == "/tmp/kubeconfig"
    assert not config.leader_elect and not verbose
    names = [
        (p.scheduler_name, p.scoring_strategy, p.percentage_of_nodes_to_score) for p in config.all_profiles()
    ]
    assert names == [("default-scheduler", "MostAllocated", 30), ("batch", "MostAllocated", 30)]


def test_profiles_are_checked() -> None:
    with pytest.raises(ValueError, match="scoring strategy"):
        Profile(scoring_strategy="Random")
    with pytest.raises(ValueError, match="between 0 and 100"):
        Profile(percentage_of_nodes_to_score=101)
    with pytest.raises(ValueError, match="duplicate"):
        SchedulerConfig(profiles=(Profile("a"), Profile("a"))).all_profiles()
