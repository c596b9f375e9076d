// `ferry propose-downstream --local`: the release sync run from an upstream checkout against a
// local dist-git clone and a directory lookaside — no network, no tokens — committing on a bot
// branch of the clone exactly what CI would push.
#include "cli/commands.hpp"
#include "cli/settings.hpp"
#include "cli/wiring.hpp"
#include "core/config/config.hpp"
#include "core/jobs/release_sync.hpp"
#include "core/spec/rpmvercmp.hpp"
#include "core/spec/spec_evaluator.hpp"
#include "core/spec/spec_io.hpp"
#include "core/sync/release_version.hpp"
#include "infra/log/logger.hpp"
#include "infra/util/tree_path.hpp"
#include "infra/util/work_dir.hpp"

#include <fmt/format.h>

#include <ostream>

namespace ferry::cli {

namespace {

namespace fs = std::filesystem;
namespace config = core::config;
namespace sync = core::sync;
using nlohmann::ordered_json;

std::string package_setting(const config::PackageConfig& package, const char* key) {
  auto found = package.settings.find(key);
  return found != package.settings.end() && found->is_string() ? found->get<std::string>()
                                                               : package.name;
}

Result<const config::PackageConfig*> choose_package(const config::Config& loaded,
                                                    const Settings& settings) {
  auto wanted = settings.get("package");
  for (const config::PackageConfig& package : loaded.packages) {
    if (!wanted || package.name == *wanted) {
      return &package;
    }
  }
  return fail(ErrorKind::usage, wanted ? fmt::format("the config has no package '{}'", *wanted)
                                       : std::string("the config defines no package"));
}

// The package's propose_downstream job, or one made of the package's settings (as Packit's
// CLI works without a job entry).
config::JobConfig sync_job(const config::Config& loaded, const config::PackageConfig& package) {
  for (const config::JobConfig& job : loaded.jobs) {
    if (job.package == package.name && job.type == "propose_downstream") {
      return job;
    }
  }
  config::JobConfig job;
  job.type = "propose_downstream";
  job.trigger = "release";
  job.package = package.name;
  job.settings = package.settings;
  return job;
}

struct UpstreamRelease {
  std::string version;
  std::string tag;
  std::string commit;
};

// --version, else the newest tag of the checkout that fits upstream_tag_template, else the
// upstream spec's Version.
Result<UpstreamRelease> local_release(const Settings& settings, const fs::path& upstream,
                                      const config::PackageConfig& package) {
  std::string tag_template =
      package.settings.value("upstream_tag_template", std::string(sync::k_default_tag_template));
  std::string upstream_name = package_setting(package, "upstream_package_name");
  UpstreamRelease release;
  auto repo = infra::git::Repository::open(upstream);
  if (auto given = settings.get("version")) {
    release.version = *given;
  } else if (repo) {
    FERRY_TRY_ASSIGN(auto tags, repo->tags());
    for (const infra::git::TagInfo& tag : tags) {
      FERRY_TRY_ASSIGN(auto version, sync::version_from_tag(tag_template, tag.name, upstream_name));
      if (version &&
          (release.version.empty() || core::spec::rpmvercmp(*version, release.version) > 0)) {
        release.version = *version;
      }
    }
  }
  if (release.version.empty()) {
    fs::path spec_path = upstream / package.specfile_path;
    FERRY_TRY_ASSIGN(std::string text, infra::util::read_in_tree(upstream, package.specfile_path));
    FERRY_TRY_ASSIGN(core::spec::SpecFile spec,
                     core::spec::SpecFile::parse(std::move(text), spec_path.string()));
    FERRY_TRY_ASSIGN(core::spec::SpecInfo info,
                     core::spec::evaluate_spec(spec, core::spec::disk_eval_options(spec_path)));
    release.version = info.version;
  }
  release.tag = sync::tag_for_version(tag_template, release.version, upstream_name);
  if (repo) {
    auto commit = repo->resolve("refs/tags/" + release.tag);
    if (commit) {
      release.commit = *commit;
    } else {
      infra::log::info("no tag {} in {}: syncing the checkout as it is", release.tag,
                       upstream.string());
      release.tag.clear();
      release.commit = repo->resolve("HEAD").value_or("");
    }
  } else {
    release.tag.clear();
  }
  return release;
}

fs::path default_lookaside(const Settings& settings) {
  if (auto cache = settings.env("XDG_CACHE_HOME")) {
    return fs::path(*cache) / "ferry/lookaside";
  }
  return fs::path(settings.env("HOME").value_or("/tmp")) / ".cache/ferry/lookaside";
}

Result<std::vector<std::string>> local_branches(const Settings& settings,
                                                const ParsedArguments& args,
                                                const infra::git::Repository& dist_git) {
  if (args.has("dist-git-branch")) {
    return args.values("dist-git-branch");
  }
  if (auto branch = settings.get("dist_git_branch")) {
    return std::vector<std::string>{*branch};
  }
  auto current = dist_git.current_branch();
  if (!current) {
    return fail(ErrorKind::usage, "the dist-git clone has no branch checked out: name one with "
                                  "--dist-git-branch");
  }
  return std::vector<std::string>{*current};
}

void print_outcome(std::ostream& out, const core::job::JobOutcome& outcome) {
  for (const core::job::BranchOutcome& branch : outcome.branches) {
    out << fmt::format("{} {}: {} ({})", outcome.package, branch.branch,
                       core::job::to_string(branch.state), branch.reason);
    if (!branch.detail.empty()) {
      out << ": " << branch.detail;
    }
    out << "\n";
  }
  for (const std::string& upload : outcome.uploads) {
    out << fmt::format("stored {} in the lookaside directory\n", upload);
  }
}

Result<core::job::JobOutcome> propose_locally(const Invocation& call, const Settings& settings) {
  fs::path upstream = fs::weakly_canonical(fs::absolute(settings.get_or("upstream", ".")));
  fs::path config_file;
  if (auto given = settings.get("config")) {
    config_file = *given;
  } else {
    FERRY_TRY_ASSIGN(config_file, config::find_config_file(upstream));
  }
  FERRY_TRY_ASSIGN(config::Config loaded, config::load_config(config_file));
  FERRY_TRY_ASSIGN(const config::PackageConfig* package, choose_package(loaded, settings));
  config::JobConfig job = sync_job(loaded, *package);
  std::string downstream = package_setting(*package, "downstream_package_name");

  fs::path dist_git_path =
      fs::weakly_canonical(fs::absolute(settings.get_or("dist_git", "../" + downstream)));
  auto dist_git_repo = infra::git::Repository::open(dist_git_path);
  if (!dist_git_repo) {
    return fail(ErrorKind::usage,
                fmt::format("{} is not a dist-git clone ({}); give one with --dist-git PATH",
                            dist_git_path.string(), dist_git_repo.error().message()));
  }
  FERRY_TRY_ASSIGN(UpstreamRelease release, local_release(settings, upstream, *package));

  core::jobs::ReleaseSyncInput input;
  input.package = package;
  input.job = &job;
  FERRY_TRY_ASSIGN(input.branches, local_branches(settings, call.args, *dist_git_repo));
  input.facts.job = "propose_downstream";
  input.facts.package = downstream;
  input.facts.version = release.version;
  input.facts.tag = release.tag;
  input.facts.commit = release.commit;
  input.upstream_dir = upstream;
  input.config_file = fs::relative(fs::absolute(config_file), upstream).string();
  if (auto archive = settings.get("archive")) {
    input.archive = fs::absolute(*archive);
  }

  FERRY_TRY_ASSIGN(infra::util::WorkDir workdir, infra::util::WorkDir::create());
  FERRY_TRY_ASSIGN(core::jobs::SyncOptions options,
                   sync_options(settings, workdir.path(), &*dist_git_repo));
  options.local = true;
  options.dry_run = call.global.dry_run || options.dry_run;
  options.dry_run_out = &call.out;

  auto dist_git = core::jobs::make_local_dist_git(dist_git_path);
  fs::path lookaside_dir =
      fs::weakly_canonical(fs::absolute(settings.get_or("lookaside", default_lookaside(settings))));
  auto lookaside = clients::fedora::lookaside::make_directory_lookaside(lookaside_dir);
  auto http = make_http();
  auto processes = infra::process::make_boost_process_runner();
  core::jobs::SyncServices services{*dist_git, *lookaside, *http, *processes, nullptr, {}};
  infra::log::info("propose-downstream {} {} from {} into {} (lookaside {})", downstream,
                   release.version, upstream.string(), dist_git->describe(),
                   lookaside_dir.string());
  return core::jobs::run_release_sync(input, services, options);
}

ExitCode run_propose_downstream(const Invocation& call) {
  Settings settings(&call.args, core::event::process_environment());
  if (!call.args.has("local")) {
    return report_failure(
        Error(ErrorKind::usage,
              "propose-downstream runs here with --local (a local dist-git clone and lookaside "
              "directory); in CI, `ferry run` runs it for release events and /ferry comments"));
  }
  auto outcome = propose_locally(call, settings);
  if (!outcome) {
    return report_failure(outcome.error());
  }
  print_outcome(call.out, *outcome);
  return outcome->failed() ? ExitCode::job_failed : ExitCode::ok;
}

constexpr OptionSpec k_propose_options[] = {
    {"local", "", "use a local dist-git clone and a lookaside directory (no network, no tokens)"},
    {"dist-git", "PATH", "the dist-git clone (default: ../<downstream_package_name>)"},
    {"dist-git-branch", "BRANCH",
     "a dist-git branch to sync (repeatable; default: the clone's checked-out branch)", true},
    {"lookaside", "DIR",
     "the lookaside directory, laid out like the download URLs "
     "(default: ~/.cache/ferry/lookaside)"},
    {"version", "VERSION",
     "the upstream version (default: the newest tag fitting upstream_tag_template)"},
    {"archive", "PATH", "the upstream archive itself, instead of downloading the spec's Source"},
    {"upstream", "PATH", "the upstream checkout (default: the current directory)"},
    {"config", "PATH", "the Packit config (default: found in the upstream checkout)"},
    {"package", "NAME", "the package of a monorepo config (default: the first)"},
    {"author", "'NAME <EMAIL>'",
     "changelog and commit author (default: RPM_PACKAGER, then git config)"},
    {"archive-wait", "SECONDS,...",
     "waits while the archive is not published (default 60,120,240,480,960,1920)"},
};

constexpr Command k_commands[] = {
    {"propose-downstream",
     "sync an upstream release into dist-git (here with --local; in CI via `ferry run`)",
     "With --local, run inside an upstream checkout: updates the spec (Version, Release, "
     "%changelog), `sources` and .gitignore of a local dist-git clone, stores the archive in a "
     "lookaside directory (DIR/rpms/NAME/FILE/sha512/HASH/FILE) and commits on the branch "
     "ferry/<branch>/propose-downstream of the clone — the commit CI would push. Running it "
     "again changes nothing. --dry-run prints the diff instead of committing. Honours "
     "SOURCE_DATE_EPOCH for reproducible commits.",
     k_propose_options,
     {},
     run_propose_downstream},
};

} // namespace

std::span<const Command> sync_commands() {
  return k_commands;
}

} // namespace ferry::cli
