// HTTP/1.1 server (Boost.Beast): keep-alive, TLS, streamed responses, body
// limits, WebSocket upgrades, graceful shutdown.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"

namespace common {

struct HttpHeader {
  std::string name;
  std::string value;
};

// The body of a request that HttpServerOptions::stream_body selected, read
// while its handler runs (bidirectional streams: the client keeps sending
// messages on the request body while the response streams back).
class HttpBodyReader {
 public:
  virtual ~HttpBodyReader() = default;
  // Registers `on_data`, called on the connection's I/O thread (never
  // concurrently) with each piece of the body as it arrives, then once with
  // `end` = true: `ok` says whether the body was complete (false: the client
  // went away or sent a malformed body). Pieces that arrived before Read are
  // delivered first. `on_data` must not block. Call Read at most once.
  virtual void Read(std::function<void(std::string_view data, bool end, bool ok)> on_data) = 0;
};

// One parsed request. The handler owns it for the duration of the call and may
// move pieces (the body) out of it.
struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string target;  // as sent: "/api/v1/pods?limit=5"
  std::string path;    // percent-decoded path, without the query
  std::string query;   // raw query string after '?', "" when none
  std::vector<HttpHeader> headers;
  std::string body;
  // Set instead of `body` for a request HttpServerOptions::stream_body chose.
  std::shared_ptr<HttpBodyReader> body_reader;
  std::string remote_addr;  // "127.0.0.1"
  uint16_t remote_port = 0;
  bool tls = false;
  // From a client certificate that verified against the client CA (TLS only):
  // the subject's CommonName and its Organization values; empty otherwise.
  std::string client_cn;
  std::vector<std::string> client_orgs;

  // Returns the first header named `name` (case-insensitive), "" when absent.
  std::string_view Header(std::string_view name) const;
  // Returns the first query parameter `name`, percent-decoded, or nullopt.
  std::optional<std::string> Query(std::string_view name) const;
  // All query parameters, decoded, in order.
  std::vector<std::pair<std::string, std::string>> QueryParams() const;
};

struct HttpResponse {
  int status = 200;
  std::vector<HttpHeader> headers;
  std::string body;
  // Non-empty: the body is sent chunked, followed by these trailer fields
  // (announced in a "Trailer" header), as Go's net/http does when a handler
  // declares trailers. The connection stays open.
  std::vector<HttpHeader> trailers;

  // Replaces any header called `name` (case-insensitive).
  void SetHeader(std::string_view name, std::string value);
  static HttpResponse Text(int status, std::string body);
  static HttpResponse Json(int status, std::string body);
};

// A response body sent in chunks (chunked transfer-encoding) as it is produced.
// Thread-safe: any thread may Write. The connection closes after the stream ends.
class HttpStream {
 public:
  virtual ~HttpStream() = default;
  // Queues `data`. Returns false once the stream is closed (by the client
  // going away, by Close, or by server shutdown); the data is then dropped.
  virtual bool Write(std::string data) = 0;
  // Bytes queued and not yet handed to the socket (for slow-consumer policies).
  virtual size_t Pending() const = 0;
  // Ends the response after the queued data is sent. Idempotent.
  virtual void Close() = 0;
  virtual bool closed() const = 0;
  // Runs `fn` once when the stream closes for any reason; at once if already
  // closed. `fn` runs on an I/O thread and must not block.
  virtual void OnClose(std::function<void()> fn) = 0;
};

// A WebSocket connection (RFC 6455) a handler took over from its request with
// Responder::AcceptWebSocket. Thread-safe: any thread may Send or Close.
class WebSocket {
 public:
  virtual ~WebSocket() = default;
  // Queues one message (binary, or text when `text`). Returns false once the
  // connection is closed or closing; the message is then dropped.
  virtual bool Send(std::string data, bool text = false) = 0;
  // Bytes queued and not yet handed to the socket.
  virtual size_t Pending() const = 0;
  // Sends what is queued, then a close frame with `code` and `reason`, then
  // ends the connection. Idempotent.
  virtual void Close(uint16_t code = 1000, std::string reason = {}) = 0;
  virtual bool closed() const = 0;
  // The subprotocol agreed on ("" when none).
  virtual const std::string& protocol() const = 0;
};

// What the owner of a WebSocket hears. The callbacks run on an I/O thread,
// one at a time, and must not block.
struct WebSocketHandlers {
  // A complete message from the client.
  std::function<void(std::string data, bool text)> on_message;
  // The connection ended (closed by either side, broken, or the server
  // stopping). Called once.
  std::function<void()> on_close;
};

// True when `request` asks to switch to WebSocket (Upgrade: websocket).
bool IsWebSocketUpgrade(const HttpRequest& request);

