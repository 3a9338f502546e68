"""Strategic merge patch (`application/strategic-merge-patch+json`), driven by a `Schema`.

Follows apimachinery's `pkg/util/strategicpatch` as kube-apiserver runs it (merging parallel
lists, ignoring nulls that match nothing), reading each field's `x-kubernetes-patch-strategy`
and `x-kubernetes-patch-merge-key` from the kind's `Schema`:

- Objects merge recursively; `null` removes a key. A value for a key the live object lacks
  (or holds with another JSON type) is taken minus its nulls and minus any object carrying a
  `$patch` directive; a new element of a merge list is added exactly as sent. A field whose
  strategy is `replace` takes the patch's object whole.
- Lists whose field has the `merge` strategy merge: lists of objects by the field's merge key
  (matching elements merge, new ones are added), lists of scalars as sets. Other lists, and
  lists of objects whose field has no merge key, are replaced.
- Order of a merged list: the patch's elements keep the patch's order and the server-only
  elements keep theirs; the two are interleaved using the live order (an element the live
  list lacks goes before the next server-only one). `$setElementOrder/<field>` (merge-key
  objects, or the scalars) sets the order of the elements it names, with the same rule.
- Directives: `$patch: replace` in an object replaces it with the patch (the directive
  removed); `$patch: delete` in an object empties it; in a merge list, an element
  `{"$patch": "replace"}` replaces the list with the other elements and
  `{"<key>": v, "$patch": "delete"}` removes the elements whose merge key is v;
  `$patch: merge` is rejected everywhere, as kube-apiserver does ("merging lists cannot yet
  be specified in the patch" in lists, "unknown patch type" in objects).
  `$retainKeys: [..]` drops the live object's keys it does not list (every non-null key of
  the patch must be listed); `$deleteFromPrimitiveList/<field>: [..]` removes those values
  from the scalar list `<field>`.
- Fields the schema does not describe (unknown fields, preserve-unknown-fields and
  any-type values) have no strategy: their objects merge and their lists are replaced, so
  a patch without directives acts on them as a JSON merge patch. apimachinery errors out
  instead when it has to look such a field up ("unable to find api field"); kube-apiserver
  never reaches that for typed objects, whose live form has no unknown fields.

Scalars compare by JSON value (1 equals 1.0), as kubectl, which re-encodes patches through
Go's encoder, makes them. Where apimachinery's result depends on Go's map iteration order (a
list key and its `$deleteFromPrimitiveList` key in one patch, without `$setElementOrder`),
keys are taken in the patch's order.

Errors carry apimachinery's wording; see `errors` for the status codes kube-apiserver uses
(400 for malformed directive keys, 500 for the rest). `create_strategic_merge_patch`
computes a two-way patch, as `kubectl edit` or a client's "patch from diff" does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pyk8s.api.patch._values import go_fmt, go_type, hash_key, json_copy, json_equal, json_kind
from pyk8s.api.patch.errors import MalformedPatchError, PatchConflictError, PatchError
from pyk8s.api.schema import Schema

DIRECTIVE = "$patch"
DELETE = "delete"
REPLACE = "replace"
MERGE = "merge"
RETAIN_KEYS = "$retainKeys"
DELETE_FROM_PRIMITIVE_LIST = "$deleteFromPrimitiveList"
SET_ELEMENT_ORDER = "$setElementOrder"

_MAP, _SCALAR = "map", "scalar"


# errors, in apimachinery's (mergepatch's) wording


def _bad_arg_type(expected: Any, actual: Any) -> PatchError:
    return PatchError(f"expected a {go_type(expected)}, but received a {go_type(actual)}")


def _no_merge_key(element: Any, key: str) -> PatchError:
    return PatchError(f"map: {go_fmt(element)} does not contain declared merge key: {key}")


def _bad_patch_type(value: Any, element: dict[str, Any]) -> PatchError:
    return PatchError(f"unknown patch type: {go_fmt(value)} in map: {go_fmt(element)}")


_BAD_PRIMITIVE_LIST = "invalid patch format of primitive list"
_BAD_RETAIN_KEYS = "invalid patch format of retainKeys"
_BAD_SET_ELEMENT_ORDER = "invalid patch format of setElementOrder list"


# schema lookups


def _field(schema: Schema | None, key: str) -> Schema | None:
    """The schema of `key` in the object `schema` describes (None when unknown)."""
    if schema is None:
        return None
    target = schema.target
    found = target.properties.get(key)
    if found is not None:
        return found
    return target.additional


def _strategies(node: Schema | None) -> tuple[bool, str]:
    """(has retainKeys, the other strategy) of a field, as extractRetainKeysPatchStrategy."""
    if node is None:
        return False, ""
    raw = node.patch_strategy or node.target.patch_strategy
    parts = raw.split(",") if raw else []
    if not parts:
        return False, ""
    if len(parts) == 1:
        return (True, "") if parts[0] == "retainKeys" else (False, parts[0])
    if len(parts) == 2 and "retainKeys" in parts:
        return True, parts[1] if parts[0] == "retainKeys" else parts[0]
    raise PatchError(f"unexpected patch strategy: {go_fmt(parts)}")


def _struct_meta(schema: Schema | None, key: str) -> tuple[Schema | None, str]:
    node = _field(schema, key)
    return node, _strategies(node)[1]


def _slice_meta(schema: Schema | None, key: str) -> tuple[Schema | None, str, str]:
    """(element schema, strategy, merge key) of the list field `key`."""
    node = _field(schema, key)
    if node is None:
        return None, "", ""
    merge_key = node.patch_merge_key or node.target.patch_merge_key
    return node.target.items, _strategies(node)[1], merge_key


def _schema_name(schema: Schema | None) -> str:
    """What apimachinery prints for an element type (the Go kind of the struct field)."""
    if schema is None:
        return "interface"
    target = schema.target
    if target.properties:
        return "struct"
    if target.additional is not None:
        return "map"
    return target.type or "interface"


# applying


def apply_strategic_merge_patch(
    doc: dict[str, Any], patch: Any, schema: Schema | None, *, owned: bool = False
) -> dict[str, Any]:
    """Apply the strategic merge patch `patch` to `doc`, the object `schema` describes.

    `doc` and `patch` are not modified. `schema` None applies the patch without strategies.
    """
    if patch is None:
        return doc if owned else json_copy(doc)  # a `null` body decodes as an empty patch
    if not isinstance(patch, dict):
        raise MalformedPatchError(
            f"json: cannot unmarshal {json_kind(patch)} into Go value of type map[string]interface {{}}"
        )
    return _merge_map(doc if owned else json_copy(doc), json_copy(patch), schema)


def _merge_map(
    original: dict[str, Any] | None, patch: dict[str, Any], schema: Schema | None
) -> dict[str, Any]:
    if DIRECTIVE in patch:
        directive = patch[DIRECTIVE]
        if directive == REPLACE:
            del patch[DIRECTIVE]
            return patch
        if directive == DELETE:
            return {}
        raise _bad_patch_type(directive, patch)
    if original is None:
        original = {}
    _apply_retain_keys(original, patch)
    _merge_ordered_lists(original, patch, schema)

    for key, value in list(patch.items()):
        delete_list = False
        if key.startswith(DELETE_FROM_PRIMITIVE_LIST):
            key = _extract_key(key, DELETE_FROM_PRIMITIVE_LIST)
            delete_list = True
        if value is None:
            original.pop(key, None)
            continue
        if key not in original:
            if not delete_list:
                _put_new(original, key, value)
            continue
        current = original[key]
        if isinstance(current, dict) and isinstance(value, dict):
            sub, strategy = _struct_meta(schema, key)
            original[key] = value if strategy == REPLACE else _merge_map(current, value, sub)
        elif isinstance(current, list) and isinstance(value, list):
            sub, strategy, merge_key = _slice_meta(schema, key)
            original[key] = _merge_slice_handler(current, value, sub, strategy, merge_key, delete_list)
        elif type(current) is not type(value) and delete_list:
            continue
        elif isinstance(value, dict | list) or type(current) is not type(value):
            _put_new(original, key, value)
        else:
            original[key] = value  # scalars of one type: the patch's value
    return original


def _put_new(original: dict[str, Any], key: str, value: Any) -> None:
    """Set `key` to a value the live object does not have in that form (nulls, directives out)."""
    _discard_nulls(value)
    kept, keep = _remove_directives(value)
    if keep:
        original[key] = kept
    else:
        original.pop(key, None)


def _extract_key(key: str, prefix: str) -> str:
    head, sep, rest = key.partition("/")
    if not sep or head != prefix:
        raise MalformedPatchError(
            _BAD_PRIMITIVE_LIST if prefix == DELETE_FROM_PRIMITIVE_LIST else _BAD_SET_ELEMENT_ORDER
        )
    return rest


def _apply_retain_keys(original: dict[str, Any], patch: dict[str, Any]) -> None:
    if RETAIN_KEYS not in patch:
        return
    listed = patch.pop(RETAIN_KEYS)
    if not isinstance(listed, list):
        raise MalformedPatchError(_BAD_RETAIN_KEYS)
    keep = {k for k in listed if isinstance(k, str)}
    for key, value in patch.items():
        if value is None or key.startswith((DELETE_FROM_PRIMITIVE_LIST, SET_ELEMENT_ORDER)):
            continue
        if key not in keep:
            raise MalformedPatchError(_BAD_RETAIN_KEYS)
    for key in [k for k in original if k not in keep]:
        del original[key]


def _merge_ordered_lists(original: dict[str, Any], patch: dict[str, Any], schema: Schema | None) -> None:
    """Merge each list that has a `$setElementOrder`, then put it in that order."""
    for directive in [k for k in patch if k.startswith(SET_ELEMENT_ORDER)]:
        order = patch.pop(directive)
        if not isinstance(order, list):
            raise _bad_arg_type([], order)
        key = _extract_key(directive, SET_ELEMENT_ORDER)
        in_original, in_patch = key in original, key in patch
        live: list[Any] = []
        sent: list[Any] = []
        if in_original:
            live = original[key]
            if not isinstance(live, list):
                raise _bad_arg_type([], live)
        if in_patch:
            sent = patch[key]
            if not isinstance(sent, list):
                raise _bad_arg_type([], sent)
        sub, strategy, merge_key = _slice_meta(schema, key)
        _check_order(sent, order, merge_key)
        if in_original and in_patch:
            server_order = list(live)
            merged = _merge_slice_handler(live, sent, sub, strategy, merge_key, False, server_order)
        elif in_original:
            server_order = live
            merged = live
        elif in_patch:
            server_order = []
            merged = _remove_directives(sent)[0]
        else:
            continue
        if merge_key:
            ordered, server_only = _partition_maps(merged, order, merge_key)
        else:
            ordered, server_only = _partition_scalars(merged, order)
        kind = _element_kind(server_order, sent)
        original[key] = _normalize_order(ordered, server_only, order, server_order, merge_key, kind)
        patch.pop(key, None)


def _check_order(sent: list[Any], order: list[Any], merge_key: str) -> None:
    """The patch list's elements must appear in `$setElementOrder`, in the same order."""
    if not order or not sent:
        return
    elements = _split_deletions(sent)[0] if merge_key else sent
    i = j = 0
    while i < len(elements) and j < len(order):
        if isinstance(elements[i], dict) and DIRECTIVE in elements[i]:
            i += 1
            continue
        if _merge_key_equal(elements[i], order[j], merge_key):
            i += 1
        j += 1
    if i < len(elements) and j >= len(order):
        raise PatchError(
            f"The order in patch list:\n{go_fmt(sent)}\n doesn't match "
            f"{SET_ELEMENT_ORDER} list:\n{go_fmt(order)}\n"
        )


