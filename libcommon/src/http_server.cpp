// The only translation unit that compiles Boost.Beast's server side: each one
// costs ~10 s of build time, so everything Beast touches lives here.
#include <utility>  // Boost 1.74's awaitable.hpp uses std::exchange without including it.

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <atomic>
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "common/http_server.h"
#include "common/log.h"
#include "common/strings.h"
#include "common/thread_pool.h"
#include "common/url.h"

namespace common {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using boost::system::error_code;

// ---------------------------------------------------------------------------
// Request / response helpers.

std::string_view HttpRequest::Header(std::string_view name) const {
  for (const auto& h : headers)
    if (EqualsIgnoreCase(h.name, name)) return h.value;
  return {};
}

std::optional<std::string> HttpRequest::Query(std::string_view name) const {
  for (auto& [k, v] : ParseQuery(query))
    if (k == name) return v;
  return std::nullopt;
}

std::vector<std::pair<std::string, std::string>> HttpRequest::QueryParams() const {
  return ParseQuery(query);
}

void HttpResponse::SetHeader(std::string_view name, std::string value) {
  for (auto& h : headers) {
    if (EqualsIgnoreCase(h.name, name)) {
      h.value = std::move(value);
      return;
    }
  }
  headers.push_back({std::string(name), std::move(value)});
}

HttpResponse HttpResponse::Text(int status, std::string body) {
  HttpResponse r;
  r.status = status;
  r.headers.push_back({"Content-Type", "text/plain; charset=utf-8"});
  r.body = std::move(body);
  return r;
}

HttpResponse HttpResponse::Json(int status, std::string body) {
  HttpResponse r;
  r.status = status;
  r.headers.push_back({"Content-Type", "application/json"});
  r.body = std::move(body);
  return r;
}

// ---------------------------------------------------------------------------
// The exchange: what a handler (any thread) and a session (its strand) share.

namespace {

// Wakes a session coroutine parked on `timer` from any thread. The coroutine
// re-checks its exchange after every wake, so spurious wakes are harmless.
struct Waker {
  explicit Waker(asio::any_io_executor ex) : strand(ex), timer(ex) {}
  void Wake() {
    asio::post(strand, [w = this, keep = self.lock()] {
      if (keep) w->timer.cancel();
    });
  }
  asio::any_io_executor strand;
  asio::steady_timer timer;
  std::weak_ptr<Waker> self;
};

struct Exchange {
  enum class Phase { kPending, kResponse, kStreaming, kWebSocket };
  std::mutex mu;
  Phase phase = Phase::kPending;
  HttpResponse response;
  int stream_status = 200;
  std::vector<HttpHeader> stream_headers;
  std::deque<std::string> chunks;
  size_t pending_bytes = 0;
  bool close_requested = false;  // the producer called Close
  bool finished = false;         // the stream is over for good
  std::vector<std::function<void()>> on_close;
  // The session coroutine is (about to be) parked on the waker's timer and
  // must be woken by whoever changes the exchange. A handler that answers
  // before the session parks (reads served inline) costs no wake-up.
  bool parked = false;
  std::shared_ptr<Waker> waker;
  // WebSocket: the agreed subprotocol, whether each queued chunk is text,
  // the close frame to send, and where client messages go.
  std::string ws_protocol;
  std::deque<bool> ws_text;
  uint16_t ws_close_code = 1000;
  std::string ws_close_reason;
  std::function<void(std::string, bool)> ws_on_message;

  // REQUIRES: mu held. True when the caller must call waker->Wake() (after
  // releasing mu).
  bool TakeWake() {
    bool w = parked;
    parked = false;
    return w;
  }

  // Marks the stream finished and runs the close callbacks (outside the lock).
  void Finish() {
    std::vector<std::function<void()>> fns;
    {
      std::lock_guard<std::mutex> lock(mu);
      if (finished) return;
      finished = true;
      chunks.clear();
      ws_text.clear();
      pending_bytes = 0;
      fns.swap(on_close);
    }
    for (auto& fn : fns) fn();
  }
};

class StreamImpl final : public HttpStream {
 public:
  explicit StreamImpl(std::shared_ptr<Exchange> ex) : ex_(std::move(ex)) {}
  bool Write(std::string data) override {
    bool wake;
    {
      std::lock_guard<std::mutex> lock(ex_->mu);
      if (ex_->finished || ex_->close_requested) return false;
      if (data.empty()) return true;
      ex_->pending_bytes += data.size();
      ex_->chunks.push_back(std::move(data));
      wake = ex_->TakeWake();
    }
    if (wake) ex_->waker->Wake();
    return true;
  }
  size_t Pending() const override {
    std::lock_guard<std::mutex> lock(ex_->mu);
    return ex_->pending_bytes;
  }
  void Close() override {
    bool wake;
    {
      std::lock_guard<std::mutex> lock(ex_->mu);
      if (ex_->close_requested || ex_->finished) return;
      ex_->close_requested = true;
      wake = ex_->TakeWake();
    }
    if (wake) ex_->waker->Wake();
  }
  bool closed() const override {
    std::lock_guard<std::mutex> lock(ex_->mu);
    return ex_->finished || ex_->close_requested;
  }
  void OnClose(std::function<void()> fn) override {
    {
      std::lock_guard<std::mutex> lock(ex_->mu);
      if (!ex_->finished) {
        ex_->on_close.push_back(std::move(fn));
        return;
      }
    }
    fn();
  }

