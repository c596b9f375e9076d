#include "core/command/comment_command.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace ferry::core::command {

namespace {

constexpr std::size_t k_max_body_bytes = std::size_t{1} << 20; // longer comments: first 1 MiB
constexpr std::size_t k_max_line_bytes = 4096;
constexpr std::size_t k_max_tokens = 64;

constexpr std::string_view k_syntax_hint =
    "There appears to be a syntax error in your command; see the docs or use the 'help' "
    "command.";

struct PermissionByPlace {
  std::string_view issue;
  std::string_view pull_request;
  std::string_view commit;
};

struct CommandSpec {
  std::string_view name;
  std::string_view alias; // "" = none
  std::array<std::string_view, 2> jobs;
  PermissionByPlace permission; // "" = not accepted there
};

// packit-compat.md §7.
constexpr std::array k_commands = std::to_array<CommandSpec>({
    {"help", "", {"", ""}, {"anyone", "anyone", ""}},
    {"copr-build", "build", {"copr_build", "tests"}, {"", "write_or_pr_author", "write"}},
    {"rebuild-failed", "", {"copr_build", ""}, {"", "write_or_pr_author", ""}},
    {"upstream-koji-build", "", {"upstream_koji_build", ""}, {"", "write_or_pr_author", ""}},
    {"test", "", {"tests", ""}, {"", "write_or_pr_author", "write"}},
    {"retest-failed", "", {"tests", ""}, {"", "write_or_pr_author", ""}},
    {"vm-image-build", "", {"vm_image_build", ""}, {"", "write", ""}},
    {"propose-downstream", "", {"propose_downstream", ""}, {"write", "", ""}},
    {"pull-from-upstream", "", {"pull_from_upstream", ""}, {"", "packager", ""}},
    {"koji-build", "", {"koji_build", ""}, {"write", "packager", ""}},
    {"koji-tag", "", {"koji_build", ""}, {"", "packager", ""}},
    {"create-update", "", {"bodhi_update", ""}, {"write", "packager_and_write", ""}},
});

const CommandSpec* find_command(std::string_view name) {
  for (const CommandSpec& spec : k_commands) {
    if (spec.name == name || (!spec.alias.empty() && spec.alias == name)) {
      return &spec;
    }
  }
  return nullptr;
}

std::optional<Error> syntax_error(std::string detail) {
  return Error(ErrorKind::usage, fmt::format("{} ({})", k_syntax_hint, detail));
}

// Splits a command line like a POSIX shell would split words (quotes and backslashes), without
// any expansion: `$x`, `;`, backticks and globs are ordinary characters.
Result<std::vector<std::string>> tokenize(std::string_view line) {
  std::vector<std::string> tokens;
  std::string current;
  bool in_token = false;
  char quote = 0;
  for (std::size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    auto byte = static_cast<unsigned char>(c);
    if ((byte < 0x20 && c != '\t') || byte == 0x7f) {
      return std::unexpected(*syntax_error("control characters are not allowed"));
    }
    if (quote != 0) {
      if (c == quote) {
        quote = 0;
      } else if (c == '\\' && quote == '"' && i + 1 < line.size() &&
                 (line[i + 1] == '"' || line[i + 1] == '\\')) {
        current += line[++i];
      } else {
        current += c;
      }
      continue;
    }
    if (c == ' ' || c == '\t') {
      if (in_token) {
        tokens.push_back(std::move(current));
        current.clear();
        in_token = false;
      }
      continue;
    }
    in_token = true;
    if (c == '\'' || c == '"') {
      quote = c;
    } else if (c == '\\' && i + 1 < line.size()) {
      current += line[++i];
    } else {
      current += c;
    }
    if (tokens.size() >= k_max_tokens) {
      return std::unexpected(*syntax_error("too many words"));
    }
  }
  if (quote != 0) {
    return std::unexpected(*syntax_error("a quote is not closed"));
  }
  if (in_token) {
    tokens.push_back(std::move(current));
  }
  return tokens;
}

std::vector<std::string> split_commas(std::string_view text) {
  std::vector<std::string> items;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t comma = text.find(',', start);
    std::string_view item = text.substr(
        start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    if (!item.empty()) {
      items.emplace_back(item);
    }
    if (comma == std::string_view::npos) {
      break;
    }
    start = comma + 1;
  }
  return items;
}

// Options: "--name value", "--name=value" and flags.
class OptionReader {
public:
  OptionReader(const std::vector<std::string>& tokens, std::size_t start)
      : m_tokens(tokens), m_index(start) {}

