#!/usr/bin/env python3
"""The Python side of the differential protobuf test (ProtobufDifferentialTests.swift).

Python modules are generated at run time from the committed .proto with grpc_tools.protoc (the
same way scripts/python_grpc_client.py does), so Google's protobuf runtime, not our code, decodes
and encodes. Each message is described in the gateway's JSON shape (message_to_json of
python_grpc_client.py: lowerCamelCase names, bytes as hex, integers as numbers, unset fields with
presence as null), which the Swift side compares field by field.

    protobuf_peer.py check CASES.json OUT.json
        CASES.json: [{"message": "JobResult", "protobuf": "<hex>"}, ...] encoded by Swift.
        OUT.json: for each case, Python's decoding {"json": {...}, "protobuf": "<hex re-encoded>"}.
    protobuf_peer.py random SEED COUNT OUT.json
        COUNT random messages of every type, encoded by Python:
        [{"message": ..., "protobuf": "<hex>", "json": {...}}, ...]
"""

import json
import os
import random
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(REPO, "scripts"))

from python_grpc_client import load_stubs, message_to_json  # noqa: E402

UINT64_EDGES = [0, 1, 127, 128, 255, 16383, 16384, 2**31, 2**32 - 1, 2**32, 2**53 + 1, 2**63, 2**64 - 1]
UINT32_EDGES = [0, 1, 127, 128, 2**31 - 1, 2**31, 2**32 - 1]


def random_text(rng):
    """Unicode text with the characters JSON and UTF-8 care about (no surrogates: not valid UTF-8)."""
    pool = ['"', "\\", "/", "\n", "\r", "\t", "\b", "\f", "\x00", "\x01", "\x1f", "\x7f", "é", "€", "🚀", "a", " "]
    out = []
    for _ in range(rng.randrange(0, 24)):
        if rng.random() < 0.5:
            out.append(rng.choice(pool))
        else:
            code = rng.randrange(0x20, 0x110000)
            out.append(chr(code) if not 0xD800 <= code < 0xE000 else "x")
    return "".join(out)


def fill(message, rng, depth=0):
    """Sets each field of `message` to a random value, or leaves it at its default."""
    from google.protobuf.descriptor import FieldDescriptor as F

    for field in message.DESCRIPTOR.fields:
        repeated = field.is_repeated if hasattr(field, "is_repeated") else field.label == F.LABEL_REPEATED
        if rng.random() < 0.25:
            continue  # default / absent
        if repeated:
            values = getattr(message, field.name)
            for _ in range(rng.randrange(0, 8)):
                values.append(rng.choice(UINT64_EDGES) if rng.random() < 0.5 else rng.randrange(0, 2**64))
        elif field.type == F.TYPE_MESSAGE:
            nested = getattr(message, field.name)
            nested.SetInParent()  # present, even if every nested field stays at its default
            if depth < 4:
                fill(nested, rng, depth + 1)
        elif field.type == F.TYPE_BYTES:
            setattr(message, field.name, bytes(rng.randrange(256) for _ in range(rng.choice([0, 1, 20, 32, 65, rng.randrange(300)]))))
        elif field.type == F.TYPE_UINT64:
            setattr(message, field.name, rng.choice(UINT64_EDGES) if rng.random() < 0.5 else rng.randrange(0, 2**64))
        elif field.type == F.TYPE_UINT32:
            setattr(message, field.name, rng.choice(UINT32_EDGES) if rng.random() < 0.5 else rng.randrange(0, 2**32))
        elif field.type == F.TYPE_BOOL:
            setattr(message, field.name, rng.random() < 0.5)
        elif field.type == F.TYPE_ENUM:
            numbers = [v.number for v in field.enum_type.values]
            # Open enums: numbers without a name, negative ones included, survive a round trip.
            unknown = [rng.randrange(-2**31, 2**31), -1, 2**31 - 1, max(numbers) + 1]
            setattr(message, field.name, rng.choice(numbers) if rng.random() < 0.6 else rng.choice(unknown))
        elif field.type == F.TYPE_STRING:
            setattr(message, field.name, "" if rng.random() < 0.2 else random_text(rng))
        else:
            raise SystemExit(f"protobuf_peer: no random values for field type {field.type} ({field.full_name})")


def main():
    with tempfile.TemporaryDirectory(prefix="protobuf-peer-") as out_dir:
        pb2, _ = load_stubs(os.path.join(REPO, "Protos"), out_dir)
        classes = {name: getattr(pb2, name) for name in pb2.DESCRIPTOR.message_types_by_name}
        mode = sys.argv[1] if len(sys.argv) > 1 else ""
        if mode == "check" and len(sys.argv) == 4:
            with open(sys.argv[2]) as handle:
                cases = json.load(handle)
            out = []
            for case in cases:
                message = classes[case["message"]].FromString(bytes.fromhex(case["protobuf"]))
                out.append({"json": message_to_json(message),
                            "protobuf": message.SerializeToString(deterministic=True).hex()})
        elif mode == "random" and len(sys.argv) == 5:
            rng = random.Random(int(sys.argv[2]))
            out = []
            for name in sorted(classes):
                for _ in range(int(sys.argv[3])):
                    message = classes[name]()
                    fill(message, rng)
                    out.append({"message": name, "protobuf": message.SerializeToString(deterministic=True).hex(),
                                "json": message_to_json(message)})
        else:
            raise SystemExit(__doc__)
        with open(sys.argv[-1], "w") as handle:
            json.dump(out, handle)


if __name__ == "__main__":
    main()