 private:
  std::shared_ptr<Exchange> ex_;
};

class WebSocketImpl final : public WebSocket {
 public:
  explicit WebSocketImpl(std::shared_ptr<Exchange> ex) : ex_(std::move(ex)) {}
  bool Send(std::string data, bool text) override {
    {
      std::lock_guard<std::mutex> lock(ex_->mu);
      if (ex_->finished || ex_->close_requested) return false;
      ex_->pending_bytes += data.size();
      ex_->chunks.push_back(std::move(data));
      ex_->ws_text.push_back(text);
    }
    ex_->waker->Wake();
    return true;
  }
  size_t Pending() const override {
    std::lock_guard<std::mutex> lock(ex_->mu);
    return ex_->pending_bytes;
  }
  void Close(uint16_t code, std::string reason) override {
    {
      std::lock_guard<std::mutex> lock(ex_->mu);
      if (ex_->close_requested || ex_->finished) return;
      ex_->close_requested = true;
      ex_->ws_close_code = code;
      ex_->ws_close_reason = std::move(reason);
    }
    ex_->waker->Wake();
  }
  bool closed() const override {
    std::lock_guard<std::mutex> lock(ex_->mu);
    return ex_->finished || ex_->close_requested;
  }
  const std::string& protocol() const override { return ex_->ws_protocol; }

 private:
  std::shared_ptr<Exchange> ex_;
};

}  // namespace

bool IsWebSocketUpgrade(const HttpRequest& request) {
  if (!EqualsIgnoreCase(request.method, "GET")) return false;
  for (const auto& token : SplitNonEmpty(request.Header("Upgrade"), ','))
    if (EqualsIgnoreCase(token, "websocket")) return true;
  return false;
}

namespace {

// A request body read while its handler runs (HttpServerOptions::stream_body).
// Everything here runs on the connection's strand.
class BodyStream final : public HttpBodyReader {
 public:
  explicit BodyStream(asio::any_io_executor strand) : strand_(std::move(strand)) {}
  void Read(std::function<void(std::string_view, bool, bool)> fn) override {
    asio::post(strand_, [self = shared_from_this_(), fn = std::move(fn)]() mutable {
      self->fn_ = std::move(fn);
      if (!self->pending_.empty()) self->fn_(self->pending_, false, true);
      self->pending_.clear();
      if (self->ended_) self->fn_({}, true, self->ok_);
    });
  }
  // From the session's reader.
  void Deliver(std::string_view data) {
    if (fn_) {
      fn_(data, false, true);
    } else {
      pending_.append(data);
    }
  }
  void End(bool ok) {
    if (ended_) return;
    ended_ = true;
    ok_ = ok;
    if (fn_) fn_({}, true, ok);
  }
  std::weak_ptr<BodyStream> self;

 private:
  std::shared_ptr<BodyStream> shared_from_this_() { return self.lock(); }
  asio::any_io_executor strand_;
  std::function<void(std::string_view, bool, bool)> fn_;
  std::string pending_;
  bool ended_ = false;
  bool ok_ = false;
};

}  // namespace

class Responder::State {
 public:
  State(std::shared_ptr<Exchange> ex, const std::atomic<bool>* stopping)
      : ex_(std::move(ex)), stopping_(stopping) {}
  // A handler that forgot to answer must not leave the client hanging.
  ~State() {
    bool wake = false;
    {
      std::lock_guard<std::mutex> lock(ex_->mu);
      if (ex_->phase == Exchange::Phase::kPending) {
        ex_->phase = Exchange::Phase::kResponse;
        ex_->response = HttpResponse::Text(500, "internal error: no response\n");
        wake = ex_->TakeWake();
      }
    }
    if (wake) ex_->waker->Wake();
  }
  void Send(HttpResponse r) {
    bool wake;
    {
      std::lock_guard<std::mutex> lock(ex_->mu);
      if (ex_->phase != Exchange::Phase::kPending) return;
      ex_->phase = Exchange::Phase::kResponse;
      ex_->response = std::move(r);
      wake = ex_->TakeWake();
    }
    if (wake) ex_->waker->Wake();
  }
  std::shared_ptr<HttpStream> Stream(int status, std::vector<HttpHeader> headers) {
    bool wake;
    {
      std::lock_guard<std::mutex> lock(ex_->mu);
      if (ex_->phase != Exchange::Phase::kPending) return nullptr;
      ex_->phase = Exchange::Phase::kStreaming;
      ex_->stream_status = status;
      ex_->stream_headers = std::move(headers);
      wake = ex_->TakeWake();
    }
    if (wake) ex_->waker->Wake();
    return std::make_shared<StreamImpl>(ex_);
  }
  std::shared_ptr<WebSocket> AcceptWebSocket(const HttpRequest& req,
                                             const std::vector<std::string>& protocols,
                                             WebSocketHandlers handlers) {
    if (!IsWebSocketUpgrade(req)) {
      Send(HttpResponse::Text(400, "expected a WebSocket upgrade request\n"));
      return nullptr;
    }
    std::string chosen;
    bool offered = false;
    for (const auto& h : req.headers) {
      if (!EqualsIgnoreCase(h.name, "Sec-WebSocket-Protocol")) continue;
      for (const auto& p : SplitNonEmpty(h.value, ',')) {
        offered = true;
        if (chosen.empty() && std::find(protocols.begin(), protocols.end(), p) != protocols.end())
          chosen = p;
      }
    }
    if (!protocols.empty() && chosen.empty()) {
      Send(HttpResponse::Text(400, std::string(offered ? "none of the offered" : "no")
                                       + " WebSocket subprotocols is supported; supported: " +
                                       Join(protocols, ", ") + "\n"));
      return nullptr;
    }
    {
      std::lock_guard<std::mutex> lock(ex_->mu);
      if (ex_->phase != Exchange::Phase::kPending) return nullptr;
      ex_->phase = Exchange::Phase::kWebSocket;
      ex_->ws_protocol = chosen;
      ex_->ws_on_message = std::move(handlers.on_message);
      if (handlers.on_close) ex_->on_close.push_back(std::move(handlers.on_close));
    }
    ex_->waker->Wake();
    return std::make_shared<WebSocketImpl>(ex_);
  }
  bool ShuttingDown() const { return stopping_->load(); }

