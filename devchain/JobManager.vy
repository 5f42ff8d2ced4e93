# pragma version 0.4.3
# pragma evm-version cancun
"""
@title JobManager (dev-chain stand-in)
@notice Test double of InfinityVM's JobManager.sol (commit d0fdb477) for the
        coprocessor node's relayer and intake tests. Same external selectors,
        struct ABI encodings, events and checks (with the same revert strings)
        for the parts the node touches. Differences are listed in README.md;
        the main one: there are no consumer contracts, so the onchain-input
        hash lives here and consumers may be plain accounts.
"""

# Vyper needs bounds on dynamic bytes. They cap what this contract accepts
# (oversized arguments or members revert without a reason); raise them
# here if a test needs bigger payloads. Gas grows with them because Vyper
# reserves memory for the maximum size.
MAX_PROGRAM_ID: constant(uint256) = 256
MAX_INPUT: constant(uint256) = 8192
MAX_RESULT: constant(uint256) = 8192

# abi.encode(struct) sizes: 0x20 tuple offset + head words + (len word + padded
# data) per dynamic member.
MAX_RESULT_ENC: constant(uint256) = 32 + 5 * 32 + 32 + MAX_PROGRAM_ID + 32 + MAX_RESULT
MAX_OFFCHAIN_RESULT_ENC: constant(uint256) = 32 + 7 * 32 + 32 + MAX_PROGRAM_ID + 32 + MAX_RESULT
MAX_REQUEST_ENC: constant(uint256) = 32 + 7 * 32 + 32 + MAX_PROGRAM_ID + 32 + MAX_INPUT
MAX_SIGNED: constant(uint256) = max(max(MAX_RESULT_ENC, MAX_OFFCHAIN_RESULT_ENC), MAX_REQUEST_ENC)
MAX_SIG: constant(uint256) = 65

# Same values as IJobManager.sol; 0 means "no such job".
JOB_STATE_PENDING: constant(uint8) = 1
JOB_STATE_CANCELLED: constant(uint8) = 2
JOB_STATE_COMPLETED: constant(uint8) = 3

# EIP-191 personal_sign prefix (solady's toEthSignedMessageHash(bytes))
EIP191_PREFIX: constant(Bytes[26]) = b"\x19Ethereum Signed Message:\n"


struct JobMetadata:
    programID: Bytes[MAX_PROGRAM_ID]
    maxCycles: uint64
    consumer: address
    status: uint8


struct ResultWithMetadata:
    jobID: bytes32
    onchainInputHash: bytes32
    maxCycles: uint64
    programID: Bytes[MAX_PROGRAM_ID]
    result: Bytes[MAX_RESULT]


struct OffchainResultWithMetadata:
    jobID: bytes32
    onchainInputHash: bytes32
    offchainInputHash: bytes32
    stateHash: bytes32
    maxCycles: uint64
    programID: Bytes[MAX_PROGRAM_ID]
    result: Bytes[MAX_RESULT]


struct OffchainJobRequest:
    nonce: uint64
    maxCycles: uint64
    consumer: address
    programID: Bytes[MAX_PROGRAM_ID]
    onchainInput: Bytes[MAX_INPUT]
    offchainInputHash: bytes32
    stateHash: bytes32


event JobCreated:
    jobID: indexed(bytes32)
    nonce: indexed(uint64)
    consumer: indexed(address)
    maxCycles: uint64
    programID: Bytes[MAX_PROGRAM_ID]
    onchainInput: Bytes[MAX_INPUT]


event JobCancelled:
    jobID: indexed(bytes32)


event JobCompleted:
    jobID: indexed(bytes32)
    result: Bytes[MAX_RESULT]


event OffchainSignerSet:
    consumer: indexed(address)
    signer: indexed(address)


owner: public(address)
relayer: public(address)
coprocessorOperator: public(address)

_jobs: HashMap[bytes32, JobMetadata]
# The real contract asks the consumer contract for the onchain input
# (Consumer.getOnchainInputForJob); without consumer contracts we keep its hash.
_onchainInputHash: HashMap[bytes32, bytes32]
# Stand-in for the consumer's EIP-1271 isValidSignature: if a consumer has a
# registered request signer, offchain requests must be signed by it; if not,
# any signature that recovers to a non-zero address is accepted.
offchainSigner: public(HashMap[address, address])


