// Packit's loading pipeline (packit-compat.md §1.1), on the YAML document as JSON.
#include "core/config/config.hpp"
#include "core/config/schema.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <fstream>

namespace ferry::core::config {

namespace {

using json = nlohmann::ordered_json;

constexpr std::size_t k_max_config_bytes = std::size_t{4} << 20;

constexpr std::array<std::string_view, 4> k_config_names{".packit.yaml", ".packit.yml",
                                                         "packit.yaml", "packit.yml"};

// Job types Packit removed, and what replaced them.
constexpr std::array<std::pair<std::string_view, std::string_view>, 2> k_removed_job_types{{
    {"build", "copr_build"},
    {"production_build", "upstream_koji_build"},
}};

// Job keys Packit renames (with a warning) before validation.
constexpr std::array<std::pair<std::string_view, std::string_view>, 2> k_renamed_job_keys{{
    {"dist-git-branch", "dist_git_branches"},
    {"dist_git_branch", "dist_git_branches"},
}};

std::string pointer_token(std::string_view key) {
  std::string out;
  for (char c : key) {
    out += c == '~' ? std::string("~0") : c == '/' ? std::string("~1") : std::string(1, c);
  }
  return out;
}

std::string trim(std::string_view text) {
  std::size_t first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) {
    return {};
  }
  std::size_t last = text.find_last_not_of(" \t");
  return std::string(text.substr(first, last - first + 1));
}

std::vector<std::string> split_triggers(const std::string& trigger) {
  std::vector<std::string> triggers;
  std::size_t start = 0;
  while (true) {
    std::size_t bar = trigger.find('|', start);
    triggers.push_back(trim(std::string_view(trigger).substr(
        start, bar == std::string::npos ? std::string::npos : bar - start)));
    if (bar == std::string::npos) {
      break;
    }
    start = bar + 1;
  }
  return triggers;
}

std::optional<std::string> optional_string(const json& settings, const char* key) {
  auto it = settings.find(key);
  if (it == settings.end() || !it->is_string()) {
    return std::nullopt;
  }
  return it->get<std::string>();
}

std::vector<std::string> string_or_list(const json& value) {
  std::vector<std::string> out;
  if (value.is_string()) {
    out.push_back(value.get<std::string>());
  } else if (value.is_array()) {
    for (const json& item : value) {
      if (item.is_string()) {
        out.push_back(item.get<std::string>());
      }
    }
  } else if (value.is_object()) {
    for (const auto& [key, unused] : value.items()) {
      out.push_back(key);
    }
  }
  return out;
}

std::vector<DistGitBranch> dist_git_branches_of(const json& settings) {
  std::vector<DistGitBranch> branches;
  auto it = settings.find("dist_git_branches");
  if (it == settings.end()) {
    return branches;
  }
  if (it->is_object()) {
    for (const auto& [name, options] : it->items()) {
      DistGitBranch branch{name, {}};
      if (options.is_object() && options.contains("fast_forward_merge_into")) {
        branch.fast_forward_merge_into = string_or_list(options["fast_forward_merge_into"]);
      }
      branches.push_back(std::move(branch));
    }
    return branches;
  }
  for (std::string& name : string_or_list(*it)) {
    branches.push_back({std::move(name), {}});
  }
  return branches;
}

void fill_typed_views(JobConfig& job) {
  const json& settings = job.settings;
  job.dist_git_branches = dist_git_branches_of(settings);
  if (auto targets = settings.find("targets"); targets != settings.end()) {
    job.targets = string_or_list(*targets);
  }
  job.upstream_tag_include = optional_string(settings, "upstream_tag_include");
  job.upstream_tag_exclude = optional_string(settings, "upstream_tag_exclude");
  job.branch = optional_string(settings, "branch");
  job.identifier = optional_string(settings, "identifier");
  auto manual = settings.find("manual_trigger");
  job.manual_trigger = manual != settings.end() && manual->is_boolean() && manual->get<bool>();
  job.packit_instances = {"prod"};
  if (auto instances = settings.find("packit_instances"); instances != settings.end()) {
    job.packit_instances = string_or_list(*instances);
  }
}

// Edit distance, for "did you mean".
std::size_t distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) {
    row[j] = j;
  }
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t above = row[j];
      std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + cost});
      diagonal = above;
    }
  }
  return row[b.size()];
}

