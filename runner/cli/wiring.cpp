#include "cli/wiring.hpp"

#include "core/sync/archives.hpp"

#include <fmt/format.h>

#include <ctime>

namespace ferry::cli {

std::unique_ptr<infra::http::HttpClient> make_http(const HttpAuth& auth) {
  infra::http::ClientOptions options;
  options.client_cert = auth.client_cert;
  options.client_cert_pem = auth.client_cert_pem;
  options.negotiate = auth.negotiate;
  return infra::http::make_curl_http_client(std::move(options));
}

std::string sync_author(const Settings& settings, const infra::git::Repository* dist_git) {
  if (auto author = settings.get("author")) {
    return *author;
  }
  if (auto packager = settings.env("RPM_PACKAGER")) {
    return *packager;
  }
  if (dist_git != nullptr) {
    auto name = dist_git->config_string("user.name");
    auto email = dist_git->config_string("user.email");
    if (name && email) {
      return fmt::format("{} <{}>", *name, *email);
    }
  }
  if (auto user = settings.get("fas_user")) {
    return fmt::format("{0} <{0}@fedoraproject.org>", *user);
  }
  return "ferry <ferry@localhost>";
}

std::optional<std::chrono::system_clock::time_point> sync_time(const Settings& settings) {
  auto epoch = settings.env("SOURCE_DATE_EPOCH");
  if (!epoch) {
    return std::nullopt;
  }
  char* end = nullptr;
  long long seconds = std::strtoll(epoch->c_str(), &end, 10);
  if (end == epoch->c_str() || *end != '\0' || seconds < 0) {
    return std::nullopt;
  }
  return std::chrono::system_clock::time_point(std::chrono::seconds(seconds));
}

std::string sync_date(const Settings& settings) {
  auto when = sync_time(settings).value_or(std::chrono::system_clock::now());
  std::time_t seconds = std::chrono::system_clock::to_time_t(when);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[16] = {};
  std::strftime(text, sizeof text, "%Y-%m-%d", &utc);
  return text;
}

namespace {

// A setting holding a positive number of seconds ("30", "0.5"); `fallback` when unset.
Result<std::chrono::milliseconds> seconds_setting(const Settings& settings, std::string_view name,
                                                  std::chrono::milliseconds fallback) {
  auto text = settings.get(name);
  if (!text) {
    return fallback;
  }
  char* end = nullptr;
  double seconds = std::strtod(text->c_str(), &end);
  if (end == text->c_str() || *end != '\0' || !(seconds > 0) || seconds > 86'400) {
    return fail(ErrorKind::config, std::string(name) + " '" + *text +
                                       "' is not a number of seconds between 0 and 86400");
  }
  return std::chrono::milliseconds(static_cast<long long>(seconds * 1000 + 0.5));
}

} // namespace

Status configure_git_transfers(const Settings& settings) {
  infra::git::TransferLimits limits;
  FERRY_TRY_ASSIGN(limits.stall_timeout,
                   seconds_setting(settings, "git_stall_timeout", limits.stall_timeout));
  FERRY_TRY_ASSIGN(limits.total_timeout,
                   seconds_setting(settings, "git_timeout", limits.total_timeout));
  infra::git::set_transfer_limits(limits);
  return {};
}

Result<std::vector<std::chrono::seconds>> archive_waits(const Settings& settings) {
  if (auto schedule = settings.get("archive_wait")) {
    return core::sync::parse_archive_waits(*schedule);
  }
  return core::sync::default_archive_waits();
}

bool test_hooks_built_in() {
#ifdef FERRY_TEST_HOOKS
  return true;
#else
  return false;
#endif
}

std::string crash_after_step(const Settings& settings) {
  if (!test_hooks_built_in()) {
    return "";
  }
  return settings.env("FERRY_CRASH_AFTER_STEP").value_or("");
}

Result<core::jobs::SyncOptions> sync_options(const Settings& settings,
                                             const std::filesystem::path& workdir,
                                             const infra::git::Repository* dist_git) {
  core::jobs::SyncOptions options;
  options.workdir = workdir;
  options.dry_run = settings.flag("dry_run");
  FERRY_TRY_ASSIGN(options.archive_waits, archive_waits(settings));
  options.steps.crash_after = crash_after_step(settings);
  options.author = sync_author(settings, dist_git);
  options.date = sync_date(settings);
  options.commit_time = sync_time(settings);
  options.ferry_version = FERRY_VERSION;
  options.command_prefix = settings.get_or("command_prefix", "/ferry");
  return options;
}

} // namespace ferry::cli
