#include "core/jobs/release_sync.hpp"

#include "core/spec/rpmvercmp.hpp"
#include "core/spec/spec_editor.hpp"
#include "core/spec/spec_evaluator.hpp"
#include "core/spec/spec_io.hpp"
#include "core/sync/actions.hpp"
#include "core/sync/archives.hpp"
#include "core/sync/dist_git_content.hpp"
#include "core/sync/release_version.hpp"
#include "infra/log/logger.hpp"
#include "infra/process/cancellation.hpp"
#include "infra/util/text.hpp"
#include "infra/util/tree_path.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <sstream>

namespace ferry::core::jobs {

namespace {

namespace fs = std::filesystem;
using job::BranchOutcome;
using job::Flow;
using job::OutcomeState;
using job::Step;
using json = nlohmann::ordered_json;

std::string setting_string(const json& settings, const char* key, std::string fallback = "") {
  auto found = settings.find(key);
  return found != settings.end() && found->is_string() ? found->get<std::string>() : fallback;
}

bool setting_bool(const json& settings, const char* key, bool fallback) {
  auto found = settings.find(key);
  return found != settings.end() && found->is_boolean() ? found->get<bool>() : fallback;
}

// A path from the config, relative to a repository: absolute paths, ".." and anything in
// ".git" are refused, so files_to_sync never names a file outside the two work trees or git's
// own files (a checkout's .git/config holds the CI token). Links are checked where the files
// are read and written (infra/util/tree_path.hpp).
Result<fs::path> inside(std::string_view relative, std::string_view what) {
  fs::path path(relative);
  bool escapes = path.is_absolute() || std::any_of(path.begin(), path.end(), [](const fs::path& p) {
                   return p == ".." || p == ".git";
                 });
  if (escapes || relative.empty()) {
    return fail(ErrorKind::config,
                fmt::format("files_to_sync: {} '{}' must be a path inside the repository, "
                            "outside .git",
                            what, relative));
  }
  return path;
}

Result<infra::git::Signature>
signature_of(std::string_view author, std::optional<std::chrono::system_clock::time_point> when) {
  std::size_t open = author.find('<');
  std::size_t close = author.find('>', open);
  if (open == std::string_view::npos || close == std::string_view::npos) {
    return fail(ErrorKind::config,
                fmt::format("author '{}' is not in the form 'Name <email>'", author));
  }
  std::string_view name = author.substr(0, open);
  while (!name.empty() && name.back() == ' ') {
    name.remove_suffix(1);
  }
  return infra::git::Signature{std::string(name),
                               std::string(author.substr(open + 1, close - open - 1)), when};
}

// State shared by the branches of one run: archives are fetched and checked once.
struct RunState {
  std::map<std::string, sync::FetchedArchive> fetched; // by file name
  std::set<std::string> in_lookaside;                  // sha512 of archives known stored
  std::optional<fs::path> created_archive;             // create-archive output (local mode)
  job::JobOutcome& outcome;
};

class BranchSync {
public:
  BranchSync(const ReleaseSyncInput& input, SyncServices& services, const SyncOptions& options,
             RunState& state, std::string branch)
      : m_input(input), m_services(services), m_options(options), m_state(state),
        m_settings(input.job->settings), m_branch(std::move(branch)),
        m_bot_branch(sync::bot_branch(input.facts.job, m_branch)) {
    m_outcome.branch = m_branch;
  }

  BranchOutcome run() {
    const Step steps[] = {
        {"clone_dist_git", [this] { return clone_dist_git(); }},
        {"check_version", [this] { return check_version(); }},
        {"inspect_bot_branch", [this] { return inspect_bot_branch(); }},
        {"run_pre_sync_actions", [this] { return run_pre_sync_actions(); }},
        {"update_spec", [this] { return update_spec(); }},
        {"sync_files", [this] { return sync_files(); }},
        {"fetch_archives", [this] { return fetch_archives(); }},
        {"upload_archives", [this] { return upload_archives(); }},
        {"write_sources", [this] { return write_sources(); }},
        {"commit", [this] { return commit(); }},
        {"push", [this] { return push(); }},
        {"open_pull_request", [this] { return open_pull_request(); }},
        {"fast_forward_merge_into", [this] { return fast_forward_merge_into(); }},
    };
    std::string scope = fmt::format("{} {}", m_input.facts.job, m_branch);
    auto flow = job::run_steps(scope, steps, m_options.steps);
    if (!flow) {
      m_outcome.state = OutcomeState::failed;
      m_outcome.reason = "error";
      m_outcome.detail = flow.error().describe();
    }
    return m_outcome;
  }

private:
  Flow finish(OutcomeState state, std::string reason, std::string detail) {
    m_outcome.state = state;
    m_outcome.reason = std::move(reason);
    m_outcome.detail = std::move(detail);
    return Flow::stop;
  }