  bool done() const { return m_index >= m_tokens.size(); }
  const std::string& peek() const { return m_tokens[m_index]; }

  // Consumes `--name` (or `--name=value`) if it is next; returns its value for valued options.
  std::optional<std::optional<std::string>> take(std::initializer_list<std::string_view> names,
                                                 bool valued, std::optional<Error>& error) {
    if (error || done()) {
      return std::nullopt;
    }
    const std::string& token = peek();
    for (std::string_view name : names) {
      if (token == name) {
        ++m_index;
        if (!valued) {
          return std::optional<std::string>();
        }
        if (done()) {
          error = syntax_error(fmt::format("'{}' needs a value", name));
          return std::nullopt;
        }
        return std::optional<std::string>(m_tokens[m_index++]);
      }
      if (valued && token.size() > name.size() && token.starts_with(name) &&
          token[name.size()] == '=') {
        ++m_index;
        return std::optional<std::string>(token.substr(name.size() + 1));
      }
    }
    return std::nullopt;
  }

  std::string next() { return m_tokens[m_index++]; }

private:
  const std::vector<std::string>& m_tokens;
  std::size_t m_index;
};

// Reads the options a command accepts; anything else is a syntax error.
std::optional<Error> read_options(CommentCommand& command, OptionReader& reader) {
  std::optional<Error> error;
  while (!reader.done() && !error) {
    const std::string_view name = command.name;
    if (name == "pull-from-upstream") {
      if (reader.take({"--with-pr-config"}, false, error)) {
        command.with_pr_config = true;
        continue;
      }
      if (auto value = reader.take({"--resolve-bug", "--resolved-bugs"}, true, error)) {
        for (std::string& bug : split_commas(**value)) {
          command.resolve_bugs.push_back(std::move(bug));
        }
        continue;
      }
      if (auto value = reader.take({"--version"}, true, error)) {
        command.version = **value;
        continue;
      }
    }
    if (name == "copr-build" || name == "test") {
      if (auto value = reader.take({"--commit"}, true, error)) {
        command.commit = **value;
        continue;
      }
      if (auto value = reader.take({"--release"}, true, error)) {
        command.release = **value;
        continue;
      }
    }
    if (name == "test") {
      if (auto value = reader.take({"--identifier", "--id", "-i"}, true, error)) {
        command.identifier = **value;
        continue;
      }
      if (auto value = reader.take({"--labels"}, true, error)) {
        command.labels = split_commas(**value);
        continue;
      }
      if (auto value = reader.take({"--env"}, true, error)) {
        command.env.push_back(**value);
        continue;
      }
      if (!error && !reader.done() && !reader.peek().starts_with("-")) {
        command.test_targets.push_back(reader.next());
        continue;
      }
    }
    if (name == "koji-tag" && reader.take({"--all-branches"}, false, error)) {
      command.all_branches = true;
      continue;
    }
    if (error || reader.done()) {
      break;
    }
    std::string word = reader.peek();
    if (word.size() > 40) {
      word = word.substr(0, 37) + "...";
    }
    return syntax_error(fmt::format("'{}' does not take '{}'", command.name, word));
  }
  return error;
}

Result<CommentCommand> parse_line(std::string_view line, std::string prefix, std::size_t number) {
  std::vector<std::string> tokens;
  FERRY_TRY_ASSIGN(tokens, tokenize(line));
  CommentCommand command;
  command.prefix = std::move(prefix);
  command.line = number;
  std::size_t index = 1; // tokens[0] is the prefix
  while (index < tokens.size() && tokens[index].starts_with("--package")) {
    const std::string& token = tokens[index];
    if (token == "--package" && index + 1 < tokens.size()) {
      command.package = tokens[index + 1];
      index += 2;
    } else if (token.starts_with("--package=")) {
      command.package = token.substr(10);
      ++index;
    } else {
      return std::unexpected(*syntax_error("'--package' needs a package name"));
    }
  }
  if (index >= tokens.size()) {
    return std::unexpected(*syntax_error(fmt::format("no command after '{}'", command.prefix)));
  }
  command.written_name = tokens[index];
  const CommandSpec* spec = find_command(command.written_name);
  if (spec == nullptr) {
    std::string shown = command.written_name.size() > 40
                            ? command.written_name.substr(0, 37) + "..."
                            : command.written_name;
    return std::unexpected(*syntax_error(fmt::format("unknown command '{}'", shown)));
  }
  command.name = spec->name;
  OptionReader reader(tokens, index + 1);
  if (auto error = read_options(command, reader)) {
    return std::unexpected(std::move(*error));
  }
  return command;
}

std::string_view first_word(std::string_view line) {
  std::size_t start = line.find_first_not_of(" \t");
  if (start == std::string_view::npos) {
    return {};
  }
  std::size_t end = line.find_first_of(" \t", start);
  return line.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
}

// Markdown fenced code (CommonMark §4.5): a line of three or more '`' or '~' indented by at
// most three spaces opens a block; a line of at least as many of the same character, and
// nothing else, closes it. A command inside code is quoted text, not a command.
class FencedCode {
public:
  // Whether `line` is inside fenced code, counting the fence lines themselves.
  bool contains(std::string_view line) {
    std::size_t indent = line.find_first_not_of(' ');
    if (indent == std::string_view::npos || indent > 3) {
      return m_length > 0;
    }
    std::string_view rest = line.substr(indent);
    char c = rest.front();
    std::size_t run = (c == '`' || c == '~') ? rest.find_first_not_of(c) : 0;
    run = run == std::string_view::npos ? rest.size() : run;
    if (m_length == 0) {
      if (run >= 3 && !(c == '`' && rest.substr(run).find('`') != std::string_view::npos)) {
        m_fence = c;
        m_length = run;
        return true;
      }
      return false;
    }
    if (c == m_fence && run >= m_length &&
        rest.substr(run).find_first_not_of(" \t") == std::string_view::npos) {
      m_length = 0;
    }
    return true;
  }

private:
  char m_fence = 0;
  std::size_t m_length = 0; // 0: outside fenced code
};

} // namespace

