import Canon
import Foundation

/// A JSON-RPC error answer: a code the client can act on and a message for people.
public struct RPCError: Error, Sendable, Equatable {
    public var code: Int
    public var message: String

    public init(_ code: Int, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The message is not JSON, or its frame cannot be read.
    public static let parseError = -32700
    /// The JSON is not a JSON-RPC 2.0 request.
    public static let invalidRequest = -32600
    public static let methodNotFound = -32601
    /// Missing or wrong parameters, including paths outside the workspace root.
    public static let invalidParams = -32602
    public static let internalError = -32603
    /// A request other than `initialize` before `initialize`.
    public static let serverNotInitialized = -32002
    /// The client cancelled the request with `$/cancelRequest`.
    public static let requestCancelled = -32800
}

/// One incoming message, sorted out.
enum Incoming: Equatable {
    case request(id: JSONValue, method: String, params: JSONValue?)
    case notification(method: String, params: JSONValue?)
    /// A response from the client (the server sends no requests, so it is ignored).
    case response
    /// Not a JSON-RPC 2.0 message; the id when one could be read.
    case invalid(id: JSONValue, reason: String)

    init(_ value: JSONValue) {
        guard case .object(let members) = value else {
            self = .invalid(id: .null, reason: "a message must be a JSON object (batches are not supported)")
            return
        }
        var id = JSONValue.null
        switch members["id"] {
        case .int, .string: id = members["id"]!
        case nil, .null: break
        default:
            self = .invalid(id: .null, reason: "'id' must be a number or a string")
            return
        }
        guard members["jsonrpc"] == .string("2.0") else {
            self = .invalid(id: id, reason: "'jsonrpc' must be \"2.0\"")
            return
        }
        guard let methodValue = members["method"] else {
            if members["result"] != nil || members["error"] != nil {
                self = .response
            } else {
                self = .invalid(id: id, reason: "'method' is missing")
            }
            return
        }
        guard case .string(let method) = methodValue else {
            self = .invalid(id: id, reason: "'method' must be a string")
            return
        }
        let params = members["params"]
        switch params {
        case nil, .object, .array: break
        default:
            self = .invalid(id: id, reason: "'params' must be an object or an array")
            return
        }
        self = members["id"] == nil
            ? .notification(method: method, params: params)
            : .request(id: id, method: method, params: params)
    }
}

/// Encodes outgoing messages: compact, keys sorted, one line.
enum Outgoing {
    struct Response<Result: Encodable>: Encodable {
        let jsonrpc = "2.0"
        let id: JSONValue
        let result: Result
    }

    struct ErrorResponse: Encodable {
        struct Body: Encodable {
            let code: Int
            let message: String
        }

        let jsonrpc = "2.0"
        let id: JSONValue
        let error: Body
    }

    struct Notification<Params: Encodable>: Encodable {
        let jsonrpc = "2.0"
        let method: String
        let params: Params
    }

    static func encode<T: Encodable>(_ value: T) -> [UInt8] {
        do {
            return try JSONOutput.encode(value, pretty: false)
        } catch {
            // Only non-finite numbers fail to encode, and answers hold none; say so rather than send nothing.
            return Array(#"{"error":{"code":-32603,"message":"the answer could not be encoded"},"id":null,"jsonrpc":"2.0"}"#.utf8)
        }
    }
}