def _merge_key_equal(left: Any, right: Any, merge_key: str) -> bool:
    if not merge_key:
        return json_equal(left, right)
    for element in (left, right):
        if not isinstance(element, dict):
            raise _bad_arg_type({}, element)
        if merge_key not in element:
            raise _no_merge_key(element, merge_key)
    return json_equal(left[merge_key], right[merge_key])


def _merge_slice_handler(
    original: list[Any],
    patch: list[Any],
    schema: Schema | None,
    strategy: str,
    merge_key: str,
    delete_list: bool,
    backing: list[Any] | None = None,
) -> list[Any]:
    if strategy == MERGE or delete_list:
        return _merge_slice(original, patch, schema, merge_key, delete_list, backing)
    return patch


def _merge_slice(
    original: list[Any],
    patch: list[Any],
    schema: Schema | None,
    merge_key: str,
    delete_list: bool,
    backing: list[Any] | None = None,
) -> list[Any]:
    """Merge two lists (mergeSlice).

    `backing`, when given, is a copy of `original` standing for the Go array behind it: the
    library deletes and appends elements in place, and the `$setElementOrder` code reads the
    live order back through that array afterwards, so its writes are replayed on `backing`.
    """
    if not original and not patch:
        return original
    kind = _element_kind(original, patch)
    if kind != _MAP:
        if delete_list:
            remove = {hash_key(v) for v in patch}
            return [v for v in original if hash_key(v) not in remove]
        merged = _dedupe(original + patch)
    else:
        if not merge_key:
            raise PatchError(f"cannot merge lists without merge key for {_schema_name(schema)}")
        original, patch, shared = _apply_list_directives(original, patch, merge_key, backing)
        merged = list(original)
        for element in patch:
            if merge_key not in element:
                raise _no_merge_key(element, merge_key)
            found = _find_by_key(merged, merge_key, element[merge_key])
            if found is None:
                if shared and backing is not None and len(merged) < len(backing):
                    backing[len(merged)] = element  # Go's append writes into the live array
                merged.append(element)
            else:
                merged[found] = _merge_map(merged[found], element, schema)
    if merge_key:
        ordered, server_only = _partition_maps(merged, patch, merge_key)
    else:
        ordered, server_only = _partition_scalars(merged, patch)
    return _normalize_order(ordered, server_only, patch, original, merge_key, kind)


