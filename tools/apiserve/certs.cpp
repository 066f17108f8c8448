#include "certs.h"

#include <arpa/inet.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <ctime>
#include <memory>

#include "common/file.h"

namespace apiserve {

namespace {

using PKey = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using Cert = std::unique_ptr<X509, decltype(&X509_free)>;

bool AddExt(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
  if (!ext) return false;
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
  return true;
}

Cert MakeCert(EVP_PKEY* key, const std::string& cn, X509* issuer, EVP_PKEY* issuer_key,
              bool is_ca, const std::string& sans, int days) {
  Cert c(X509_new(), X509_free);
  X509_set_version(c.get(), 2);
  unsigned char serial[16];
  RAND_bytes(serial, sizeof serial);
  serial[0] &= 0x7f;
  BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
  BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(c.get()));
  BN_free(bn);
  X509_gmtime_adj(X509_getm_notBefore(c.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(c.get()), 60L * 60 * 24 * days);
  X509_set_pubkey(c.get(), key);
  X509_NAME* name = X509_get_subject_name(c.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
  X509_set_issuer_name(c.get(), issuer ? X509_get_subject_name(issuer) : name);
  X509* iss = issuer ? issuer : c.get();
  if (is_ca) {
    AddExt(c.get(), iss, NID_basic_constraints, "critical,CA:TRUE");
    AddExt(c.get(), iss, NID_key_usage, "critical,digitalSignature,keyEncipherment,keyCertSign");
    AddExt(c.get(), iss, NID_subject_key_identifier, "hash");
  } else {
    AddExt(c.get(), iss, NID_basic_constraints, "critical,CA:FALSE");
    AddExt(c.get(), iss, NID_key_usage, "critical,digitalSignature,keyEncipherment");
    AddExt(c.get(), iss, NID_ext_key_usage, "serverAuth");
    AddExt(c.get(), iss, NID_authority_key_identifier, "keyid:always");
    if (!sans.empty()) AddExt(c.get(), iss, NID_subject_alt_name, sans);
  }
  X509_sign(c.get(), issuer_key ? issuer_key : key, EVP_sha256());
  return c;
}

std::string Pem(X509* c) {
  BIO* b = BIO_new(BIO_s_mem());
  PEM_write_bio_X509(b, c);
  char* data;
  long n = BIO_get_mem_data(b, &data);
  std::string out(data, static_cast<size_t>(n));
  BIO_free(b);
  return out;
}

std::string PemKey(EVP_PKEY* k) {
  BIO* b = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(b, k, nullptr, nullptr, 0, nullptr, nullptr);
  char* data;
  long n = BIO_get_mem_data(b, &data);
  std::string out(data, static_cast<size_t>(n));
  BIO_free(b);
  return out;
}

bool IsIp(const std::string& s) {
  in_addr a4{};
  in6_addr a6{};
  return inet_pton(AF_INET, s.c_str(), &a4) == 1 || inet_pton(AF_INET6, s.c_str(), &a6) == 1;
}

}  // namespace

common::Result<CertPaths> EnsureSelfSignedCert(const std::string& dir,
                                               const std::vector<std::string>& names) {
  CertPaths p{dir + "/apiserve.crt", dir + "/apiserve.key", dir + "/ca.crt"};
  if (access(p.cert.c_str(), R_OK) == 0 && access(p.key.c_str(), R_OK) == 0) return p;
  RETURN_IF_ERROR(common::MakeDirs(dir, 0700));
  PKey ca_key(EVP_EC_gen("P-256"), EVP_PKEY_free);
  PKey key(EVP_EC_gen("P-256"), EVP_PKEY_free);
  if (!ca_key || !key) return common::Status::Internal("cannot generate a key pair");
  char host[256] = "localhost";
  gethostname(host, sizeof host - 1);
  std::string stamp = std::to_string(time(nullptr));
  Cert ca = MakeCert(ca_key.get(), std::string(host) + "-ca@" + stamp, nullptr, nullptr, true, "", 3650);
  std::string sans;
  std::vector<std::string> all = {"localhost", "127.0.0.1", "::1", "kubernetes",
                                  "kubernetes.default", "kubernetes.default.svc",
                                  "kubernetes.default.svc.cluster.local", host};
  all.insert(all.end(), names.begin(), names.end());
  std::vector<std::string> seen;
  for (const auto& n : all) {
    if (n.empty() || std::find(seen.begin(), seen.end(), n) != seen.end()) continue;
    seen.push_back(n);
    if (!sans.empty()) sans += ",";
    sans += (IsIp(n) ? "IP:" : "DNS:") + n;
  }
  Cert leaf = MakeCert(key.get(), std::string(host) + "@" + stamp, ca.get(), ca_key.get(), false,
                       sans, 365);
  RETURN_IF_ERROR(common::WriteFileAtomic(p.ca, Pem(ca.get()), 0644));
  RETURN_IF_ERROR(common::WriteFileAtomic(p.key, PemKey(key.get()), 0600));
  RETURN_IF_ERROR(common::WriteFileAtomic(p.cert, Pem(leaf.get()) + Pem(ca.get()), 0644));
  return p;
}

}  // namespace apiserve