class Loader {
public:
  Loader(YamlDocument document, std::string file, const LoadOptions& options)
      : m_document(std::move(document)), m_sink(m_document, file), m_file(std::move(file)),
        m_options(options) {}

  LoadResult run() {
    json& root = m_document.root;
    if (!root.is_object()) {
      m_sink.error_at_value("", "the config must be a mapping of keys to values");
      return finish(std::nullopt);
    }
    root.erase("_"); // Packit drops it: a place for anchor templates
    check_mapping(root, "", Level::top, m_sink);
    check_packages(root);
    bool has_jobs = root.contains("jobs");
    if (has_jobs) {
      check_jobs(root["jobs"]);
    }
    if (!m_sink.errors().empty()) {
      return finish(std::nullopt);
    }
    return finish(build(root, has_jobs));
  }

private:
  LoadResult finish(std::optional<Config> config) {
    LoadResult result;
    result.errors = std::move(m_sink.errors());
    result.warnings = std::move(m_sink.warnings());
    for (auto* list : {&result.errors, &result.warnings}) {
      std::stable_sort(list->begin(), list->end(), [](const Diagnostic& a, const Diagnostic& b) {
        return std::pair(a.mark.line, a.mark.column) < std::pair(b.mark.line, b.mark.column);
      });
    }
    if (result.errors.empty()) {
      result.config = std::move(config);
    }
    return result;
  }

  void check_packages(const json& root) {
    auto packages = root.find("packages");
    if (packages == root.end()) {
      return;
    }
    if (!packages->is_object() || packages->empty()) {
      m_sink.error_at_value("/packages", "expected a mapping of package name -> package config");
      return;
    }
    for (const auto& [name, package] : packages->items()) {
      std::string at = "/packages/" + pointer_token(name);
      if (!package.is_object()) {
        m_sink.error_at_value(at, "expected a mapping (the package's config)");
        continue;
      }
      check_mapping(package, at, Level::package, m_sink);
    }
  }

  // Re-homes marks of a renamed key so errors still point at what the user wrote.
  void alias_marks(const std::string& from, const std::string& to) {
    for (auto* marks : {&m_document.value_marks, &m_document.key_marks}) {
      std::vector<std::pair<std::string, Mark>> moved;
      for (auto it = marks->lower_bound(from); it != marks->end() && it->first.starts_with(from);
           ++it) {
        moved.emplace_back(to + it->first.substr(from.size()), it->second);
      }
      for (auto& [pointer, mark] : moved) {
        (*marks)[pointer] = mark;
      }
    }
  }

  void rename_deprecated_keys(json& job, const std::string& at) {
    for (const auto& [old_name, new_name] : k_renamed_job_keys) {
      auto it = job.find(old_name);
      if (it == job.end()) {
        continue;
      }
      std::string old_at = at + "/" + pointer_token(old_name);
      if (job.contains(new_name)) {
        m_sink.error_at_key(old_at, fmt::format("'{}' and '{}' are the same key; keep only '{}'",
                                                old_name, new_name, new_name));
        continue;
      }
      m_sink.warning_at_key(old_at, fmt::format("'{}' is deprecated and was renamed to '{}'; "
                                                "please update your config",
                                                old_name, new_name));
      alias_marks(old_at, at + "/" + std::string(new_name));
      job[std::string(new_name)] = *it;
      job.erase(it);
    }
    auto metadata = job.find("metadata");
    if (metadata == job.end()) {
      return;
    }
    std::string metadata_at = at + "/metadata";
    if (!metadata->is_object()) {
      m_sink.error_at_value(metadata_at, "expected a mapping of job keys");
      return;
    }
    m_sink.warning_at_key(metadata_at, "'metadata' is deprecated: put its keys on the job itself");
    json keys = *metadata;
    job.erase(metadata);
    for (auto& [key, value] : keys.items()) {
      std::string key_at = metadata_at + "/" + pointer_token(key);
      std::string name = key;
      for (const auto& [old_name, new_name] : k_renamed_job_keys) {
        if (key == old_name) {
          name = new_name;
          m_sink.warning_at_key(key_at, fmt::format("'{}' is deprecated and was renamed to "
                                                    "'{}'; please update your config",
                                                    old_name, new_name));
        }
      }
      if (job.contains(name)) {
        m_sink.error_at_key(key_at,
                            fmt::format("'{}' is set both in 'metadata' and on the job", name));
        continue;
      }
      alias_marks(key_at, at + "/" + pointer_token(name));
      job[name] = value;
    }
  }

