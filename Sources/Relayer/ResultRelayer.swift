import Coprocessor
import CoprocessorWire
import Ethereum
import EthereumRPC
import Foundation
import Logging
import Metrics
import ServiceLifecycle

/// Sends DONE jobs' signed results to the JobManager: `submitResultForOffchainJob(result,
/// operatorSig, request, requestSig)` for offchain jobs (the original request bytes),
/// `submitResult(result, operatorSig)` for onchain ones. It works off the persisted relay queue,
/// so nothing is lost across restarts, and it records each attempt's transaction before sending
/// it, so a restart checks that transaction's receipt (or re-sends the same bytes) instead of
/// relaying twice. Attempts run one at a time, which keeps the relayer's nonces gap-free.
public final class ResultRelayer: Service, @unchecked Sendable {  // all state is immutable or actor-isolated
    public typealias Store = JobStore & RelayStore

    private let config: RelayerConfig
    private let store: Store
    private let client: EthereumClient
    private let nonces: NonceManager
    private let fees: FeeCache
    private let logger: Logger
    private let wakeup = Wakeup()
    private let relayed = Counter(label: "coprocessor_relays_total", dimensions: [("result", "relayed")])
    private let failedAttempts = Counter(label: "coprocessor_relays_total", dimensions: [("result", "failed_attempt")])
    private let gaveUp = Counter(label: "coprocessor_relays_total", dimensions: [("result", "gave_up")])
    private let relayLatency = Timer(label: "coprocessor_relay_seconds")
    /// Results waiting to be relayed, and how long the oldest has waited (0 when none).
    private let pending = Gauge(label: "coprocessor_relay_pending")
    private let lag = Gauge(label: "coprocessor_relay_lag_seconds")

    public init(config: RelayerConfig, store: Store, client: EthereumClient, logger: Logger = Logger(label: "relayer")) {
        self.config = config
        self.store = store
        self.client = client
        self.logger = logger
        self.nonces = NonceManager(address: config.relayerKey.address, client: client, store: store)
        self.fees = FeeCache(client: client)
    }

    /// Wakes the relayer (a job just became DONE); safe from any thread.
    public func notify() { wakeup.signal() }

    public func run() async throws {
        try await cancelWhenGracefulShutdown {
            // Stopped while the chain was still unreachable at start: a clean stop, not a failure
            // (the JSON-RPC client reports a request cut short by the stop as its own `.cancelled`).
            let chainID: UInt64
            do { chainID = try await self.chainID() } catch where error is CancellationError || Task.isCancelled { return }
            self.logger.info("relayer started", metadata: [
                "relayer": "\(self.config.relayerKey.address)", "job_manager": "\(self.config.jobManager)",
                "chain_id": "\(chainID)", "strategy": "\(self.config.strategy)",
            ])
            // Jobs that finished while relaying was off are relayed now.
            do {
                let backlog = try await self.store.queueUnrelayedJobs(strategy: self.config.strategy,
                                                                      now: Date().timeIntervalSince1970)
                if backlog > 0 { self.logger.info("queued earlier results for relaying", metadata: ["count": "\(backlog)"]) }
            } catch {
                self.logger.error("could not queue earlier results for relaying", metadata: ["error": "\(error)"])
            }
            await self.rebroadcastInFlight()
            var backlogReadAt = 0.0
            while !Task.isCancelled {
                let now = Date().timeIntervalSince1970
                var waitFor: Duration = .seconds(1)
                do {
                    if now - backlogReadAt >= 0.5 {  // the gauges, at most twice a second
                        backlogReadAt = now
                        try await self.recordBacklog(now: now)
                    }
                    let due = try await self.store.dueRelays(now: now, limit: 64)
                    var progressed = false
                    for entry in due where !Task.isCancelled {
                        if await self.attempt(entry, chainID: chainID) { progressed = true }
                    }
                    if progressed { continue }
                    // Sleep until the next retry is due or a job finishes (at most one second);
                    // briefly when due entries were not ready yet (see `attempt`).
                    let next = try await self.store.nextRelayDue() ?? (now + 1)
                    let untilNext = min(max(next - Date().timeIntervalSince1970, 0.001), 1)
                    waitFor = due.isEmpty ? .milliseconds(Int64(untilNext * 1000)) : .milliseconds(5)
                } catch is CancellationError {
                    return
                } catch {
                    self.logger.error("reading the relay queue failed; retrying", metadata: ["error": "\(error)"])
                }
                await self.wakeup.wait(timeout: waitFor)
            }
        }
    }

