# SPDX-License-Identifier: Apache-2.0
"""Offline validation of a Kubernetes manifest against the API models of
Debian's python3-kubernetes: the document is deserialised into the model
its kind names (client-side validation on: a required field missing or a
value of the wrong type raises), then serialised back, which must give the
document again (a misspelt or unknown field does not survive the round
trip). Usage: k8s_validate.py FILE; exit 0 when valid, else 1 with why."""
import json
import sys

from kubernetes import client


def validate(doc):
    """The model object, or raises ValueError/TypeError with the reason."""
    group, _, version = doc["apiVersion"].rpartition("/")
    model = "V1" + doc["kind"] if version == "v1" else None
    if not model or not hasattr(client, model):
        raise ValueError(f"unknown kind {doc.get('apiVersion')} {doc.get('kind')}")
    api = client.ApiClient()
    obj = api._ApiClient__deserialize(doc, model)
    back = api.sanitize_for_serialization(obj)
    if back != doc:
        raise ValueError(f"fields not in the {model} model: {diff(doc, back)}")
    return obj


def diff(a, b, path=""):
    if isinstance(a, dict) and isinstance(b, dict):
        for k in a:
            if k not in b:
                return f"{path}.{k}"
            d = diff(a[k], b[k], f"{path}.{k}")
            if d:
                return d
        return None
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b)):
            d = diff(x, y, f"{path}[{i}]")
            if d:
                return d
        return None
    return None if a == b else f"{path} ({a!r} != {b!r})"


if __name__ == "__main__":
    try:
        validate(json.load(open(sys.argv[1])))
    except (ValueError, TypeError, KeyError) as e:
        print(f"{sys.argv[1]}: invalid: {e}", file=sys.stderr)
        sys.exit(1)
    print(f"{sys.argv[1]}: valid")
