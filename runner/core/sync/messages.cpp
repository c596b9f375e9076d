#include "core/sync/messages.hpp"

#include "infra/util/json.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <sstream>

namespace ferry::core::sync {

namespace {

constexpr std::string_view k_tag_trailer = "Upstream-Tag: ";
constexpr std::string_view k_version_trailer = "Ferry-Version: ";
constexpr std::string_view k_marker_open = "<!-- ferry: ";
constexpr std::string_view k_marker_close = " -->";

std::string dashed(std::string_view job) {
  std::string name(job);
  std::replace(name.begin(), name.end(), '_', '-');
  return name;
}

std::string link(std::string_view text, std::string_view url) {
  return url.empty() ? std::string(text) : fmt::format("[{}]({})", text, url);
}

// Markdown table cells: a '|' or a line break would end the cell.
std::string table_cell(std::string_view text) {
  std::string cell;
  for (char c : text) {
    if (c == '|') {
      cell += "\\|";
    } else if (c == '\n' || c == '\r') {
      cell += ' ';
    } else {
      cell += c;
    }
  }
  return cell;
}

std::string trailer_value(std::string_view message, std::string_view trailer) {
  std::istringstream lines{std::string(message)};
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with(trailer)) {
      return line.substr(trailer.size());
    }
  }
  return "";
}

} // namespace

std::string bot_branch(std::string_view job, std::string_view dist_git_branch) {
  return fmt::format("ferry/{}/{}", dist_git_branch, dashed(job));
}

std::string commit_message(const SyncFacts& facts, std::string_view ferry_version) {
  std::string message = fmt::format("Update to {} upstream release\n\n", facts.version);
  for (const std::string& bug : facts.resolved_bugs) {
    message += fmt::format("- Resolves: {}\n", bug);
  }
  if (!facts.resolved_bugs.empty()) {
    message += "\n";
  }
  if (!facts.tag.empty()) {
    message += fmt::format("Upstream tag: {}\n", facts.tag);
  }
  if (!facts.commit.empty()) {
    message += fmt::format("Upstream commit: {}\n", facts.commit);
  }
  message += "\nCommit authored by ferry automation (https://github.com/ferry-bot/ferry)\n\n";
  if (!facts.tag.empty()) {
    message += fmt::format("{}{}\n", k_tag_trailer, facts.tag);
  }
  message += fmt::format("{}{}\n", k_version_trailer, ferry_version);
  return message;
}

std::string upstream_tag_trailer(std::string_view message) {
  return trailer_value(message, k_tag_trailer);
}

bool is_ferry_commit(std::string_view message) {
  return !trailer_value(message, k_version_trailer).empty();
}

std::string pull_request_title(std::string_view dist_git_branch, std::string_view version) {
  return fmt::format("Update {} to upstream release {}", dist_git_branch, version);
}

