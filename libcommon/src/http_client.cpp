#include "common/http_client.h"

#include <curl/curl.h>

#include <cstring>
#include <random>
#include <thread>

#include "common/strings.h"

namespace common {
namespace {

struct CurlGlobal {
  CurlGlobal() { curl_global_init(CURL_GLOBAL_ALL); }
};

void EnsureCurl() { static CurlGlobal once; }

struct Transfer {
  HttpClientResponse* resp;
  const std::function<bool(std::string_view)>* on_data;
  const std::atomic<bool>* cancel;
  bool stopped_by_callback = false;
  bool saw_final_headers = false;
};

size_t OnHeader(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  std::string_view line(data, size * n);
  if (line.starts_with("HTTP/")) {
    // A new status line (after 100 Continue or a redirect): start over.
    t->resp->headers.clear();
    return size * n;
  }
  size_t colon = line.find(':');
  if (colon != std::string_view::npos) {
    t->resp->headers.push_back({std::string(TrimSpace(line.substr(0, colon))),
                                std::string(TrimSpace(line.substr(colon + 1)))});
  }
  return size * n;
}

size_t OnBody(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  size_t len = size * n;
  if (t->cancel && t->cancel->load()) {
    t->stopped_by_callback = true;
    return 0;
  }
  if (t->on_data && t->resp->status >= 200 && t->resp->status < 300) {
    if (!(*t->on_data)(std::string_view(data, len))) {
      t->stopped_by_callback = true;
      return 0;
    }
    return len;
  }
  t->resp->body.append(data, len);
  return len;
}

int OnProgress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* t = static_cast<Transfer*>(user);
  if (t->cancel && t->cancel->load()) {
    t->stopped_by_callback = true;
    return 1;
  }
  return 0;
}

// Parses Retry-After (seconds only, as Kubernetes sends it).
std::chrono::milliseconds RetryAfter(const HttpClientResponse& r) {
  auto v = ParseInt64(TrimSpace(r.Header("Retry-After")));
  if (!v || *v < 0) return std::chrono::milliseconds(-1);
  return std::chrono::milliseconds(*v * 1000);
}

}  // namespace

std::string_view HttpClientResponse::Header(std::string_view name) const {
  for (const auto& h : headers)
    if (EqualsIgnoreCase(h.name, name)) return h.value;
  return {};
}

struct HttpClient::Handle {
  CURL* curl = nullptr;
  ~Handle() {
    if (curl) curl_easy_cleanup(curl);
  }
};

HttpClient::HttpClient(HttpClientOptions options)
    : options_(std::move(options)), bucket_(options_.qps, options_.burst) {
  EnsureCurl();
  while (!options_.server.empty() && options_.server.back() == '/') options_.server.pop_back();
}

HttpClient::~HttpClient() = default;

std::unique_ptr<HttpClient::Handle> HttpClient::Borrow() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!idle_.empty()) {
      auto h = std::move(idle_.back());
      idle_.pop_back();
      return h;
    }
  }
  auto h = std::make_unique<Handle>();
  h->curl = curl_easy_init();
  return h;
}

void HttpClient::Return(std::unique_ptr<Handle> h) {
  std::lock_guard<std::mutex> lock(mu_);
  // Keep a bounded number of idle connections.
  if (idle_.size() < 64) idle_.push_back(std::move(h));
}

Result<HttpClientResponse> HttpClient::Do(std::string_view method, std::string_view path,
                                          std::string_view body,
                                          const std::vector<HttpHeader>& headers) {
  return Perform(method, path, body, headers, nullptr, nullptr);
}

Result<HttpClientResponse> HttpClient::Stream(
    std::string_view method, std::string_view path, std::string_view body,
    const std::vector<HttpHeader>& headers,
    const std::function<bool(std::string_view)>& on_data, const std::atomic<bool>* cancel) {
  return Perform(method, path, body, headers, &on_data, cancel);
}