  void check_job_type(const json& job, const std::string& at) {
    auto type = job.find("job");
    if (type == job.end()) {
      m_sink.error_at_value(at,
                            "missing required key 'job' (the job type, e.g. propose_downstream)");
      return;
    }
    if (!type->is_string()) {
      return; // check_mapping reported the type
    }
    const std::string name = type->get<std::string>();
    const auto& names = job_type_names();
    if (std::find(names.begin(), names.end(), name) != names.end()) {
      return;
    }
    for (const auto& [removed, replacement] : k_removed_job_types) {
      if (name == removed) {
        m_sink.error_at_value(at + "/job",
                              fmt::format("job type '{}' is no longer supported by Packit: use "
                                          "'{}'",
                                          name, replacement));
        return;
      }
    }
    std::string suggestion = closest_match(name, names);
    m_sink.error_at_value(
        at + "/job", fmt::format("unknown job type '{}'{}", name,
                                 suggestion.empty()
                                     ? fmt::format(" (expected one of: {})", fmt::join(names, ", "))
                                     : fmt::format(" (did you mean '{}'?)", suggestion)));
  }

  void check_trigger(const json& job, const std::string& at) {
    auto trigger = job.find("trigger");
    if (trigger == job.end()) {
      m_sink.error_at_value(at, "missing required key 'trigger' (e.g. release, commit, "
                                "pull_request)");
      return;
    }
    if (!trigger->is_string()) {
      return;
    }
    const auto& names = trigger_names();
    for (const std::string& one : split_triggers(trigger->get<std::string>())) {
      if (std::find(names.begin(), names.end(), one) == names.end()) {
        std::string suggestion = closest_match(one, names);
        m_sink.error_at_value(
            at + "/trigger",
            fmt::format("unknown trigger '{}'{}", one,
                        suggestion.empty()
                            ? fmt::format(" (expected one of: {})", fmt::join(names, ", "))
                            : fmt::format(" (did you mean '{}'?)", suggestion)));
      }
    }
  }

  void check_job_packages(const json& job, const std::string& at, const json& root) {
    auto packages = job.find("packages");
    if (packages == job.end()) {
      return;
    }
    std::string packages_at = at + "/packages";
    const json* defined = root.contains("packages") ? &root["packages"] : nullptr;
    auto check_name = [&](const std::string& name, const std::string& name_at) {
      if (defined == nullptr || !defined->is_object() || !defined->contains(name)) {
        m_sink.error_at_value(name_at,
                              fmt::format("package '{}' is not defined under the top-level "
                                          "'packages'",
                                          name));
      }
    };
    if (packages->is_array()) {
      for (std::size_t i = 0; i < packages->size(); ++i) {
        const json& name = (*packages)[i];
        std::string name_at = fmt::format("{}/{}", packages_at, i);
        if (!name.is_string()) {
          m_sink.error_at_value(name_at, "expected a package name");
          continue;
        }
        check_name(name.get<std::string>(), name_at);
      }
      return;
    }
    if (!packages->is_object()) {
      m_sink.error_at_value(packages_at,
                            "expected a list of package names or a mapping name -> overrides");
      return;
    }
    for (const auto& [name, overrides] : packages->items()) {
      std::string name_at = packages_at + "/" + pointer_token(name);
      check_name(name, name_at);
      if (overrides.is_null()) {
        continue;
      }
      if (!overrides.is_object()) {
        m_sink.error_at_value(name_at, "expected a mapping of keys to override for this package");
        continue;
      }
      check_mapping(overrides, name_at, Level::job_package, m_sink);
    }
  }

  void check_jobs(json& jobs) {
    if (!jobs.is_array()) {
      m_sink.error_at_value("/jobs", "expected a list of jobs");
      return;
    }
    for (std::size_t i = 0; i < jobs.size(); ++i) {
      std::string at = fmt::format("/jobs/{}", i);
      json& job = jobs[i];
      if (!job.is_object()) {
        m_sink.error_at_value(at, "expected a mapping with at least 'job' and 'trigger'");
        continue;
      }
      rename_deprecated_keys(job, at);
      check_mapping(job, at, Level::job, m_sink);
      check_job_type(job, at);
      check_trigger(job, at);
      check_job_packages(job, at, m_document.root);
    }
  }

