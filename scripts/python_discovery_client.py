#!/usr/bin/env python3
"""gRPC's own Python clients against the node's discovery services: the health service
(grpcio-health-checking) and server reflection (grpcio-reflection), plus protoc (grpcio-tools) to
check the file descriptors the node serves. Nothing here shares code with the Swift
implementation: the health stubs ship with grpcio-health-checking, the reflection stubs and the
descriptor database with grpcio-reflection. Each subcommand prints one JSON object on stdout.

    health --target HOST:PORT            Check for "", the coprocessor service and an unknown name;
                                         the first Watch message for "".
    reflection --target HOST:PORT        list services (v1 and v1alpha), fetch descriptors by file
                                         and by symbol, then call ContainsProgram with a request
                                         built from the fetched descriptor alone.
    descriptors --dir DIR                compile each FILE.proto under DIR with protoc and compare
                                         the result with DIR/FILE.proto.pb (the node's bytes).
    openapi --url URL --responses FILE   validate each recorded HTTP answer in FILE (a JSON array
                                         of {operationId, status, body}) against the response
                                         schema the OpenAPI document at URL gives for it
                                         (jsonschema-rs, draft 2020-12, as OpenAPI 3.1 says).

Exit status: 0 when the subcommand ran (the JSON says what it saw), 2 on usage errors.
"""

import argparse
import json
import os
import sys
import tempfile

COPROCESSOR_SERVICE = "coprocessor_node.v1.CoprocessorNode"
COPROCESSOR_FILE = "coprocessor_node/v1/coprocessor_node.proto"


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


def reflection(target):
    import grpc
    from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
    from grpc_reflection.v1alpha import reflection_pb2 as v1alpha_pb2
    from grpc_reflection.v1alpha import reflection_pb2_grpc as v1alpha_grpc
    from grpc_reflection.v1alpha.proto_reflection_descriptor_database import ProtoReflectionDescriptorDatabase

    out = {}
    with grpc.insecure_channel(target) as channel:
        # The descriptor database grpcio-reflection ships (it speaks v1alpha).
        database = ProtoReflectionDescriptorDatabase(channel)
        out["services"] = sorted(database.get_services())
        pool = descriptor_pool.DescriptorPool(database)
        service = pool.FindServiceByName(COPROCESSOR_SERVICE)
        out["methods"] = [m.name for m in service.methods]
        out["file"] = service.file.name
        job_result = pool.FindMessageTypeByName("coprocessor_node.v1.JobResult")
        out["jobResultFields"] = [[f.name, f.number] for f in job_result.fields]
        status = pool.FindMessageTypeByName("coprocessor_node.v1.JobStatus")
        reason = status.fields_by_name["failure_reason"]
        out["failureReasonHasPresence"] = reason.has_presence

        # A call built from the fetched descriptor alone: ContainsProgram for a program no one sent.
        method = service.methods_by_name["ContainsProgram"]
        request_class = message_factory.GetMessageClass(method.input_type)
        response_class = message_factory.GetMessageClass(method.output_type)
        call = channel.unary_unary(f"/{COPROCESSOR_SERVICE}/ContainsProgram",
                                   request_serializer=request_class.SerializeToString,
                                   response_deserializer=response_class.FromString)
        response = call(request_class(program_id=bytes(32)), timeout=10)
        out["containsProgram"] = {"contains": response.contains}
        try:
            call(request_class(program_id=b"\x01"), timeout=10)
            out["containsProgramShortID"] = "OK"
        except grpc.RpcError as error:
            out["containsProgramShortID"] = error.code().name

        # The v1 service, through the stubs of grpc_reflection.v1 if this grpcio-reflection has
        # them, else the same messages under the v1 method path.
        def ask(path, request):
            stream = channel.stream_stream(path, request_serializer=v1alpha_pb2.ServerReflectionRequest.SerializeToString,
                                           response_deserializer=v1alpha_pb2.ServerReflectionResponse.FromString)
            return list(stream(iter(request), timeout=10))

        for version in ["v1", "v1alpha"]:
            path = f"/grpc.reflection.{version}.ServerReflection/ServerReflectionInfo"
            answers = ask(path, [
                v1alpha_pb2.ServerReflectionRequest(list_services=""),
                v1alpha_pb2.ServerReflectionRequest(file_by_filename=COPROCESSOR_FILE),
                v1alpha_pb2.ServerReflectionRequest(file_containing_symbol="grpc.health.v1.Health.Check"),
                v1alpha_pb2.ServerReflectionRequest(file_containing_symbol="no.such.Symbol"),
                v1alpha_pb2.ServerReflectionRequest(file_by_filename="no/such.proto"),
            ])
            listed = sorted(s.name for s in answers[0].list_services_response.service)
            by_name = [descriptor_pb2.FileDescriptorProto.FromString(b).name
                       for b in answers[1].file_descriptor_response.file_descriptor_proto]
            by_symbol = [descriptor_pb2.FileDescriptorProto.FromString(b).name
                         for b in answers[2].file_descriptor_response.file_descriptor_proto]
            out[version] = {
                "services": listed,
                "byFilename": by_name,
                "bySymbol": by_symbol,
                "unknownSymbol": [answers[3].WhichOneof("message_response"), answers[3].error_response.error_code],
                "unknownFile": [answers[4].WhichOneof("message_response"), answers[4].error_response.error_code],
                "echo": answers[1].original_request.file_by_filename,
            }

        # The health descriptor the node serves, against the one grpcio-health-checking ships.
        from grpc_health.v1 import health_pb2
        served = descriptor_pb2.FileDescriptorProto.FromString(
            ask("/grpc.reflection.v1.ServerReflection/ServerReflectionInfo",
                [v1alpha_pb2.ServerReflectionRequest(file_by_filename="grpc/health/v1/health.proto")])[0]
            .file_descriptor_response.file_descriptor_proto[0])
        official = descriptor_pb2.FileDescriptorProto()
        health_pb2.DESCRIPTOR.CopyToProto(official)
        out["healthMatchesOfficial"] = compare_served(served, official)
        reflection_official = descriptor_pb2.FileDescriptorProto()
        v1alpha_pb2.DESCRIPTOR.CopyToProto(reflection_official)
        served_reflection = descriptor_pb2.FileDescriptorProto.FromString(
            ask("/grpc.reflection.v1.ServerReflection/ServerReflectionInfo",
                [v1alpha_pb2.ServerReflectionRequest(file_by_filename="grpc/reflection/v1alpha/reflection.proto")])[0]
            .file_descriptor_response.file_descriptor_proto[0])
        out["reflectionMatchesOfficial"] = compare_served(served_reflection, reflection_official)
    print(json.dumps(out))