    /// Sends every recorded, unsettled transaction again, unchanged, by ascending nonce, before
    /// anything else: a relayer that stopped (or a cluster's leader that died) between recording a
    /// transaction and sending it leaves a nonce gap, and every later transaction waits behind it
    /// until it is sent. Answers are not awaited here: each entry's own attempt settles it.
    private func rebroadcastInFlight() async {
        let entries: [RelayEntry]
        do { entries = try await store.inFlightRelays() } catch {
            logger.error("could not read the recorded relay transactions", metadata: ["error": "\(error)"])
            return
        }
        guard !entries.isEmpty else { return }
        for entry in entries {
            guard let transaction = entry.inFlight, !Task.isCancelled else { continue }
            _ = try? await client.sendRawTransaction(transaction.raw)  // "already known", "nonce too low": fine
        }
        logger.info("sent the recorded relay transactions again", metadata: [
            "count": "\(entries.count)", "nonces": "\(entries.compactMap { $0.inFlight?.nonce })",
        ])
    }

    private func recordBacklog(now: Double) async throws {
        let backlog = try await store.relayBacklog()
        pending.record(backlog.count)
        lag.record(backlog.oldestQueuedAt.map { max(0, now - $0) } ?? 0)
    }

    /// The chain id, retrying while the node is unreachable.
    private func chainID() async throws -> UInt64 {
        while true {
            let failure: EthereumClientError
            do { return try await client.chainID() } catch { failure = error }
            guard failure.isTransportFailure else { throw failure }
            logger.warning("Ethereum node unreachable; retrying", metadata: ["error": "\(failure)"])
            try await Task.sleep(for: .seconds(1))
        }
    }

    // MARK: - One attempt

    /// What an attempt learned: done, or failed (with whether its transaction may still land).
    private enum AttemptError: Error {
        case failed(String, keepInFlight: Bool)
    }

    /// One relay attempt; false when the entry was not ready to be tried (nothing changed).
    private func attempt(_ entry: RelayEntry, chainID: UInt64) async -> Bool {
        let started = ContinuousClock.now
        do {
            guard let job = try await store.job(id: entry.jobID) else {
                _ = try await store.failRelay(jobID: entry.jobID, error: "job not found", nextAttemptAt: 0,
                                              maxRetries: 0, keepInFlight: false)
                return true
            }
            // A relay entry is written together with DONE; a reader can briefly still see PENDING
            // (the job cache is updated just after the commit). Try again in a moment.
            if job.status == .pending { return false }
            guard job.status == .done else {
                // Relayed meanwhile: nothing left to send.
                _ = try await store.failRelay(jobID: entry.jobID, error: "job is no longer DONE",
                                              nextAttemptAt: 0, maxRetries: 0, keepInFlight: false)
                return true
            }
            let receipt = try await send(entry: entry, job: job, chainID: chainID)
            try await store.completeRelay(jobID: job.id, txHash: receipt.transactionHash)
            relayed.increment()
            relayLatency.recordNanoseconds(Int64((ContinuousClock.now - started).seconds * 1e9))
            logger.info("result relayed", metadata: [
                "job_id": "\(job.id)", "tx_hash": "\(receipt.transactionHash)", "block": "\(receipt.blockNumber)",
                "gas_used": "\(receipt.gasUsed)",
            ])
        } catch is CancellationError {
            // Shutting down mid-attempt: the in-flight record (if any) is resolved after restart.
        } catch {
            let (reason, keep): (String, Bool) = switch error {
            case AttemptError.failed(let reason, let keep): (reason, keep)
            default: ("\(error)", true)
            }
            await recordFailure(entry, reason: reason, keepInFlight: keep)
        }
        return true
    }