 private:
  std::shared_ptr<Exchange> ex_;
  const std::atomic<bool>* stopping_;
};

void Responder::Send(HttpResponse response) const { state_->Send(std::move(response)); }
std::shared_ptr<HttpStream> Responder::Stream(int status, std::vector<HttpHeader> headers) const {
  return state_->Stream(status, std::move(headers));
}
bool Responder::ShuttingDown() const { return state_->ShuttingDown(); }
std::shared_ptr<WebSocket> Responder::AcceptWebSocket(const HttpRequest& request,
                                                      const std::vector<std::string>& protocols,
                                                      WebSocketHandlers handlers) const {
  return state_->AcceptWebSocket(request, protocols, std::move(handlers));
}

// ---------------------------------------------------------------------------
// Sessions.

namespace {

class SessionBase : public std::enable_shared_from_this<SessionBase> {
 public:
  virtual ~SessionBase() = default;
  // Called on the session's strand during shutdown: ends idle connections and
  // streams; in-flight requests may still finish.
  virtual void Stop() = 0;
  // Called on the session's strand when the grace period is over: closes the
  // socket and abandons whatever the session was waiting for, so that its
  // coroutine ends before the I/O context stops.
  virtual void ForceClose() = 0;
  virtual asio::any_io_executor executor() = 0;
};

}  // namespace

class HttpServer::Impl {
 public:
  Impl(HttpServerOptions opts, HttpHandler handler)
      : opts_(std::move(opts)), handler_(std::move(handler)), ssl_ctx_(ssl::context::tls_server) {
    // One I/O context per thread, each run by that thread alone (concurrency
    // hint 1): a connection lives on one thread, so serving it takes no
    // cross-thread hand-off or scheduler lock contention; connections are
    // spread over the threads round-robin.
    const int n = std::max(1, opts_.io_threads);
    for (int i = 0; i < n; ++i) ios_.push_back(std::make_unique<asio::io_context>(1));
  }

  Status Start();
  void Shutdown(std::chrono::milliseconds grace);

  template <class Stream>
  asio::awaitable<void> RunSession(std::shared_ptr<SessionBase> self, Stream& stream,
                                   bool tls);

  void Register(const std::shared_ptr<SessionBase>& s) {
    std::lock_guard<std::mutex> lock(mu_);
    sessions_[s.get()] = s;
  }
  void Unregister(SessionBase* s) {
    std::lock_guard<std::mutex> lock(mu_);
    sessions_.erase(s);
    if (sessions_.empty()) drained_.notify_all();
  }

  HttpServerOptions opts_;
  HttpHandler handler_;
  ssl::context ssl_ctx_;
  bool tls_ = false;
  // Declared before ios_ so that sessions destroyed with the context can still
  // unregister themselves.
  mutable std::mutex mu_;
  std::condition_variable drained_;
  std::unordered_map<SessionBase*, std::weak_ptr<SessionBase>> sessions_;
  std::vector<std::unique_ptr<asio::io_context>> ios_;  // ios_[0] also runs the acceptors
  std::atomic<size_t> next_io_{0};
  std::vector<std::unique_ptr<tcp::acceptor>> acceptors_;
  std::vector<std::string> bound_;
  std::vector<std::thread> threads_;
  std::unique_ptr<ThreadPool> pool_;
  std::atomic<bool> stopping_{false};
  bool started_ = false;
  bool stopped_ = false;

 private:
  asio::awaitable<void> Accept(tcp::acceptor& acceptor);
};

namespace {

template <class Stream>
class Session final : public SessionBase {
 public:
  Session(HttpServer::Impl* server, Stream stream)
      : server_(server), stream_(std::move(stream)) {}
  ~Session() override { server_->Unregister(this); }

