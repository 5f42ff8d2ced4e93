import Testing
import Ethereum

/// Every vector in ../shared/eth/vectors.json (generated with eth-abi 6.0.0 / eth-account 0.14.0).
@Suite("Shared Ethereum vectors", .enabled(if: SharedFixtures.isAvailable, SharedFixtures.skipReason))
struct SharedVectorTests {
    @Test("keys derive their published addresses")
    func keyAddresses() throws {
        let vectors = try SharedFixtures.ethVectors()
        #expect(vectors.keys.count >= 3)
        for (name, key) in vectors.keys {
            let privateKey = try PrivateKey(hex: key.privateKey)
            #expect(privateKey.address == (try Address(hex: key.address)), "key \(name)")
            #expect(privateKey.address.checksummed == key.address, "key \(name)")
        }
    }

    @Test("keccak256 digests")
    func keccakDigests() throws {
        let vectors = try SharedFixtures.ethVectors()
        var checked = 0
        for testCase in vectors.keccak256 {
            if let inputHex = testCase.inputHex, let hash = testCase.hash {
                #expect(Keccak256.hash(try bytes(inputHex)).hexString == hash)
                checked += 1
            }
            if let sha3Empty = testCase.sha3_256Empty {
                // The vector set's reminder that FIPS-202 SHA3-256 is a different function.
                #expect(Keccak256.hash([UInt8]()).hexString != sha3Empty)
            }
        }
        #expect(checked == 4)
    }

