#include "core/config/schema.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <filesystem>

namespace ferry::core::config {

namespace {

using json = nlohmann::ordered_json;

enum class Type {
  string,
  package_name,    // text without '/' (Packit: "Repository name must be a valid filename")
  repository_path, // a relative path without "..": it is read from the repository's checkout
  identifier,      // text without ':' (check names are split on it)
  nullable_string, // a string, or null to disable
  boolean,
  integer,
  string_or_integer,
  string_list,
  string_or_string_list,
  mapping, // free-form
  actions,
  files_to_sync,
  dist_git_branches,
  targets,
  sources,
  notifications,
  require,
  test_command,
  osh_options,
  instances,
  job_packages,
  packages,
  jobs,
  metadata,
  ignored, // accepted, ignored with a warning (dist_git_url)
  removed, // rejected, with what replaced it
};

// Which levels a key may appear at.
enum Where : unsigned {
  k_top = 1u << 0,
  k_package = 1u << 1,
  k_job = 1u << 2,
  k_job_package = 1u << 3,
  k_common = k_top | k_package | k_job | k_job_package,
};

struct KeySpec {
  std::string_view name;
  Type type;
  unsigned where;
  std::string_view note; // removed: what replaces it; ignored: why
};

// packit-compat.md §1.2 (package keys, all may also appear per job), §1.5 (job keys, which
// Packit's common schema also accepts at package and top level), §1.6 (removed keys).
constexpr std::array k_keys = std::to_array<KeySpec>({
    {"packages", Type::packages, k_top, ""},
    {"jobs", Type::jobs, k_top, ""},
    {"paths", Type::string_list, k_common, ""},
    {"specfile_path", Type::repository_path, k_common, ""},
    {"downstream_package_name", Type::package_name, k_common, ""},
    {"upstream_package_name", Type::package_name, k_common, ""},
    {"upstream_project_url", Type::string, k_common, ""},
    {"upstream_ref", Type::string, k_common, ""},
    {"upstream_tag_template", Type::string, k_common, ""},
    {"upstream_tag_include", Type::string, k_common, ""},
    {"upstream_tag_exclude", Type::string, k_common, ""},
    {"version_update_mask", Type::string, k_common, ""},
    {"version_update_specifiers", Type::string, k_common, ""},
    {"prerelease_suffix_pattern", Type::nullable_string, k_common, ""},
    {"prerelease_suffix_macro", Type::nullable_string, k_common, ""},
    {"files_to_sync", Type::files_to_sync, k_common, ""},
    {"sync_changelog", Type::boolean, k_common, ""},
    {"create_sync_note", Type::boolean, k_common, ""},
    {"copy_upstream_release_description", Type::boolean, k_common, ""},
    {"sources", Type::sources, k_common, ""},
    {"spec_source_id", Type::string_or_integer, k_common, ""},
    {"archive_root_dir_template", Type::string, k_common, ""},
    {"actions", Type::actions, k_common, ""},
    {"create_pr", Type::boolean, k_common, ""},
    {"upload_sources", Type::boolean, k_common, ""},
    {"pkg_tool", Type::string, k_common, ""},
    {"sig", Type::string, k_common, ""},
    {"dist_git_base_url", Type::string, k_common, ""},
    {"dist_git_namespace", Type::string, k_common, ""},
    {"allowed_gpg_keys", Type::string_list, k_common, ""},
    {"issue_repository", Type::string, k_common, ""},
    {"notifications", Type::notifications, k_common, ""},
    {"identifier", Type::identifier, k_common, ""},
    {"packit_instances", Type::instances, k_common, ""},
    {"srpm_build_deps", Type::string_list, k_common, ""},
    {"merge_pr_in_ci", Type::boolean, k_common, ""},
    {"update_release", Type::boolean, k_common, ""},
    {"release_suffix", Type::nullable_string, k_common, ""},
    {"version_suffix", Type::nullable_string, k_common, ""},
    {"preserve_spec", Type::boolean, k_common, ""},
    {"patch_generation_ignore_paths", Type::string_list, k_common, ""},
    {"patch_generation_patch_id_digits", Type::integer, k_common, ""},
    {"parse_time_macros", Type::mapping, k_common, ""},
    {"test_command", Type::test_command, k_common, ""},
    {"require", Type::require, k_common, ""},
    {"status_name_template", Type::string, k_common, ""},
    {"sync_test_job_statuses_with_builds", Type::boolean, k_common, ""},
    {"clone_repos_before_run_condition", Type::boolean, k_common, ""},
    {"osh_diff_scan_after_copr_build", Type::boolean, k_common, ""},
    {"csmock_args", Type::string, k_common, ""},
    {"osh_options", Type::osh_options, k_common, ""},
    {"skip_missing_branched_composes", Type::boolean, k_common, ""},
    {"config_file_path", Type::string, k_common, ""},
    // Former `metadata` keys and other job keys (Packit's common schema accepts them anywhere).
    {"dist_git_branches", Type::dist_git_branches, k_common, ""},
    {"targets", Type::targets, k_common, ""},
    {"timeout", Type::integer, k_common, ""},
    {"owner", Type::string, k_common, ""},
    {"project", Type::string, k_common, ""},
    {"branch", Type::string, k_common, ""},
    {"scratch", Type::boolean, k_common, ""},
    {"list_on_homepage", Type::boolean, k_common, ""},
    {"preserve_project", Type::boolean, k_common, ""},
    {"use_internal_tf", Type::boolean, k_common, ""},
    {"additional_packages", Type::string_list, k_common, ""},
    {"additional_repos", Type::string_list, k_common, ""},
    {"additional_modules", Type::string, k_common, ""},
    {"bootstrap", Type::string, k_common, ""},
    {"module_hotfixes", Type::boolean, k_common, ""},
    {"fmf_url", Type::string, k_common, ""},
    {"fmf_ref", Type::string, k_common, ""},
    {"fmf_path", Type::string, k_common, ""},
    {"use_target_repo_for_fmf_url", Type::boolean, k_common, ""},
    {"tmt_plan", Type::string, k_common, ""},
    {"tf_post_install_script", Type::string, k_common, ""},
    {"tf_extra_params", Type::mapping, k_common, ""},
    {"env", Type::mapping, k_common, ""},
    {"enable_net", Type::boolean, k_common, ""},
    {"allowed_pr_authors", Type::string_list, k_common, ""},
    {"allowed_committers", Type::string_list, k_common, ""},
    {"allowed_builders", Type::string_list, k_common, ""},
    {"sidetag_group", Type::string, k_common, ""},
    {"dependents", Type::string_list, k_common, ""},
    {"dependencies", Type::string_list, k_common, ""},
    {"bodhi_extra_params", Type::mapping, k_common, ""},
    {"image_distribution", Type::string, k_common, ""},
    {"image_request", Type::mapping, k_common, ""},
    {"image_customizations", Type::mapping, k_common, ""},
    {"copr_chroot", Type::string, k_common, ""},
    {"skip_build", Type::boolean, k_common, ""},
    // Job-only keys.
    {"job", Type::string, k_job, ""},
    {"trigger", Type::string, k_job, ""},
    {"manual_trigger", Type::boolean, k_job, ""},
    {"labels", Type::string_list, k_job, ""},
    {"metadata", Type::metadata, k_job, ""},
    // Accepted and ignored.
    {"dist_git_url", Type::ignored, k_common,
     "it is generated from dist_git_base_url and downstream_package_name"},
    // Removed: Packit rejects them now.
    {"upstream_project_name", Type::removed, k_common, "use 'upstream_package_name'"},
    {"synced_files", Type::removed, k_common, "use 'files_to_sync'"},
    {"sync_files", Type::removed, k_common, "use 'files_to_sync'"},
    {"current_version_command", Type::removed, k_common, "use the 'get-current-version' action"},
    {"create_tarball_command", Type::removed, k_common, "use the 'create-archive' action"},
});

constexpr std::array<std::string_view, 11> k_action_names{
    "post-upstream-clone", "pre-sync",           "prepare-files",
    "create-patches",      "post-modifications", "get-current-version",
    "changelog-entry",     "commit-message",     "create-archive",
    "fix-spec-file",       "run-condition"};

std::string describe(const json& value) {
  switch (value.type()) {
  case json::value_t::null:
    return "nothing (null)";
  case json::value_t::object:
    return "a mapping";
  case json::value_t::array:
    return "a list";
  case json::value_t::string: {
    std::string text = value.get<std::string>();
    if (text.size() > 40) {
      text = text.substr(0, 37) + "...";
    }
    return fmt::format("the text '{}'", text);
  }
  case json::value_t::boolean:
    return fmt::format("the boolean {}", value.get<bool>());
  case json::value_t::number_integer:
  case json::value_t::number_unsigned:
  case json::value_t::number_float:
    return fmt::format("the number {}", value.dump());
  case json::value_t::binary:
  case json::value_t::discarded:
    break;
  }
  return "something else";
}

std::string child(const std::string& pointer, std::string_view key) {
  std::string out = pointer + "/";
  for (char c : key) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

std::string child(const std::string& pointer, std::size_t index) {
  return fmt::format("{}/{}", pointer, index);
}

bool is_repository_path(const std::string& text) {
  std::filesystem::path path(text);
  return !text.empty() && !path.is_absolute() &&
         std::none_of(path.begin(), path.end(),
                      [](const std::filesystem::path& part) { return part == ".."; });
}

class Checker {
public:
  explicit Checker(DiagnosticSink& sink) : m_sink(sink) {}

  void expect(bool ok, const json& value, const std::string& pointer, std::string_view what) {
    if (!ok) {
      std::string hint;
      if (what.find("text") != std::string_view::npos &&
          (value.is_number() || value.is_boolean())) {
        hint = " (quote it to make it text)";
      }
      m_sink.error_at_value(pointer,
                            fmt::format("expected {}, got {}{}", what, describe(value), hint));
    }
  }

  bool string(const json& value, const std::string& pointer) {
    expect(value.is_string(), value, pointer, "text");
    return value.is_string();
  }

  void string_list(const json& value, const std::string& pointer) {
    if (!value.is_array()) {
      expect(false, value, pointer, "a list of text");
      return;
    }
    for (std::size_t i = 0; i < value.size(); ++i) {
      string(value[i], child(pointer, i));
    }
  }

  void string_or_string_list(const json& value, const std::string& pointer) {
    if (value.is_string()) {
      return;
    }
    if (!value.is_array()) {
      expect(false, value, pointer, "text or a list of text");
      return;
    }
    string_list(value, pointer);
  }

  // A mapping whose keys must come from `allowed`; each value is checked by `check`.
  template <typename Check>
  void closed_mapping(const json& value, const std::string& pointer,
                      const std::vector<std::string_view>& allowed, Check check,
                      std::string_view what) {
    if (!value.is_object()) {
      expect(false, value, pointer, fmt::format("a mapping ({})", what));
      return;
    }
    for (const auto& [key, item] : value.items()) {
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
        unknown_key(child(pointer, key), key, allowed);
        continue;
      }
      check(key, item, child(pointer, key));
    }
  }

  void unknown_key(const std::string& pointer, std::string_view key,
                   const std::vector<std::string_view>& allowed) {
    std::string suggestion = closest_match(key, allowed);
    m_sink.error_at_key(
        pointer, suggestion.empty()
                     ? fmt::format("unknown key '{}'", key)
                     : fmt::format("unknown key '{}' (did you mean '{}'?)", key, suggestion));
  }

  void actions(const json& value, const std::string& pointer) {
    std::vector<std::string_view> names(k_action_names.begin(), k_action_names.end());
    closed_mapping(
        value, pointer, names,
        [this](std::string_view, const json& item, const std::string& at) {
          if (!item.is_null()) {
            string_or_string_list(item, at);
          }
        },
        "action name -> command or list of commands");
  }

  void files_to_sync(const json& value, const std::string& pointer) {
    if (!value.is_array()) {
      expect(false, value, pointer, "a list of paths or {src, dest} mappings");
      return;
    }
    static const std::vector<std::string_view> k_item_keys{"src", "dest", "mkpath", "delete",
                                                           "filters"};
    for (std::size_t i = 0; i < value.size(); ++i) {
      const json& item = value[i];
      std::string at = child(pointer, i);
      if (item.is_string()) {
        continue;
      }
      if (!item.is_object()) {
        expect(false, item, at, "a path or a {src, dest} mapping");
        continue;
      }
      closed_mapping(
          item, at, k_item_keys,
          [this](std::string_view key, const json& field, const std::string& field_at) {
            if (key == "src") {
              string_or_string_list(field, field_at);
            } else if (key == "dest") {
              string(field, field_at);
            } else if (key == "filters") {
              string_list(field, field_at);
            } else {
              expect(field.is_boolean(), field, field_at, "true or false");
            }
          },
          "src, dest, mkpath, delete, filters");
      if (item.is_object() && (!item.contains("src") || !item.contains("dest"))) {
        m_sink.error_at_value(at, "a files_to_sync mapping needs both 'src' and 'dest'");
      }
    }
  }

  void dist_git_branches(const json& value, const std::string& pointer) {
    if (value.is_string() || value.is_array()) {
      string_or_string_list(value, pointer);
      return;
    }
    static const std::vector<std::string_view> k_inner{"fast_forward_merge_into"};
    if (!value.is_object()) {
      expect(false, value, pointer,
             "a branch, a list of branches or a mapping branch -> {fast_forward_merge_into}");
      return;
    }
    for (const auto& [branch, options] : value.items()) {
      std::string at = child(pointer, branch);
      if (options.is_null()) {
        continue;
      }
      closed_mapping(
          options, at, k_inner,
          [this](std::string_view, const json& targets, const std::string& targets_at) {
            string_list(targets, targets_at);
          },
          "{} or {fast_forward_merge_into: [branches]}");
    }
  }

  void targets(const json& value, const std::string& pointer) {
    if (value.is_string() || value.is_array()) {
      string_or_string_list(value, pointer);
      return;
    }
    if (!value.is_object()) {
      expect(false, value, pointer, "a list of targets or a mapping target -> options");
      return;
    }
    static const std::vector<std::string_view> k_chroot_keys{
        "distros",   "additional_packages", "additional_repos", "additional_modules",
        "with_opts", "without_opts"};
    for (const auto& [target, options] : value.items()) {
      std::string at = child(pointer, target);
      if (options.is_null()) {
        continue;
      }
      closed_mapping(
          options, at, k_chroot_keys,
          [this](std::string_view key, const json& field, const std::string& field_at) {
            if (key == "additional_modules") {
              string(field, field_at);
            } else {
              string_list(field, field_at);
            }
          },
          "chroot options");
    }
  }

  void sources(const json& value, const std::string& pointer) {
    if (!value.is_array()) {
      expect(false, value, pointer, "a list of {path, url} mappings");
      return;
    }
    static const std::vector<std::string_view> k_source_keys{"path", "url"};
    for (std::size_t i = 0; i < value.size(); ++i) {
      std::string at = child(pointer, i);
      closed_mapping(
          value[i], at, k_source_keys,
          [this](std::string_view, const json& field, const std::string& field_at) {
            string(field, field_at);
          },
          "{path, url}");
      if (value[i].is_object() && (!value[i].contains("path") || !value[i].contains("url"))) {
        m_sink.error_at_value(at, "a source needs both 'path' and 'url'");
      }
    }
  }

  void notifications(const json& value, const std::string& pointer) {
    static const std::vector<std::string_view> k_kinds{"pull_request", "failure_comment",
                                                       "failure_issue"};
    closed_mapping(
        value, pointer, k_kinds,
        [this](std::string_view kind, const json& item, const std::string& at) {
          if (kind == "pull_request") {
            flag_mapping(item, at, "successful_build");
          } else if (kind == "failure_issue") {
            flag_mapping(item, at, "create");
          } else {
            static const std::vector<std::string_view> k_message{"message"};
            closed_mapping(
                item, at, k_message,
                [this](std::string_view, const json& text, const std::string& text_at) {
                  if (!text.is_null()) {
                    string(text, text_at);
                  }
                },
                "{message}");
          }
        },
        "pull_request, failure_comment, failure_issue");
  }

  void flag_mapping(const json& value, const std::string& pointer, std::string_view flag) {
    std::vector<std::string_view> allowed{flag};
    closed_mapping(
        value, pointer, allowed,
        [this](std::string_view, const json& item, const std::string& at) {
          expect(item.is_boolean(), item, at, "true or false");
        },
        fmt::format("{{{}}}", flag));
  }

  void require(const json& value, const std::string& pointer) {
    static const std::vector<std::string_view> k_label{"label"};
    static const std::vector<std::string_view> k_present_absent{"present", "absent"};
    closed_mapping(
        value, pointer, k_label,
        [this](std::string_view, const json& label, const std::string& at) {
          closed_mapping(
              label, at, k_present_absent,
              [this](std::string_view, const json& list, const std::string& list_at) {
                string_list(list, list_at);
              },
              "{present, absent}");
        },
        "{label: {present, absent}}");
  }

  void string_fields(const json& value, const std::string& pointer,
                     const std::vector<std::string_view>& keys, std::string_view list_key) {
    closed_mapping(
        value, pointer, keys,
        [this, list_key](std::string_view key, const json& item, const std::string& at) {
          if (key == list_key) {
            string_list(item, at);
          } else if (!item.is_null()) {
            string(item, at);
          }
        },
        "options");
  }

  void instances(const json& value, const std::string& pointer) {
    if (!value.is_array()) {
      expect(false, value, pointer, "a list of prod, stg, dev");
      return;
    }
    for (std::size_t i = 0; i < value.size(); ++i) {
      const json& item = value[i];
      bool ok = item.is_string() && (item == "prod" || item == "stg" || item == "dev");
      expect(ok, item, child(pointer, i), "one of prod, stg, dev");
    }
  }

  void value(const KeySpec& spec, const json& item, const std::string& pointer, Level level);

private:
  DiagnosticSink& m_sink;
};

void Checker::value(const KeySpec& spec, const json& item, const std::string& pointer,
                    Level level) {
  switch (spec.type) {
  case Type::string:
    string(item, pointer);
    break;
  case Type::package_name:
    if (string(item, pointer) &&
        item.get<std::string>().find_first_of(std::string_view("/\0", 2)) != std::string::npos) {
      m_sink.error_at_value(pointer, "expected a name without '/' (it names files and archives)");
    }
    break;
  case Type::repository_path:
    if (string(item, pointer) && !is_repository_path(item.get<std::string>())) {
      m_sink.error_at_value(pointer, "expected a path inside the repository (no absolute path, "
                                     "no '..')");
    }
    break;
  case Type::identifier:
    if (string(item, pointer) && item.get<std::string>().find(':') != std::string::npos) {
      m_sink.error_at_value(pointer, "expected text without ':' (check names are split on it)");
    }
    break;
  case Type::nullable_string:
    if (!item.is_null()) {
      string(item, pointer);
    }
    break;
  case Type::boolean:
    expect(item.is_boolean(), item, pointer, "true or false");
    break;
  case Type::integer:
    expect(item.is_number_integer(), item, pointer, "a whole number");
    break;
  case Type::string_or_integer:
    expect(item.is_string() || item.is_number_integer(), item, pointer, "text or a whole number");
    break;
  case Type::string_list:
    string_list(item, pointer);
    break;
  case Type::string_or_string_list:
    string_or_string_list(item, pointer);
    break;
  case Type::mapping:
    expect(item.is_object(), item, pointer, "a mapping");
    break;
  case Type::actions:
    actions(item, pointer);
    break;
  case Type::files_to_sync:
    files_to_sync(item, pointer);
    break;
  case Type::dist_git_branches:
    dist_git_branches(item, pointer);
    break;
  case Type::targets:
    targets(item, pointer);
    break;
  case Type::sources:
    sources(item, pointer);
    break;
  case Type::notifications:
    notifications(item, pointer);
    break;
  case Type::require:
    require(item, pointer);
    break;
  case Type::test_command:
    string_fields(item, pointer, {"default_labels", "default_identifier"}, "default_labels");
    break;
  case Type::osh_options:
    string_fields(item, pointer, {"analyzer", "config", "profile"}, "");
    break;
  case Type::instances:
    instances(item, pointer);
    break;
  case Type::job_packages:
  case Type::packages:
  case Type::jobs:
  case Type::metadata:
    break; // structural: walked by the loader
  case Type::ignored:
    m_sink.warning_at_key(pointer, fmt::format("'{}' is ignored: {}", spec.name, spec.note));
    break;
  case Type::removed:
    m_sink.error_at_key(
        pointer, fmt::format("'{}' is no longer supported by Packit: {}", spec.name, spec.note));
    break;
  }
  (void)level;
}

unsigned where_bit(Level level) {
  switch (level) {
  case Level::top:
    return k_top;
  case Level::package:
    return k_package;
  case Level::job:
    return k_job;
  case Level::job_package:
    return k_job_package;
  }
  return 0;
}

std::vector<std::string_view> names_at(Level level) {
  std::vector<std::string_view> names;
  for (const KeySpec& spec : k_keys) {
    if ((spec.where & where_bit(level)) != 0 && spec.type != Type::removed) {
      names.push_back(spec.name);
    }
  }
  if (level == Level::job) {
    names.push_back("packages");
  }
  return names;
}

} // namespace

Diagnostic DiagnosticSink::make(const std::string& pointer, Mark mark, std::string message) const {
  return Diagnostic{m_file, mark, key_path(pointer), std::move(message)};
}

void DiagnosticSink::error_at_value(const std::string& pointer, std::string message) {
  m_errors.push_back(make(pointer, m_document.mark_of(pointer), std::move(message)));
}

void DiagnosticSink::error_at_key(const std::string& pointer, std::string message) {
  m_errors.push_back(make(pointer, m_document.key_mark_of(pointer), std::move(message)));
}

void DiagnosticSink::warning_at_key(const std::string& pointer, std::string message) {
  m_warnings.push_back(make(pointer, m_document.key_mark_of(pointer), std::move(message)));
}

std::string key_path(const std::string& pointer) {
  std::string out;
  std::size_t start = 1;
  while (start <= pointer.size() && !pointer.empty()) {
    std::size_t end = pointer.find('/', start);
    std::string token = pointer.substr(start, end == std::string::npos ? end : end - start);
    std::string decoded;
    for (std::size_t i = 0; i < token.size(); ++i) {
      if (token[i] == '~' && i + 1 < token.size()) {
        decoded += token[i + 1] == '1' ? '/' : '~';
        ++i;
      } else {
        decoded += token[i];
      }
    }
    bool index = !decoded.empty() && decoded.find_first_not_of("0123456789") == std::string::npos &&
                 !out.empty();
    if (index) {
      out += "[" + decoded + "]";
    } else {
      out += (out.empty() ? "" : ".") + decoded;
    }
    if (end == std::string::npos) {
      break;
    }
    start = end + 1;
  }
  return out;
}

void check_mapping(const json& mapping, const std::string& pointer, Level level,
                   DiagnosticSink& sink) {
  Checker checker(sink);
  unsigned bit = where_bit(level);
  std::vector<std::string_view> allowed = names_at(level);
  for (const auto& [key, item] : mapping.items()) {
    const std::string& name = key; // clang 14 cannot capture structured bindings
    std::string at = child(pointer, name);
    auto spec = std::find_if(k_keys.begin(), k_keys.end(),
                             [&name](const KeySpec& candidate) { return candidate.name == name; });
    bool job_packages = level == Level::job && key == "packages";
    if (job_packages) {
      continue; // walked by the loader
    }
    if (spec == k_keys.end() || (spec->where & bit) == 0) {
      checker.unknown_key(at, key, allowed);
      continue;
    }
    checker.value(*spec, item, at, level);
  }
}

const std::vector<std::string_view>& job_type_names() {
  static const std::vector<std::string_view> k_names{"copr_build",           "tests",
                                                     "upstream_koji_build",  "vm_image_build",
                                                     "propose_downstream",   "pull_from_upstream",
                                                     "koji_build",           "bodhi_update",
                                                     "sync_from_downstream", "koji_build_tag"};
  return k_names;
}

const std::vector<std::string_view>& trigger_names() {
  static const std::vector<std::string_view> k_names{"pull_request", "commit", "release",
                                                     "koji_build", "ignore"};
  return k_names;
}

const std::vector<std::string_view>& package_key_names() {
  static const std::vector<std::string_view> k_names = names_at(Level::package);
  return k_names;
}

} // namespace ferry::core::config
