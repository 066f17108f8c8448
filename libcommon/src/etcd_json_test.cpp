#include "common/etcd_json.h"

#include <gtest/gtest.h>

namespace common::etcd {
namespace {

std::string Err(const Status& st) { return st.message(); }

TEST(EtcdJson, DecodesRangeWithStringsNumbersAndCamelCase) {
  auto r = DecodeRangeRequest(
      R"({"key":"YQ==","rangeEnd":"Yg==","limit":"5","revision":7,"sort_order":"DESCEND",)"
      R"("sortTarget":2,"keysOnly":true,"count_only":false,"unknown":{"x":[1,2]}})");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->key, "a");
  EXPECT_EQ(r->range_end, "b");
  EXPECT_EQ(r->limit, 5);
  EXPECT_EQ(r->revision, 7);
  EXPECT_EQ(r->sort_order, kv::SortOrder::kDescend);
  EXPECT_EQ(r->sort_target, kv::SortTarget::kCreate);
  EXPECT_TRUE(r->keys_only);
  EXPECT_FALSE(r->count_only);
}

TEST(EtcdJson, EmptyBodyIsAnEmptyMessageAndTrailingBytesAreIgnored) {
  auto r = DecodePutRequest("");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->key, "");
  auto p = DecodePutRequest(R"({"key":"YQ==","value":"YQ=="} xx)");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->value, "a");
}