  std::string single_package_name(const json& root) const {
    for (const char* key : {"downstream_package_name", "upstream_package_name"}) {
      if (auto name = optional_string(root, key)) {
        return *name;
      }
    }
    return m_options.repository_name.empty() ? std::string("package") : m_options.repository_name;
  }

  Config build(const json& root, bool has_jobs) {
    Config config;
    config.file = m_file;
    json top = root;
    top.erase("packages");
    top.erase("jobs");
    if (root.contains("packages")) {
      for (const auto& [name, package] : root["packages"].items()) {
        json settings = top;
        for (const auto& [key, value] : package.items()) {
          settings[key] = value;
        }
        config.packages.push_back(make_package(name, std::move(settings)));
      }
    } else {
      config.packages.push_back(make_package(single_package_name(root), top));
    }
    json jobs = has_jobs ? root["jobs"] : default_jobs();
    config.default_jobs = !has_jobs;
    for (std::size_t i = 0; i < jobs.size(); ++i) {
      add_job(config, jobs[i], i);
    }
    return config;
  }

  PackageConfig make_package(const std::string& name, json settings) const {
    PackageConfig package;
    package.name = name;
    bool named_downstream = settings.contains("downstream_package_name");
    std::string repository = m_options.repository_name.empty() ? name : m_options.repository_name;
    if (!settings.contains("upstream_package_name")) {
      settings["upstream_package_name"] = repository;
    }
    if (!named_downstream) {
      settings["downstream_package_name"] = name;
    }
    if (auto spec = optional_string(settings, "specfile_path")) {
      package.specfile_path = *spec;
    } else if (named_downstream) {
      package.specfile_path = settings["downstream_package_name"].get<std::string>() + ".spec";
      settings["specfile_path"] = package.specfile_path;
    }
    if (!settings.contains("config_file_path")) {
      std::string file = m_file;
      std::size_t slash = file.rfind('/');
      settings["config_file_path"] = slash == std::string::npos ? file : file.substr(slash + 1);
    }
    package.settings = std::move(settings);
    return package;
  }

  static json default_jobs() {
    return json::array({
        {{"job", "copr_build"}, {"trigger", "pull_request"}, {"targets", {"fedora-stable"}}},
        {{"job", "tests"}, {"trigger", "pull_request"}, {"targets", {"fedora-stable"}}},
        {{"job", "propose_downstream"},
         {"trigger", "release"},
         {"dist_git_branches", {"fedora-all"}}},
    });
  }

  static void add_job(Config& config, const json& job, std::size_t index) {
    std::vector<std::string> package_names;
    const json* overrides = nullptr;
    if (auto packages = job.find("packages"); packages != job.end()) {
      if (packages->is_object()) {
        overrides = &*packages;
      }
      package_names = string_or_list(*packages);
    } else {
      for (const PackageConfig& package : config.packages) {
        package_names.push_back(package.name);
      }
    }
    for (const std::string& trigger : split_triggers(job["trigger"].get<std::string>())) {
      for (const std::string& name : package_names) {
        auto package = std::find_if(config.packages.begin(), config.packages.end(),
                                    [&name](const PackageConfig& p) { return p.name == name; });
        JobConfig out;
        out.type = job["job"].get<std::string>();
        out.trigger = trigger;
        out.package = name;
        out.index = index;
        out.settings = package->settings;
        for (const auto& [key, value] : job.items()) {
          if (key != "packages") {
            out.settings[key] = value;
          }
        }
        if (overrides != nullptr && (*overrides)[name].is_object()) {
          for (const auto& [key, value] : (*overrides)[name].items()) {
            out.settings[key] = value;
          }
        }
        out.settings["trigger"] = trigger;
        fill_typed_views(out);
        config.jobs.push_back(std::move(out));
      }
    }
  }

  YamlDocument m_document;
  DiagnosticSink m_sink;
  std::string m_file;
  const LoadOptions& m_options;
};

Result<std::string> read_config_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return fail(ErrorKind::config, fmt::format("cannot read config file '{}'", path.string()));
  }
  std::string text;
  char buffer[65536];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    text.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (text.size() > k_max_config_bytes) {
      return fail(ErrorKind::config,
                  fmt::format("config file '{}' is larger than 4 MiB", path.string()));
    }
  }
  return text;
}