  std::string downstream_name() const {
    return setting_string(m_settings, "downstream_package_name", m_input.package->name);
  }
  std::string upstream_name() const {
    return setting_string(m_settings, "upstream_package_name", m_input.package->name);
  }
  fs::path dist_git_spec() const { return m_dir / (downstream_name() + ".spec"); }

  // Every file of the dist-git clone is read and written through these two: a link that leads
  // out of the clone is refused, and a link in the place of a written file is replaced.
  Result<std::string> read_dist_git(const fs::path& relative) const {
    return infra::util::read_in_tree(m_dir, relative);
  }
  Status write_dist_git(const fs::path& relative, std::string_view text) const {
    FERRY_TRY_ASSIGN(fs::path path, infra::util::write_target_in_tree(m_dir, relative));
    return spec::write_file_atomically(path, infra::log::logger().redact(text)); // published
  }

  Result<spec::SpecFile> load_dist_git_spec() const {
    FERRY_TRY_ASSIGN(std::string text, read_dist_git(dist_git_spec().filename()));
    return spec::SpecFile::parse(std::move(text), dist_git_spec().string());
  }
  bool is_pull_from_upstream() const { return m_input.facts.job == "pull_from_upstream"; }

  std::optional<std::string> prerelease_pattern() const {
    auto found = m_settings.find("prerelease_suffix_pattern");
    if (found != m_settings.end() && found->is_null()) {
      return std::nullopt;
    }
    return setting_string(m_settings, "prerelease_suffix_pattern",
                          std::string(spec::k_default_prerelease_pattern));
  }

  std::map<std::string, std::string> action_env() const {
    std::string bugs;
    for (const std::string& bug : m_input.facts.resolved_bugs) {
      bugs += (bugs.empty() ? "" : " ") + bug;
    }
    return {{"PACKIT_CONFIG_PACKAGE_NAME", m_input.package->name},
            {"PACKIT_UPSTREAM_PACKAGE_NAME", upstream_name()},
            {"PACKIT_DOWNSTREAM_PACKAGE_NAME", downstream_name()},
            {"PACKIT_SPECFILE_PATH", m_input.package->specfile_path},
            {"PACKIT_UPSTREAM_REPO", upstream_dir().string()},
            {"PACKIT_DOWNSTREAM_REPO", m_dir.string()},
            {"PACKIT_PWD", upstream_dir().string()},
            {"PACKIT_PROJECT_VERSION", m_input.facts.version},
            {"PACKIT_UPSTREAM_TAG", m_input.facts.tag},
            {"PACKIT_PROJECT_UPSTREAM_TAG", m_input.facts.tag},
            {"PACKIT_UPSTREAM_COMMIT", m_input.facts.commit},
            {"PACKIT_RESOLVED_BUGS", bugs},
            {"PACKIT_PROJECT_PREVIOUS_VERSION", m_dist_git_version}};
  }

  // The upstream checkout, or an empty folder for non-git upstreams (Packit's behaviour).
  fs::path upstream_dir() const {
    return m_input.upstream_dir.empty() ? m_options.workdir / "no-upstream" : m_input.upstream_dir;
  }

  // Runs a configured action; nullopt when it is not configured.
  Result<std::optional<std::string>> run_action(std::string_view name) {
    FERRY_TRY_ASSIGN(auto commands, sync::configured_action(m_settings, name));
    if (commands.empty()) {
      return std::optional<std::string>();
    }
    std::error_code error;
    fs::create_directories(upstream_dir(), error);
    sync::ActionRun run{std::string(name), std::move(commands), upstream_dir(), action_env()};
    FERRY_TRY_ASSIGN(std::string output, sync::run_action(m_services.processes, run));
    return std::optional<std::string>(std::move(output));
  }

