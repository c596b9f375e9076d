// ferry's settings as CI users give them: a command-line option, an action input (INPUT_<NAME>,
// as GitHub and Forgejo pass `with:` values to a container action), or FERRY_<NAME> (GitLab
// CI/CD variables, shells). The first one set wins. Every value of a secret setting is
// registered with the log redactor as soon as it is read.
#pragma once

#include "cli/arguments.hpp"
#include "core/event/ci_environment.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace ferry::cli {

// Whether an environment variable holds a credential: its name says so (…TOKEN, …SECRET,
// …PASSWORD, …KEYTAB, …), or it gives one of ferry's secret settings (INPUT_FEDORA_CERT,
// FERRY_COPR_LOGIN, …). Such variables are redacted and sealed away from children.
bool is_secret_variable(std::string_view name);

class Settings {
public:
  Settings(const ParsedArguments* args, core::event::EnvLookup env);

  // `name` is snake_case ("dist_git_token"); the option is its kebab-case form.
  std::optional<std::string> get(std::string_view name) const;
  std::string get_or(std::string_view name, std::string fallback) const;
  // "true"/"1"/"yes" (any case) are true; an option given as a flag is true.
  bool flag(std::string_view name) const;
  // A secret (one of k_secret_settings): its value is registered with the redactor before it
  // is returned.
  std::optional<std::string> secret(std::string_view name) const;
  // A plain environment variable (GITHUB_API_URL, CI_PROJECT_DIR, ...).
  std::optional<std::string> env(std::string_view name) const;

private:
  const ParsedArguments* m_args;
  core::event::EnvLookup m_env;
};

} // namespace ferry::cli
