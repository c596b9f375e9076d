// `ferry version` and `ferry doctor`: what this binary is and whether it can reach services.
#include "cli/commands.hpp"
#include "cli/wiring.hpp"
#include "infra/git/repository.hpp"
#include "infra/http/http_client.hpp"
#include "infra/log/logger.hpp"
#include "infra/util/tls.hpp"
#include "infra/util/url.hpp"

#include <ostream>

namespace ferry::cli {

namespace {

namespace http = infra::http;

std::string_view ci_name(infra::log::CiFlavor flavor) {
  switch (flavor) {
  case infra::log::CiFlavor::github:
    return "GitHub-style Actions (GitHub, Forgejo, Gitea)";
  case infra::log::CiFlavor::gitlab:
    return "GitLab CI";
  case infra::log::CiFlavor::none:
    break;
  }
  return "none detected";
}

void print_build_details(std::ostream& out) {
  auto bundle = infra::util::find_ca_bundle();
  out << http::http_library_description() << "\n"
      << infra::git::git_library_description() << "\n"
      << "CA bundle: " << (bundle ? bundle->string() : "none found (set SSL_CERT_FILE)") << "\n"
      << "CI: " << ci_name(infra::log::detect_ci_flavor()) << "\n";
  if (test_hooks_built_in()) {
    out << "test hooks: built in (FERRY_CRASH_AFTER_STEP); a test build, not for production\n";
  }
}

ExitCode run_version(const Invocation& call) {
  call.out << "ferry " FERRY_VERSION "\n";
  if (call.global.verbose) {
    print_build_details(call.out);
  }
  return ExitCode::ok;
}

http::ClientOptions doctor_client_options(const ParsedArguments& args) {
  http::ClientOptions options;
  options.retry.max_attempts = 1; // doctor reports what happens, it does not insist
  options.total_timeout = std::chrono::milliseconds(20'000);
  if (args.has("client-cert")) {
    options.client_cert = args.value_or("client-cert", "");
  }
  if (args.has("client-key")) {
    options.client_key = args.value_or("client-key", "");
  }
  options.negotiate = args.has("negotiate");
  return options;
}

ExitCode run_doctor(const Invocation& call) {
  call.out << "ferry " FERRY_VERSION "\n";
  print_build_details(call.out);
  auto client = http::make_curl_http_client(doctor_client_options(call.args));
  bool all_ok = true;
  for (const std::string& url : call.args.positionals()) {
    http::Request request;
    request.url = url;
    auto response = client->send(request);
    std::string shown = infra::log::logger().redact(infra::util::redact_url(url));
    if (response) {
      bool reachable = response->status < 400;
      all_ok = all_ok && reachable;
      call.out << "GET " << shown << " -> " << response->status << " (" << response->elapsed.count()
               << " ms)" << (reachable ? "" : "  FAILED") << "\n";
    } else {
      all_ok = false;
      call.out << "GET " << shown << " -> "
               << infra::log::logger().redact(response.error().message()) << "  FAILED\n";
    }
  }
  return all_ok ? ExitCode::ok : ExitCode::job_failed;
}

constexpr OptionSpec k_doctor_options[] = {
    {"client-cert", "PEM", "client certificate (and key, if in the same file) for TLS"},
    {"client-key", "PEM", "client key, when not in the certificate file"},
    {"negotiate", "", "authenticate with HTTP Negotiate (Kerberos ticket from KRB5CCNAME)"},
};
constexpr PositionalSpec k_doctor_positionals[] = {
    {"URL", "a URL to fetch, to check DNS, TLS and authentication", true, true},
};

constexpr Command k_commands[] = {
    {"version",
     "print ferry's version (--verbose: libraries, CA bundle, CI)",
     "",
     {},
     {},
     run_version},
    {"doctor", "check this environment: libraries, CA bundle, CI, and reachability of URLs",
     "Each URL is fetched once with GET; the exit code is 1 if any fails.", k_doctor_options,
     k_doctor_positionals, run_doctor},
};

} // namespace

std::span<const Command> basic_commands() {
  return k_commands;
}

} // namespace ferry::cli