  Result<Flow> clone_dist_git() {
    FERRY_TRY_ASSIGN(infra::git::Remote origin, m_services.dist_git.origin());
    m_dir = m_options.workdir / "dist-git" / m_branch;
    std::error_code error;
    fs::remove_all(m_dir, error);
    auto repo = infra::git::Repository::clone(origin, m_dir, m_branch);
    if (!repo) {
      return std::unexpected(repo.error().add_context(
          fmt::format("cloning branch {} of {}", m_branch, m_services.dist_git.describe())));
    }
    m_repo.emplace(std::move(*repo));
    FERRY_TRY_ASSIGN(m_base, m_repo->resolve("HEAD"));
    return Flow::next;
  }

  Result<Flow> check_version() {
    FERRY_TRY_ASSIGN(spec::SpecFile spec, load_dist_git_spec());
    FERRY_TRY_ASSIGN(spec::SpecInfo info,
                     spec::evaluate_spec(spec, spec::disk_eval_options(dist_git_spec())));
    m_dist_git_version = info.version;
    FERRY_TRY_ASSIGN(m_proposed_version,
                     spec::prerelease_to_tilde(m_input.facts.version, prerelease_pattern()));
    int order = spec::rpmvercmp(info.version, m_proposed_version);
    if (order > 0) {
      return finish(OutcomeState::skipped, "downstream_version_newer",
                    fmt::format("dist-git {} has version {}, newer than {}", m_branch, info.version,
                                m_proposed_version));
    }
    if (order == 0) {
      return finish(OutcomeState::skipped, "already_in_dist_git",
                    fmt::format("dist-git {} already has version {}", m_branch, info.version));
    }
    std::string mask = setting_string(m_settings, "version_update_mask");
    if (!mask.empty() && m_branch != m_options.dist_git_default_branch) {
      FERRY_TRY_ASSIGN(bool allowed, sync::mask_allows(mask, info.version, m_proposed_version));
      if (!allowed) {
        return finish(OutcomeState::skipped, "version_update_mask",
                      fmt::format("{} -> {} does not keep version_update_mask '{}' on {}",
                                  info.version, m_proposed_version, mask, m_branch));
      }
    }
    return Flow::next;
  }

  // Whether every archive the bot commit's `sources` file names is in the lookaside.
  Result<bool> bot_commit_sources_stored(const std::string& bot_ref) {
    FERRY_TRY_ASSIGN(auto text, m_repo->read_file(bot_ref, "sources"));
    FERRY_TRY_ASSIGN(auto entries, clients::fedora::lookaside::parse_sources(text.value_or("")));
    for (const auto& entry : entries) {
      clients::fedora::lookaside::Archive archive{downstream_name(), entry.filename, entry.hash};
      if (m_state.in_lookaside.contains(entry.hash)) {
        continue;
      }
      FERRY_TRY_ASSIGN(bool stored, m_services.lookaside.has(archive));
      if (!stored) {
        return false;
      }
      m_state.in_lookaside.insert(entry.hash);
    }
    return true;
  }

  Result<Flow> inspect_bot_branch() {
    if (m_options.dry_run && !m_options.local) {
      infra::log::info("dry run: not looking for the bot branch {} (it would create the fork)",
                       m_bot_branch);
      return Flow::next;
    }
    FERRY_TRY_ASSIGN(m_bot_head, m_services.dist_git.fetch_bot_branch(*m_repo, m_bot_branch));
    if (!m_bot_head) {
      return Flow::next;
    }
    std::string bot_ref = "refs/remotes/bot/" + m_bot_branch;
    FERRY_TRY_ASSIGN(auto commits, m_repo->log(m_base, bot_ref));
    if (commits.empty()) {
      return Flow::next;
    }
    const infra::git::CommitInfo& oldest = commits.back();
    bool ours_for_release = sync::is_ferry_commit(oldest.message) &&
                            sync::upstream_tag_trailer(oldest.message) == m_input.facts.tag &&
                            oldest.message.starts_with(fmt::format("Update to {} upstream release",
                                                                   m_input.facts.version)) &&
                            oldest.parents == std::vector<std::string>{m_base};
    std::vector<std::string> others;
    for (const auto& commit : commits) {
      if (!sync::is_ferry_commit(commit.message)) {
        others.push_back(commit.author_name);
      }
    }
    if (ours_for_release) {
      FERRY_TRY_ASSIGN(bool stored, bot_commit_sources_stored(bot_ref));
      if (stored) {
        m_reuse_bot_commit = true;
        m_commit = *m_bot_head;
        infra::log::info(
            "{} already carries ferry's commit for {}{}: not pushing again", m_bot_branch,
            m_input.facts.version,
            others.empty() ? "" : fmt::format(" (and {} later commit(s), kept)", others.size()));
      }
      return Flow::next;
    }
    if (!others.empty()) {
      return finish(OutcomeState::failed, "bot_branch_has_other_commits",
                    fmt::format("the bot branch {} has {} commit(s) not made by ferry (by {}) on "
                                "top of an older sync; ferry does not drop them. Merge or close "
                                "its pull request, or delete the branch, then re-run",
                                m_bot_branch, others.size(), others.front()));
    }
    return Flow::next;
  }