  void Start(bool tls) {
    auto self = shared_from_this();
    server_->Register(self);
    asio::co_spawn(executor(), server_->RunSession<Stream>(self, stream_, tls),
                   asio::detached);
  }
  void Stop() override {
    stopping_ = true;
    if (idle_) beast::get_lowest_layer(stream_).socket().cancel();
    if (exchange_ && Streaming()) {
      exchange_->Finish();
      exchange_->waker->timer.cancel();
    }
  }
  void ForceClose() override {
    force_ = true;
    error_code ignored;
    beast::get_lowest_layer(stream_).socket().close(ignored);
    if (exchange_) {
      exchange_->Finish();
      exchange_->waker->timer.cancel();
    }
  }
  bool Streaming() {
    std::lock_guard<std::mutex> lock(exchange_->mu);
    return exchange_->phase == Exchange::Phase::kStreaming;
  }
  asio::any_io_executor executor() override { return stream_.get_executor(); }

  HttpServer::Impl* server_;
  Stream stream_;
  bool idle_ = false;      // waiting for the next request on a kept-alive connection
  bool stopping_ = false;
  bool force_ = false;                  // ForceClose ran: end at once
  std::shared_ptr<Exchange> exchange_;  // the request being served, if any
};

void FillPeerCert(SSL* ssl, HttpRequest& req) {
  X509* cert = SSL_get1_peer_certificate(ssl);
  if (!cert) return;
  if (SSL_get_verify_result(ssl) == X509_V_OK) {
    X509_NAME* name = X509_get_subject_name(cert);
    for (int i = 0; i < X509_NAME_entry_count(name); ++i) {
      X509_NAME_ENTRY* e = X509_NAME_get_entry(name, i);
      int nid = OBJ_obj2nid(X509_NAME_ENTRY_get_object(e));
      unsigned char* utf8 = nullptr;
      int len = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(e));
      if (len < 0) continue;
      std::string value(reinterpret_cast<char*>(utf8), static_cast<size_t>(len));
      OPENSSL_free(utf8);
      if (nid == NID_commonName) req.client_cn = value;
      if (nid == NID_organizationName) req.client_orgs.push_back(value);
    }
  }
  X509_free(cert);
}

// Reads a streamed request body into `body` until it is complete, then
// watches for the client hanging up; either end finishes the exchange.
template <class Stream>
asio::awaitable<void> ReadStreamedBody(
    Stream& stream, std::shared_ptr<beast::flat_buffer> buf,
    std::shared_ptr<http::request_parser<http::string_body>> parser,
    std::shared_ptr<BodyStream> body, std::shared_ptr<Exchange> ex,
    std::shared_ptr<SessionBase> keep) {
  error_code ec;
  auto token = asio::redirect_error(asio::use_awaitable, ec);
  while (!parser->is_done()) {
    co_await http::async_read_some(stream, *buf, *parser, token);
    std::string& got = parser->get().body();
    if (!got.empty()) {
      body->Deliver(got);
      got.clear();
    }
    if (ec) break;
  }
  body->End(!ec);
  if (!ec) {
    char scratch[1024];
    for (;;) {
      co_await stream.async_read_some(asio::buffer(scratch), token);
      if (ec) break;
    }
  }
  ex->Finish();
  ex->waker->timer.cancel();
  (void)keep;
}

// Sends `r` chunked with its trailer fields, as Go's net/http does for a
// handler that declared trailers.
template <class Stream>
asio::awaitable<void> WriteWithTrailers(Stream& stream, HttpResponse& r, unsigned version,
                                        bool keep_alive, error_code& ec) {
  auto token = asio::redirect_error(asio::use_awaitable, ec);
  http::response<http::empty_body> head{static_cast<http::status>(r.status), version};
  std::string names;
  for (auto& h : r.headers) head.insert(h.name, h.value);
  for (auto& t : r.trailers) names += (names.empty() ? "" : ", ") + t.name;
  head.set(http::field::trailer, names);
  head.chunked(true);
  head.keep_alive(keep_alive);
  http::response_serializer<http::empty_body> sr{head};
  co_await http::async_write_header(stream, sr, token);
  if (ec) co_return;
  if (!r.body.empty()) {
    co_await asio::async_write(stream, http::make_chunk(asio::buffer(r.body)), token);
    if (ec) co_return;
  }
  http::fields trailer;
  for (auto& t : r.trailers) trailer.insert(t.name, t.value);
  co_await asio::async_write(stream, http::make_chunk_last(trailer), token);
}

http::response<http::string_body> ToBeast(HttpResponse&& r, unsigned version, bool keep_alive) {
  http::response<http::string_body> res{static_cast<http::status>(r.status), version};
  for (auto& h : r.headers) res.insert(h.name, h.value);
  res.body() = std::move(r.body);
  res.keep_alive(keep_alive);
  res.prepare_payload();
  return res;
}

}  // namespace