    private func recordFailure(_ entry: RelayEntry, reason: String, keepInFlight: Bool) async {
        let delay = config.retryDelay(afterAttempts: entry.attempts + 1)
        do {
            let requeued = try await store.failRelay(
                jobID: entry.jobID, error: reason, nextAttemptAt: Date().timeIntervalSince1970 + delay.seconds,
                maxRetries: config.maxRetries, keepInFlight: keepInFlight)
            if requeued == nil {
                gaveUp.increment()
                logger.error("relaying gave up", metadata: ["job_id": "\(entry.jobID)", "reason": "\(reason)",
                                                            "attempts": "\(entry.attempts + 1)"])
            } else {
                failedAttempts.increment()
                logger.warning("relay attempt failed; will retry", metadata: [
                    "job_id": "\(entry.jobID)", "reason": "\(reason)", "attempt": "\(entry.attempts + 1)",
                    "retry_in_s": "\(delay.seconds)",
                ])
            }
        } catch {
            logger.error("could not record a relay failure", metadata: ["job_id": "\(entry.jobID)", "error": "\(error)"])
        }
    }

    /// The JobManager call that carries this job's result.
    public static func calldata(for job: Job) -> [UInt8] {
        switch job.origin {
        case .offchain:
            JobManager.submitResultForOffchainJobCalldata(
                offchainResultWithMetadata: job.resultWithMetadata, signatureOnResult: job.operatorSignature,
                jobRequest: job.request, signatureOnRequest: job.requestSignature)
        case .onchain:
            JobManager.submitResultCalldata(resultWithMetadata: job.resultWithMetadata, signature: job.operatorSignature)
        }
    }

    /// Gets this entry's transaction mined (re-using the recorded one if there is one) and returns
    /// its successful receipt; throws `AttemptError` otherwise.
    private func send(entry: RelayEntry, job: Job, chainID: UInt64) async throws -> Receipt {
        var transaction: InFlightTransaction
        if let inFlight = entry.inFlight {
            // A transaction from an earlier attempt (or before a restart): settle it first.
            let receipt: Receipt?
            do { receipt = try await client.transactionReceipt(inFlight.hash) } catch {
                throw AttemptError.failed("checking \(inFlight.hash): \(error)", keepInFlight: true)
            }
            if receipt != nil { return try await confirmed(inFlight, job: job) }
            transaction = inFlight
        } else {
            transaction = try await signNew(job: job, chainID: chainID)
            do { try await store.recordInFlight(jobID: job.id, transaction: transaction) } catch {
                await nonces.resync()  // not recorded, so never sent: its nonce is free again
                throw AttemptError.failed("recording the relay transaction: \(error)", keepInFlight: false)
            }
        }
        do {
            _ = try await client.sendRawTransaction(transaction.raw)
        } catch {
            try await handleSendError(error, transaction: transaction, resend: entry.inFlight != nil)
        }
        return try await confirmed(transaction, job: job)
    }

    /// Waits until the transaction is `confirmations` deep and checks its receipt.
    private func confirmed(_ transaction: InFlightTransaction, job: Job) async throws -> Receipt {
        let receipt: Receipt
        do {
            receipt = try await client.waitForReceipt(transaction.hash, confirmations: config.confirmations,
                                                      pollInterval: config.receiptPollInterval,
                                                      timeout: config.receiptTimeout)
        } catch {
            throw AttemptError.failed("waiting for \(transaction.hash): \(error)", keepInFlight: true)
        }
        return try await checked(receipt, job: job)
    }