def compare_served(served, official):
    """The served file against gRPC's own: same package, and each message, enum and method the node
    serves equal to the official one of that name (json_name aside: descriptors built from
    generated code leave it out). Returns "equal" or the first difference."""
    def strip(message):
        for field in message.field:
            field.ClearField("json_name")
        for nested in message.nested_type:
            strip(nested)
        return message

    if served.package != official.package:
        return f"package {served.package} != {official.package}"
    official_messages = {m.name: strip(m) for m in official.message_type}
    for message in served.message_type:
        theirs = official_messages.get(message.name)
        if theirs is None:
            return f"message {message.name} is not in the official file"
        if strip(message) != theirs:
            return f"message {message.name}: served {message} official {theirs}"
    official_methods = {(s.name, m.name): m for s in official.service for m in s.method}
    for service in served.service:
        for method in service.method:
            theirs = official_methods.get((service.name, method.name))
            method.ClearField("options")
            if theirs is None or method != theirs:
                return f"method {service.name}.{method.name}: served {method} official {theirs}"
    return "equal"


def descriptors(folder):
    from grpc_tools import protoc
    from google.protobuf import descriptor_pb2

    out = {}
    files = []
    for root, _, names in os.walk(folder):
        for name in names:
            if name.endswith(".proto"):
                files.append(os.path.relpath(os.path.join(root, name), folder))
    with tempfile.TemporaryDirectory() as scratch:
        for path in sorted(files):
            target = os.path.join(scratch, "set.pb")
            status = protoc.main(["grpc_tools.protoc", f"-I{folder}", f"--descriptor_set_out={target}", path])
            if status != 0:
                out[path] = f"protoc failed ({status})"
                continue
            compiled = descriptor_pb2.FileDescriptorSet.FromString(open(target, "rb").read()).file[0]
            with open(os.path.join(folder, path + ".pb"), "rb") as f:
                ours = descriptor_pb2.FileDescriptorProto.FromString(f.read())
            if ours == compiled:
                out[path] = "equal"
            else:
                out[path] = f"differs:\nprotoc:\n{compiled}\nnode:\n{ours}"
    print(json.dumps(out))


def openapi(url, responses_file):
    import urllib.request
    import jsonschema_rs

    with urllib.request.urlopen(url, timeout=10) as reply:
        document = json.load(reply)
    operations = {}
    for path, item in document["paths"].items():
        for method, operation in item.items():
            operations[operation["operationId"]] = operation
    out = []
    for answer in json.load(open(responses_file)):
        operation = operations.get(answer["operationId"])
        if operation is None:
            out.append(f"{answer['operationId']}: no such operation")
            continue
        response = operation["responses"].get(str(answer["status"]))
        if response is None:
            out.append(f"{answer['operationId']}: status {answer['status']} is not documented")
            continue
        schema = dict(response["content"]["application/json"]["schema"])
        schema["components"] = document["components"]  # so that #/components/... refs resolve
        errors = [f"{e.message} at {list(e.instance_path)}"
                  for e in jsonschema_rs.Draft202012Validator(schema).iter_errors(answer["body"])]
        out.append("ok" if not errors else f"{answer['operationId']} {answer['status']}: {'; '.join(errors)}")
    print(json.dumps({"results": out}))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ["health", "reflection"]:
        sub.add_parser(name).add_argument("--target", required=True)
    sub.add_parser("descriptors").add_argument("--dir", required=True)
    validate = sub.add_parser("openapi")
    validate.add_argument("--url", required=True)
    validate.add_argument("--responses", required=True)
    args = parser.parse_args()
    if args.command == "health":
        health(args.target)
    elif args.command == "reflection":
        reflection(args.target)
    elif args.command == "openapi":
        openapi(args.url, args.responses)
    else:
        descriptors(args.dir)


if __name__ == "__main__":
    sys.exit(main())
