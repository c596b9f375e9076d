#include "peers/real_koji.hpp"

#include "infra/http/http_client.hpp"
#include "infra/util/encoding.hpp"
#include "peers/real_pagure.hpp"
#include "support/spawn_process_runner.hpp"
#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>

namespace ferry::testing {

namespace {

infra::process::ProcessResult run(const std::vector<std::string>& argv,
                                  const std::filesystem::path& home) {
  auto runner = make_spawn_process_runner();
  infra::process::Command command;
  command.argv = argv;
  command.env = {{"PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"},
                 {"HOME", home.string()}};
  if (const char* tmp = std::getenv("TMPDIR"); tmp != nullptr) {
    command.env["TMPDIR"] = tmp;
  }
  command.timeout = std::chrono::seconds(900); // a first start installs Debian packages
  auto result = runner->run(command);
  REQUIRE(result);
  return *result;
}

} // namespace

RealKoji::RealKoji(const std::vector<std::string>& releases) : m_state(m_dir / "koji") {
  // The servers run as www-data, postgres and rabbitmq: they must reach their files below the
  // state directory (a private temporary directory is 0700).
  std::filesystem::permissions(
      m_dir.path(), std::filesystem::perms::group_exec | std::filesystem::perms::others_exec,
      std::filesystem::perm_options::add);
  std::vector<std::string> start = {"start", "koji", "--state", m_state.string()};
  for (const std::string& release : releases) {
    start.insert(start.end(), {"--release", release});
  }
  m_koji = run_peer(start);
  run_peer({"seed", "koji", "--state", m_state.string(), "--user", "alice", "--package", "hello"});
}

RealKoji::~RealKoji() {
  (void)run({(peers_dir() / "bin" / "peer-koji").string(), "stop", "--state", m_state.string()},
            m_dir / "home");
}

nlohmann::json RealKoji::run_peer(const std::vector<std::string>& args) const {
  std::vector<std::string> argv = {(peers_dir() / "bin" / "peer-koji").string()};
  argv.insert(argv.end(), args.begin(), args.end());
  auto result = run(argv, m_dir / "home");
  INFO("peer-koji " << args.front() << ": exit " << result.exit_code << "\n" << result.err);
  REQUIRE(result.exit_code == 0);
  std::string out = result.out;
  return out.find('{') == std::string::npos ? nlohmann::json() : nlohmann::json::parse(out);
}

void RealKoji::start_bodhi() {
  m_bodhi = run_peer({"start", "bodhi", "--state", m_state.string()});
}

void RealKoji::start_builder() {
  run_peer({"builder", "--state", m_state.string(), "--watch", "--background"});
}

void RealKoji::set_maintenance(bool on) {
  run_peer({"maintenance", on ? "on" : "off", "--state", m_state.string()});
}

std::string RealKoji::hub_url() const {
  return m_koji.at("hub_url");
}
std::string RealKoji::ca_cert() const {
  return m_koji.at("ca_cert");
}
std::string RealKoji::krb5_conf() const {
  return m_koji.at("kerberos").at("krb5_conf");
}
std::string RealKoji::user_pem() const {
  return read_file(m_koji.at("users").at("alice").at("cert").get<std::string>());
}
std::string RealKoji::user_keytab_base64() const {
  return infra::util::base64_encode(
      read_file(m_koji.at("users").at("alice").at("keytab").get<std::string>()));
}
std::string RealKoji::user_principal() const {
  return m_koji.at("users").at("alice").at("principal");
}
std::string RealKoji::bodhi_url() const {
  return without_slash(m_bodhi.at("url"));
}
std::string RealKoji::oidc_url() const {
  return m_bodhi.at("oidc").at("url");
}

nlohmann::json RealKoji::call(const std::vector<std::string>& method_and_args) const {
  std::vector<std::string> argv = {
      m_koji.at("koji_cli"), "-c",           m_koji.at("admin").at("koji_conf"), "call", "--python",
      "--bare-strings",      "--json-output"};
  argv.insert(argv.end(), method_and_args.begin(), method_and_args.end());
  auto result = run(argv, m_dir / "home");
  INFO("koji call " << method_and_args.front() << ": exit " << result.exit_code << "\n"
                    << result.err);
  REQUIRE(result.exit_code == 0);
  return nlohmann::json::parse(result.out);
}

std::vector<nlohmann::json> RealKoji::build_tasks() const {
  nlohmann::json tasks = call({"listTasks", "opts={'method': 'build'}"});
  std::vector<nlohmann::json> list(tasks.begin(), tasks.end());
  std::sort(list.begin(), list.end(), [](const nlohmann::json& a, const nlohmann::json& b) {
    return a.at("id").get<long>() < b.at("id").get<long>();
  });
  return list;
}

nlohmann::json RealKoji::bodhi_updates(const std::string& nvr) const {
  auto http = infra::http::make_curl_http_client({});
  infra::http::Request request;
  request.url = bodhi_url() + "/updates/?builds=" + nvr;
  request.headers = {{"Accept", "application/json"}};
  auto response = http->send(request);
  REQUIRE(response);
  INFO("GET " << request.url << ": " << response->status << "\n" << response->body);
  REQUIRE(response->status == 200);
  return nlohmann::json::parse(response->body).at("updates");
}

} // namespace ferry::testing
