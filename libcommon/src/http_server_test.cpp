#include "common/http_server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "common/http_client.h"

namespace common {
namespace {

class HttpServerTest : public ::testing::Test {
 protected:
  void StartServer(HttpServerOptions opts = {}) {
    opts.listen = {"127.0.0.1:0"};
    Router router;
    router.Handle("GET", "/hello", [](HttpRequest& req, Responder r) {
      r.Send(HttpResponse::Text(200, "hello " + req.Query("name").value_or("?")));
    });
    router.Handle("POST", "/echo", [](HttpRequest& req, Responder r) {
      r.Send(HttpResponse::Json(200, req.body));
    });
    router.Handle("GET", "/later", [](HttpRequest&, Responder r) {
      std::thread([r] {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        r.Send(HttpResponse::Text(202, "late"));
      }).detach();
    });
    router.Handle("GET", "/forget", [](HttpRequest&, Responder) {});
    router.Handle("GET", "/stream", [this](HttpRequest&, Responder r) {
      auto s = r.Stream(200, {{"Content-Type", "application/json"}});
      s->OnClose([this] { stream_closed_ = true; });
      stream_ = s;
      std::thread([s] {
        for (int i = 0; i < 3; ++i) s->Write("line" + std::to_string(i) + "\n");
        s->Close();
      }).detach();
    });
    router.Handle("GET", "/forever", [this](HttpRequest&, Responder r) {
      auto s = r.Stream(200, {});
      s->OnClose([this] { stream_closed_ = true; });
      s->Write("first\n");
      stream_ = s;
    });
    router.HandlePrefix("", "/prefix/", [](HttpRequest& req, Responder r) {
      r.Send(HttpResponse::Text(200, req.method + " " + req.path));
    });
    server_ = std::make_unique<HttpServer>(opts, router);
    ASSERT_TRUE(server_->Start().ok());
    base_ = "http://" + server_->BoundAddresses()[0];
  }
  void TearDown() override {
    if (server_) server_->Shutdown(std::chrono::milliseconds(500));
  }

  std::unique_ptr<HttpServer> server_;
  std::string base_;
  std::shared_ptr<HttpStream> stream_;
  std::atomic<bool> stream_closed_{false};
};

TEST_F(HttpServerTest, RoutesAndKeepAlive) {
  StartServer();
  HttpClient c({.server = base_});
  for (int i = 0; i < 20; ++i) {
    auto r = c.Do("GET", "/hello?name=a%20b");
    ASSERT_TRUE(r.ok()) << r.status().message();
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, "hello a b");
  }
  EXPECT_EQ(server_->ActiveConnections(), 1u);  // one kept-alive connection
  auto e = c.Do("POST", "/echo", "{\"x\":1}");
  EXPECT_EQ(e->body, "{\"x\":1}");
  EXPECT_EQ(c.Do("GET", "/nope")->status, 404);
  EXPECT_EQ(c.Do("GET", "/nope")->body, "404 page not found\n");
  EXPECT_EQ(c.Do("DELETE", "/hello")->status, 405);
  EXPECT_EQ(c.Do("PUT", "/prefix/a/b")->body, "PUT /prefix/a/b");
}

TEST_F(HttpServerTest, AsyncAndForgottenResponses) {
  StartServer();
  HttpClient c({.server = base_});
  auto r = c.Do("GET", "/later");
  EXPECT_EQ(r->status, 202);
  EXPECT_EQ(c.Do("GET", "/forget")->status, 500);
}

TEST_F(HttpServerTest, BodyLimit) {
  HttpServerOptions opts;
  opts.max_body_bytes = 1000;
  opts.too_large = [](size_t limit) {
    return HttpResponse::Text(413, "limit is " + std::to_string(limit));
  };
  StartServer(opts);
  HttpClient c({.server = base_});
  auto r = c.Do("POST", "/echo", std::string(5000, 'x'));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 413);
  EXPECT_EQ(r->body, "limit is 1000");
  // The server is still fine.
  EXPECT_EQ(c.Do("POST", "/echo", "ok")->body, "ok");
}

