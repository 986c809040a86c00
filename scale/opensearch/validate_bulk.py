#!/usr/bin/env python3
"""Check an OpenSearch/Elasticsearch `_bulk` body line by line, without a cluster.

    python3 scale/opensearch/validate_bulk.py clauses.ndjson [second-export.ndjson]

Checks what the bulk API requires and what `aftale export` promises:

- the body is UTF-8 and ends with a newline; no line is empty or holds a carriage return;
- lines alternate: an action line `{"index": {"_index": NAME, "_id": ID}}` (exactly these
  keys), then a document line that is a JSON object and not itself an action;
- every `_id` is unique within the body.

Given a second body (a second export of the same index), also checks that both carry the same
ids for the same documents, i.e. that a re-export updates documents instead of duplicating
them. Prints one summary line; exits 1 with the first problem found.
"""

import json
import sys


def fail(path, line_no, message):
    """Stop with the first problem, naming file and line."""
    print(f"{path}:{line_no}: {message}", file=sys.stderr)
    sys.exit(1)


def read_bulk(path):
    """The body's (id, document) pairs, in order, after checking every line."""
    with open(path, "rb") as f:
        data = f.read()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        fail(path, 0, f"not UTF-8: {e}")
    if not text.endswith("\n"):
        fail(path, text.count("\n") + 1, "the last line does not end with a newline")
    lines = text[:-1].split("\n")
    if len(lines) % 2:
        fail(path, len(lines), "an action line without its document line")
    pairs = []
    seen = {}
    for k in range(0, len(lines), 2):
        action_no, doc_no = k + 1, k + 2
        for no in (action_no, doc_no):
            if not lines[no - 1].strip():
                fail(path, no, "empty line")
            if "\r" in lines[no - 1]:
                fail(path, no, "carriage return in a line")
        try:
            action = json.loads(lines[k])
        except ValueError as e:
            fail(path, action_no, f"action line is not JSON: {e}")
        if not isinstance(action, dict) or list(action) != ["index"]:
            fail(path, action_no, f"not an index action: {lines[k][:120]}")
        target = action["index"]
        if not isinstance(target, dict) or sorted(target) != ["_id", "_index"]:
            fail(path, action_no, f"the action needs exactly _index and _id: {target}")
        if not all(isinstance(target[key], str) and target[key] for key in target):
            fail(path, action_no, "_index and _id must be non-empty strings")
        try:
            doc = json.loads(lines[k + 1])
        except ValueError as e:
            fail(path, doc_no, f"document line is not JSON: {e}")
        if not isinstance(doc, dict):
            fail(path, doc_no, "the document is not a JSON object")
        if set(doc) & {"index", "create", "update", "delete"} and len(doc) == 1:
            fail(path, doc_no, "an action where a document belongs")
        doc_id = target["_id"]
        if doc_id in seen:
            fail(path, action_no, f"_id {doc_id} already used on line {seen[doc_id]}")
        seen[doc_id] = action_no
        pairs.append((doc_id, doc))
    return pairs


def main(argv):
    if len(argv) not in (2, 3):
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    first = read_bulk(argv[1])
    summary = f"{argv[1]}: {len(first)} documents, {len(first) * 2} lines, ids unique"
    if len(argv) == 3:
        second = read_bulk(argv[2])
        if [i for i, _ in first] != [i for i, _ in second]:
            only = {i for i, _ in first} ^ {i for i, _ in second}
            fail(argv[2], 0, f"ids differ from {argv[1]} ({len(only)} not in both)")
        if first != second:
            fail(argv[2], 0, f"same ids but different documents than {argv[1]}")
        summary += f"; {argv[2]}: the same ids and documents"
    print(summary)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
