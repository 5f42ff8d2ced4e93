import CoprocessorWire
import Foundation
import TestSupport
import Testing

/// The committed .proto (for clients in other languages) is the one the wire description renders.
@Suite("The .proto file")
struct ProtoFileTests {
    static let committed = Repo.path("Protos/coprocessor_node/v1/coprocessor_node.proto")

    @Test("ProtoFile.text equals the committed .proto byte for byte")
    func matchesCommittedFile() throws {
        let file = try String(contentsOf: Self.committed, encoding: .utf8)
        let rendered = ProtoFile.text
        guard rendered != file else { return }
        let line = zip(rendered.split(separator: "\n", omittingEmptySubsequences: false),
                       file.split(separator: "\n", omittingEmptySubsequences: false))
            .enumerated().first { $0.element.0 != $0.element.1 }
        Issue.record("""
            Protos/coprocessor_node/v1/coprocessor_node.proto is out of date: run scripts/gen-protos.sh. \
            First difference at line \((line?.offset ?? 0) + 1): rendered \
            "\(line?.element.0 ?? "(end)")", committed "\(line?.element.1 ?? "(end)")"
            """)
    }

    @Test("the service, every message and enum, and their field numbers are in the text")
    func content() {
        let text = ProtoFile.text
        #expect(text.contains("package coprocessor_node.v1;"))
        for rpc in ["rpc SubmitJob(SubmitJobRequest) returns (SubmitJobResponse);",
                    "rpc GetResult(GetResultRequest) returns (GetResultResponse);",
                    "rpc SubmitProgram(SubmitProgramRequest) returns (SubmitProgramResponse);",
                    "rpc GetPendingJobs(GetPendingJobsRequest) returns (GetPendingJobsResponse);",
                    "rpc ContainsProgram(ContainsProgramRequest) returns (ContainsProgramResponse);"] {
            #expect(text.contains(rpc), "\(rpc)")
        }
        for type in Messages.types { #expect(text.contains("message \(type.wireName) {"), "\(type.wireName)") }
        for line in ["JobStatus status = 12;", "bytes relay_tx_hash = 13;", "optional string failure_reason = 2;",
                     "repeated uint64 pending_jobs = 1;", "VmType vm_type = 2;", "Sp1 = 1;",
                     "JOB_STATUS_TYPE_RELAYED = 4;", "bytes state = 4;", "RelayStrategy relay_strategy = 5;",
                     "Unordered = 0;", "Ordered = 1;"] {
            #expect(text.contains("  " + line), "\(line)")
        }
    }

    @Test("Messages.types lists every message of the service, once")
    func allTypesAreCovered() {
        #expect(Messages.types.map { $0.wireName }.sorted() == CoprocessorNodeService.messages.map(\.name).sorted())
    }
}
