#!/usr/bin/env python3
"""An independent gRPC client for the coprocessor node, written against the .proto only.

The Python stubs are generated at run time from Protos/ with grpc_tools.protoc into a temporary
folder, so nothing here shares code with the Swift implementation. It runs one full job:
SubmitProgram (an ELF file), SubmitJob (pre-signed request bytes), then polls GetResult until the
job is DONE or FAILED, and prints the JobResult as JSON in the gateway's style (lowerCamelCase
names, every field present, unset optional fields as null, integers and enums as numbers; bytes as
lowercase hex, which is the gateway's shape for every JobResult field).

Exit status: 0 if the job is DONE; 1 if it FAILED or did not finish in time; 2 on usage or RPC
errors. Needs only the pip packages grpcio and grpcio-tools.

    python3 scripts/python_grpc_client.py --target 127.0.0.1:50051 --elf guest.elf
        --request HEX --signature HEX [--offchain-input HEX] [--state HEX]   (one command line)
    python3 scripts/python_grpc_client.py --elf guest.elf --job-json job.json

job.json holds hex strings under request, signature, offchain_input (or offchainInput) and state.
"""

import argparse
import importlib
import json
import os
import sys
import tempfile
import time

PROTO_FILE = "coprocessor_node/v1/coprocessor_node.proto"
DEFAULT_PROTO_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Protos")
# Room for a 10 MB ELF; gRPC Python caps received messages at 4 MiB by default.
MAX_MESSAGE_BYTES = 64 * 1024 * 1024


def fail(message, status=2):
    print(f"python_grpc_client: {message}", file=sys.stderr)
    sys.exit(status)


def load_stubs(proto_dir, out_dir):
    """Generates the message and service modules from the .proto and imports them."""
    from grpc_tools import protoc
    import grpc_tools

    # The well-known types that ship with grpc_tools, in case a .proto imports them.
    well_known = os.path.join(os.path.dirname(grpc_tools.__file__), "_proto")
    status = protoc.main([
        "grpc_tools.protoc",
        f"-I{proto_dir}",
        f"-I{well_known}",
        f"--python_out={out_dir}",
        f"--grpc_python_out={out_dir}",
        os.path.join(proto_dir, PROTO_FILE),
    ])
    if status != 0:
        fail(f"protoc failed on {os.path.join(proto_dir, PROTO_FILE)} (status {status})")
    sys.path.insert(0, out_dir)
    module = PROTO_FILE[: -len(".proto")].replace("/", ".")
    return importlib.import_module(module + "_pb2"), importlib.import_module(module + "_pb2_grpc")


def parse_hex(text, what):
    digits = text[2:] if text[:2].lower() == "0x" else text
    try:
        return bytes.fromhex(digits)
    except ValueError as error:
        fail(f"{what} is not hex: {error}")


def message_to_json(message):
    """The gateway's JSON shape as a dict, except that every bytes field is hex (the gateway writes
    a few request fields and SubmitJobResponse.job_id as integer arrays; the .proto does not say
    which, so a caller comparing those converts them)."""
    from google.protobuf.descriptor import FieldDescriptor as F

    def scalar(field, value):
        if field.type == F.TYPE_BYTES:
            return value.hex()
        if field.type == F.TYPE_MESSAGE:
            return message_to_json(value)
        return value  # integers (64-bit too) and enums as numbers; bool, str as they are

    out = {}
    for field in message.DESCRIPTOR.fields:
        # `is_repeated` in newer protobuf releases, which deprecate `label`.
        repeated = field.is_repeated if hasattr(field, "is_repeated") else field.label == F.LABEL_REPEATED
        # Every field; one with presence (messages, proto3 `optional`) that is not set is null.
        if not repeated and field.has_presence and not message.HasField(field.name):
            out[field.json_name] = None
            continue
        value = getattr(message, field.name)
        out[field.json_name] = [scalar(field, v) for v in value] if repeated else scalar(field, value)
    return out


