/// The PEM files a front end serves TLS with (`--tls-cert`, `--tls-key`): the node's
/// certificate chain, leaf first, and the leaf's private key. The gRPC and HTTP front ends take
/// the same pair.
public struct TLSFiles: Sendable, Equatable {
    public var certificateChain: String
    public var privateKey: String

    public init(certificateChain: String, privateKey: String) {
        self.certificateChain = certificateChain
        self.privateKey = privateKey
    }
}
