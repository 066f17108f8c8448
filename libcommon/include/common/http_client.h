// HTTP client (libcurl): keep-alive, TLS with client certs, bearer tokens,
// streamed bodies, client-side QPS/burst, retries honouring Retry-After.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/http_server.h"  // HttpHeader
#include "common/rate_limit.h"
#include "common/status.h"

namespace common {

struct HttpClientOptions {
  // Base URL every path is appended to: "https://127.0.0.1:6443".
  std::string server;
  // Server verification: a CA bundle file or PEM text; or no verification at all.
  std::string ca_file;
  std::string ca_pem;
  bool insecure_skip_verify = false;
  // Client certificate and key, as files or PEM text.
  std::string cert_file;
  std::string key_file;
  std::string cert_pem;
  std::string key_pem;
  // Sent as "Authorization: Bearer <token>" when not empty.
  std::string bearer_token;
  std::string user_agent = "kubix";
  std::chrono::milliseconds connect_timeout{5000};
  // Whole-request timeout for Do(); streams have none.
  std::chrono::milliseconds timeout{60000};
  // Client-side rate limit; qps <= 0 is unlimited.
  double qps = 0;
  int burst = 0;
  // Retries after a refused connection or a 429/5xx carrying Retry-After.
  int max_retries = 3;
  // Upper bound on any single wait between retries.
  std::chrono::milliseconds max_retry_wait{10000};
};

struct HttpClientResponse {
  int status = 0;
  std::vector<HttpHeader> headers;
  std::string body;
  // First header named `name` (case-insensitive), "" when absent.
  std::string_view Header(std::string_view name) const;
};

// Thread-safe: requests may run concurrently; each borrows a pooled
// connection, so sequential requests from one thread reuse one connection.
class HttpClient {
 public:
  explicit HttpClient(HttpClientOptions options);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  const HttpClientOptions& options() const { return options_; }

  // Sends one request and returns the whole response, whatever its status.
  // Errors are transport failures only: Code::kUnreachable when the server
  // could not be reached, kTimeout, or kInternal for TLS and other failures.
  Result<HttpClientResponse> Do(std::string_view method, std::string_view path,
                                std::string_view body = {},
                                const std::vector<HttpHeader>& headers = {});

  // Like Do, but hands a 2xx response body to `on_data` as it arrives;
  // returning false from `on_data` ends the request. A non-2xx body is
  // collected into the returned response instead. `cancel` (optional) ends
  // the stream within about a second once set. Returns when the stream ends.
  Result<HttpClientResponse> Stream(std::string_view method, std::string_view path,
                                    std::string_view body,
                                    const std::vector<HttpHeader>& headers,
                                    const std::function<bool(std::string_view)>& on_data,
                                    const std::atomic<bool>* cancel = nullptr);

 private:
  struct Handle;
  std::unique_ptr<Handle> Borrow();
  void Return(std::unique_ptr<Handle> h);
  Result<HttpClientResponse> Perform(std::string_view method, std::string_view path,
                                     std::string_view body,
                                     const std::vector<HttpHeader>& headers,
                                     const std::function<bool(std::string_view)>* on_data,
                                     const std::atomic<bool>* cancel);

  HttpClientOptions options_;
  TokenBucket bucket_;
  std::mutex mu_;
  std::vector<std::unique_ptr<Handle>> idle_;
};

// Splits a line-delimited stream into whole lines: feed it chunks, it calls
// `on_line` (without the '\n') for each complete line. Not thread-safe.
class LineSplitter {
 public:
  explicit LineSplitter(std::function<bool(std::string_view)> on_line)
      : on_line_(std::move(on_line)) {}
  // Returns false as soon as `on_line` does.
  bool Feed(std::string_view chunk);
  // The unterminated tail, if any.
  const std::string& rest() const { return buf_; }

 private:
  std::function<bool(std::string_view)> on_line_;
  std::string buf_;
};

}  // namespace common