  Result<Flow> run_pre_sync_actions() {
    if (m_reuse_bot_commit) {
      return Flow::next;
    }
    FERRY_TRY(run_action("post-upstream-clone"));
    FERRY_TRY(run_action("pre-sync"));
    return Flow::next;
  }

  Result<std::vector<std::string>> changelog_items() {
    FERRY_TRY_ASSIGN(auto from_action, run_action("changelog-entry"));
    if (from_action) {
      return sync::changelog_items_from_release_notes(*from_action);
    }
    std::vector<std::string> items;
    if (setting_bool(m_settings, "copy_upstream_release_description", false)) {
      items = sync::changelog_items_from_release_notes(m_input.release_notes);
    }
    if (items.empty()) {
      items.push_back(fmt::format("Update to version {}", m_input.facts.version));
    }
    for (const std::string& bug : m_input.facts.resolved_bugs) {
      items.push_back("Resolves: " + bug);
    }
    return items;
  }

  Result<std::string> source_spec_text(const std::string& dist_git_text) {
    if (is_pull_from_upstream() || m_input.upstream_dir.empty()) {
      return dist_git_text;
    }
    FERRY_TRY_ASSIGN(
        std::string upstream_text,
        infra::util::read_in_tree(m_input.upstream_dir, m_input.package->specfile_path));
    if (setting_bool(m_settings, "sync_changelog", false)) {
      return upstream_text;
    }
    return sync::spec_with_dist_git_changelog(upstream_text, dist_git_text,
                                              dist_git_spec().filename().string());
  }

  Result<Flow> update_spec() {
    if (m_reuse_bot_commit) {
      return Flow::next;
    }
    FERRY_TRY_ASSIGN(auto prepared, run_action("prepare-files"));
    if (prepared) {
      return Flow::next; // the action replaces ferry's spec update, as in Packit
    }
    FERRY_TRY_ASSIGN(std::string dist_git_text, read_dist_git(dist_git_spec().filename()));
    FERRY_TRY_ASSIGN(std::string base_text, source_spec_text(dist_git_text));
    if (setting_bool(m_settings, "sync_changelog", false) && !is_pull_from_upstream()) {
      FERRY_TRY(write_dist_git(dist_git_spec().filename(), base_text));
      return Flow::next;
    }
    sync::SpecUpdate update;
    update.version = m_input.facts.version;
    FERRY_TRY_ASSIGN(update.changelog, changelog_items());
    update.author = m_options.author;
    update.date = m_options.date;
    update.prerelease_suffix_pattern = prerelease_pattern();
    FERRY_TRY_ASSIGN(sync::SpecResult result,
                     sync::update_spec(base_text, dist_git_spec().filename().string(), update));
    for (const std::string& note : result.notes) {
      infra::log::info("{}: {}", dist_git_spec().filename().string(), note);
    }
    FERRY_TRY(write_dist_git(dist_git_spec().filename(), result.text));
    return Flow::next;
  }

  Status copy_into_dist_git(const fs::path& source, const fs::path& target, bool contents_only) {
    Status copied = [&]() -> Status {
      FERRY_TRY_ASSIGN(fs::path from, infra::util::write_target_in_tree(upstream_dir(), source));
      std::error_code error;
      bool whole_directory = fs::is_directory(fs::symlink_status(from, error)) && !contents_only;
      return infra::util::copy_in_trees(upstream_dir(), source, m_dir,
                                        whole_directory ? target / source.filename() : target);
    }();
    if (!copied) {
      return fail(copied.error().kind(),
                  fmt::format("files_to_sync: {}", copied.error().message()));
    }
    return {};
  }

