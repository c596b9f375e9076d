#include "core/jobs/dist_git_build.hpp"

#include "core/spec/rpmvercmp.hpp"
#include "core/spec/spec_evaluator.hpp"
#include "core/spec/spec_file.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <regex>
#include <set>

namespace ferry::core::jobs {

namespace {

bool is_fedora(const model::BodhiRelease& release) {
  return release.id_prefix == "FEDORA";
}

bool is_epel(const model::BodhiRelease& release) {
  return release.id_prefix == "FEDORA-EPEL";
}

double numeric(std::string_view version) {
  return std::strtod(std::string(version).c_str(), nullptr);
}

std::string digits_after(std::string_view text, std::string_view prefix) {
  if (!text.starts_with(prefix)) {
    return "";
  }
  std::string_view rest = text.substr(prefix.size());
  bool numeric_rest =
      !rest.empty() && rest.find_first_not_of("0123456789.") == std::string_view::npos;
  return numeric_rest ? std::string(rest) : "";
}

void set_fedora(BranchRelease& out, const std::string& version) {
  out.dist = ".fc" + version;
  out.macros = {{"fedora", version}};
}

// EPEL 10 minor releases: "10.1" -> ".el10_1"; the macros name the major version.
void set_epel(BranchRelease& out, std::string version) {
  std::string major = version.substr(0, version.find('.'));
  std::replace(version.begin(), version.end(), '.', '_');
  out.dist = ".el" + version;
  out.macros = {{"rhel", major}, {"epel", major}};
}

const model::BodhiRelease* rawhide_of(std::span<const model::BodhiRelease> releases) {
  const model::BodhiRelease* newest = nullptr;
  for (const model::BodhiRelease& release : releases) {
    if (is_fedora(release) && release.branch == "rawhide" &&
        (newest == nullptr || numeric(release.version) > numeric(newest->version))) {
      newest = &release;
    }
  }
  return newest;
}

std::string trimmed(std::string_view text) {
  std::size_t first = text.find_first_not_of(" \t\r\n");
  std::size_t last = text.find_last_not_of(" \t\r\n");
  return first == std::string_view::npos ? "" : std::string(text.substr(first, last - first + 1));
}

// "* Mon Sep 01 2025 Name <mail> - 1.2.0-1" -> "1.2.0-1"
std::string evr_of_header(std::string_view header) {
  std::string line = trimmed(header);
  std::size_t space = line.find_last_of(" \t");
  std::string last = space == std::string::npos ? "" : line.substr(space + 1);
  if (!last.empty() && last.front() == '-') {
    last.erase(0, 1);
  }
  bool looks_like_evr = !last.empty() && last.find('>') == std::string::npos &&
                        std::isdigit(static_cast<unsigned char>(last.front())) != 0;
  return looks_like_evr ? last : "";
}

std::vector<ChangelogItem> changelog_of(const spec::SpecFile& spec, const spec::SpecInfo& info) {
  std::vector<ChangelogItem> items;
  if (!info.changelog_section) {
    return items;
  }
  for (const spec::ChangelogEntry& entry : spec::changelog_entries(spec, *info.changelog_section)) {
    ChangelogItem item;
    item.header = trimmed(spec.view(spec.lines()[entry.header_line].content));
    std::string text;
    for (std::size_t i = entry.header_line + 1; i < entry.end_line; ++i) {
      text += std::string(spec.view(spec.lines()[i].content)) + "\n";
    }
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
      text.pop_back();
    }
    item.text = std::move(text);
    item.evr = evr_of_header(item.header);
    items.push_back(std::move(item));
  }
  return items;
}

// "1.2.0-1.fc41" without the dist part of the release ("1.2.0-1"), for comparing with
// changelog EVRs, which carry no dist.
spec::Evr without_dist(const std::string& evr) {
  spec::Evr parsed = spec::parse_evr(evr);
  static const std::regex k_dist(R"(\.(fc|el|eln)[0-9_]+.*$)");
  parsed.release = std::regex_replace(parsed.release, k_dist, "");
  return parsed;
}

} // namespace

BranchRelease branch_release(std::string_view branch,
                             std::span<const model::BodhiRelease> releases) {
  BranchRelease out;
  out.branch = std::string(branch);
  const model::BodhiRelease* found = nullptr;
  if (branch == "rawhide" || branch == "main") {
    found = rawhide_of(releases);
  } else {
    for (const model::BodhiRelease& release : releases) {
      if ((is_fedora(release) || is_epel(release)) && release.branch == branch) {
        found = &release;
        break;
      }
    }
  }
  if (found != nullptr) {
    out.bodhi = *found;
    if (is_fedora(*found)) {
      set_fedora(out, found->version);
    } else {
      set_epel(out, found->version);
    }
    out.automatic_updates = !found->composed_by_bodhi || found->create_automatic_updates;
    return out;
  }
  if (std::string version = digits_after(branch, "f"); !version.empty()) {
    set_fedora(out, version);
  } else if (std::string epel = digits_after(branch, "epel"); !epel.empty()) {
    set_epel(out, epel);
  }
  out.automatic_updates = branch == "rawhide" || branch == "main";
  return out;
}

