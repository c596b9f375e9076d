// The real Koji hub 1.35.3 (Apache, mod_ssl, mod_auth_gssapi, PostgreSQL, the sidetag plugin,
// its own MIT KDC) and the real Bodhi 8.1.1 on it, run by ../shared/peers/bin/peer-koji under a
// state directory of this object's own and stopped when it goes away. The user alice (client
// certificate CN=alice and principal alice@KOJI.TEST) owns the package hello in every release
// tag. A builder (the peer's stand-in for kojid, through the hub's real host API) completes
// build tasks when started. A missing peer fails the test (FERRY_PREREQUISITE_MISSING).
#pragma once

#include "support/temp_dir.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace ferry::testing {

class RealKoji {
public:
  // Starts the hub with `releases` ("f43": tags, targets f43-candidate and f43).
  explicit RealKoji(const std::vector<std::string>& releases);
  ~RealKoji();
  RealKoji(const RealKoji&) = delete;
  RealKoji& operator=(const RealKoji&) = delete;

  // Bodhi with the OIDC stand-in for Ipsilon, on this hub.
  void start_bodhi();
  // `peer-koji builder --watch --background`: every new build task is opened and completed.
  void start_builder();
  // The hub's ServerOffline switch (every call answers fault 1014).
  void set_maintenance(bool on);

  std::string hub_url() const;
  std::string ca_cert() const;
  std::string krb5_conf() const;
  std::string user_pem() const; // alice's certificate and key (FERRY_FEDORA_CERT)
  std::string user_keytab_base64() const;
  std::string user_principal() const;
  std::string bodhi_url() const; // without the final '/'
  std::string oidc_url() const;

  // `koji call --python --bare-strings --json-output METHOD ARGS...` as the hub's admin.
  nlohmann::json call(const std::vector<std::string>& method_and_args) const;
  // Every build task (listTasks method=build), oldest first.
  std::vector<nlohmann::json> build_tasks() const;
  // Bodhi's updates holding `nvr` (GET /updates/?builds=NVR).
  nlohmann::json bodhi_updates(const std::string& nvr) const;

private:
  nlohmann::json run_peer(const std::vector<std::string>& args) const;

  TempDir m_dir;
  std::filesystem::path m_state;
  nlohmann::json m_koji;
  nlohmann::json m_bodhi;
};

} // namespace ferry::testing