def _apply_list_directives(
    original: list[Any], patch: list[Any], merge_key: str, backing: list[Any] | None
) -> tuple[list[Any], list[Any], bool]:
    """Handle `$patch` elements: (the live list, the patch's plain elements, live list kept)."""
    plain = []
    replace = False
    original = list(original)
    for element in patch:
        if DIRECTIVE not in element:
            plain.append(element)
            continue
        directive = element[DIRECTIVE]
        if directive == DELETE:
            if merge_key not in element:
                raise _no_merge_key(element, merge_key)
            while (found := _find_by_key(original, merge_key, element[merge_key])) is not None:
                if backing is not None:  # Go shifts the tail down in place
                    backing[found : len(original) - 1] = backing[found + 1 : len(original)]
                del original[found]
        elif directive == REPLACE:
            replace = True
        elif directive == MERGE:
            raise PatchError("merging lists cannot yet be specified in the patch")
        else:
            raise _bad_patch_type(directive, element)
    if replace:
        return plain, [], False
    return original, plain, True


def _find_by_key(elements: list[Any], merge_key: str, value: Any) -> int | None:
    for i, element in enumerate(elements):
        if not isinstance(element, dict):
            raise PatchError(f"value for key {i} is not a map")
        if merge_key in element and json_equal(element[merge_key], value):
            return i
    return None