template <class Stream>
asio::awaitable<void> HttpServer::Impl::RunSession(std::shared_ptr<SessionBase> base,
                                                   Stream& stream, bool tls) {
  auto* self = static_cast<Session<Stream>*>(base.get());
  auto& lowest = beast::get_lowest_layer(stream);
  error_code ec;
  auto token = asio::redirect_error(asio::use_awaitable, ec);
  std::string remote_addr;
  uint16_t remote_port = 0;
  {
    error_code e2;
    auto ep = lowest.socket().remote_endpoint(e2);
    if (!e2) {
      remote_addr = ep.address().to_string();
      remote_port = ep.port();
    }
  }
  std::string client_cn;
  std::vector<std::string> client_orgs;
  if constexpr (!std::is_same_v<Stream, beast::tcp_stream>) {
    lowest.expires_after(std::chrono::seconds(10));
    co_await stream.async_handshake(ssl::stream_base::server, token);
    if (ec) co_return;
    HttpRequest probe;
    FillPeerCert(stream.native_handle(), probe);
    client_cn = std::move(probe.client_cn);
    client_orgs = std::move(probe.client_orgs);
  }

  auto bufp = std::make_shared<beast::flat_buffer>();
  beast::flat_buffer& buf = *bufp;
  for (;;) {
    if (stopping_) break;
    auto parserp = std::make_shared<http::request_parser<http::string_body>>();
    auto& parser = *parserp;
    parser.header_limit(1 << 20);
    parser.body_limit(opts_.max_body_bytes);
    lowest.expires_after(opts_.idle_timeout);
    self->idle_ = true;
    co_await http::async_read_header(stream, buf, parser, token);
    self->idle_ = false;
    // Beast rejects a Content-Length over the limit while parsing the header;
    // that request still gets its 413 below.
    const bool over_limit = ec == http::error::body_limit;
    if (ec && !over_limit) break;
    const auto start = std::chrono::steady_clock::now();
    auto& hdr = parser.get();
    const unsigned version = hdr.version();
    bool keep_alive = hdr.keep_alive();

    auto req = std::make_shared<HttpRequest>();
    req->method = std::string(hdr.method_string());
    req->target = std::string(hdr.target());
    for (const auto& f : hdr)
      req->headers.push_back({std::string(f.name_string()), std::string(f.value())});
    req->remote_addr = remote_addr;
    req->remote_port = remote_port;
    req->tls = tls;
    req->client_cn = client_cn;
    req->client_orgs = client_orgs;
    {
      std::string_view t = req->target;
      size_t q = t.find('?');
      req->path = PercentDecode(t.substr(0, q));
      if (q != std::string_view::npos) req->query = std::string(t.substr(q + 1));
    }

    // Answers without reading the rest of the request, then lingers: closing
    // at once with unread bytes would reset the connection and the client
    // might never see the answer.
    auto reply_and_close = [&](HttpResponse r) -> asio::awaitable<void> {
      auto res = ToBeast(std::move(r), version, false);
      lowest.expires_after(std::chrono::seconds(30));
      co_await http::async_write(stream, res, token);
      if (opts_.on_complete) opts_.on_complete(*req, res.result_int(),
                                               std::chrono::steady_clock::now() - start);
      if (ec) co_return;
      error_code ignored;
      lowest.socket().shutdown(tcp::socket::shutdown_send, ignored);
      lowest.expires_after(std::chrono::seconds(2));
      char scratch[16384];
      size_t drained = 0;
      while (drained < 64 * opts_.max_body_bytes + (1 << 20)) {
        size_t n = co_await lowest.async_read_some(asio::buffer(scratch), token);
        if (ec) break;
        drained += n;
      }
    };
    auto too_large = [&]() {
      return opts_.too_large ? opts_.too_large(opts_.max_body_bytes)
                             : HttpResponse::Text(413, "request body too large\n");
    };

    if (over_limit) {
      co_await reply_and_close(too_large());
      break;
    }
    if (EqualsIgnoreCase(req->Header("Expect"), "100-continue")) {
      http::response<http::empty_body> cont{http::status::continue_, version};
      co_await http::async_write(stream, cont, token);
      if (ec) break;
    }
    std::shared_ptr<BodyStream> body_stream;
    if (opts_.stream_body && opts_.stream_body(*req)) {
      // The body is read by ReadStreamedBody while the handler runs.
      body_stream = std::make_shared<BodyStream>(stream.get_executor());
      body_stream->self = body_stream;
      req->body_reader = body_stream;
      parser.body_limit(boost::none);
      keep_alive = false;
    } else if (!parser.is_done()) {
      lowest.expires_after(std::chrono::seconds(60));
      co_await http::async_read(stream, buf, parser, token);
      if (ec == http::error::body_limit) {
        co_await reply_and_close(too_large());
        break;
      }
      if (ec) break;
    }
    if (!body_stream) req->body = std::move(parser.get().body());
    lowest.expires_never();

    // Hand the request to the handler and park until it answers.
    auto ex = std::make_shared<Exchange>();
    ex->waker = std::make_shared<Waker>(stream.get_executor());
    ex->waker->self = ex->waker;
    self->exchange_ = ex;
    if (body_stream)
      asio::co_spawn(stream.get_executor(),
                     ReadStreamedBody(stream, bufp, parserp, body_stream, ex, base), asio::detached);
    {
      Responder responder(std::make_shared<Responder::State>(ex, &stopping_));
      auto call = [this, req, responder]() mutable {
        try {
          handler_(*req, std::move(responder));
        } catch (const std::exception& e) {
          LOG_ERROR("HTTP handler threw", {"uri", req->target}, {"err", e.what()});
          responder.Send(HttpResponse::Text(500, "internal error\n"));
        }
      };
      if (pool_ && !(opts_.run_inline && !body_stream && opts_.run_inline(*req)))
        pool_->Submit(std::move(call));
      else
        call();
    }
    bool client_gone = false;  // (only noticed while a streamed body is read)
    for (;;) {
      {
        std::lock_guard<std::mutex> lock(ex->mu);
        if (ex->phase != Exchange::Phase::kPending) break;
        client_gone = ex->finished;
        if (client_gone) break;
        ex->parked = true;
      }
      if (self->force_) break;
      ex->waker->timer.expires_at(asio::steady_timer::time_point::max());
      co_await ex->waker->timer.async_wait(token);
    }
    if (self->force_ || client_gone) break;

    if (ex->phase == Exchange::Phase::kResponse) {
      if (stopping_) keep_alive = false;
      int status = ex->response.status;
      lowest.expires_after(std::chrono::seconds(120));
      if (!ex->response.trailers.empty()) {
        co_await WriteWithTrailers(stream, ex->response, version, keep_alive, ec);
      } else {
        auto res = ToBeast(std::move(ex->response), version, keep_alive);
        co_await http::async_write(stream, res, token);
      }
      if (opts_.on_complete)
        opts_.on_complete(*req, status, std::chrono::steady_clock::now() - start);
      self->exchange_.reset();
      if (ec || !keep_alive) break;
      continue;
    }

    if (ex->phase == Exchange::Phase::kWebSocket) {
      // The connection now belongs to the WebSocket until either side ends it.
      self->exchange_ = ex;
      if (stopping_) ex->Finish();
      auto ws = std::make_shared<websocket::stream<Stream&>>(stream);
      ws->set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
      std::string proto = ex->ws_protocol;
      ws->set_option(websocket::stream_base::decorator([proto](websocket::response_type& res) {
        if (!proto.empty()) res.set(http::field::sec_websocket_protocol, proto);
      }));
      lowest.expires_never();
      co_await ws->async_accept(parser.get(), token);
      if (opts_.on_complete)
        opts_.on_complete(*req, 101, std::chrono::steady_clock::now() - start);
      auto reader_done = std::make_shared<bool>(false);
      if (ec) {
        ex->Finish();
        *reader_done = true;
      } else {
        asio::co_spawn(
            stream.get_executor(),
            [ws, ex, base, reader_done]() -> asio::awaitable<void> {
              for (;;) {
                beast::flat_buffer b;
                error_code rec;
                co_await ws->async_read(b, asio::redirect_error(asio::use_awaitable, rec));
                if (rec) break;
                if (ex->ws_on_message) ex->ws_on_message(beast::buffers_to_string(b.data()), ws->got_text());
              }
              *reader_done = true;
              ex->Finish();
              ex->waker->timer.cancel();
            },
            asio::detached);
      }
      bool close_sent = false;
      for (;;) {
        std::deque<std::string> batch;
        std::deque<bool> kinds;
        bool close_requested, finished;
        uint16_t code;
        std::string reason;
        {
          std::lock_guard<std::mutex> lock(ex->mu);
          batch.swap(ex->chunks);
          kinds.swap(ex->ws_text);
          close_requested = ex->close_requested;
          finished = ex->finished;
          code = ex->ws_close_code;
          reason = ex->ws_close_reason;
        }
        if (finished) break;
        bool failed = false;
        bool wrote = !batch.empty();
        while (!batch.empty()) {
          ws->text(kinds.front());
          co_await ws->async_write(asio::buffer(batch.front()), token);
          {
            std::lock_guard<std::mutex> lock(ex->mu);
            ex->pending_bytes -= std::min(ex->pending_bytes, batch.front().size());
          }
          batch.pop_front();
          kinds.pop_front();
          if (ec) {
            failed = true;
            break;
          }
        }
        if (failed) break;
        // A wake that came while a write was in flight found no waiter and
        // was lost: look at the exchange again before parking.
        if (wrote) continue;
        if (close_requested && !close_sent) {
          close_sent = true;
          co_await ws->async_close(websocket::close_reason(static_cast<websocket::close_code>(code), reason), token);
          if (ec) break;
          // The reader ends when the client answers the close frame.
          continue;
        }
        ex->waker->timer.expires_at(asio::steady_timer::time_point::max());
        co_await ex->waker->timer.async_wait(token);
      }
      ex->Finish();
      // The reader holds the stream: wait for it to notice the socket going.
      if (!*reader_done) {
        error_code ignored;
        lowest.socket().cancel(ignored);
        for (int i = 0; i < 100 && !*reader_done; ++i) {
          ex->waker->timer.expires_after(std::chrono::milliseconds(20));
          co_await ex->waker->timer.async_wait(token);
        }
      }
      self->exchange_.reset();
      break;
    }

    // Streaming: header, then chunks as the producer queues them, until it
    // closes the stream, the client goes away or the server stops.
    if (stopping_) ex->Finish();
    http::response<http::empty_body> head{static_cast<http::status>(ex->stream_status), version};
    for (auto& h : ex->stream_headers) head.insert(h.name, h.value);
    head.chunked(true);
    head.keep_alive(false);
    http::response_serializer<http::empty_body> sr{head};
    lowest.expires_after(std::chrono::seconds(60));
    co_await http::async_write_header(stream, sr, token);
    lowest.expires_never();
    if (ec) ex->Finish();

    // A reader on the side notices the client hanging up (a streamed body's
    // reader does that already).
    if (!body_stream) asio::co_spawn(
        stream.get_executor(),
        [&stream, ex, base]() -> asio::awaitable<void> {
          char scratch[1024];
          for (;;) {
            error_code rec;
            co_await stream.async_read_some(asio::buffer(scratch),
                                            asio::redirect_error(asio::use_awaitable, rec));
            if (rec) break;
          }
          ex->Finish();
          ex->waker->timer.cancel();
        },
        asio::detached);

    for (;;) {
      std::string batch;
      bool close_requested;
      bool finished;
      {
        std::lock_guard<std::mutex> lock(ex->mu);
        if (ex->chunks.size() == 1) {
          batch = std::move(ex->chunks.front());
        } else {
          for (auto& c : ex->chunks) batch += c;
        }
        ex->chunks.clear();
        close_requested = ex->close_requested;
        finished = ex->finished;
        ex->parked = batch.empty() && !close_requested && !finished;
      }
      if (finished) break;
      if (!batch.empty()) {
        lowest.expires_after(std::chrono::seconds(120));
        co_await asio::async_write(stream, http::make_chunk(asio::buffer(batch)), token);
        lowest.expires_never();
        {
          std::lock_guard<std::mutex> lock(ex->mu);
          ex->pending_bytes -= std::min(ex->pending_bytes, batch.size());
        }
        if (ec) break;
        continue;
      }
      if (close_requested) {
        lowest.expires_after(std::chrono::seconds(10));
        co_await asio::async_write(stream, http::make_chunk_last(), token);
        break;
      }
      ex->waker->timer.expires_at(asio::steady_timer::time_point::max());
      co_await ex->waker->timer.async_wait(token);
    }
    ex->Finish();
    self->exchange_.reset();
    if (opts_.on_complete)
      opts_.on_complete(*req, ex->stream_status, std::chrono::steady_clock::now() - start);
    break;
  }
  // Graceful close: TLS close_notify (bounded), then shut the socket down.
  if constexpr (!std::is_same_v<Stream, beast::tcp_stream>) {
    lowest.expires_after(std::chrono::seconds(2));
    co_await stream.async_shutdown(token);
  }
  error_code ignored;
  lowest.socket().shutdown(tcp::socket::shutdown_both, ignored);
  lowest.close();
}

