#!/usr/bin/env python3
"""gRPC's own Python clients against the node's discovery services: the health service
(grpcio-health-checking). Nothing here shares code with the Swift implementation: the health
stubs ship with grpcio-health-checking. Each subcommand prints one JSON object on stdout.

    health --target HOST:PORT            Check for "", the coprocessor service and an unknown name;
                                         the first Watch message for "".

Exit status: 0 when the subcommand ran (the JSON says what it saw), 2 on usage errors.
"""

import argparse
import json
import sys

COPROCESSOR_SERVICE = "coprocessor_node.v1.CoprocessorNode"


def health(target):
    import grpc
    from grpc_health.v1 import health_pb2, health_pb2_grpc

    out = {}
    with grpc.insecure_channel(target) as channel:
        stub = health_pb2_grpc.HealthStub(channel)
        for name in ["", COPROCESSOR_SERVICE, "no.such.Service"]:
            try:
                response = stub.Check(health_pb2.HealthCheckRequest(service=name), timeout=10)
                out[name] = health_pb2.HealthCheckResponse.ServingStatus.Name(response.status)
            except grpc.RpcError as error:
                out[name] = error.code().name
        call = stub.Watch(health_pb2.HealthCheckRequest(service=""), timeout=10)
        first = next(call)
        out["watch"] = health_pb2.HealthCheckResponse.ServingStatus.Name(first.status)
        call.cancel()
    print(json.dumps(out))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("health").add_argument("--target", required=True)
    args = parser.parse_args()
    health(args.target)


if __name__ == "__main__":
    sys.exit(main())