@deploy
def __init__(_relayer: address, _coprocessorOperator: address):
    self.owner = msg.sender
    self.relayer = _relayer
    self.coprocessorOperator = _coprocessorOperator


# ---------------------------------------------------------------- admin / views

@external
def setRelayer(_relayer: address):
    assert msg.sender == self.owner, "Ownable: caller is not the owner"
    self.relayer = _relayer


@external
def setCoprocessorOperator(_coprocessorOperator: address):
    assert msg.sender == self.owner, "Ownable: caller is not the owner"
    self.coprocessorOperator = _coprocessorOperator


@external
def transferOwnership(newOwner: address):
    assert msg.sender == self.owner, "Ownable: caller is not the owner"
    assert newOwner != empty(address), "Ownable: new owner is the zero address"
    self.owner = newOwner


@external
def setOffchainSigner(consumer: address, signer: address):
    # The consumer itself (like SingleOffchainSigner's owner) or the admin.
    assert msg.sender == consumer or msg.sender == self.owner, "JobManager.setOffchainSigner: caller is not the consumer or JobManager owner"
    self.offchainSigner[consumer] = signer
    log OffchainSignerSet(consumer=consumer, signer=signer)


@view
@external
def getRelayer() -> address:
    return self.relayer


@view
@external
def getCoprocessorOperator() -> address:
    return self.coprocessorOperator


@view
@external
def getJobMetadata(jobID: bytes32) -> JobMetadata:
    return self._jobs[jobID]


# Solidity's auto-getter for a struct mapping returns the members as separate
# values (not one tuple), so this is a tuple return rather than the struct.
@view
@external
def jobIDToMetadata(jobID: bytes32) -> (Bytes[MAX_PROGRAM_ID], uint64, address, uint8):
    job: JobMetadata = self._jobs[jobID]
    return job.programID, job.maxCycles, job.consumer, job.status


@view
@external
def getOnchainInputHash(jobID: bytes32) -> bytes32:
    return self._onchainInputHash[jobID]


# ---------------------------------------------------------------- internals

@pure
@internal
def _job_id(nonce: uint64, consumer: address) -> bytes32:
    # abi.encodePacked(uint64, address): 8 + 20 bytes.
    return keccak256(concat(convert(nonce, bytes8), convert(consumer, bytes20)))


@pure
@internal
def _recover(digest: bytes32, sig: Bytes[MAX_SIG]) -> address:
    # Like solady's ECDSA.tryRecover: a malformed signature yields address 0
    # instead of reverting, so the caller's require produces the reason string.
    if len(sig) != 65:
        return empty(address)
    r: uint256 = convert(slice(sig, 0, 32), uint256)
    s: uint256 = convert(slice(sig, 32, 32), uint256)
    v: uint256 = convert(slice(sig, 64, 1), uint256)
    if v != 27 and v != 28:
        return empty(address)
    return ecrecover(digest, v, r, s)


@pure
@internal
def _eth_signed_message_hash(message: Bytes[MAX_SIGNED]) -> bytes32:
    # ECDSA.toEthSignedMessageHash(bytes): the length goes in as ASCII decimal.
    return keccak256(concat(EIP191_PREFIX, convert(uint2str(len(message)), Bytes[78]), message))


@internal
def _create_job(jobID: bytes32, programID: Bytes[MAX_PROGRAM_ID], maxCycles: uint64, consumer: address, onchainInputHash: bytes32):
    assert self._jobs[jobID].status == 0, "JobManager.createJob: job already exists with this nonce and consumer"
    self._jobs[jobID] = JobMetadata(programID=programID, maxCycles=maxCycles, consumer=consumer, status=JOB_STATE_PENDING)
    self._onchainInputHash[jobID] = onchainInputHash


@internal
def _submit_result(jobID: bytes32, maxCycles: uint64, onchainInputHash: bytes32, programID: Bytes[MAX_PROGRAM_ID], result: Bytes[MAX_RESULT]):
    # Same order and messages as JobManager._submitResult.
    job: JobMetadata = self._jobs[jobID]
    assert job.status == JOB_STATE_PENDING, "JobManager.submitResult: job is not in pending state"
    assert self._onchainInputHash[jobID] == onchainInputHash, "JobManager.submitResult: onchain input signed by coprocessor doesn't match onchain input submitted with job"
    assert keccak256(job.programID) == keccak256(programID), "JobManager.submitResult: program ID signed by coprocessor doesn't match program ID submitted with job"
    assert job.maxCycles == maxCycles, "JobManager.submitResult: max cycles signed by coprocessor doesn't match max cycles submitted with job"
    self._jobs[jobID].status = JOB_STATE_COMPLETED
    log JobCompleted(jobID=jobID, result=result)