asio::awaitable<void> HttpServer::Impl::Accept(tcp::acceptor& acceptor) {
  for (;;) {
    error_code ec;
    tcp::socket sock = co_await acceptor.async_accept(
        asio::make_strand(*ios_[next_io_++ % ios_.size()]),
        asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      if (stopping_ || ec == asio::error::operation_aborted) co_return;
      // EMFILE and friends: back off briefly instead of spinning.
      asio::steady_timer t(*ios_[0], std::chrono::milliseconds(50));
      co_await t.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      continue;
    }
    sock.set_option(tcp::no_delay(true), ec);
    if (tls_) {
      auto s = std::make_shared<Session<beast::ssl_stream<beast::tcp_stream>>>(
          this, beast::ssl_stream<beast::tcp_stream>(beast::tcp_stream(std::move(sock)), ssl_ctx_));
      s->Start(true);
    } else {
      auto s = std::make_shared<Session<beast::tcp_stream>>(this, beast::tcp_stream(std::move(sock)));
      s->Start(false);
    }
  }
}

Status HttpServer::Impl::Start() {
  if (started_) return Status::Internal("server already started");
  if (!opts_.tls_cert_file.empty() || !opts_.tls_key_file.empty()) {
    if (opts_.tls_cert_file.empty() || opts_.tls_key_file.empty())
      return Status::BadRequest("TLS needs both a certificate and a private key file");
    error_code ec;
    ssl_ctx_.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                         ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                         ssl::context::no_tlsv1_1);
    ssl_ctx_.use_certificate_chain_file(opts_.tls_cert_file, ec);
    if (ec) return Status::BadRequest("cannot read TLS certificate '" + opts_.tls_cert_file +
                                      "': " + ec.message());
    ssl_ctx_.use_private_key_file(opts_.tls_key_file, ssl::context::pem, ec);
    if (ec) return Status::BadRequest("cannot read TLS private key '" + opts_.tls_key_file +
                                      "': " + ec.message());
    if (!opts_.tls_client_ca_file.empty()) {
      ssl_ctx_.load_verify_file(opts_.tls_client_ca_file, ec);
      if (ec) return Status::BadRequest("cannot read client CA file '" +
                                        opts_.tls_client_ca_file + "': " + ec.message());
      STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(opts_.tls_client_ca_file.c_str());
      if (names) SSL_CTX_set_client_CA_list(ssl_ctx_.native_handle(), names);
      // Ask for a certificate but accept the handshake either way: an invalid
      // or missing certificate only means no x509 identity, as kube-apiserver does.
      ssl_ctx_.set_verify_mode(ssl::verify_peer);
      ssl_ctx_.set_verify_callback([](bool, ssl::verify_context&) { return true; });
    }
    tls_ = true;
  }
  for (const std::string& addr : opts_.listen) {
    auto hp = SplitHostPort(addr);
    if (!hp.ok()) return hp.status();
    error_code ec;
    std::string host = hp->first.empty() ? "0.0.0.0" : hp->first;
    auto ip = asio::ip::make_address(host, ec);
    if (ec) {
      // A name: resolve it (e.g. "localhost").
      tcp::resolver resolver(*ios_[0]);
      auto results = resolver.resolve(host, std::to_string(hp->second), ec);
      if (ec || results.empty())
        return Status::BadRequest("cannot resolve listen address '" + addr + "'");
      ip = results.begin()->endpoint().address();
    }
    tcp::endpoint ep(ip, hp->second);
    auto acc = std::make_unique<tcp::acceptor>(*ios_[0]);
    acc->open(ep.protocol(), ec);
    if (!ec) acc->set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acc->bind(ep, ec);
    if (!ec) acc->listen(asio::socket_base::max_listen_connections, ec);
    if (ec) return Status::FromErrno(ec.value(), "listen on", addr);
    auto local = acc->local_endpoint();
    bound_.push_back(local.address().is_v6() ? "[" + local.address().to_string() + "]:" +
                                                   std::to_string(local.port())
                                             : local.address().to_string() + ":" +
                                                   std::to_string(local.port()));
    acceptors_.push_back(std::move(acc));
  }
  if (opts_.handler_threads > 0)
    pool_ = std::make_unique<ThreadPool>(opts_.handler_threads, "http-handler");
  for (auto& acc : acceptors_) asio::co_spawn(*ios_[0], Accept(*acc), asio::detached);
  // A short periodic timer on every context: Asio reprograms its timerfd
  // (a system call) whenever a new timer becomes the earliest, and Beast
  // arms a timeout for every read and write; with a tick always due sooner,
  // the per-request timeouts never are.
  for (auto& io : ios_) {
    asio::co_spawn(
        *io,
        [io = io.get()]() -> asio::awaitable<void> {
          asio::steady_timer tick(*io);
          error_code ec;
          for (;;) {
            tick.expires_after(std::chrono::seconds(1));
            co_await tick.async_wait(asio::redirect_error(asio::use_awaitable, ec));
          }
        },
        asio::detached);
  }
  for (auto& io : ios_) {
    threads_.emplace_back([io = io.get()] {
      auto guard = asio::make_work_guard(*io);
      io->run();
    });
    pthread_setname_np(threads_.back().native_handle(), "http-io");
  }
  started_ = true;
  return Status::Ok();
}