  Status sync_entry(const json& entry) {
    std::vector<std::string> sources;
    std::string dest;
    if (entry.is_string()) {
      sources.push_back(entry.get<std::string>());
      dest = entry.get<std::string>();
    } else if (entry.is_object()) {
      const json& src = entry.value("src", json());
      if (src.is_string()) {
        sources.push_back(src.get<std::string>());
      } else if (src.is_array()) {
        for (const auto& item : src) {
          sources.push_back(item.get<std::string>());
        }
      }
      dest = entry.value("dest", std::string());
    }
    for (const std::string& source : sources) {
      if (source == m_input.package->specfile_path &&
          !setting_bool(m_settings, "sync_changelog", false)) {
        continue; // the spec is updated by update_spec, not copied
      }
      FERRY_TRY_ASSIGN(fs::path from, inside(source, "src"));
      FERRY_TRY_ASSIGN(fs::path to, inside(dest, "dest"));
      bool into_directory = dest.ends_with('/') || sources.size() > 1;
      fs::path target = into_directory && !source.ends_with('/') ? to / from.filename() : to;
      FERRY_TRY(copy_into_dist_git(from, target, source.ends_with('/')));
    }
    return {};
  }

  Result<Flow> sync_files() {
    if (m_reuse_bot_commit || is_pull_from_upstream() || m_input.upstream_dir.empty()) {
      return Flow::next;
    }
    auto found = m_settings.find("files_to_sync");
    if (found == m_settings.end() || !found->is_array()) {
      // Packit's default list: the spec (updated already) and the config file.
      if (!m_input.config_file.empty()) {
        FERRY_TRY(sync_entry(json(m_input.config_file)));
      }
      return Flow::next;
    }
    for (const json& entry : *found) {
      FERRY_TRY(sync_entry(entry));
    }
    return Flow::next;
  }

  std::string source_url(const spec::SourceEntry& entry) const {
    auto found = m_settings.find("sources");
    if (found != m_settings.end() && found->is_array()) {
      for (const auto& item : *found) {
        if (item.is_object() && item.value("path", std::string()) == entry.filename) {
          return item.value("url", entry.url);
        }
      }
    }
    return entry.url;
  }

  long main_source_number() const {
    auto found = m_settings.find("spec_source_id");
    if (found != m_settings.end() && found->is_number_integer()) {
      return found->get<long>();
    }
    std::string id = setting_string(m_settings, "spec_source_id", "Source0");
    std::string digits = id.starts_with("Source") ? id.substr(6) : id;
    return digits.empty() ? 0 : std::strtol(digits.c_str(), nullptr, 10);
  }

  // The upstream archive made locally: --archive, or create-archive in local mode.
  Result<std::optional<fs::path>> local_main_archive() {
    if (m_input.archive) {
      return std::optional<fs::path>(*m_input.archive);
    }
    if (!m_options.local || m_input.upstream_dir.empty()) {
      return std::optional<fs::path>();
    }
    if (!m_state.created_archive) {
      FERRY_TRY_ASSIGN(auto output, run_action("create-archive"));
      if (!output) {
        return std::optional<fs::path>();
      }
      std::string last;
      std::istringstream lines(*output);
      for (std::string line; std::getline(lines, line);) {
        if (!line.empty()) {
          last = line;
        }
      }
      if (last.empty()) {
        return fail(ErrorKind::process,
                    "action create-archive printed no archive path (its last line of output "
                    "must name the archive)");
      }
      fs::path path(last);
      m_state.created_archive = path.is_absolute() ? path : m_input.upstream_dir / path;
    }
    return std::optional<fs::path>(*m_state.created_archive);
  }

  Result<sync::FetchedArchive> fetch_one(const spec::SourceEntry& entry, bool main) {
    if (auto known = m_state.fetched.find(entry.filename); known != m_state.fetched.end()) {
      return known->second;
    }
    sync::FetchOptions fetch;
    fetch.into = m_options.workdir / "downloads";
    fetch.waits = m_options.archive_waits;
    fetch.sleep = m_options.sleep;
    fetch.on_wait = [this](const std::string& file, int attempt, std::chrono::seconds wait) {
      m_state.outcome.waits.push_back(
          fmt::format("{}: not published yet (404), waited {} s before attempt {}", file,
                      wait.count(), attempt + 1));
    };
    sync::ArchiveSource source{entry.filename, source_url(entry)};
    if (main) {
      FERRY_TRY_ASSIGN(auto local, local_main_archive());
      if (local) {
        source.url = fs::absolute(*local).string();
      }
    }
    FERRY_TRY_ASSIGN(sync::FetchedArchive archive,
                     sync::fetch_archive(m_services.http, source, fetch));
    m_state.fetched[entry.filename] = archive;
    return archive;
  }