std::string pull_request_body(const SyncFacts& facts, std::string_view dist_git_branch) {
  std::string body;
  if (!facts.tag.empty()) {
    body += fmt::format("Upstream tag: {}\n", link(facts.tag, facts.tag_url));
  }
  if (!facts.commit.empty()) {
    body += fmt::format("Upstream commit: {}\n", link(facts.commit, facts.commit_url));
  }
  if (facts.release_monitoring_id) {
    body += fmt::format(
        "Release monitoring project: [{0}](https://release-monitoring.org/project/{0})\n",
        *facts.release_monitoring_id);
  }
  for (const std::string& bug : facts.resolved_bugs) {
    std::string number = bug.starts_with("rhbz#") ? bug.substr(5) : bug;
    body += fmt::format("Resolves: [{}](https://bugzilla.redhat.com/show_bug.cgi?id={})\n", bug,
                        number);
  }
  body += "\n---\n\n";
  body += "This pull request was opened by ferry from the upstream project's own CI. To change "
          "it, push to the branch it comes from, or comment `/ferry " +
          dashed(facts.job) + "` on the upstream release issue to re-run it.\n";
  body += "\n---\n\nBefore merging, please check:\n"
          "- [ ] the package still follows the Fedora packaging guidelines,\n"
          "- [ ] the new sources contain only permissible content,\n"
          "- [ ] license changes (if any) are reflected in `License:`,\n"
          "- [ ] API/ABI changes are handled (dependent packages, soname bumps),\n"
          "- [ ] the generated changelog entry reads well.\n";
  if (!facts.run_url.empty()) {
    body += fmt::format("\n---\n\nLogs and details of the syncing: [CI run]({})\n", facts.run_url);
  }
  nlohmann::ordered_json marker = {{"job", facts.job},
                                   {"package", facts.package},
                                   {"branch", std::string(dist_git_branch)},
                                   {"version", facts.version},
                                   {"tag", facts.tag}};
  if (!facts.run_url.empty()) {
    marker["run"] = facts.run_url;
  }
  // dump() escapes nothing that could close the HTML comment except "--" sequences: encode '-'
  // inside strings is not needed since the JSON is ASCII and "-->" cannot occur unescaped.
  std::string json = marker.dump(-1, ' ', true, nlohmann::json::error_handler_t::replace);
  for (std::size_t at = json.find("--"); at != std::string::npos; at = json.find("--", at)) {
    json.replace(at, 2, "-\\u002d");
  }
  body += fmt::format("\n{}{}{}\n", k_marker_open, json, k_marker_close);
  return body;
}

std::string outdated_title_marker(std::string_view version) {
  return fmt::format("<!-- ferry: holds {} -->", version);
}

std::string outdated_title_note(const SyncFacts& facts, std::string_view refusal) {
  std::string tag = facts.tag.empty() ? "" : fmt::format(" (upstream tag {})", facts.tag);
  return fmt::format(
      "This pull request now carries version **{}**{}. Its title and description still name "
      "the version it was opened for: dist-git refused to update them ({}). A member of the "
      "package can edit them, or close this pull request and re-run ferry to open a fresh one.\n"
      "\n{}",
      facts.version, tag, refusal, outdated_title_marker(facts.version));
}

std::optional<nlohmann::json> find_marker(std::string_view body) {
  std::size_t begin = body.rfind(k_marker_open);
  if (begin == std::string_view::npos) {
    return std::nullopt;
  }
  begin += k_marker_open.size();
  std::size_t end = body.find(k_marker_close, begin);
  if (end == std::string_view::npos) {
    return std::nullopt;
  }
  nlohmann::json marker = infra::util::parse_json_or_discarded(body.substr(begin, end - begin));
  if (marker.is_discarded() || !marker.is_object()) {
    return std::nullopt;
  }
  return marker;
}

std::string failure_issue_title(const SyncFacts& facts) {
  std::string what =
      facts.job == "pull_from_upstream" ? "Pull from upstream" : "Propose downstream";
  return fmt::format("[ferry] {} failed for release {}", what,
                     facts.tag.empty() ? facts.version : facts.tag);
}

std::string failure_table(const std::vector<BranchFailure>& failures) {
  std::string table = "| Branch | Error |\n| --- | --- |\n";
  for (const BranchFailure& failure : failures) {
    table +=
        fmt::format("| `{}` | {} |\n", table_cell(failure.branch), table_cell(failure.message));
  }
  return table;
}

std::string failure_issue_body(const SyncFacts& facts, const std::vector<BranchFailure>& failures,
                               std::string_view command_prefix, std::string_view extra_message) {
  std::string body = fmt::format("ferry could not sync release {} of {} into these dist-git "
                                 "branches:\n\n",
                                 facts.tag.empty() ? facts.version : facts.tag, facts.package);
  body += failure_table(failures);
  if (!facts.run_url.empty()) {
    body += fmt::format("\nLogs: [CI run]({})\n", facts.run_url);
  }
  body += fmt::format("\nTo retry, fix the cause and comment `{} {}` on this issue.\n",
                      command_prefix, dashed(facts.job));
  if (!extra_message.empty()) {
    body += fmt::format("\n{}\n", extra_message);
  }
  return body;
}

} // namespace ferry::core::sync