void HttpServer::Impl::Shutdown(std::chrono::milliseconds grace) {
  if (!started_ || stopped_) return;
  stopped_ = true;
  stopping_ = true;
  asio::post(*ios_[0], [this] {
    for (auto& acc : acceptors_) {
      error_code ec;
      acc->close(ec);
    }
  });
  // Idle connections and streams end now; in-flight requests get `grace`.
  std::vector<std::shared_ptr<SessionBase>> live;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& [p, w] : sessions_)
      if (auto s = w.lock()) live.push_back(std::move(s));
  }
  for (auto& s : live) asio::post(s->executor(), [s] { s->Stop(); });
  live.clear();
  {
    std::unique_lock<std::mutex> lock(mu_);
    drained_.wait_for(lock, grace, [this] { return sessions_.empty(); });
    for (auto& [p, w] : sessions_)
      if (auto s = w.lock()) live.push_back(std::move(s));
  }
  // Past the grace period: close what is left and let the coroutines unwind,
  // so no socket outlives the I/O context that owns it.
  for (auto& s : live) asio::post(s->executor(), [s] { s->ForceClose(); });
  live.clear();
  {
    std::unique_lock<std::mutex> lock(mu_);
    drained_.wait_for(lock, std::chrono::seconds(2), [this] { return sessions_.empty(); });
  }
  for (auto& io : ios_) io->stop();
  for (auto& t : threads_) t.join();
  threads_.clear();
  pool_.reset();
}