// Completes one request. A cheap copyable handle: exactly one Send, Stream or
// AcceptWebSocket call, from any thread, at any later time. If every copy is
// destroyed without one, the client gets a 500.
class Responder {
 public:
  class State;
  explicit Responder(std::shared_ptr<State> state) : state_(std::move(state)) {}

  void Send(HttpResponse response) const;
  // Starts a chunked response with `status` and `headers` and returns the
  // stream to write the body to.
  std::shared_ptr<HttpStream> Stream(int status, std::vector<HttpHeader> headers) const;
  // Answers `request` with the WebSocket handshake, agreeing on the first
  // subprotocol the client offered (Sec-WebSocket-Protocol) that is in
  // `protocols`. Returns the connection; or answers 400 and returns nullptr
  // when `request` is no WebSocket upgrade, or when `protocols` is not empty
  // and the client offered none of them.
  std::shared_ptr<WebSocket> AcceptWebSocket(const HttpRequest& request,
                                             const std::vector<std::string>& protocols,
                                             WebSocketHandlers handlers) const;
  // True when the server is shutting down (handlers should end long work).
  bool ShuttingDown() const;

 private:
  std::shared_ptr<State> state_;
};

// Handlers run on an I/O thread unless HttpServerOptions::handler_threads > 0;
// inline handlers must not block. Handlers must not throw (a thrown exception
// becomes a 500).
using HttpHandler = std::function<void(HttpRequest& request, Responder responder)>;

struct HttpServerOptions {
  // "127.0.0.1:2379", "[::1]:6443", "0.0.0.0:0" (port 0 picks a free port).
  std::vector<std::string> listen;
  // Both set: every listener speaks TLS.
  std::string tls_cert_file;
  std::string tls_key_file;
  // Set: clients are asked for a certificate and it is verified against this CA
  // bundle; a client without one is still served (other authn may apply).
  std::string tls_client_ca_file;
  // Threads serving connections; each connection stays on one of them.
  int io_threads = 2;
  // > 0: handlers run on a pool of this many threads and may block.
  int handler_threads = 0;
  // With handler_threads > 0: requests for which this returns true (called on
  // the connection's I/O thread once the whole request, body included, is in)
  // have their handler run inline on that I/O thread instead of the pool,
  // saving the two thread hand-offs (pool wake-up, session wake-up) per
  // request. Only for handlers that answer at once and never block: reads
  // served from memory, health checks. Unset: every request goes to the pool.
  std::function<bool(const HttpRequest& request)> run_inline;
  // Bodies larger than this get `too_large(limit)` (413 text by default).
  size_t max_body_bytes = 3 * 1024 * 1024;
  // Requests for which this returns true (called once the header is in)
  // have their handler called at once, with the body to read through
  // HttpRequest::body_reader; max_body_bytes does not apply to them (the
  // handler bounds what it keeps). The connection closes after the response.
  std::function<bool(const HttpRequest& request)> stream_body;
  std::function<HttpResponse(size_t limit)> too_large;
  // A keep-alive connection idle this long is closed.
  std::chrono::seconds idle_timeout{120};
  // Called after each response is fully sent (or its stream ended).
  std::function<void(const HttpRequest& request, int status,
                     std::chrono::steady_clock::duration latency)>
      on_complete;
};

// Thread-safe.
class HttpServer {
 public:
  HttpServer(HttpServerOptions options, HttpHandler handler);
  ~HttpServer();  // Shutdown(0) if still running.
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds every listen address and starts serving. Returns an error naming
  // the address that could not be bound, or the TLS file that could not be read.
  Status Start();
  // "host:port" of each listener, with the real port when 0 was asked.
  std::vector<std::string> BoundAddresses() const;
  // Stops accepting, closes idle connections and streams, lets in-flight
  // requests finish for up to `grace`, then stops every thread. Idempotent.
  void Shutdown(std::chrono::milliseconds grace);
  // Connections currently open.
  size_t ActiveConnections() const;

  class Impl;  // internal; public only so the .cpp's session types can name it

 private:
  std::unique_ptr<Impl> impl_;
};

// Dispatches on method and path: exact paths first, then the longest prefix.
// Unmatched paths get 404 "404 page not found" (Go's text), a path registered
// for other methods gets 405. Both are replaceable.
class Router {
 public:
  // `method` "" matches every method.
  void Handle(std::string method, std::string path, HttpHandler handler);
  void HandlePrefix(std::string method, std::string prefix, HttpHandler handler);
  void SetNotFound(HttpHandler handler) { not_found_ = std::move(handler); }
  void SetMethodNotAllowed(HttpHandler handler) { not_allowed_ = std::move(handler); }
  void operator()(HttpRequest& request, Responder responder) const;

 private:
  struct Route {
    std::string method;
    std::string path;
    bool prefix;
    HttpHandler handler;
  };
  std::vector<Route> routes_;
  HttpHandler not_found_;
  HttpHandler not_allowed_;
};

}  // namespace common
