# pragma version 0.4.3
# pragma evm-version cancun
"""
@title TestConsumer
@notice Minimal consumer contract for the dev chain: forwards createJob so that the job's consumer
        (msg.sender at the JobManager) is this contract. Deployed by `server.py --deploy-consumer`
        from anvil #0 before the JobManager, it lands at 0x5FbDB2315678afecb367f032d93F642f64180aa3,
        the consumer of the shared test vectors, so their onchain job can be replayed exactly.
        It implements none of InfinityVM's Consumer callbacks (the dev JobManager makes none).
"""

interface JobManager:
    def createJob(nonce: uint64, programID: Bytes[256], onchainInput: Bytes[8192], maxCycles: uint64) -> bytes32: nonpayable


@external
def requestJob(jobManager: address, nonce: uint64, programID: Bytes[256], onchainInput: Bytes[8192], maxCycles: uint64) -> bytes32:
    return extcall JobManager(jobManager).createJob(nonce, programID, onchainInput, maxCycles)