TEST(EtcdJson, GoMessagesForMalformedJson) {
  EXPECT_EQ(Err(DecodePutRequest(R"({"key":"YQ==","value":"MQ==)").status()), "unexpected EOF");
  EXPECT_EQ(Err(DecodePutRequest(R"({"key":"YQ==" "value":"MQ=="})").status()),
            "invalid character '\"' after object key:value pair");
  EXPECT_EQ(Err(DecodePutRequest("xyz").status()),
            "invalid character 'x' looking for beginning of value");
  EXPECT_EQ(Err(DecodePutRequest("[]").status()),
            "json: cannot unmarshal array into Go value of type map[string]json.RawMessage");
  EXPECT_EQ(Err(DecodePutRequest(R"({"key":5})").status()),
            "json: cannot unmarshal number into Go value of type []uint8");
  EXPECT_EQ(Err(DecodePutRequest(R"({"key":"YQ==","value":"MQ="})").status()),
            "illegal base64 data at input byte 3");
  EXPECT_EQ(Err(DecodePutRequest(R"({"key":"YQ==","lease":"abc"})").status()),
            "invalid character 'a' looking for beginning of value");
  EXPECT_EQ(Err(DecodePutRequest(R"({"key":"YQ==","lease":1.5})").status()),
            "json: cannot unmarshal number 1.5 into Go value of type int64");
  EXPECT_EQ(Err(DecodePutRequest(R"({"key":"YQ==","lease":"0x10"})").status()),
            "invalid character 'x' after top-level value");
  EXPECT_EQ(Err(DecodePutRequest(R"({"key":"YQ==","lease":"01"})").status()),
            "invalid character '1' after top-level value");
  EXPECT_EQ(Err(DecodePutRequest(R"({"key":"YQ==","lease":""})").status()),
            "unexpected end of JSON input");
  EXPECT_EQ(Err(DecodePutRequest(R"({"key":"YQ==","lease":"+1"})").status()),
            "invalid character '+' looking for beginning of value");
  EXPECT_EQ(Err(DecodePutRequest(R"({"key":"YQ==","prev_kv":"true"})").status()),
            "json: cannot unmarshal string into Go value of type bool");
  EXPECT_EQ(Err(DecodeRangeRequest(R"({"key":"YQ==","limit":"99999999999999999999"})").status()),
            "json: cannot unmarshal number 99999999999999999999 into Go value of type int64");
  EXPECT_EQ(Err(DecodeRangeRequest(R"({"key":"YQ==","sort_order":"BOGUS"})").status()),
            "unknown value \"BOGUS\" for enum etcdserverpb.RangeRequest_SortOrder");
  EXPECT_EQ(Err(DecodeRangeRequest(R"({"key":"YQ==","sort_order":true})").status()),
            "json: cannot unmarshal bool into Go value of type "
            "etcdserverpb.RangeRequest_SortOrder");
  EXPECT_EQ(Err(DecodeTxnRequest(R"({"compare":{}})").status()),
            "json: cannot unmarshal object into Go value of type []json.RawMessage");
  EXPECT_EQ(Err(DecodeTxnRequest(R"({"success":[{}]})").status()), "etcdserver: key not found");
  EXPECT_EQ(Err(DecodeRangeRequest("{\"key\":\"a\n\"}").status()),
            "invalid character '\\n' in string literal");
  EXPECT_EQ(Err(DecodeRangeRequest(R"({"key":tru})").status()),
            "invalid character '}' in literal true (expecting 'e')");
}

TEST(EtcdJson, AcceptsWhatGoAccepts) {
  EXPECT_TRUE(DecodeRangeRequest(R"({"key":"YQ==","limit":" 3"})").ok());
  EXPECT_TRUE(DecodeRangeRequest(R"({"key":"YQ==","limit":null,"serializable":null})").ok());
  EXPECT_EQ(DecodeRangeRequest("{\"key\":\"YQ=\\n=\"}")->key, "a");
  EXPECT_EQ(DecodeRangeRequest(R"({"key":"YQ==","key":"Yg=="})")->key, "b");
  EXPECT_EQ(DecodeRangeRequest(R"({"key":"YQ\u003d\u003d"})")->key, "a");
  EXPECT_EQ(DecodePutRequest(R"({"key":"YQ==","lease":"-0"})")->lease, 0);
  EXPECT_EQ(DecodeRangeRequest(R"({"key":"YQ==","sort_order":7})")->sort_order,
            kv::SortOrder::kNone);
}

TEST(EtcdJson, DecodesTxnWithNestedOpsAndCompareUnion) {
  auto t = DecodeTxnRequest(
      R"({"compare":[{"key":"YQ==","target":"MOD","result":"NOT_EQUAL","mod_revision":"4"},)"
      R"({"createRevision":"0","key":"Zm9v","target":"CREATE"}],)"
      R"("success":[{"requestPut":{"key":"Zm9v","value":"YmFy"}},)"
      R"({"request_txn":{"failure":[{"request_delete_range":{"key":"YQ=="}}]}}],)"
      R"("failure":[{"request_range":{"key":"YQ=="}}]})");
  ASSERT_TRUE(t.ok()) << t.status().message();
  ASSERT_EQ(t->compare.size(), 2u);
  EXPECT_EQ(t->compare[0].target, kv::Compare::Target::kMod);
  EXPECT_EQ(t->compare[0].result, kv::Compare::Result::kNotEqual);
  EXPECT_EQ(t->compare[0].number, 4);
  EXPECT_EQ(t->compare[1].target, kv::Compare::Target::kCreate);
  ASSERT_EQ(t->success.size(), 2u);
  EXPECT_EQ(std::get<kv::PutRequest>(t->success[0].op).value, "bar");
  auto nested = std::get<std::shared_ptr<kv::TxnRequest>>(t->success[1].op);
  ASSERT_EQ(nested->failure.size(), 1u);
  EXPECT_EQ(std::get<kv::DeleteRangeRequest>(nested->failure[0].op).key, "a");
  EXPECT_EQ(std::get<kv::RangeRequest>(t->failure[0].op).key, "a");
}

TEST(EtcdJson, WatchStreamHoldsSeveralRequests) {
  RequestStream s(
      R"({"create_request":{"key":"L3cv","range_end":"L3cw","start_revision":1,"prev_kv":true,)"
      R"("filters":["NOPUT",1]}} {"create_request":{"key":"YQ==","watch_id":7}})"
      "\n"
      R"({"progress_request":{}}{"cancel_request":{"watch_id":"7"}} xx)");
  WatchControl w;
  ASSERT_TRUE(s.NextWatch(&w));
  EXPECT_EQ(w.kind, WatchControl::Kind::kCreate);
  EXPECT_EQ(w.create.key, "/w/");
  EXPECT_TRUE(w.create.prev_kv && w.create.no_put && w.create.no_delete);
  ASSERT_TRUE(s.NextWatch(&w));
  EXPECT_EQ(w.watch_id, 7);
  ASSERT_TRUE(s.NextWatch(&w));
  EXPECT_EQ(w.kind, WatchControl::Kind::kProgress);
  ASSERT_TRUE(s.NextWatch(&w));
  EXPECT_EQ(w.kind, WatchControl::Kind::kCancel);
  EXPECT_EQ(w.watch_id, 7);
  EXPECT_FALSE(s.NextWatch(&w));
  EXPECT_EQ(s.error().message(), "invalid character 'x' looking for beginning of value");
  EXPECT_FALSE(s.at_start());
}

TEST(EtcdJson, WatchStreamFedAsItArrives) {
  RequestStream s;
  WatchControl w;
  EXPECT_FALSE(s.NextWatch(&w));
  EXPECT_TRUE(s.waiting());
  s.Append(R"({"create_request":{"key":"YQ)");
  EXPECT_FALSE(s.NextWatch(&w));
  EXPECT_TRUE(s.waiting());
  EXPECT_TRUE(s.error().ok());
  s.Append(R"(=="}}  {"progress_)");
  ASSERT_TRUE(s.NextWatch(&w));
  EXPECT_EQ(w.kind, WatchControl::Kind::kCreate);
  EXPECT_EQ(w.create.key, "a");
  EXPECT_FALSE(s.NextWatch(&w));
  EXPECT_TRUE(s.waiting());
  EXPECT_EQ(s.buffered(), std::string(R"(  {"progress_)").size());
  s.Append("request\":{}}\n");
  ASSERT_TRUE(s.NextWatch(&w));
  EXPECT_EQ(w.kind, WatchControl::Kind::kProgress);
  EXPECT_FALSE(s.NextWatch(&w));
  EXPECT_TRUE(s.waiting());
  // A body that ends mid-value is an error; one that ends between values is not.
  s.Append("{\"cancel");
  s.Finish();
  EXPECT_FALSE(s.NextWatch(&w));
  EXPECT_FALSE(s.waiting());
  EXPECT_EQ(s.error().message(), "unexpected EOF");

  RequestStream t;
  t.Append("{\"ID\":\"5\"}\n");
  t.Finish();
  LeaseIdRequest id;
  ASSERT_TRUE(t.NextLeaseId(&id));
  EXPECT_EQ(id.id, 5);
  EXPECT_FALSE(t.NextLeaseId(&id));
  EXPECT_FALSE(t.waiting());
  EXPECT_TRUE(t.error().ok());
}

TEST(EtcdJson, EncodesResponsesLikeTheGateway) {
  Header h{14841639068965178418ull, 10276657743932975437ull, 2, 2};
  kv::RangeResponse r;
  r.kvs.push_back({"a", "1", 2, 2, 1, 0});
  r.count = 1;
  EXPECT_EQ(EncodeRangeResponse(h, r),
            R"({"header":{"cluster_id":"14841639068965178418","member_id":"10276657743932975437",)"
            R"("revision":"2","raft_term":"2"},"kvs":[{"key":"YQ==","create_revision":"2",)"
            R"("mod_revision":"2","version":"1","value":"MQ=="}],"count":"1"})");
  EXPECT_EQ(EncodeRangeResponse(Header{}, kv::RangeResponse{}), R"({"header":{}})");

  kv::TxnResponse t;
  t.revision = 10;
  t.succeeded = true;
  auto nested = std::make_shared<kv::TxnResponse>();
  nested->succeeded = true;
  kv::PutResponse pr;
  pr.revision = 10;
  pr.prev_kv = kv::KeyValue{"k", "v", 9, 9, 1, 0};
  nested->responses.push_back({pr});
  t.responses.push_back({nested});
  EXPECT_EQ(EncodeTxnResponse(Header{0, 0, 10, 0}, t),
            R"({"header":{"revision":"10"},"succeeded":true,"responses":[{"response_txn":)"
            R"({"header":{},"succeeded":true,"responses":[{"response_put":{"header":)"
            R"({"revision":"10"},"prev_kv":{"key":"aw==","create_revision":"9",)"
            R"("mod_revision":"9","version":"1","value":"dg=="}}}]}}]})");

  WatchResult w;
  w.header.revision = 6;
  w.watch_id = -1;
  kv::Event ev;
  ev.type = kv::Event::Type::kDelete;
  ev.kv.key = "a";
  ev.kv.mod_revision = 6;
  w.events.push_back(ev);
  EXPECT_EQ(EncodeWatchLine(w),
            "{\"result\":{\"header\":{\"revision\":\"6\"},\"watch_id\":\"-1\",\"events\":[{"
            "\"type\":\"DELETE\",\"kv\":{\"key\":\"YQ==\",\"mod_revision\":\"6\"}}]}}\n");

  kv::LeaseTimeToLiveResponse ttl;
  ttl.id = 1001;
  ttl.ttl = -1;
  EXPECT_EQ(EncodeLeaseTimeToLiveResponse(Header{}, ttl),
            R"({"header":{},"ID":"1001","TTL":"-1"})");
  EXPECT_EQ(EncodeHashResponse(Header{}, 3459830998u), R"({"header":{},"hash":3459830998})");
}

TEST(EtcdJson, ErrorBodiesAndStatusMapping) {
  auto e = EncodeError(3, "invalid character '\"' after object key:value pair");
  EXPECT_EQ(e.http_status, 400);
  EXPECT_EQ(e.body,
            R"({"error":"invalid character '\"' after object key:value pair","message":)"
            R"("invalid character '\"' after object key:value pair","code":3})");
  EXPECT_EQ(EncodeError(Status::NotFound(kv::kErrLeaseNotFound)).http_status, 404);
  EXPECT_EQ(EncodeError(Status::Expired(kv::kErrCompacted)).body,
            R"({"error":"etcdserver: mvcc: required revision has been compacted","message":)"
            R"("etcdserver: mvcc: required revision has been compacted","code":11})");
  EXPECT_EQ(EncodeError(3, "<&>").body,
            R"({"error":"\u003c\u0026\u003e","message":"\u003c\u0026\u003e","code":3})");

  Status s = DecodeError(400, R"({"error":"x","message":"etcdserver: mvcc: required revision )"
                              R"(has been compacted","code":11})");
  EXPECT_EQ(s.code(), Code::kExpired);
  EXPECT_EQ(kv::GrpcCode(s), 11);
  s = DecodeError(400, R"({"code":11,"message":"etcdserver: mvcc: required revision is a )"
                       R"(future revision"})");  // etcd 3.6 shape
  EXPECT_EQ(s.code(), Code::kBadRequest);
  EXPECT_EQ(kv::GrpcCode(s), 11);
  EXPECT_EQ(DecodeError(404, R"({"error":"etcdserver: requested lease not found","code":5})")
                .code(),
            Code::kNotFound);
  EXPECT_EQ(DecodeError(404, "Not Found\n").message(), "HTTP 404: Not Found");
}

