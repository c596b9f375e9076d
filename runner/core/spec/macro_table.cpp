#include "core/spec/macro_table.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace ferry::core::spec {

void MacroTable::define(std::string_view name, std::string body, std::size_t level) {
  define_parametric(name, {}, std::move(body), level);
  m_macros.find(name)->second.back().parametric = false;
}

void MacroTable::define_parametric(std::string_view name, std::string options, std::string body,
                                   std::size_t level) {
  auto it = m_macros.find(name);
  if (it == m_macros.end()) {
    it = m_macros.emplace(std::string(name), std::vector<Macro>{}).first;
  }
  it->second.push_back(Macro{std::move(body), std::move(options), true, level});
  if (level > 0) {
    m_local_names.emplace_back(name);
  }
}

void MacroTable::undefine(std::string_view name) {
  auto it = m_macros.find(name);
  if (it != m_macros.end() && !it->second.empty()) {
    it->second.pop_back();
  }
}

const Macro* MacroTable::find(std::string_view name) const {
  auto it = m_macros.find(name);
  if (it == m_macros.end() || it->second.empty()) {
    return nullptr;
  }
  return &it->second.back();
}

void MacroTable::pop_level(std::size_t level) {
  std::vector<std::string> kept;
  for (const std::string& name : m_local_names) {
    auto it = m_macros.find(name);
    if (it == m_macros.end()) {
      continue;
    }
    auto& stack = it->second;
    while (!stack.empty() && stack.back().level >= level) {
      stack.pop_back();
    }
    if (std::any_of(stack.begin(), stack.end(), [](const Macro& m) { return m.level > 0; })) {
      kept.push_back(name);
    }
  }
  m_local_names = std::move(kept);
}

namespace {

struct DefaultMacro {
  std::string_view name;
  std::string_view body;
};

constexpr std::array k_defaults = {
    DefaultMacro{"nil", ""},
    DefaultMacro{"_target_cpu", "x86_64"},
    DefaultMacro{"_target_os", "linux"},
    DefaultMacro{"_host_cpu", "x86_64"},
    DefaultMacro{"_build_cpu", "x86_64"},
    DefaultMacro{"_arch", "x86_64"},
    DefaultMacro{"_os", "linux"},
    DefaultMacro{"_isa", "(x86-64)"},
    DefaultMacro{"_lib", "lib64"},
    DefaultMacro{"_prefix", "/usr"},
    DefaultMacro{"_usr", "/usr"},
    DefaultMacro{"_var", "/var"},
    DefaultMacro{"_exec_prefix", "%{_prefix}"},
    DefaultMacro{"_bindir", "%{_exec_prefix}/bin"},
    DefaultMacro{"_sbindir", "%{_exec_prefix}/sbin"},
    DefaultMacro{"_libdir", "%{_exec_prefix}/%{_lib}"},
    DefaultMacro{"_libexecdir", "%{_exec_prefix}/libexec"},
    DefaultMacro{"_datarootdir", "%{_prefix}/share"},
    DefaultMacro{"_datadir", "%{_datarootdir}"},
    DefaultMacro{"_sysconfdir", "/etc"},
    DefaultMacro{"_includedir", "%{_prefix}/include"},
    DefaultMacro{"_mandir", "%{_datarootdir}/man"},
    DefaultMacro{"_infodir", "%{_datarootdir}/info"},
    DefaultMacro{"_defaultdocdir", "%{_datarootdir}/doc"},
    DefaultMacro{"_localstatedir", "/var"},
    DefaultMacro{"_sharedstatedir", "%{_prefix}/com"},
    DefaultMacro{"_rundir", "/run"},
    DefaultMacro{"_usrsrc", "%{_usr}/src"},
    DefaultMacro{"_tmppath", "/var/tmp"},
    DefaultMacro{"_rpmconfigdir", "/usr/lib/rpm"},
    DefaultMacro{"ix86", "i386 i486 i586 i686 pentium3 pentium4 athlon geode"},
    DefaultMacro{"x86_64", "x86_64 amd64 em64t"},
    DefaultMacro{"arm", "armv3l armv4b armv4l armv4tl armv5tl armv5tel armv5tejl armv6l armv6hl "
                        "armv7l armv7hl armv7hnl armv8l armv8hl armv8hnl armv8hcnl"},
    DefaultMacro{"arm64", "aarch64"},
    DefaultMacro{"power64", "ppc64 ppc64p7 ppc64le"},
    DefaultMacro{"s390x", "s390x"},
    DefaultMacro{"riscv64", "riscv64"},
    DefaultMacro{"mips", "mips mipsel mipsr6 mipsr6el mips64 mips64el mips64r6 mips64r6el"},
    DefaultMacro{"sparc", "sparc sparcv8 sparcv9 sparcv9v sparc64 sparc64v"},
    DefaultMacro{"alpha", "alpha alphaev56 alphaev6 alphaev67"},
};

struct DefaultParametric {
  std::string_view name;
  std::string_view body;
};

constexpr std::array k_default_parametric = {
    DefaultParametric{"bcond_with", "%{expand:%%{?_with_%{1}:%%global with_%{1} 1}}"},
    DefaultParametric{"bcond_without", "%{expand:%%{!?_without_%{1}:%%global with_%{1} 1}}"},
    DefaultParametric{"with", "%{expand:%%{?with_%{1}:1}%%{!?with_%{1}:0}}"},
    DefaultParametric{"without", "%{expand:%%{?with_%{1}:0}%%{!?with_%{1}:1}}"},
};

} // namespace

void define_default_macros(MacroTable& table, std::string_view sourcedir) {
  for (const DefaultMacro& m : k_defaults) {
    table.define(m.name, std::string(m.body));
  }
  for (const DefaultParametric& m : k_default_parametric) {
    table.define_parametric(m.name, "", std::string(m.body));
  }
  table.define("_sourcedir", std::string(sourcedir));
}

} // namespace ferry::core::spec