TEST_F(HttpServerTest, StreamsChunks) {
  StartServer();
  HttpClient c({.server = base_});
  std::vector<std::string> lines;
  LineSplitter split([&](std::string_view l) {
    lines.emplace_back(l);
    return true;
  });
  auto r = c.Stream("GET", "/stream", {}, {}, [&](std::string_view d) { return split.Feed(d); });
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(lines, (std::vector<std::string>{"line0", "line1", "line2"}));
  for (int i = 0; i < 100 && !stream_closed_; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_TRUE(stream_closed_);
}

TEST_F(HttpServerTest, ClientHangupClosesStream) {
  StartServer();
  HttpClient c({.server = base_});
  auto r = c.Stream("GET", "/forever", {}, {}, [](std::string_view) { return false; });
  ASSERT_TRUE(r.ok());
  for (int i = 0; i < 200 && !stream_closed_; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_TRUE(stream_closed_);
  EXPECT_FALSE(stream_->Write("more"));
}

TEST_F(HttpServerTest, ShutdownEndsStreams) {
  StartServer();
  std::atomic<bool> done{false};
  std::thread t([&] {
    HttpClient c({.server = base_});
    c.Stream("GET", "/forever", {}, {}, [](std::string_view) { return true; });
    done = true;
  });
  for (int i = 0; i < 200 && !stream_; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  server_->Shutdown(std::chrono::milliseconds(1000));
  t.join();
  EXPECT_TRUE(done);
  EXPECT_TRUE(stream_closed_);
  server_.reset();
}

// A raw client connection, for what HttpClient does not do (streamed
// request bodies, looking at the bytes of a response).
class RawConn {
 public:
  explicit RawConn(const std::string& host_port) {
    size_t colon = host_port.rfind(':');
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(std::stoi(host_port.substr(colon + 1))));
    inet_pton(AF_INET, host_port.substr(0, colon).c_str(), &a.sin_addr);
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    timeval tv{5, 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    ok_ = connect(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
  }
  ~RawConn() { close(fd_); }
  bool ok() const { return ok_; }
  void Send(std::string_view d) { ASSERT_EQ(::send(fd_, d.data(), d.size(), MSG_NOSIGNAL), static_cast<ssize_t>(d.size())); }
  // Reads until `want` has been received (or EOF / a 5 s timeout); returns all so far.
  std::string ReadUntil(std::string_view want) {
    char b[4096];
    while (got_.find(want) == std::string::npos) {
      ssize_t n = ::recv(fd_, b, sizeof b, 0);
      if (n <= 0) break;
      got_.append(b, static_cast<size_t>(n));
    }
    return got_;
  }

 private:
  int fd_ = -1;
  bool ok_ = false;
  std::string got_;
};

TEST(HttpServerStreamBody, HandlerReadsTheBodyWhileItArrives) {
  HttpServerOptions opts{.listen = {"127.0.0.1:0"}};
  opts.stream_body = [](const HttpRequest& r) { return r.path == "/duplex"; };
  std::atomic<bool> had_body{false};
  HttpServer server(opts, [&](HttpRequest& req, Responder r) {
    if (!req.body_reader) return r.Send(HttpResponse::Text(200, "plain:" + req.body));
    had_body = !req.body.empty();
    auto s = r.Stream(200, {});
    req.body_reader->Read([s](std::string_view data, bool end, bool ok) {
      if (!end) {
        s->Write("got:" + std::string(data) + "\n");
      } else {
        s->Write(std::string("end:") + (ok ? "ok" : "broken") + "\n");
        s->Close();
      }
    });
  });
  ASSERT_TRUE(server.Start().ok());
  RawConn c(server.BoundAddresses()[0]);
  ASSERT_TRUE(c.ok());
  c.Send("POST /duplex HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
  c.Send("5\r\nfirst\r\n");
  // The handler sees the first piece before the body is over.
  EXPECT_NE(c.ReadUntil("got:first\n").find("got:first\n"), std::string::npos);
  c.Send("6\r\nsecond\r\n");
  EXPECT_NE(c.ReadUntil("got:second\n").find("got:second\n"), std::string::npos);
  c.Send("0\r\n\r\n");
  std::string all = c.ReadUntil("end:ok\n");
  EXPECT_NE(all.find("end:ok\n"), std::string::npos) << all;
  EXPECT_FALSE(had_body);
  // Other paths still get their whole body at once.
  HttpClient hc({.server = "http://" + server.BoundAddresses()[0]});
  EXPECT_EQ(hc.Do("POST", "/other", "abc")->body, "plain:abc");
  server.Shutdown(std::chrono::milliseconds(200));
}

TEST(HttpServerStreamBody, ClientGoingAwayEndsTheBody) {
  HttpServerOptions opts{.listen = {"127.0.0.1:0"}};
  opts.stream_body = [](const HttpRequest&) { return true; };
  std::atomic<int> ended{0};  // 1 ok, 2 broken
  HttpServer server(opts, [&](HttpRequest& req, Responder r) {
    // Answers nothing until the body ends: the responder lives in the callback.
    req.body_reader->Read([&ended, r](std::string_view, bool end, bool ok) {
      if (end) ended = ok ? 1 : 2;
    });
  });
  ASSERT_TRUE(server.Start().ok());
  {
    RawConn c(server.BoundAddresses()[0]);
    c.Send("POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\npartial");
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  for (int i = 0; i < 200 && ended == 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(ended, 2);
  for (int i = 0; i < 200 && server.ActiveConnections() > 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(server.ActiveConnections(), 0u);
  server.Shutdown(std::chrono::milliseconds(200));
}

TEST(HttpServerTrailers, ChunkedWithTrailerAndKeepAlive) {
  HttpServer server({.listen = {"127.0.0.1:0"}}, [](HttpRequest&, Responder r) {
    HttpResponse res = HttpResponse::Json(400, "{\"error\":\"x\"}");
    res.trailers.push_back({"Grpc-Trailer-Content-Type", "application/grpc"});
    r.Send(std::move(res));
  });
  ASSERT_TRUE(server.Start().ok());
  RawConn c(server.BoundAddresses()[0]);
  c.Send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  std::string got = c.ReadUntil("\r\n0\r\nGrpc-Trailer-Content-Type: application/grpc\r\n\r\n");
  EXPECT_NE(got.find("HTTP/1.1 400"), std::string::npos) << got;
  EXPECT_NE(got.find("Transfer-Encoding: chunked"), std::string::npos) << got;
  EXPECT_NE(got.find("Trailer: Grpc-Trailer-Content-Type"), std::string::npos) << got;
  EXPECT_NE(got.find("{\"error\":\"x\"}\r\n0\r\nGrpc-Trailer-Content-Type: application/grpc\r\n\r\n"),
            std::string::npos) << got;
  // The connection is kept alive, and clients read the body as usual.
  c.Send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  // (the same bytes again: ReadUntil returns everything read so far)
  EXPECT_EQ(c.ReadUntil(got + got), got + got);
  HttpClient hc({.server = "http://" + server.BoundAddresses()[0]});
  auto r = hc.Do("GET", "/");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(r->body, "{\"error\":\"x\"}");
  server.Shutdown(std::chrono::milliseconds(200));
}

TEST(HttpServerThreads, ConnectionsSpreadOverIoThreads) {
  std::mutex mu;
  std::set<std::thread::id> seen;
  HttpServer server({.listen = {"127.0.0.1:0"}, .io_threads = 3}, [&](HttpRequest&, Responder r) {
    {
      std::lock_guard<std::mutex> lock(mu);
      seen.insert(std::this_thread::get_id());
    }
    r.Send(HttpResponse::Text(200, "ok"));
  });
  ASSERT_TRUE(server.Start().ok());
  std::vector<std::unique_ptr<HttpClient>> clients;
  for (int i = 0; i < 6; ++i) {
    clients.push_back(std::make_unique<HttpClient>(
        HttpClientOptions{.server = "http://" + server.BoundAddresses()[0]}));
    auto r = clients.back()->Do("GET", "/");
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->body, "ok");
  }
  EXPECT_EQ(seen.size(), 3u);
  server.Shutdown(std::chrono::milliseconds(200));
}

// Requests run_inline picks are answered on the connection's I/O thread (not
// a pool thread), with the whole body; the others still go to the pool.
TEST(HttpServerThreads, RunInlineSkipsThePool) {
  auto thread_name = [] {
    char name[32] = {};
    pthread_getname_np(pthread_self(), name, sizeof name);
    return std::string(name);
  };
  std::mutex mu;
  std::map<std::string, std::set<std::string>> names;  // path -> thread names
  HttpServerOptions opts{.listen = {"127.0.0.1:0"}, .io_threads = 1, .handler_threads = 2};
  opts.run_inline = [](const HttpRequest& req) { return req.path == "/fast"; };
  HttpServer server(opts, [&](HttpRequest& req, Responder r) {
    {
      std::lock_guard<std::mutex> lock(mu);
      names[req.path].insert(thread_name());
    }
    r.Send(HttpResponse::Text(200, req.path + ":" + req.body));
  });
  ASSERT_TRUE(server.Start().ok());
  HttpClient c({.server = "http://" + server.BoundAddresses()[0]});
  for (int i = 0; i < 5; ++i) {
    auto f = c.Do("POST", "/fast", "body" + std::to_string(i));
    ASSERT_TRUE(f.ok());
    EXPECT_EQ(f->body, "/fast:body" + std::to_string(i));
    auto s = c.Do("POST", "/slow", "x");
    ASSERT_TRUE(s.ok());
    EXPECT_EQ(s->body, "/slow:x");
  }
  ASSERT_EQ(names["/fast"].size(), 1u);
  ASSERT_FALSE(names["/slow"].empty());
  for (const auto& n : names["/slow"]) {
    EXPECT_EQ(n.rfind("http-handler", 0), 0u) << n;  // pool threads
    EXPECT_EQ(names["/fast"].count(n), 0u) << n;
  }
  EXPECT_NE(names["/fast"].begin()->rfind("http-handler", 0), 0u);
  server.Shutdown(std::chrono::milliseconds(200));
}

TEST(HttpClient, UnreachableServer) {
  HttpClient c({.server = "http://127.0.0.1:1", .max_retries = 1});
  auto r = c.Do("GET", "/");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kUnreachable);
}

TEST(HttpClient, HonoursRetryAfter) {
  std::atomic<int> calls{0};
  HttpServer server({.listen = {"127.0.0.1:0"}}, [&](HttpRequest&, Responder r) {
    if (calls++ == 0) {
      HttpResponse resp = HttpResponse::Text(429, "slow down");
      resp.SetHeader("Retry-After", "1");
      r.Send(resp);
    } else {
      r.Send(HttpResponse::Text(200, "ok"));
    }
  });
  ASSERT_TRUE(server.Start().ok());
  HttpClient c({.server = "http://" + server.BoundAddresses()[0]});
  auto start = std::chrono::steady_clock::now();
  auto r = c.Do("GET", "/");
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(calls, 2);
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(900));
  server.Shutdown(std::chrono::milliseconds(100));
}

}  // namespace
}  // namespace common
