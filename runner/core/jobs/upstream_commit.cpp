#include "core/jobs/upstream_commit.hpp"

#include "infra/log/logger.hpp"
#include "infra/util/text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <ctime>

namespace ferry::core::jobs {

namespace forge = clients::forge;

namespace {

std::string dashed(std::string text, char from) {
  std::replace(text.begin(), text.end(), from, '-');
  return text;
}

bool digits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) != 0;
  });
}

int number(std::string_view text) {
  int value = 0;
  for (char c : text) {
    value = value * 10 + (c - '0');
  }
  return value;
}

// "Z", "", " UTC", "+02:00", "-0530": the offset from UTC in seconds.
std::optional<long> zone_offset(std::string_view zone) {
  if (zone.empty() || zone == "Z" || zone == " UTC" || zone == "UTC") {
    return 0;
  }
  if (zone.front() != '+' && zone.front() != '-') {
    return std::nullopt;
  }
  std::string clock(zone.substr(1));
  clock.erase(std::remove(clock.begin(), clock.end(), ':'), clock.end());
  if (clock.size() != 4 || !digits(clock)) {
    return std::nullopt;
  }
  long seconds = number(clock.substr(0, 2)) * 3600L + number(clock.substr(2)) * 60L;
  return zone.front() == '-' ? -seconds : seconds;
}

} // namespace

std::string check_name(std::string_view prefix, const UpstreamCommit& commit,
                       std::string_view chroot, std::string_view identifier) {
  std::string name(prefix);
  if (commit.trigger == "commit" && !commit.branch.empty()) {
    name += ":" + dashed(commit.branch, ':');
  } else if (commit.trigger == "release" && !commit.tag.empty()) {
    name += ":" + dashed(commit.tag, ':');
  }
  name += ":" + std::string(chroot);
  if (!identifier.empty()) {
    name += ":" + std::string(identifier);
  }
  return name;
}

std::string default_copr_project(const UpstreamCommit& commit) {
  std::string identifier = commit.trigger == "release" ? "releases"
                           : commit.pr_number          ? std::to_string(*commit.pr_number)
                                                       : commit.branch;
  std::string prefix =
      commit.on_github || commit.forge_host.empty() ? "" : dashed(commit.forge_host, ':') + "-";
  std::string name = fmt::format("{}{}-{}-{}", prefix, dashed(commit.repo.owner, '/'),
                                 commit.repo.name, dashed(identifier, '/'));
  return name;
}

std::optional<std::int64_t> parse_timestamp(std::string_view text) {
  // YYYY-MM-DD?HH:MM:SS
  if (text.size() < 19 || text[4] != '-' || text[7] != '-' ||
      (text[10] != 'T' && text[10] != ' ') || text[13] != ':' || text[16] != ':') {
    return std::nullopt;
  }
  std::string_view parts[] = {text.substr(0, 4),  text.substr(5, 2),  text.substr(8, 2),
                              text.substr(11, 2), text.substr(14, 2), text.substr(17, 2)};
  if (!std::all_of(std::begin(parts), std::end(parts), digits)) {
    return std::nullopt;
  }
  std::string_view rest = text.substr(19);
  if (rest.starts_with('.')) {
    std::size_t end = 1;
    while (end < rest.size() && std::isdigit(static_cast<unsigned char>(rest[end])) != 0) {
      ++end;
    }
    rest.remove_prefix(end);
  }
  auto offset = zone_offset(rest);
  if (!offset) {
    return std::nullopt;
  }
  std::tm tm{};
  tm.tm_year = number(parts[0]) - 1900;
  tm.tm_mon = number(parts[1]) - 1;
  tm.tm_mday = number(parts[2]);
  tm.tm_hour = number(parts[3]);
  tm.tm_min = number(parts[4]);
  tm.tm_sec = number(parts[5]);
  if (tm.tm_mon > 11 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 ||
      tm.tm_sec > 60) {
    return std::nullopt;
  }
  return static_cast<std::int64_t>(timegm(&tm)) - *offset;
}

std::string last_path_segment(std::string_view url) {
  while (url.ends_with('/')) {
    url.remove_suffix(1);
  }
  std::size_t slash = url.rfind('/');
  return std::string(slash == std::string_view::npos ? url : url.substr(slash + 1));
}

bool check_failed(const forge::CheckRun& check) {
  return check.state == forge::CommitState::failure || check.state == forge::CommitState::error;
}

CheckReporter::CheckReporter(forge::Forge* forge, forge::RepoRef repo, std::string sha,
                             bool enabled)
    : m_forge(forge), m_repo(std::move(repo)), m_sha(std::move(sha)),
      m_enabled(enabled && forge != nullptr && !m_sha.empty()) {}

const std::map<std::string, forge::CheckRun>& CheckReporter::current() {
  if (!m_current) {
    m_current.emplace();
    if (m_forge != nullptr && !m_sha.empty()) {
      auto checks = m_forge->commit_checks(m_repo, m_sha);
      if (checks) {
        for (forge::CheckRun& check : *checks) {
          (*m_current)[check.name] = std::move(check);
        }
      } else {
        infra::log::debug("the checks of {} could not be read: {}", m_sha.substr(0, 12),
                          checks.error().describe());
      }
    }
  }
  return *m_current;
}

void CheckReporter::report(const std::string& name, forge::CommitState state,
                           const std::string& full_title, const std::string& url) {
  if (!m_enabled) {
    return;
  }
  std::string title = infra::util::shorten_front(full_title, forge::k_status_description_chars);
  const auto& known = current();
  if (auto found = known.find(name); found != known.end() && found->second.state == state &&
                                     found->second.title == title &&
                                     (url.empty() || found->second.details_url == url)) {
    return;
  }
  forge::CheckRun check{m_sha, name, state, title, title, url};
  if (auto set = m_forge->report_check(m_repo, check); !set) {
    infra::log::warning("could not set the check {}: {}", name, set.error().describe());
    return;
  }
  (*m_current)[name] = check;
}

} // namespace ferry::core::jobs