  Result<Flow> fetch_archives() {
    if (m_reuse_bot_commit) {
      return Flow::next;
    }
    FERRY_TRY_ASSIGN(spec::SpecFile spec, load_dist_git_spec());
    FERRY_TRY_ASSIGN(spec::SpecInfo info,
                     spec::evaluate_spec(spec, spec::disk_eval_options(dist_git_spec())));
    long main_number = main_source_number();
    std::vector<spec::SourceEntry> entries = info.sources;
    entries.insert(entries.end(), info.patches.begin(), info.patches.end());
    for (const spec::SourceEntry& entry : entries) {
      bool main = !entry.patch && entry.number == main_number;
      bool remote = source_url(entry).find("://") != std::string::npos;
      FERRY_TRY_ASSIGN(auto tracked, m_repo->read_file("HEAD", entry.filename));
      if (tracked || entry.filename.empty()) {
        continue; // kept in git, not in the lookaside
      }
      if (remote || main) {
        FERRY_TRY_ASSIGN(sync::FetchedArchive archive, fetch_one(entry, main));
        m_archives.push_back(std::move(archive));
      } else if (auto local = infra::util::resolve_in_tree(m_dir, entry.filename);
                 local && fs::is_regular_file(*local)) {
        FERRY_TRY_ASSIGN(sync::FetchedArchive archive, sync::describe_archive(*local));
        m_archives.push_back(std::move(archive)); // a local archive, e.g. a vendor tarball
      }
    }
    FERRY_TRY(run_action("post-modifications"));
    return Flow::next;
  }

  Result<Flow> upload_archives() {
    if (m_reuse_bot_commit) {
      return Flow::next;
    }
    bool upload = setting_bool(m_settings, "upload_sources", true);
    for (const sync::FetchedArchive& fetched : m_archives) {
      clients::fedora::lookaside::Archive archive{downstream_name(), fetched.filename,
                                                  fetched.sha512};
      if (m_state.in_lookaside.contains(fetched.sha512)) {
        continue;
      }
      FERRY_TRY_ASSIGN(bool stored, m_services.lookaside.has(archive));
      if (stored) {
        infra::log::info("{} is in the lookaside cache already", fetched.filename);
      } else if (!upload) {
        infra::log::info("{}: upload_sources is false, not uploading", fetched.filename);
        continue;
      } else if (m_options.dry_run) {
        dry_run_print(fmt::format("would upload {} ({} bytes, sha512 {}) to {}\n", fetched.filename,
                                  fetched.size, fetched.sha512,
                                  m_services.lookaside.download_url(archive)));
        continue;
      } else {
        infra::log::info("uploading {} ({} bytes) to the lookaside cache", fetched.filename,
                         fetched.size);
        FERRY_TRY(m_services.lookaside.upload(archive, fetched.path));
        m_state.outcome.uploads.push_back(fetched.filename);
      }
      m_state.in_lookaside.insert(fetched.sha512);
    }
    return Flow::next;
  }

  Result<Flow> write_sources() {
    if (m_reuse_bot_commit) {
      return Flow::next;
    }
    std::vector<clients::fedora::lookaside::SourceEntry> entries;
    std::vector<std::string> files;
    for (const sync::FetchedArchive& archive : m_archives) {
      entries.push_back({"sha512", archive.filename, archive.sha512});
      files.push_back(archive.filename);
    }
    if (entries.empty()) {
      return Flow::next;
    }
    FERRY_TRY_ASSIGN(std::string sources, sync::sources_file_for(entries));
    FERRY_TRY(write_dist_git("sources", sources));
    std::string gitignore;
    if (std::error_code error; fs::exists(fs::symlink_status(m_dir / ".gitignore", error))) {
      FERRY_TRY_ASSIGN(gitignore, read_dist_git(".gitignore"));
    }
    FERRY_TRY(write_dist_git(".gitignore", sync::gitignore_with(gitignore, files)));
    return Flow::next;
  }

  void dry_run_print(const std::string& text) const {
    if (m_options.dry_run_out != nullptr) {
      *m_options.dry_run_out << text;
    }
  }