TEST(EtcdJson, ClientRoundTrip) {
  kv::TxnRequest t;
  kv::Compare c;
  c.key = "k";
  c.target = kv::Compare::Target::kValue;
  c.result = kv::Compare::Result::kEqual;
  c.value = "v";
  t.compare.push_back(c);
  t.success.push_back({kv::PutRequest{"k", "w", 0, true}});
  auto nested = std::make_shared<kv::TxnRequest>();
  nested->success.push_back({kv::RangeRequest{"a", "b"}});
  t.failure.push_back({nested});
  auto back = DecodeTxnRequest(EncodeTxnRequest(t));
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->compare[0].value, "v");
  EXPECT_TRUE(std::get<kv::PutRequest>(back->success[0].op).prev_kv);
  EXPECT_EQ(std::get<kv::RangeRequest>(
                std::get<std::shared_ptr<kv::TxnRequest>>(back->failure[0].op)->success[0].op)
                .range_end,
            "b");

  kv::RangeResponse r;
  r.kvs.push_back({"a\xff", std::string("\0\1", 2), 2, 3, 4, 5});
  r.more = true;
  r.count = 9;
  Header hdr;
  auto rr = DecodeRangeResponse(EncodeRangeResponse(Header{1, 2, 3, 4}, r), &hdr);
  ASSERT_TRUE(rr.ok());
  EXPECT_EQ(hdr.member_id, 2u);
  EXPECT_EQ(rr->revision, 3);
  EXPECT_EQ(rr->kvs[0].key, "a\xff");
  EXPECT_EQ(rr->kvs[0].value, std::string("\0\1", 2));
  EXPECT_EQ(rr->kvs[0].lease, 5);
  EXPECT_TRUE(rr->more);
  EXPECT_EQ(rr->count, 9);

  std::string_view result;
  ASSERT_TRUE(SplitStreamLine(R"({"result":{"header":{},"watch_id":"-1"}})", &result).ok());
  EXPECT_EQ(DecodeWatchResult(result)->watch_id, -1);
  Status st = SplitStreamLine(
      R"({"error":{"grpc_code":11,"http_code":400,"message":"etcdserver: mvcc: required )"
      R"(revision has been compacted","http_status":"Bad Request"}})",
      &result);
  EXPECT_EQ(st.code(), Code::kExpired);
}

}  // namespace
}  // namespace common::etcd
