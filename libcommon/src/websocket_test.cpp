// WebSocket upgrades of the HTTP server, driven by Beast's client.
#include <utility>  // Boost 1.74's awaitable.hpp uses std::exchange without including it.

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <thread>

#include "common/http_client.h"
#include "common/http_server.h"
#include "common/url.h"

namespace common {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

class WebSocketTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Router router;
    router.Handle("GET", "/ws", [this](HttpRequest& req, Responder r) {
      std::shared_ptr<WebSocket> ws;
      ws = r.AcceptWebSocket(req, {"v5.channel.k8s.io", "v4.channel.k8s.io"},
                             {[this](std::string data, bool text) {
                                auto w = ws_.load();
                                if (!w) return;
                                if (data == "bye") {
                                  (*w)->Send("closing", true);
                                  (*w)->Close(1000, "done");
                                  return;
                                }
                                (*w)->Send((text ? "text:" : "binary:") + data, text);
                              },
                              [this] { closed_ = true; }});
      if (ws) {
        protocol_ = ws->protocol();
        ws_ = new std::shared_ptr<WebSocket>(ws);
      }
    });
    HttpServerOptions opts;
    opts.listen = {"127.0.0.1:0"};
    server_ = std::make_unique<HttpServer>(opts, router);
    ASSERT_TRUE(server_->Start().ok());
    auto hp = SplitHostPort(server_->BoundAddresses()[0]);
    port_ = hp->second;
  }
  void TearDown() override {
    server_->Shutdown(std::chrono::milliseconds(500));
    delete ws_.load();
  }
  // A client WebSocket offering `protocols`; throws on a failed handshake.
  std::unique_ptr<websocket::stream<tcp::socket>> Connect(const std::string& protocols) {
    auto ws = std::make_unique<websocket::stream<tcp::socket>>(ioc_);
    ws->next_layer().connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_));
    ws->set_option(websocket::stream_base::decorator([protocols](websocket::request_type& req) {
      if (!protocols.empty()) req.set(beast::http::field::sec_websocket_protocol, protocols);
    }));
    websocket::response_type res;
    ws->handshake(res, "127.0.0.1", "/ws");
    handshake_protocol_ = std::string(res[beast::http::field::sec_websocket_protocol]);
    return ws;
  }
  std::string Read(websocket::stream<tcp::socket>& ws) {
    beast::flat_buffer b;
    ws.read(b);
    return beast::buffers_to_string(b.data());
  }

  asio::io_context ioc_;
  std::unique_ptr<HttpServer> server_;
  uint16_t port_ = 0;
  std::atomic<std::shared_ptr<WebSocket>*> ws_{nullptr};
  std::string protocol_, handshake_protocol_;
  std::atomic<bool> closed_{false};
};

TEST_F(WebSocketTest, NegotiatesAndExchangesMessages) {
  auto ws = Connect("v4.channel.k8s.io, v5.channel.k8s.io");
  // The first offered that the server supports.
  EXPECT_EQ(handshake_protocol_, "v4.channel.k8s.io");
  EXPECT_EQ(protocol_, "v4.channel.k8s.io");
  ws->binary(true);
  ws->write(asio::buffer(std::string("\x01hello", 6)));
  EXPECT_EQ(Read(*ws), std::string("binary:\x01hello", 13));
  EXPECT_FALSE(ws->got_text());
  ws->text(true);
  ws->write(asio::buffer(std::string("hi")));
  EXPECT_EQ(Read(*ws), "text:hi");
  EXPECT_TRUE(ws->got_text());
  // The server closes: queued messages first, then the close frame.
  ws->write(asio::buffer(std::string("bye")));
  EXPECT_EQ(Read(*ws), "closing");
  beast::flat_buffer b;
  beast::error_code ec;
  ws->read(b, ec);
  EXPECT_EQ(ec, websocket::error::closed);
  EXPECT_EQ(ws->reason().code, 1000);
  EXPECT_EQ(std::string(ws->reason().reason.data(), ws->reason().reason.size()), "done");
  for (int i = 0; i < 100 && !closed_; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_TRUE(closed_);
}

TEST_F(WebSocketTest, ClientHangupEndsTheConnection) {
  auto ws = Connect("v5.channel.k8s.io");
  EXPECT_EQ(protocol_, "v5.channel.k8s.io");
  ws->next_layer().close();
  for (int i = 0; i < 200 && !closed_; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_TRUE(closed_);
  EXPECT_FALSE((*ws_.load())->Send("late"));
  EXPECT_TRUE((*ws_.load())->closed());
}

TEST_F(WebSocketTest, RejectsPlainRequestsAndUnknownProtocols) {
  HttpClientOptions o;
  o.server = "http://127.0.0.1:" + std::to_string(port_);
  HttpClient c(o);
  auto r = c.Do("GET", "/ws");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 400);
  EXPECT_THROW(Connect("channel.k8s.io"), beast::system_error);
  EXPECT_THROW(Connect(""), beast::system_error);
}

}  // namespace
}  // namespace common