Result<SpecFacts> read_spec_facts(const std::string& text, const std::string& file_name,
                                  const BranchRelease& release, spec::FileReader read_file) {
  FERRY_TRY_ASSIGN(spec::SpecFile spec, spec::SpecFile::parse(text, file_name));
  spec::EvalOptions options;
  options.defines.emplace_back("dist", release.dist);
  for (const auto& macro : release.macros) {
    options.defines.push_back(macro);
  }
  options.read_file = std::move(read_file);
  FERRY_TRY_ASSIGN(spec::SpecInfo info, spec::evaluate_spec(spec, options));
  SpecFacts facts;
  facts.name = info.name;
  facts.epoch = info.epoch;
  facts.version = info.version;
  facts.release = info.release;
  facts.autochangelog = info.autochangelog;
  bool known = !info.autorelease && !info.name.empty() && !info.version.empty() &&
               !info.release.empty() && info.release.find('%') == std::string::npos &&
               info.version.find('%') == std::string::npos;
  if (known) {
    facts.nvr = fmt::format("{}-{}-{}", info.name, info.version, info.release);
  }
  facts.changelog = changelog_of(spec, info);
  return facts;
}

DistGitCommits::DistGitCommits(infra::git::Repository& repo,
                               std::map<std::string, std::string> pinned, std::string remote_prefix)
    : m_repo(repo), m_pinned(std::move(pinned)), m_remote_prefix(std::move(remote_prefix)) {}

Result<std::string> DistGitCommits::commit_for(const std::string& branch) const {
  if (auto pinned = m_pinned.find(branch); pinned != m_pinned.end()) {
    return pinned->second;
  }
  if (auto remote = m_repo.resolve(m_remote_prefix + branch)) {
    return *remote;
  }
  auto local = m_repo.resolve("refs/heads/" + branch);
  if (!local) {
    return fail(ErrorKind::not_found,
                fmt::format("dist-git {} has no branch {}", m_repo.path().string(), branch));
  }
  return *local;
}

Result<std::string> DistGitCommits::file_at(const std::string& commit,
                                            const std::string& path) const {
  FERRY_TRY_ASSIGN(auto text, m_repo.read_file(commit, path));
  if (!text) {
    return fail(ErrorKind::not_found, fmt::format("dist-git commit {} has no {}: is "
                                                  "downstream_package_name (or the spec's name) "
                                                  "right?",
                                                  commit.substr(0, 12), path));
  }
  return std::move(*text);
}

Result<std::string> DistGitCommits::message_of(const std::string& commit) const {
  FERRY_TRY_ASSIGN(infra::git::CommitInfo info, m_repo.commit_info(commit));
  return info.message;
}

std::string DistGitCommits::describe() const {
  return m_repo.path().string();
}

Result<SpecFacts> DistGitCommits::spec_at(const std::string& commit, const std::string& spec_path,
                                          const BranchRelease& release) const {
  FERRY_TRY_ASSIGN(std::string text, file_at(commit, spec_path));
  spec::FileReader reader = [this, commit](std::string_view path) -> Result<std::string> {
    return file_at(commit, std::string(path));
  };
  auto facts = read_spec_facts(text, spec_path, release, reader);
  if (!facts) {
    return std::unexpected(facts.error().add_context(
        fmt::format("reading {} at dist-git commit {}", spec_path, commit.substr(0, 12))));
  }
  return facts;
}

std::vector<ChangelogItem> entries_since(const SpecFacts& facts, const std::string& stable_evr) {
  std::vector<ChangelogItem> newer;
  if (facts.changelog.empty()) {
    return newer;
  }
  if (stable_evr.empty()) {
    return {facts.changelog.front()};
  }
  spec::Evr stable = without_dist(stable_evr);
  for (const ChangelogItem& item : facts.changelog) {
    if (item.evr.empty() || spec::compare_evr(without_dist(item.evr), stable) <= 0) {
      break;
    }
    newer.push_back(item);
  }
  return newer;
}

std::string update_notes(const std::vector<PackageNotes>& packages) {
  std::string nvrs;
  for (const PackageNotes& package : packages) {
    nvrs += (nvrs.empty() ? "" : ", ") + package.nvr;
  }
  std::string notes = fmt::format("Automatic update for {}.", nvrs);
  for (const PackageNotes& package : packages) {
    if (package.changelog.empty()) {
      continue;
    }
    notes += fmt::format("\n\n##### **Changelog for {}**\n\n```\n{}\n```", package.package,
                         package.changelog);
  }
  return notes;
}

std::vector<std::string> bugs_in(std::string_view notes) {
  static const std::regex k_bug(
      R"((fix|fixes|close|closes|resolve|resolves)(:)?\s(fedora|epel|rh|rhbz)#(\d{5,}))",
      std::regex::icase);
  std::vector<std::string> bugs;
  std::set<std::string> seen;
  std::string text(notes);
  for (auto it = std::sregex_iterator(text.begin(), text.end(), k_bug);
       it != std::sregex_iterator(); ++it) {
    std::string id = (*it)[4].str();
    if (seen.insert(id).second) {
      bugs.push_back(id);
    }
  }
  return bugs;
}

} // namespace ferry::core::jobs
