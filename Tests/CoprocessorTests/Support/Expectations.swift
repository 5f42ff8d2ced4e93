import CoprocessorWire
import Testing

/// Runs `body`, which must fail with a `NodeError` of `code`; returns the error.
@discardableResult
func expectNodeError(_ code: StatusCode, sourceLocation: SourceLocation = #_sourceLocation,
                     _ body: () async throws -> Void) async -> NodeError? {
    do {
        try await body()
        Issue.record("expected \(code), got success", sourceLocation: sourceLocation)
        return nil
    } catch let error as NodeError {
        #expect(error.code == code, "\(error.message)", sourceLocation: sourceLocation)
        return error
    } catch {
        Issue.record("expected NodeError, got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}
