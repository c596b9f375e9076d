// `ferry validate-config` and `ferry plan`: the Packit config, the CI event and the job plan
// from the command line.
#include "cli/commands.hpp"
#include "clients/fedora/bodhi/releases_client.hpp"
#include "core/config/aliases.hpp"
#include "core/config/config.hpp"
#include "core/event/ci_environment.hpp"
#include "core/event/event_parser.hpp"
#include "core/plan/plan.hpp"
#include "infra/http/http_client.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <ostream>
#include <sstream>

namespace ferry::cli {

namespace {

namespace config = core::config;
namespace event = core::event;
namespace bodhi = clients::fedora::bodhi;

// The config file: --config, else a file or directory given as PATH, else the current
// directory, searched for Packit's file names.
Result<std::filesystem::path> config_path(const ParsedArguments& args, std::string_view fallback) {
  std::filesystem::path given =
      args.has("config")
          ? args.value_or("config", "")
          : (args.positionals().empty() ? std::string(fallback) : args.positionals().front());
  std::error_code error;
  if (std::filesystem::is_directory(given, error)) {
    return config::find_config_file(given);
  }
  if (!std::filesystem::exists(given, error)) {
    return fail(ErrorKind::config, fmt::format("config file '{}' does not exist", given.string()));
  }
  return given;
}

ExitCode run_validate_config(const Invocation& call) {
  auto path = config_path(call.args, ".");
  if (!path) {
    return report_failure(path.error());
  }
  config::LoadResult result = config::load_config_file(*path);
  if (result.config) {
    config::check_repository_files(
        *result.config,
        path->parent_path().empty() ? std::filesystem::path(".") : path->parent_path(), result);
  }
  for (const config::Diagnostic& warning : result.warnings) {
    call.out << "warning: " << config::format_diagnostic(warning) << "\n";
  }
  if (!result.errors.empty()) {
    for (const config::Diagnostic& error : result.errors) {
      call.out << "error: " << config::format_diagnostic(error) << "\n";
    }
    call.out << fmt::format("{}: {} error{}\n", path->string(), result.errors.size(),
                            result.errors.size() == 1 ? "" : "s");
    return ExitCode::usage;
  }
  call.out << path->string() << ": OK\n";
  return ExitCode::ok;
}

Result<model::Forge> forge_option(const ParsedArguments& args) {
  if (!args.has("forge")) {
    return event::detect_forge(event::process_environment()).value_or(model::Forge::github);
  }
  std::string name = args.value_or("forge", "");
  auto forge = model::forge_from_string(name);
  if (!forge) {
    return fail(ErrorKind::usage,
                fmt::format("--forge '{}': expected github, gitlab or forgejo", name));
  }
  return *forge;
}

// --event FILE (a payload), else --event-name with flags (a local event), else the CI run's.
Result<model::Event> plan_event(const ParsedArguments& args) {
  model::Forge forge = model::Forge::github;
  FERRY_TRY_ASSIGN(forge, forge_option(args));
  if (args.has("event")) {
    return event::read_event_file(forge, args.value_or("event-name", ""),
                                  args.value_or("event", ""));
  }
  if (args.has("event-name")) {
    event::LocalEventOptions local;
    local.forge = args.has("forge") ? forge : model::Forge::local;
    local.kind = args.value_or("event-name", "");
    local.tag = args.value_or("tag", "");
    local.branch = args.value_or("branch", "");
    local.comment = args.value_or("comment", "");
    local.repository = args.value_or("repository", "");
    return event::local_event(local);
  }
  return event::read_ci_event(event::process_environment());
}

Result<std::string> read_small_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return fail(ErrorKind::usage, fmt::format("cannot read '{}'", path));
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Bodhi's releases from --releases-file (a saved `GET /releases/` body) or from Bodhi itself.
Result<config::Aliases> plan_aliases(const ParsedArguments& args) {
  std::vector<model::BodhiRelease> releases;
  if (args.has("releases-file")) {
    std::string path = args.value_or("releases-file", "");
    std::string body;
    FERRY_TRY_ASSIGN(body, read_small_file(path));
    auto page = bodhi::parse_releases_page(body);
    if (!page) {
      return fail(ErrorKind::usage,
                  fmt::format("--releases-file '{}': {}", path, page.error().message()));
    }
    releases = std::move(page->releases);
  } else {
    infra::http::ClientOptions options;
    options.total_timeout = std::chrono::milliseconds(30'000);
    auto http = infra::http::make_curl_http_client(options);
    bodhi::ReleasesClient client(
        *http, args.value_or("bodhi-url", std::string(bodhi::k_default_bodhi_url)));
    FERRY_TRY_ASSIGN(releases, client.active_releases());
  }
  return config::Aliases::from_releases(releases);
}

Result<std::string> plan_text(const Invocation& call) {
  model::Event current;
  FERRY_TRY_ASSIGN(current, plan_event(call.args));
  std::filesystem::path path;
  FERRY_TRY_ASSIGN(path, config_path(call.args, "."));
  config::Config loaded;
  FERRY_TRY_ASSIGN(loaded, config::load_config(path));
  config::Aliases aliases;
  FERRY_TRY_ASSIGN(aliases, plan_aliases(call.args));
  core::plan::PlanOptions options;
  if (call.args.has("prefix")) {
    options.command_prefixes.prefixes = call.args.values("prefix");
  }
  core::plan::Plan plan = core::plan::make_plan(current, loaded, aliases, options);
  return core::plan::to_json(plan).dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

ExitCode run_plan(const Invocation& call) {
  auto text = plan_text(call);
  if (!text) {
    return report_failure(text.error());
  }
  call.out << *text << "\n";
  return ExitCode::ok;
}

constexpr OptionSpec k_plan_options[] = {
    {"event", "FILE", "the event payload (default: the CI run's event)"},
    {"event-name", "NAME",
     "the event's name (release, issue_comment, push, ...); without "
     "--event it describes a local event with --tag/--branch/--comment"},
    {"forge", "FORGE", "github, gitlab or forgejo (default: detected from the CI, else github)"},
    {"config", "PATH", "the Packit config file (default: found in the current directory)"},
    {"releases-file", "FILE", "a saved Bodhi `GET /releases/` body, instead of asking Bodhi"},
    {"bodhi-url", "URL", "Bodhi to ask for releases (default https://bodhi.fedoraproject.org)"},
    {"tag", "TAG", "local event: the released or pushed tag"},
    {"branch", "BRANCH", "local event: the pushed or target branch"},
    {"comment", "TEXT", "local event: the comment text (a /packit or /ferry command)"},
    {"repository", "OWNER/NAME", "local event: the repository"},
    {"prefix", "PREFIX",
     "a comment-command prefix to honour (repeatable; default /packit and "
     "/ferry)",
     true},
};

constexpr OptionSpec k_validate_options[] = {
    {"config", "PATH",
     "the config file (default: .packit.yaml, .packit.yml, packit.yaml or "
     "packit.yml in PATH or the current directory)"},
};
constexpr PositionalSpec k_validate_positionals[] = {
    {"PATH", "a config file, or the repository directory holding it", true, false},
};

constexpr Command k_commands[] = {
    {"validate-config", "check a Packit config (.packit.yaml): prints OK or every error",
     "Errors name the file, line, column and key, and say what is expected; the exit code is 2 "
     "when there are errors.",
     k_validate_options, k_validate_positionals, run_validate_config},
    {"plan",
     "print, as JSON, which jobs the event runs and why the others do not",
     "Reads the event (from --event, flags, or the CI environment), the Packit config and "
     "Bodhi's releases, and prints {\"event\", \"jobs\", \"skipped\"} (docs/plan-json.md).",
     k_plan_options,
     {},
     run_plan},
};

} // namespace

std::span<const Command> config_commands() {
  return k_commands;
}

} // namespace ferry::cli