def _element_kind(*lists: list[Any]) -> str:
    """`map` or `scalar`: all elements must share one JSON type, and lists of lists are refused."""
    first: type | None = None
    for values in lists:
        for value in values:
            kind = type(value)
            if first is None:
                first = kind
                if kind is list:
                    raise PatchConflictError("lists of lists are not supported")
            elif kind is not first:
                raise PatchError(f"list element types are not identical: {go_fmt(list(lists))}")
    if first is None:
        raise PatchError("no elements in any of the given slices")
    return _MAP if first is dict else _SCALAR


def _dedupe(values: list[Any]) -> list[Any]:
    seen: set[Any] = set()
    out = []
    for value in values:
        key = hash_key(value)
        if key not in seen:
            seen.add(key)
            out.append(value)
    return out


def _partition_scalars(merged: list[Any], by: list[Any]) -> tuple[list[Any], list[Any]]:
    """(elements present in `by`, the others)."""
    present = {hash_key(v) for v in by}
    inside = [v for v in merged if hash_key(v) in present]
    outside = [v for v in merged if hash_key(v) not in present]
    return inside, outside


def _partition_maps(merged: list[Any], by: list[Any], merge_key: str) -> tuple[list[Any], list[Any]]:
    inside, outside = [], []
    for element in merged:
        if not isinstance(element, dict):
            raise _bad_arg_type({}, element)
        if merge_key not in element:
            raise _no_merge_key(element, merge_key)
        found = _find_by_key(by, merge_key, element[merge_key]) is not None
        (inside if found else outside).append(element)
    return inside, outside