  Result<Flow> commit() {
    if (m_reuse_bot_commit) {
      return Flow::next;
    }
    if (m_options.dry_run) {
      FERRY_TRY_ASSIGN(std::string diff, m_repo->diff_to_workdir());
      dry_run_print(fmt::format("--- dry run: dist-git {} ({}) ---\n{}", m_branch,
                                m_services.dist_git.describe(), diff));
      dry_run_print(fmt::format("would commit:\n{}\n",
                                sync::commit_message(m_input.facts, m_options.ferry_version)));
      return Flow::next;
    }
    FERRY_TRY_ASSIGN(infra::git::Signature who,
                     signature_of(m_options.author, m_options.commit_time));
    auto commit =
        m_repo->commit_all(sync::commit_message(m_input.facts, m_options.ferry_version), who, who);
    if (!commit && commit.error().kind() == ErrorKind::conflict) {
      return finish(
          OutcomeState::skipped, "no_changes",
          fmt::format("dist-git {} already has this content: nothing to commit", m_branch));
    }
    FERRY_TRY_ASSIGN(m_commit, std::move(commit));
    m_outcome.commit = m_commit;
    return Flow::next;
  }

  bool opens_pull_request() const {
    return !m_options.local && setting_bool(m_settings, "create_pr", true);
  }

  Result<Flow> push() {
    m_outcome.commit = m_commit;
    if (m_reuse_bot_commit) {
      return Flow::next;
    }
    if (m_options.dry_run) {
      dry_run_print(opens_pull_request() || m_options.local
                        ? fmt::format("would push the commit to branch {}\n", m_bot_branch)
                        : fmt::format("would push the commit to dist-git branch {}\n", m_branch));
      return Flow::next;
    }
    if (!opens_pull_request() && !m_options.local) {
      FERRY_TRY(m_services.dist_git.push_to_branch(*m_repo, m_branch, m_base));
      return finish(OutcomeState::success, "pushed",
                    fmt::format("pushed {} to dist-git {}", m_commit.substr(0, 12), m_branch));
    }
    FERRY_TRY(m_services.dist_git.push_bot_branch(*m_repo, m_bot_branch, m_bot_head.value_or("")));
    return Flow::next;
  }

  Result<Flow> open_pull_request() {
    if (m_options.local) {
      return finish(OutcomeState::success, m_reuse_bot_commit ? "up_to_date" : "committed",
                    fmt::format("{}commit {} on branch {} of {}",
                                m_reuse_bot_commit ? "already done: " : "", m_commit.substr(0, 12),
                                m_bot_branch, m_services.dist_git.describe()));
    }
    std::string title = sync::pull_request_title(m_branch, m_input.facts.version);
    std::string body = sync::pull_request_body(m_input.facts, m_branch);
    if (m_options.dry_run) {
      dry_run_print(fmt::format("would open or update a pull request from {} into {}:\n"
                                "title: {}\n{}\n",
                                m_bot_branch, m_branch, title, body));
      return finish(OutcomeState::success, "dry_run", "nothing was written (--dry-run)");
    }
    FERRY_TRY_ASSIGN(auto pull_request,
                     m_services.dist_git.open_pull_request(m_bot_branch, m_branch, title, body));
    if (pull_request) {
      m_outcome.pull_request_url = pull_request->url;
      if (!pull_request->update_refused.empty()) {
        FERRY_TRY(note_outdated_title(*pull_request));
      }
    }
    m_outcome.state = OutcomeState::success;
    m_outcome.reason = "pull_request_opened";
    m_outcome.detail = pull_request ? pull_request->url : m_bot_branch;
    return Flow::next;
  }

  // The forge kept the pull request's old title and body while its branch now carries this
  // version: the pull request says so in a comment, once per version, and the branch succeeds.
  Status note_outdated_title(const clients::forge::PullRequest& pull_request) {
    infra::log::warning("{}: dist-git kept the old title and description of {} ({}); commenting "
                        "that it now carries {}",
                        m_branch, pull_request.url, pull_request.update_refused,
                        m_input.facts.version);
    return m_services.dist_git.comment_once(
        pull_request, sync::outdated_title_marker(m_input.facts.version),
        sync::outdated_title_note(m_input.facts, pull_request.update_refused));
  }

  Result<Flow> fast_forward_merge_into() {
    auto found = m_input.fast_forward_merge_into.find(m_branch);
    if (found == m_input.fast_forward_merge_into.end()) {
      return Flow::next;
    }
    for (const std::string& target : found->second) {
      std::string title = sync::pull_request_title(target, m_input.facts.version);
      std::string body = sync::pull_request_body(m_input.facts, target);
      FERRY_TRY_ASSIGN(auto pull_request,
                       m_services.dist_git.open_pull_request(m_bot_branch, target, title, body));
      if (pull_request) {
        infra::log::info("fast-forward pull request into {}: {}", target, pull_request->url);
      }
    }
    return Flow::next;
  }

