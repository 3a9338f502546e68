import pytest

from pyk8s.api.selectors import FieldSelector, LabelSelector, SelectorError


@pytest.mark.parametrize(
    ("text", "labels", "expected"),
    [
        pytest.param("", {}, True, id="empty-matches-all"),
        pytest.param("a=b", {"a": "b"}, True, id="equals"),
        pytest.param("a==b", {"a": "c"}, False, id="double-equals"),
        pytest.param("a!=b", {}, True, id="not-equals-missing"),
        pytest.param("a!=b", {"a": "b"}, False, id="not-equals"),
        pytest.param("env in (prod, dev)", {"env": "dev"}, True, id="in"),
        pytest.param("env notin (prod)", {"env": "prod"}, False, id="notin"),
        pytest.param("env notin (prod)", {}, True, id="notin-missing"),
        pytest.param("a", {"a": ""}, True, id="exists"),
        pytest.param("!a", {"a": "x"}, False, id="does-not-exist"),
        pytest.param("n>3", {"n": "4"}, True, id="gt"),
        pytest.param("n<3", {"n": "x"}, False, id="lt-not-a-number"),
        pytest.param("a=b,c", {"a": "b"}, False, id="conjunction"),
        pytest.param("a=", {"a": ""}, True, id="empty-value"),
        pytest.param("example.com/tier=fe", {"example.com/tier": "fe"}, True, id="prefixed-key"),
    ],
)
def test_label_selector_matches(text: str, labels: dict[str, str], expected: bool) -> None:
    assert LabelSelector.parse(text).matches(labels) is expected


@pytest.mark.parametrize("text", ["a b", "a in b", "a in (b", ",", "a=b,", "-a=b", "a=b=c", "a in (b))"])
def test_bad_label_selectors(text: str) -> None:
    with pytest.raises(SelectorError):
        LabelSelector.parse(text)


def test_label_selector_from_object() -> None:
    sel = LabelSelector.from_object(
        {
            "matchLabels": {"app": "web"},
            "matchExpressions": [{"key": "tier", "operator": "In", "values": ["a", "b"]}],
        }
    )
    assert str(sel) == "app=web,tier in (a,b)"
    assert sel.matches({"app": "web", "tier": "b"}) and not sel.matches({"app": "web"})
    with pytest.raises(SelectorError):
        LabelSelector.from_object({"matchExpressions": [{"key": "x", "operator": "Near"}]})
    with pytest.raises(SelectorError):
        LabelSelector.from_object({"matchExpressions": [{"key": "x", "operator": "In", "values": []}]})


def test_field_selectors() -> None:
    sel = FieldSelector.parse("spec.nodeName=n1,status.phase!=Succeeded,metadata.name==a\\,b")
    assert sel.matches({"spec.nodeName": "n1", "status.phase": "Running", "metadata.name": "a,b"})
    assert not sel.matches({"spec.nodeName": "n1", "status.phase": "Succeeded", "metadata.name": "a,b"})
    assert sel.exact("spec.nodeName") == "n1" and sel.exact("status.phase") is None
    assert sel.fields == {"spec.nodeName", "status.phase", "metadata.name"}
    with pytest.raises(SelectorError):
        FieldSelector.parse("nonsense")