def _split_deletions(elements: list[Any]) -> tuple[list[Any], list[Any]]:
    """(elements to keep, `$patch: delete` elements)."""
    keep, delete = [], []
    for element in elements:
        if not isinstance(element, dict):
            raise _bad_arg_type({}, element)
        (delete if element.get(DIRECTIVE) == DELETE else keep).append(element)
    return keep, delete


def _positions(values: list[Any], merge_key: str, kind: str) -> Callable[[Any], int]:
    """`index` of the library: the first position of an element's merge key (or scalar), or -1."""
    first: dict[Any, int] = {}
    for i, item in enumerate(values):
        first.setdefault(hash_key(_identity(item, merge_key, kind)), i)
    return lambda item: first.get(hash_key(_identity(item, merge_key, kind)), -1)


def _identity(item: Any, merge_key: str, kind: str) -> Any:
    if kind == _MAP:
        return item.get(merge_key) if isinstance(item, dict) else None
    return item


def _sort_by(values: list[Any], order: list[Any], merge_key: str, kind: str) -> list[Any]:
    """`values` sorted by their position in `order` (normalizeSliceOrder)."""
    deletions: list[Any] = []
    if kind == _MAP:
        for group in (values, order):
            for element in group:
                if not isinstance(element, dict):
                    raise _bad_arg_type({}, element)
                if merge_key not in element:
                    raise _no_merge_key(element, merge_key)
        values, deletions = _split_deletions(values)
    index = _positions(order, merge_key, kind)

    def less(a: Any, b: Any) -> bool:
        ia = index(a)
        if ia >= 0:
            ib = index(b)
            if ib >= 0:
                return ia < ib
        return True  # the library's comparison, unknown elements included

    return go_stable_sort(list(values), less) + deletions


def _normalize_order(
    ordered: list[Any],
    server_only: list[Any],
    patch_order: list[Any],
    server_order: list[Any],
    merge_key: str,
    kind: str,
) -> list[Any]:
    """Sort the patch's elements by `patch_order`, the others by the live order, and interleave."""
    ordered = _sort_by(ordered, patch_order, merge_key, kind)
    server_only = _sort_by(server_only, server_order, merge_key, kind)
    index = _positions(server_order, merge_key, kind)
    out = []
    i = j = 0
    while i < len(server_only) or j < len(ordered):
        if j >= len(ordered):
            out.append(server_only[i])
            i += 1
        elif i >= len(server_only):
            out.append(ordered[j])
            j += 1
        else:
            left, right = index(server_only[i]), index(ordered[j])
            if left >= 0 and right >= 0 and left < right:
                out.append(server_only[i])
                i += 1
            else:
                out.append(ordered[j])
                j += 1
    return out