# ---------------------------------------------------------------- jobs

@external
def createJob(nonce: uint64, programID: Bytes[MAX_PROGRAM_ID], onchainInput: Bytes[MAX_INPUT], maxCycles: uint64) -> bytes32:
    # The caller is the consumer, as in the real contract; nonces are chosen by
    # the consumer (the real Consumer contract tracks the latest one).
    jobID: bytes32 = self._job_id(nonce, msg.sender)
    self._create_job(jobID, programID, maxCycles, msg.sender, keccak256(onchainInput))
    log JobCreated(jobID=jobID, nonce=nonce, consumer=msg.sender, maxCycles=maxCycles, programID=programID, onchainInput=onchainInput)
    return jobID


@external
def cancelJob(jobID: bytes32):
    job: JobMetadata = self._jobs[jobID]
    assert msg.sender == job.consumer or msg.sender == self.owner, "JobManager.cancelJob: caller is not the job consumer or JobManager owner"
    assert job.status == JOB_STATE_PENDING, "JobManager.cancelJob: job is not in pending state"
    self._jobs[jobID].status = JOB_STATE_CANCELLED
    log JobCancelled(jobID=jobID)


@external
def submitResult(resultWithMetadata: Bytes[MAX_RESULT_ENC], signature: Bytes[MAX_SIG]):
    assert msg.sender == self.relayer, "JobManager.submitResult: caller is not the relayer"

    signer: address = self._recover(self._eth_signed_message_hash(resultWithMetadata), signature)
    assert signer != empty(address) and signer == self.coprocessorOperator, "JobManager.submitResult: Invalid signature"

    # abi.decode(resultWithMetadata, (ResultWithMetadata)): one dynamic tuple.
    res: ResultWithMetadata = abi_decode(resultWithMetadata, ResultWithMetadata)
    self._submit_result(res.jobID, res.maxCycles, res.onchainInputHash, res.programID, res.result)


@external
def submitResultForOffchainJob(offchainResultWithMetadata: Bytes[MAX_OFFCHAIN_RESULT_ENC], signatureOnResult: Bytes[MAX_SIG], jobRequest: Bytes[MAX_REQUEST_ENC], signatureOnRequest: Bytes[MAX_SIG]):
    # Not checked by the real contract at d0fdb477 (anyone holding both
    # signatures may relay); the dev chain is stricter so that tests notice a
    # node relaying from the wrong account.
    assert msg.sender == self.relayer, "JobManager.submitResultForOffchainJob: caller is not the relayer"

    request: OffchainJobRequest = abi_decode(jobRequest, OffchainJobRequest)
    jobID: bytes32 = self._job_id(request.nonce, request.consumer)

    requestSigner: address = self._recover(self._eth_signed_message_hash(jobRequest), signatureOnRequest)
    allowed: address = self.offchainSigner[request.consumer]
    assert requestSigner != empty(address) and (allowed == empty(address) or requestSigner == allowed), "JobManager.submitResultForOffchainJob: Invalid signature on job request"

    resultSigner: address = self._recover(self._eth_signed_message_hash(offchainResultWithMetadata), signatureOnResult)
    assert resultSigner != empty(address) and resultSigner == self.coprocessorOperator, "JobManager.submitResultForOffchainJob: Invalid signature on result"

    # Created without a JobCreated event, as in the real contract, so onchain
    # intake never sees offchain jobs.
    self._create_job(jobID, request.programID, request.maxCycles, request.consumer, keccak256(request.onchainInput))

    res: OffchainResultWithMetadata = abi_decode(offchainResultWithMetadata, OffchainResultWithMetadata)
    assert jobID == res.jobID, "JobManager.submitResultForOffchainJob: job ID signed by coprocessor doesn't match job ID of job request"
    assert request.offchainInputHash == res.offchainInputHash, "JobManager.submitResultForOffchainJob: offchain input hash signed by coprocessor doesn't match offchain input hash of job request"
    assert request.stateHash == res.stateHash, "JobManager.submitResultForOffchainJob: state hash signed by coprocessor doesn't match state hash of job request"
    self._submit_result(jobID, res.maxCycles, res.onchainInputHash, res.programID, res.result)
