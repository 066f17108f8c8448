#include "common/http_server.h"

#include <gtest/gtest.h>

#include <atomic>
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