    @Test("function selectors and event topics")
    func selectorsAndTopics() throws {
        let vectors = try SharedFixtures.ethVectors()
        #expect(vectors.selectorsAndTopics.count == 8)
        for (signature, expected) in vectors.selectorsAndTopics {
            if signature.hasPrefix("topic0 ") {
                #expect(ABI.eventTopic(String(signature.dropFirst("topic0 ".count))).hexString == expected, "\(signature)")
            } else {
                #expect(ABI.selector(signature).hexString == expected, "\(signature)")
            }
        }
        #expect(JobManager.submitResultSelector.hexString == vectors.selectorsAndTopics["submitResult(bytes,bytes)"])
        #expect(JobManager.submitResultForOffchainJobSelector.hexString
            == vectors.selectorsAndTopics["submitResultForOffchainJob(bytes,bytes,bytes,bytes)"])
        #expect(JobManager.createJobSelector.hexString == vectors.selectorsAndTopics["createJob(uint64,bytes,bytes,uint64)"])
        #expect(JobManager.jobCreatedTopic.hexString
            == vectors.selectorsAndTopics["topic0 JobCreated(bytes32,uint64,address,uint64,bytes,bytes)"])
        #expect(JobManager.jobCompletedTopic.hexString == vectors.selectorsAndTopics["topic0 JobCompleted(bytes32,bytes)"])
    }

    @Test("offchain job requests: ABI encoding, decoding and job id")
    func offchainRequests() throws {
        let vectors = try SharedFixtures.ethVectors()
        #expect(vectors.offchainJobs.count == 2)
        for job in vectors.offchainJobs {
            let request = try makeRequest(job.request)
            let encoded = request.abiEncoded()
            #expect(encoded.hexString == job.requestABIEncoding, "\(job.name)")
            #expect(encoded.count == job.requestABIEncodingLength, "\(job.name)")
            #expect(try OffchainJobRequest(abiEncoded: bytes(job.requestABIEncoding)) == request, "\(job.name)")

            // The same fields encoded as a parameter list (no leading 0x20) is not abi.encode(struct).
            let paramsStyle = try bytes(job.requestParamsStyleEncodingNegative)
            #expect(throws: ABIDecodingError.nonCanonicalOffset(at: 0, expected: 32, found: Int(job.request.nonce.value))) {
                try OffchainJobRequest(abiEncoded: paramsStyle)
            }

            #expect(JobID.packedPreimage(nonce: request.nonce, consumer: request.consumer).hexString == job.jobIDPreimage)
            #expect(request.jobID.hexString == job.jobID, "\(job.name)")
            try request.validate(offchainInput: bytes(job.offchainInput), state: bytes(job.state))
        }
    }

    @Test("offchain job requests: EIP-191 signatures by the consumer's signer")
    func requestSignatures() throws {
        let vectors = try SharedFixtures.ethVectors()
        let signer = try PrivateKey(hex: #require(vectors.keys["offchain_request_signer"]).privateKey)
        for job in vectors.offchainJobs {
            try checkSignature(job.requestSignature, message: bytes(job.requestABIEncoding), key: signer, name: job.name)
        }
    }

    @Test("offchain results: encoding, operator signature, submitResultForOffchainJob calldata")
    func offchainResults() throws {
        let vectors = try SharedFixtures.ethVectors()
        let operatorKey = try PrivateKey(hex: #require(vectors.keys["operator"]).privateKey)
        for job in vectors.offchainJobs {
            let fields = job.offchainResult
            let result = try OffchainResultWithMetadata(
                jobID: Bytes32(hex: fields.jobID), onchainInputHash: Bytes32(hex: fields.onchainInputHash),
                offchainInputHash: Bytes32(hex: fields.offchainInputHash), stateHash: Bytes32(hex: fields.stateHash),
                maxCycles: fields.maxCycles.value, programID: bytes(fields.programID), result: bytes(fields.result))
            #expect(result.jobID.hexString == job.jobID)
            #expect(result.onchainInputHash == Keccak256.hash(try bytes(job.request.onchainInput)))
            #expect(result.offchainInputHash == Keccak256.hash(try bytes(job.offchainInput)))
            #expect(result.stateHash == Keccak256.hash(try bytes(job.state)))
            #expect(result.result == (try bytes(job.rawOutput)))

            let encoded = result.abiEncoded()
            #expect(encoded.hexString == job.offchainResultABIEncoding, "\(job.name)")
            #expect(try OffchainResultWithMetadata(abiEncoded: encoded) == result)

            try checkSignature(job.operatorSignature, message: encoded, key: operatorKey, name: job.name)

            let calldata = try JobManager.submitResultForOffchainJobCalldata(
                offchainResultWithMetadata: encoded, signatureOnResult: bytes(job.operatorSignature.signature),
                jobRequest: bytes(job.requestABIEncoding), signatureOnRequest: bytes(job.requestSignature.signature))
            #expect(calldata.hexString == job.calldata, "\(job.name)")
            let parts = try JobManager.decodeSubmitResultForOffchainJobCalldata(bytes(job.calldata))
            #expect(parts.offchainResultWithMetadata == encoded)
            #expect(parts.signatureOnResult.hexString == job.operatorSignature.signature)
            #expect(parts.jobRequest.hexString == job.requestABIEncoding)
            #expect(parts.signatureOnRequest.hexString == job.requestSignature.signature)
        }
    }

    @Test("stateful program output decodes as StatefulProgramResult; a plain output does not")
    func statefulProgramResult() throws {
        let vectors = try SharedFixtures.ethVectors()
        let stateful = try #require(vectors.offchainJobs.first { $0.name == "clob_like_stateful" })
        let output = try bytes(stateful.rawOutput)
        let decoded = try StatefulProgramResult(abiEncoded: output)
        #expect(decoded.nextStateHash.hexString == "0x08029e7f4a54a53955e367d966ce5828713e4c9e7b25a9ac1b928992e40154bc")
        #expect(decoded.result == [0x01, 0x02, 0x03])
        #expect(decoded.abiEncoded() == output)

        // MockConsumer's output is abi.encode(address, ...): its first word is no 0x20 offset.
        let plain = try #require(vectors.offchainJobs.first { $0.name == "typical_mock_consumer" })
        let plainOutput = try bytes(plain.rawOutput)
        let firstWord = try UInt256(bigEndianBytes: plainOutput[0..<32])
        #expect(throws: ABIDecodingError.offsetOutOfRange(at: 0, offset: firstWord, available: plainOutput.count)) {
            try StatefulProgramResult(abiEncoded: plainOutput)
        }
    }

    @Test("onchain results: encoding, operator signature, submitResult calldata")
    func onchainResults() throws {
        let vectors = try SharedFixtures.ethVectors()
        let operatorKey = try PrivateKey(hex: #require(vectors.keys["operator"]).privateKey)
        #expect(vectors.onchainJobs.count == 1)
        for job in vectors.onchainJobs {
            #expect(JobID.compute(nonce: job.nonce.value, consumer: try Address(hex: job.consumer)).hexString == job.jobID)
            let fields = job.result
            let result = try ResultWithMetadata(
                jobID: Bytes32(hex: fields.jobID), onchainInputHash: Bytes32(hex: fields.onchainInputHash),
                maxCycles: fields.maxCycles.value, programID: bytes(fields.programID), result: bytes(fields.result))
            let encoded = result.abiEncoded()
            #expect(encoded.hexString == job.resultABIEncoding, "\(job.name)")
            #expect(try ResultWithMetadata(abiEncoded: encoded) == result)

            try checkSignature(job.operatorSignature, message: encoded, key: operatorKey, name: job.name)

            let calldata = JobManager.submitResultCalldata(
                resultWithMetadata: encoded, signature: try bytes(job.operatorSignature.signature))
            #expect(calldata.hexString == job.calldata)
            let parts = try JobManager.decodeSubmitResultCalldata(bytes(job.calldata))
            #expect(parts.resultWithMetadata == encoded)
            #expect(parts.signature.hexString == job.operatorSignature.signature)
        }
    }

    @Test("JobCreated log decodes, and re-encodes to the same topics and data")
    func jobCreatedLog() throws {
        let vectors = try SharedFixtures.ethVectors()
        #expect(vectors.jobCreatedLogs.count == 1)
        for log in vectors.jobCreatedLogs {
            let topics = try log.topics.map { try Bytes32(hex: $0) }
            let data = try bytes(log.data)
            let event = try JobCreatedEvent(topics: topics, data: data)
            #expect(event.jobID.hexString == log.decoded.jobID)
            #expect(event.nonce == UInt64(log.decoded.nonce))
            #expect(event.consumer.checksummed == log.decoded.consumer)
            #expect(event.maxCycles == UInt64(log.decoded.maxCycles))
            #expect(event.programID.hexString == log.decoded.programID)
            #expect(event.onchainInput.hexString == log.decoded.onchainInput)
            #expect(event.log.topics == topics)
            #expect(event.log.data == data)

            #expect(throws: EventLogDecodingError.wrongTopicCount(expected: 4, actual: 3)) {
                try JobCreatedEvent(topics: Array(topics.prefix(3)), data: data)
            }
            #expect(throws: EventLogDecodingError.wrongEventSignature(expected: JobManager.jobCreatedTopic, actual: topics[1])) {
                try JobCreatedEvent(topics: [topics[1], topics[1], topics[2], topics[3]], data: data)
            }
            var dirtyNonce = topics[2].bytes
            dirtyNonce[0] = 1
            #expect(throws: EventLogDecodingError.abi(.dirtyPadding(at: 0, type: .uint64))) {
                try JobCreatedEvent(topics: [topics[0], topics[1], Bytes32(dirtyNonce), topics[3]], data: data)
            }
        }
    }

    @Test("EIP-1559 vector: its calldata is our submitResult calldata and its hash is keccak of the raw tx")
    func eip1559Transaction() throws {
        let vectors = try SharedFixtures.ethVectors()
        let onchain = try #require(vectors.onchainJobs.first)
        for transaction in vectors.eip1559Transactions where transaction.kind == "submitResult" {
            #expect(transaction.tx.data == onchain.calldata)
            let raw = try bytes(transaction.rawTransaction)
            #expect(Keccak256.hash(raw).hexString == transaction.txHash)
            #expect(raw.first == 0x02)
        }
    }

    @Test("invalid requests are well-formed ABI but rejected for the stated reason")
    func invalidRequests() throws {
        let vectors = try SharedFixtures.ethVectors()
        #expect(vectors.invalidRequests.count == 3)
        for invalid in vectors.invalidRequests {
            let request = try OffchainJobRequest(abiEncoded: bytes(invalid.requestABIEncoding))
            let offchainInput = try invalid.offchainInput.map(bytes) ?? []
            let state = try invalid.state.map(bytes) ?? []
            let expectedMessage = invalid.expect.replacingPrefix("invalid_argument: ")
            do {
                try request.validate(offchainInput: offchainInput, state: state)
                Issue.record("\(invalid.name): accepted, expected \(invalid.expect)")
            } catch {
                #expect(error.description == expectedMessage, "\(invalid.name)")
                switch invalid.name {
                case "max_cycles == 0": #expect(error == .maxCyclesZero)
                case "empty program_id": #expect(error == .emptyProgramID)
                default:
                    #expect(error == .offchainInputHashMismatch(
                        inRequest: request.offchainInputHash, computed: Keccak256.hash(offchainInput)))
                }
            }
        }
    }

    // MARK: Helpers

    private func makeRequest(_ fields: EthVectors.Request) throws -> OffchainJobRequest {
        try OffchainJobRequest(
            nonce: fields.nonce.value, maxCycles: fields.maxCycles.value, consumer: Address(hex: fields.consumer),
            programID: bytes(fields.programID), onchainInput: bytes(fields.onchainInput),
            offchainInputHash: Bytes32(hex: fields.offchainInputHash), stateHash: Bytes32(hex: fields.stateHash))
    }

    /// Signs `message` and compares every byte; recovers the signer from the vector's signature
    /// and from its v ∈ {0, 1} twin.
    private func checkSignature(_ vector: EthVectors.SignatureCase, message: [UInt8], key: PrivateKey, name: String) throws {
        #expect(EIP191.personalMessagePrefix(length: message.count).hexString == vector.eip191PrefixHex, "\(name)")
        #expect(EIP191.personalMessageHash(message).hexString == vector.eip191Hash, "\(name)")

        let signature = try key.signPersonalMessage(message)
        #expect(signature.bytes.hexString == vector.signature, "\(name)")
        #expect(signature.r.hexString == vector.r)
        #expect(signature.s.hexString == vector.s)
        #expect(signature.v == vector.v)

        let signer = try Address(hex: vector.signer)
        #expect(key.address == signer)
        #expect(try Secp256k1.recoverPersonalMessageSigner(message: message, signature: bytes(vector.signature)) == signer)
        #expect(try Secp256k1.recoverAddress(digest: Bytes32(hex: vector.eip191Hash), signature: bytes(vector.signature))
            == (try Address(hex: vector.recoveredAddress)))
        // Recovery accepts v in {0, 1} as well (the contract side wants 27/28; our signer only emits those).
        #expect(try Secp256k1.recoverPersonalMessageSigner(message: message, signature: bytes(vector.negativeSignatureV01)) == signer)
    }
}

extension String {
    fileprivate func replacingPrefix(_ prefix: String) -> String {
        hasPrefix(prefix) ? String(dropFirst(prefix.count)) : self
    }
}