def go_stable_sort(values: list[Any], less: Callable[[Any, Any], bool]) -> list[Any]:
    """Go's `sort.SliceStable` (insertion sort of blocks of 20, then SymMerge), in place.

    Any stable sort gives the same result for a consistent `less`; this one also matches Go
    when `less` is not a strict order (normalizeSliceOrder's is not, for unknown elements).
    """
    n = len(values)

    def swap(i: int, j: int) -> None:
        values[i], values[j] = values[j], values[i]

    def lt(i: int, j: int) -> bool:
        return less(values[i], values[j])

    def insertion_sort(a: int, b: int) -> None:
        for i in range(a + 1, b):
            j = i
            while j > a and lt(j, j - 1):
                swap(j, j - 1)
                j -= 1

    def swap_range(a: int, b: int, count: int) -> None:
        for i in range(count):
            swap(a + i, b + i)

    def rotate(a: int, m: int, b: int) -> None:
        i, j = m - a, b - m
        while i != j:
            if i > j:
                swap_range(m - i, m, j)
                i -= j
            else:
                swap_range(m - i, m + j - i, i)
                j -= i
        swap_range(m - i, m, i)

    def sym_merge(a: int, m: int, b: int) -> None:
        if m - a == 1:
            i, j = m, b
            while i < j:
                h = (i + j) >> 1
                if lt(h, a):
                    i = h + 1
                else:
                    j = h
            for k in range(a, i - 1):
                swap(k, k + 1)
            return
        if b - m == 1:
            i, j = a, m
            while i < j:
                h = (i + j) >> 1
                if not lt(m, h):
                    i = h + 1
                else:
                    j = h
            for k in range(m, i, -1):
                swap(k, k - 1)
            return
        mid = (a + b) >> 1
        total = mid + m
        if m > mid:
            start, r = total - b, mid
        else:
            start, r = a, m
        p = total - 1
        while start < r:
            c = (start + r) >> 1
            if not lt(p - c, c):
                start = c + 1
            else:
                r = c
        end = total - start
        if start < m < end:
            rotate(start, m, end)
        if a < start < mid:
            sym_merge(a, start, mid)
        if mid < end < b:
            sym_merge(mid, end, b)

    block = 20
    a, b = 0, block
    while b <= n:
        insertion_sort(a, b)
        a, b = b, b + block
    insertion_sort(a, n)
    while block < n:
        a, b = 0, 2 * block
        while b <= n:
            sym_merge(a, a + block, b)
            a, b = b, b + 2 * block
        m = a + block
        if m < n:
            sym_merge(a, m, n)
        block *= 2
    return values


def _discard_nulls(value: Any) -> None:
    if isinstance(value, dict):
        for key in [k for k, v in value.items() if v is None]:
            del value[key]
        for v in value.values():
            _discard_nulls(v)
    elif isinstance(value, list):
        for v in value:
            _discard_nulls(v)


def _remove_directives(value: Any) -> tuple[Any, bool]:
    """`value` without the objects that carry `$patch`; False when `value` itself is one."""
    if isinstance(value, dict):
        if DIRECTIVE in value:
            return None, False
        for key in list(value):
            kept, keep = _remove_directives(value[key])
            if keep:
                value[key] = kept
            else:
                del value[key]
        return value, True
    if isinstance(value, list):
        out = []
        for v in value:
            kept, keep = _remove_directives(v)
            if keep:
                out.append(kept)
        return out, True
    return value, True


# two-way patches


def create_strategic_merge_patch(
    original: dict[str, Any], modified: dict[str, Any], schema: Schema | None
) -> dict[str, Any]:
    """A strategic merge patch turning `original` into `modified` (CreateTwoWayMergePatch).

    Removed keys become `null`; merge lists send only new and changed elements (changed ones
    reduced to their difference plus the merge key), `{"<key>": v, "$patch": "delete"}` for
    removed ones, `$deleteFromPrimitiveList/<field>` for removed scalars, and
    `$setElementOrder/<field>` when the list's content or order changed; objects of
    retainKeys fields carry `$retainKeys`. Other lists are sent whole when they differ.
    """
    return _diff_maps(original, modified, schema, False)