Result<std::optional<CommentCommand>> parse_comment(std::string_view body,
                                                    const ParseOptions& options) {
  body = body.substr(0, std::min(body.size(), k_max_body_bytes));
  std::size_t number = 0;
  std::size_t start = 0;
  FencedCode code;
  while (start < body.size()) {
    std::size_t end = body.find('\n', start);
    std::string_view line =
        body.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    start = end == std::string_view::npos ? body.size() : end + 1;
    ++number;
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    if (code.contains(line)) {
      continue;
    }
    std::string_view word = first_word(line);
    auto prefix = std::find(options.prefixes.begin(), options.prefixes.end(), word);
    if (word.empty() || prefix == options.prefixes.end()) {
      continue;
    }
    if (line.size() > k_max_line_bytes) {
      return std::unexpected(*syntax_error("the command line is too long"));
    }
    CommentCommand command;
    FERRY_TRY_ASSIGN(command, parse_line(line, *prefix, number));
    return std::optional<CommentCommand>(std::move(command));
  }
  return std::optional<CommentCommand>();
}

std::vector<std::string> jobs_for_command(std::string_view name) {
  std::vector<std::string> jobs;
  if (const CommandSpec* spec = find_command(name)) {
    for (std::string_view job : spec->jobs) {
      if (!job.empty()) {
        jobs.emplace_back(job);
      }
    }
  }
  return jobs;
}

std::string_view required_permission(std::string_view name, Place place) {
  const CommandSpec* spec = find_command(name);
  if (spec == nullptr) {
    return "";
  }
  switch (place) {
  case Place::issue:
    return spec->permission.issue;
  case Place::pull_request:
    return spec->permission.pull_request;
  case Place::commit:
    return spec->permission.commit;
  }
  return "";
}

bool accepted_in(std::string_view name, Place place) {
  return !required_permission(name, place).empty();
}

const std::vector<std::string_view>& command_names() {
  static const std::vector<std::string_view> k_names = [] {
    std::vector<std::string_view> names;
    for (const CommandSpec& spec : k_commands) {
      names.push_back(spec.name);
      if (!spec.alias.empty()) {
        names.push_back(spec.alias);
      }
    }
    return names;
  }();
  return k_names;
}

} // namespace ferry::core::command
