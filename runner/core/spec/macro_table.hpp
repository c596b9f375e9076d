// RPM macro definitions: a stack of bodies per name, so %define/%undefine and parametric
// macro locals nest as they do in rpm.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace ferry::core::spec {

struct Macro {
  std::string body;
  std::string options; // getopt string of a parametric macro ("ab:"), "" otherwise
  bool parametric = false;
  std::size_t level = 0; // 0 = global; parametric calls push deeper levels
};

class MacroTable {
public:
  // Pushes a definition of `name` at `level`, shadowing earlier ones until undefined.
  void define(std::string_view name, std::string body, std::size_t level = 0);
  void define_parametric(std::string_view name, std::string options, std::string body,
                         std::size_t level = 0);
  // Pops the newest definition of `name`, if any.
  void undefine(std::string_view name);
  // The newest definition of `name`, or nullptr.
  const Macro* find(std::string_view name) const;
  // Pops every definition made at `level` or deeper (end of a parametric call).
  void pop_level(std::size_t level);

private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, std::vector<Macro>, Hash, std::equal_to<>> m_macros;
  std::vector<std::string> m_local_names; // names defined at levels > 0, for pop_level
};

// rpm's defaults that matter for Name/Version/Release/Source evaluation on x86_64 Linux
// (paths, architectures, %bcond helpers), plus `_sourcedir` = `sourcedir`.
void define_default_macros(MacroTable& table, std::string_view sourcedir);

} // namespace ferry::core::spec