    /// Signs a fresh transaction: gas from eth_estimateGas (a revert here costs nothing and is
    /// reported with its reason), fees from the fee history, the next local nonce.
    private func signNew(job: Job, chainID: UInt64) async throws -> InFlightTransaction {
        let data = Self.calldata(for: job)
        let from = config.relayerKey.address
        let call = CallRequest(from: from, to: config.jobManager, data: data)
        let gas: UInt64, feeSuggestion: FeeSuggestion
        do {
            gas = try await client.estimateGas(call, headroomPercent: config.gasHeadroomPercent)
            feeSuggestion = try await fees.current()
        } catch {
            if case .reverted(let revert) = error {
                throw AttemptError.failed("the JobManager would revert: \(revert.reason ?? revert.message)",
                                          keepInFlight: false)
            }
            throw AttemptError.failed("preparing the transaction: \(error)", keepInFlight: false)
        }
        let nonce: UInt64
        do { nonce = try await nonces.allocate() } catch {
            throw AttemptError.failed("allocating a nonce: \(error)", keepInFlight: false)
        }
        let tx = EIP1559Transaction(chainID: chainID, nonce: nonce, maxPriorityFeePerGas: feeSuggestion.maxPriorityFeePerGas,
                                    maxFeePerGas: feeSuggestion.maxFeePerGas, gasLimit: gas, to: config.jobManager,
                                    value: .zero, data: data)
        let signed: SignedTransaction
        do { signed = try tx.sign(with: config.relayerKey) } catch {
            await nonces.resync()  // the nonce was taken but will not be used
            throw AttemptError.failed("signing the relay transaction: \(error)", keepInFlight: false)
        }
        return InFlightTransaction(nonce: nonce, raw: signed.raw, hash: signed.hash)
    }

    /// Decides what a failed eth_sendRawTransaction means for the recorded transaction.
    private func handleSendError(_ error: EthereumClientError, transaction: InFlightTransaction, resend: Bool) async throws {
        if case .rpc(let rpc) = error {
            if case .rpc(_, let message, _) = rpc {
                let text = message.lowercased()
                if text.contains("already known") || text.contains("known transaction") { return }  // it is in the pool
                if text.contains("nonce too low") {
                    // That nonce is used. By this very transaction (a re-send whose receipt was not
                    // indexed yet)? Give the node a moment to say so before re-signing.
                    if resend, (try? await client.waitForReceipt(transaction.hash, pollInterval: .milliseconds(200),
                                                                  timeout: .seconds(5))) != nil {
                        return
                    }
                    await nonces.resync()
                    throw AttemptError.failed("nonce \(transaction.nonce) was already used; re-signing: \(message)",
                                              keepInFlight: false)
                }
                // Rejected outright (funds, fee cap, ...): the nonce was not consumed.
                await nonces.resync()
                throw AttemptError.failed("eth_sendRawTransaction rejected the transaction: \(message)", keepInFlight: false)
            }
            if !rpc.requestMayHaveReachedServer && !resend {
                await nonces.resync()
                throw AttemptError.failed("Ethereum node unreachable: \(rpc)", keepInFlight: false)
            }
        }
        throw AttemptError.failed("sending \(transaction.hash): \(error)", keepInFlight: true)
    }

    /// A mined receipt: success, or a revert with the reason read back through eth_call.
    private func checked(_ receipt: Receipt, job: Job) async throws -> Receipt {
        if receipt.succeeded { return receipt }
        var reason = "no reason given"
        let call = CallRequest(from: config.relayerKey.address, to: config.jobManager, data: Self.calldata(for: job))
        let block: BlockTag = receipt.blockNumber > 0 ? .number(receipt.blockNumber - 1) : .latest
        do { _ = try await client.call(call, block: block) } catch {
            if case .reverted(let revert) = error { reason = revert.reason ?? revert.message }
        }
        throw AttemptError.failed("transaction \(receipt.transactionHash) reverted in block \(receipt.blockNumber): \(reason)",
                                  keepInFlight: false)
    }
}

/// Fee suggestions reused for a couple of seconds: consecutive relays do not each need two more
/// RPCs, and fees move per block anyway.
actor FeeCache {
    private let client: EthereumClient
    private let lifetime: Duration
    private var cached: (fees: FeeSuggestion, at: ContinuousClock.Instant)?

    init(client: EthereumClient, lifetime: Duration = .seconds(2)) {
        self.client = client
        self.lifetime = lifetime
    }

    func current() async throws(EthereumClientError) -> FeeSuggestion {
        let now = ContinuousClock.now
        if let cached, now - cached.at < lifetime { return cached.fees }
        let fees = try await client.suggestFees()
        cached = (fees, now)
        return fees
    }
}