bool has_glob(std::string_view path) {
  return path.find_first_of("*?[") != std::string_view::npos;
}

} // namespace

std::string format_diagnostic(const Diagnostic& diagnostic) {
  std::string out = diagnostic.file;
  if (diagnostic.mark.line > 0) {
    out += fmt::format(":{}:{}", diagnostic.mark.line, diagnostic.mark.column);
  }
  out += ": ";
  if (!diagnostic.key_path.empty()) {
    out += diagnostic.key_path + ": ";
  }
  return out + diagnostic.message;
}

std::string closest_match(std::string_view word, const std::vector<std::string_view>& candidates) {
  std::string best;
  std::size_t best_distance = std::max<std::size_t>(1, word.size() / 3) + 1;
  for (std::string_view candidate : candidates) {
    std::size_t d = distance(word, candidate);
    if (d < best_distance) {
      best_distance = d;
      best = candidate;
    }
  }
  return best;
}

LoadResult load_config_text(std::string_view text, std::string_view file,
                            const LoadOptions& options) {
  auto document = parse_yaml(text);
  if (!document) {
    LoadResult result;
    result.errors.push_back({std::string(file), document.error().mark, "",
                             fmt::format("YAML syntax error: {}", document.error().message)});
    return result;
  }
  return Loader(std::move(*document), std::string(file), options).run();
}

LoadResult load_config_file(const std::filesystem::path& path, LoadOptions options) {
  auto text = read_config_text(path);
  if (!text) {
    LoadResult result;
    result.errors.push_back({path.string(), {}, "", text.error().message()});
    return result;
  }
  if (options.repository_name.empty()) {
    options.repository_name = std::filesystem::absolute(path).parent_path().filename().string();
  }
  return load_config_text(*text, path.string(), options);
}

Result<std::filesystem::path> find_config_file(const std::filesystem::path& directory) {
  for (std::string_view name : k_config_names) {
    std::filesystem::path candidate = directory / name;
    std::error_code error;
    if (std::filesystem::is_regular_file(candidate, error)) {
      return candidate;
    }
  }
  return fail(ErrorKind::config, fmt::format("no Packit config in '{}' (looked for {})",
                                             directory.string(), fmt::join(k_config_names, ", ")));
}

Result<Config> load_config(const std::filesystem::path& path, LoadOptions options) {
  LoadResult result = load_config_file(path, std::move(options));
  if (!result.errors.empty()) {
    std::vector<std::string> lines;
    for (const Diagnostic& diagnostic : result.errors) {
      lines.push_back(format_diagnostic(diagnostic));
    }
    return fail(ErrorKind::config, fmt::format("{}", fmt::join(lines, "\n")));
  }
  return std::move(*result.config);
}

void check_repository_files(const Config& config, const std::filesystem::path& root,
                            LoadResult& result) {
  std::error_code error;
  for (const PackageConfig& package : config.packages) {
    std::string where = fmt::format("packages.{}", package.name);
    if (package.specfile_path.empty()) {
      bool any_spec = false;
      for (const auto& entry : std::filesystem::directory_iterator(root, error)) {
        any_spec = any_spec || entry.path().extension() == ".spec";
      }
      if (!any_spec) {
        result.errors.push_back({config.file,
                                 {},
                                 where,
                                 "missing spec: set 'specfile_path' or 'downstream_package_name' "
                                 "(no *.spec in the repository root either)"});
      }
      continue;
    }
    if (!std::filesystem::exists(root / package.specfile_path, error)) {
      result.warnings.push_back(
          {config.file,
           {},
           where + ".specfile_path",
           fmt::format("the spec file '{}' is not in the repository; fine if an action "
                       "generates it",
                       package.specfile_path)});
    }
    auto files = package.settings.find("files_to_sync");
    if (files == package.settings.end() || !files->is_array()) {
      continue;
    }
    for (const json& item : *files) {
      std::vector<std::string> sources =
          item.is_string()
              ? std::vector<std::string>{item.get<std::string>()}
              : string_or_list(item.is_object() && item.contains("src") ? item["src"] : json());
      for (const std::string& source : sources) {
        if (!has_glob(source) && !std::filesystem::exists(root / source, error)) {
          result.warnings.push_back(
              {config.file,
               {},
               where + ".files_to_sync",
               fmt::format("'{}' is configured to be synced but does not exist", source)});
        }
      }
    }
  }
}

} // namespace ferry::core::config