  const ReleaseSyncInput& m_input;
  SyncServices& m_services;
  const SyncOptions& m_options;
  RunState& m_state;
  const json& m_settings;
  std::string m_branch;
  std::string m_bot_branch;
  BranchOutcome m_outcome;

  fs::path m_dir;
  std::optional<infra::git::Repository> m_repo;
  std::string m_base;
  std::string m_dist_git_version;
  std::string m_proposed_version;
  std::optional<std::string> m_bot_head;
  bool m_reuse_bot_commit = false;
  std::vector<sync::FetchedArchive> m_archives;
  std::string m_commit;
};

clients::forge::CommitState commit_state(OutcomeState state) {
  switch (state) {
  case OutcomeState::success:
  case OutcomeState::skipped:
    return clients::forge::CommitState::success;
  case OutcomeState::failed:
    return clients::forge::CommitState::failure;
  }
  return clients::forge::CommitState::error;
}

bool reports_to_upstream(const ReleaseSyncInput& input, const SyncServices& services,
                         const SyncOptions& options) {
  return services.upstream_forge != nullptr && !options.local && !options.dry_run &&
         input.facts.job == "propose_downstream" && !input.facts.commit.empty();
}

void report_status(const ReleaseSyncInput& input, SyncServices& services,
                   const BranchOutcome& outcome) {
  clients::forge::CommitStatus status;
  status.sha = input.facts.commit;
  status.state = commit_state(outcome.state);
  status.context = "propose-downstream:" + outcome.branch;
  std::string description =
      outcome.state == OutcomeState::failed    ? "Propose downstream failed: " + outcome.detail
      : outcome.state == OutcomeState::skipped ? "Skipped: " + outcome.detail
                                               : "Propose downstream finished successfully.";
  status.description =
      infra::util::shorten_front(description, clients::forge::k_status_description_chars);
  status.target_url =
      !outcome.pull_request_url.empty() ? outcome.pull_request_url : input.facts.run_url;
  if (auto set = services.upstream_forge->set_commit_status(services.upstream_repo, status); !set) {
    infra::log::warning("could not set the status {}: {}", status.context, set.error().describe());
  }
}

void report_failures(const ReleaseSyncInput& input, SyncServices& services,
                     const SyncOptions& options, const job::JobOutcome& outcome) {
  const json& settings = input.job->settings;
  bool create = true;
  std::string extra;
  if (auto notifications = settings.find("notifications");
      notifications != settings.end() && notifications->is_object()) {
    create = notifications->value("/failure_issue/create"_json_pointer, true);
    extra = notifications->value("/failure_comment/message"_json_pointer, std::string());
  }
  std::vector<sync::BranchFailure> failures;
  for (const BranchOutcome& branch : outcome.branches) {
    if (branch.state == OutcomeState::failed) {
      failures.push_back({branch.branch, branch.detail});
    }
  }
  if (!create || failures.empty()) {
    return;
  }
  auto issue = services.upstream_forge->report_issue(
      services.upstream_repo, sync::failure_issue_title(input.facts),
      sync::failure_issue_body(input.facts, failures, options.command_prefix, extra));
  if (!issue) {
    infra::log::warning("could not report the failure in an issue: {}", issue.error().describe());
  } else {
    infra::log::info("failure reported in {}", issue->url);
  }
}

} // namespace

job::JobOutcome run_release_sync(const ReleaseSyncInput& input, SyncServices& services,
                                 const SyncOptions& options) {
  job::JobOutcome outcome;
  outcome.job = input.facts.job;
  outcome.package = input.package->name;
  RunState state{{}, {}, {}, outcome};
  for (const std::string& branch : input.branches) {
    if (infra::process::cancel_requested()) {
      return outcome; // cancelled: no status, no failure issue — the rerun reports
    }
    infra::log::info("{} {} {} → {}", input.facts.job, input.package->name, input.facts.version,
                     branch);
    BranchOutcome result = BranchSync(input, services, options, state, branch).run();
    infra::log::info("{}: {} ({}){}", branch, job::to_string(result.state), result.reason,
                     result.detail.empty() ? "" : ": " + result.detail);
    if (reports_to_upstream(input, services, options) && !infra::process::cancel_requested()) {
      report_status(input, services, result);
    }
    outcome.branches.push_back(std::move(result));
  }
  if (reports_to_upstream(input, services, options) && !infra::process::cancel_requested()) {
    report_failures(input, services, options, outcome);
  }
  return outcome;
}

} // namespace ferry::core::jobs