HttpServer::HttpServer(HttpServerOptions options, HttpHandler handler)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler))) {}

HttpServer::~HttpServer() { Shutdown(std::chrono::milliseconds(0)); }

Status HttpServer::Start() { return impl_->Start(); }

std::vector<std::string> HttpServer::BoundAddresses() const { return impl_->bound_; }

void HttpServer::Shutdown(std::chrono::milliseconds grace) { impl_->Shutdown(grace); }

size_t HttpServer::ActiveConnections() const {
  std::lock_guard<std::mutex> lock(impl_->mu_);
  return impl_->sessions_.size();
}

// ---------------------------------------------------------------------------
// Router.

void Router::Handle(std::string method, std::string path, HttpHandler handler) {
  routes_.push_back({std::move(method), std::move(path), false, std::move(handler)});
}

void Router::HandlePrefix(std::string method, std::string prefix, HttpHandler handler) {
  routes_.push_back({std::move(method), std::move(prefix), true, std::move(handler)});
}

void Router::operator()(HttpRequest& req, Responder responder) const {
  const Route* best = nullptr;
  bool path_known = false;
  for (const Route& r : routes_) {
    bool match = r.prefix ? req.path.starts_with(r.path) : req.path == r.path;
    if (!match) continue;
    path_known = true;
    if (!r.method.empty() && r.method != req.method) continue;
    if (!best || (!r.prefix && best->prefix) ||
        (r.prefix == best->prefix && r.path.size() > best->path.size()))
      best = &r;
  }
  if (best) return best->handler(req, std::move(responder));
  if (path_known) {
    if (not_allowed_) return not_allowed_(req, std::move(responder));
    return responder.Send(HttpResponse::Text(405, "Method Not Allowed\n"));
  }
  if (not_found_) return not_found_(req, std::move(responder));
  responder.Send(HttpResponse::Text(404, "404 page not found\n"));
}

}  // namespace common