def _diff_maps(
    original: dict[str, Any], modified: dict[str, Any], schema: Schema | None, retain: bool
) -> dict[str, Any]:
    patch: dict[str, Any] = {}
    for key, new in modified.items():
        if key not in original:
            patch[key] = json_copy(new)
            continue
        old = original[key]
        if isinstance(old, dict) and isinstance(new, dict):
            node = _field(schema, key)
            has_retain, strategy = _strategies(node)
            if strategy == REPLACE:
                if not json_equal(old, new):
                    patch[key] = json_copy(new)
                continue
            sub = _diff_maps(old, new, node, has_retain)
            if sub:
                patch[key] = sub
        elif isinstance(old, list) and isinstance(new, list):
            node = _field(schema, key)
            has_retain, strategy = _strategies(node)
            if strategy != MERGE:
                if not json_equal(old, new):
                    patch[key] = json_copy(new)
                continue
            items = node.target.items if node is not None else None
            merge_key = (node.patch_merge_key or node.target.patch_merge_key) if node is not None else ""
            _diff_lists(key, old, new, items, merge_key, has_retain, patch)
        elif not json_equal(old, new):
            patch[key] = json_copy(new)
    for key in original:
        if key not in modified:
            patch[key] = None
    if retain:
        listed = sorted(k for k, v in modified.items() if v is not None)
        extra = any(v is not None and k not in modified for k, v in original.items())
        if listed and (patch or extra):
            patch[RETAIN_KEYS] = listed
    return patch


def _diff_lists(
    key: str,
    old: list[Any],
    new: list[Any],
    schema: Schema | None,
    merge_key: str,
    retain: bool,
    patch: dict[str, Any],
) -> None:
    if not old:
        if new:
            patch[key] = json_copy(new)
        return
    if _element_kind(old, new) == _MAP:
        if not merge_key:
            if not json_equal(old, new):
                patch[key] = json_copy(new)
            return
        live = {}
        for element in old:
            if merge_key not in element:
                raise _no_merge_key(element, merge_key)
            live.setdefault(hash_key(element[merge_key]), element)
        changes: list[Any] = []
        wanted = set()
        for element in new:
            if merge_key not in element:
                raise _no_merge_key(element, merge_key)
            wanted.add(hash_key(element[merge_key]))
            before = live.get(hash_key(element[merge_key]))
            if before is None:
                changes.append(json_copy(element))
                continue
            sub = _diff_maps(before, element, schema, retain)
            if sub:
                sub[merge_key] = element[merge_key]
                changes.append(sub)
        for element in old:
            if hash_key(element[merge_key]) not in wanted:
                changes.append({merge_key: element[merge_key], DIRECTIVE: DELETE})
                wanted.add(hash_key(element[merge_key]))
        same_order = len(old) == len(new) and all(
            json_equal(a[merge_key], b[merge_key]) for a, b in zip(old, new, strict=True)
        )
        if changes:
            patch[key] = changes
        if changes or not same_order:
            patch[f"{SET_ELEMENT_ORDER}/{key}"] = [{merge_key: e[merge_key]} for e in new]
        return
    before_set = {hash_key(v) for v in old}
    after_set = {hash_key(v) for v in new}
    added = _dedupe([v for v in new if hash_key(v) not in before_set])
    removed = _dedupe([v for v in old if hash_key(v) not in after_set])
    if added:
        patch[key] = json_copy(added)
    if removed:
        patch[f"{DELETE_FROM_PRIMITIVE_LIST}/{key}"] = json_copy(removed)
    if removed or not json_equal(old, new):
        patch[f"{SET_ELEMENT_ORDER}/{key}"] = json_copy(new)