def read_job(args):
    if args.job_json:
        with open(args.job_json) as handle:
            job = json.load(handle)

        def pick(*names):
            for name in names:
                if name in job and job[name] is not None:
                    return parse_hex(job[name], name)
            return b""

        return (pick("request"), pick("signature"), pick("offchain_input", "offchainInput"), pick("state"))
    if args.request is None or args.signature is None:
        fail("give --request and --signature (hex), or --job-json FILE")
    return (
        parse_hex(args.request, "--request"),
        parse_hex(args.signature, "--signature"),
        parse_hex(args.offchain_input, "--offchain-input"),
        parse_hex(args.state, "--state"),
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--target", default="127.0.0.1:50051", help="node gRPC address host:port")
    parser.add_argument("--proto-dir", default=DEFAULT_PROTO_DIR, help="folder holding coprocessor_node/v1/*.proto")
    parser.add_argument("--elf", required=True, help="guest ELF to submit")
    parser.add_argument("--vm-type", type=int, default=1, help="VmType number (Sp1 = 1)")
    parser.add_argument("--request", help="ABI-encoded OffchainJobRequest, hex")
    parser.add_argument("--signature", help="65-byte EIP-191 signature over the request, hex")
    parser.add_argument("--offchain-input", default="", help="hex")
    parser.add_argument("--state", default="", help="hex")
    parser.add_argument("--job-json", help="JSON file with the job fields as hex strings")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for DONE/FAILED")
    parser.add_argument("--poll-interval", type=float, default=0.05, help="seconds between GetResult calls")
    parser.add_argument("--ca-cert", help="PEM file of the CA that signed the node's certificate: connect over TLS")
    args = parser.parse_args()

    try:
        import grpc
    except ImportError:
        fail("the grpcio and grpcio-tools pip packages are required")

    request_bytes, signature, offchain_input, state = read_job(args)
    with open(args.elf, "rb") as handle:
        elf = handle.read()

    with tempfile.TemporaryDirectory(prefix="coprocessor-stubs-") as out_dir:
        pb2, pb2_grpc = load_stubs(os.path.abspath(args.proto_dir), out_dir)
        options = [
            ("grpc.max_send_message_length", MAX_MESSAGE_BYTES),
            ("grpc.max_receive_message_length", MAX_MESSAGE_BYTES),
        ]
        if args.ca_cert:
            with open(args.ca_cert, "rb") as handle:
                credentials = grpc.ssl_channel_credentials(root_certificates=handle.read())
            channel = grpc.secure_channel(args.target, credentials, options=options)
        else:
            channel = grpc.insecure_channel(args.target, options=options)
        with channel:
            stub = pb2_grpc.CoprocessorNodeStub(channel)
            try:
                program = stub.SubmitProgram(pb2.SubmitProgramRequest(program_elf=elf, vm_type=args.vm_type))
                print(f"program_id {program.program_id.hex()}", file=sys.stderr)
                submitted = stub.SubmitJob(pb2.SubmitJobRequest(
                    request=request_bytes, signature=signature, offchain_input=offchain_input, state=state))
                print(f"job_id {submitted.job_id.hex()}", file=sys.stderr)

                deadline = time.monotonic() + args.timeout
                finished = (pb2.JOB_STATUS_TYPE_DONE, pb2.JOB_STATUS_TYPE_FAILED)
                while True:
                    result = stub.GetResult(pb2.GetResultRequest(job_id=submitted.job_id)).job_result
                    if result.status.status in finished or time.monotonic() >= deadline:
                        break
                    time.sleep(args.poll_interval)
            except grpc.RpcError as error:
                fail(f"{error.code().name}: {error.details()}")

        print(json.dumps(message_to_json(result), indent=2))
        status = result.status.status
        if status == pb2.JOB_STATUS_TYPE_DONE:
            return 0
        name = pb2.JobStatusType.Name(status)
        if status == pb2.JOB_STATUS_TYPE_FAILED:
            print(f"python_grpc_client: job FAILED: {result.status.failure_reason}", file=sys.stderr)
        else:
            print(f"python_grpc_client: job still {name} after {args.timeout}s", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