Result<HttpClientResponse> HttpClient::Perform(
    std::string_view method, std::string_view path, std::string_view body,
    const std::vector<HttpHeader>& headers,
    const std::function<bool(std::string_view)>* on_data, const std::atomic<bool>* cancel) {
  const std::string url = options_.server + std::string(path);
  std::chrono::milliseconds backoff(100);
  for (int attempt = 0;; ++attempt) {
    bucket_.Wait();
    auto handle = Borrow();
    CURL* c = handle->curl;
    curl_easy_reset(c);
    HttpClientResponse resp;
    Transfer t{&resp, on_data, cancel};

    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_TCP_NODELAY, 1L);
    curl_easy_setopt(c, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
                     static_cast<long>(options_.connect_timeout.count()));
    if (!on_data)
      curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.timeout.count()));
    curl_easy_setopt(c, CURLOPT_USERAGENT, options_.user_agent.c_str());
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &t);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, OnBody);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &t);
    if (cancel) {
      curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
      curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, OnProgress);
      curl_easy_setopt(c, CURLOPT_XFERINFODATA, &t);
    }
    std::string m(method);
    if (m == "GET") {
      curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
    } else if (m == "HEAD") {
      curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
    } else {
      curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, m.c_str());
      curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
      curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    }
    // TLS.
    if (options_.insecure_skip_verify) {
      curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
      curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
    }
    curl_blob ca_blob{}, cert_blob{}, key_blob{};
    if (!options_.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, options_.ca_file.c_str());
    if (!options_.ca_pem.empty()) {
      ca_blob = {options_.ca_pem.data(), options_.ca_pem.size(), CURL_BLOB_NOCOPY};
      curl_easy_setopt(c, CURLOPT_CAINFO_BLOB, &ca_blob);
    }
    if (!options_.cert_file.empty()) curl_easy_setopt(c, CURLOPT_SSLCERT, options_.cert_file.c_str());
    if (!options_.key_file.empty()) curl_easy_setopt(c, CURLOPT_SSLKEY, options_.key_file.c_str());
    if (!options_.cert_pem.empty()) {
      cert_blob = {options_.cert_pem.data(), options_.cert_pem.size(), CURL_BLOB_NOCOPY};
      curl_easy_setopt(c, CURLOPT_SSLCERT_BLOB, &cert_blob);
      curl_easy_setopt(c, CURLOPT_SSLCERTTYPE, "PEM");
    }
    if (!options_.key_pem.empty()) {
      key_blob = {options_.key_pem.data(), options_.key_pem.size(), CURL_BLOB_NOCOPY};
      curl_easy_setopt(c, CURLOPT_SSLKEY_BLOB, &key_blob);
      curl_easy_setopt(c, CURLOPT_SSLKEYTYPE, "PEM");
    }
    // Headers. Expect: 100-continue would cost a round trip on large bodies.
    curl_slist* list = curl_slist_append(nullptr, "Expect:");
    if (!options_.bearer_token.empty())
      list = curl_slist_append(list, ("Authorization: Bearer " + options_.bearer_token).c_str());
    for (const auto& h : headers) list = curl_slist_append(list, (h.name + ": " + h.value).c_str());
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, list);

    // The status is needed before the body arrives to route 2xx bodies to on_data.
    struct StatusPeek {
      static size_t Header(char* data, size_t size, size_t n, void* user) {
        auto* t = static_cast<Transfer*>(user);
        std::string_view line(data, size * n);
        if (line.starts_with("HTTP/")) {
          size_t sp = line.find(' ');
          if (sp != std::string_view::npos) {
            auto code = ParseInt64(line.substr(sp + 1, 3));
            t->resp->status = code ? static_cast<int>(*code) : 0;
          }
        }
        return OnHeader(data, size, n, user);
      }
    };
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, StatusPeek::Header);

    CURLcode rc = curl_easy_perform(c);
    curl_slist_free_all(list);
    long code = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
    if (code) resp.status = static_cast<int>(code);

    if (rc != CURLE_OK && !(t.stopped_by_callback && rc == CURLE_WRITE_ERROR) &&
        !(t.stopped_by_callback && rc == CURLE_ABORTED_BY_CALLBACK)) {
      // The handle may hold a broken connection: drop it.
      handle.reset();
      std::string err = curl_easy_strerror(rc);
      bool unreachable = rc == CURLE_COULDNT_CONNECT || rc == CURLE_COULDNT_RESOLVE_HOST;
      if (unreachable && attempt < options_.max_retries) {
        // Seeded once per thread: a random_device + mt19937 per request cost
        // 2 % of a scheduler binder thread's time.
        thread_local std::mt19937 rng(std::random_device{}());
        std::uniform_int_distribution<int> jitter(0, static_cast<int>(backoff.count() / 2));
        std::this_thread::sleep_for(backoff + std::chrono::milliseconds(jitter(rng)));
        backoff = std::min(backoff * 2, options_.max_retry_wait);
        continue;
      }
      std::string msg = "cannot reach " + options_.server + ": " + err;
      if (unreachable) return Status::Unreachable(msg);
      if (rc == CURLE_OPERATION_TIMEDOUT) return Status::Timeout(msg);
      return Status::Internal(msg);
    }
    Return(std::move(handle));
    if ((resp.status == 429 || resp.status >= 500) && attempt < options_.max_retries) {
      auto wait = RetryAfter(resp);
      if (wait.count() >= 0) {
        std::this_thread::sleep_for(std::min(wait, options_.max_retry_wait));
        continue;
      }
    }
    return resp;
  }
}

bool LineSplitter::Feed(std::string_view chunk) {
  buf_.append(chunk);
  size_t start = 0;
  for (;;) {
    size_t nl = buf_.find('\n', start);
    if (nl == std::string::npos) break;
    std::string_view line(buf_.data() + start, nl - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    start = nl + 1;
    if (!on_line_(line)) {
      buf_.erase(0, start);
      return false;
    }
  }
  buf_.erase(0, start);
  return true;
}

}  // namespace common
