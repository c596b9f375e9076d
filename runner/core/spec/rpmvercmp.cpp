#include "core/spec/rpmvercmp.hpp"

#include <cstddef>

namespace ferry::core::spec {

namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_alnum(char c) {
  return is_digit(c) || is_alpha(c);
}

// Skips characters that separate segments (anything but alnum, '~' and '^').
std::size_t skip_separators(std::string_view s, std::size_t i) {
  while (i < s.size() && !is_alnum(s[i]) && s[i] != '~' && s[i] != '^') {
    ++i;
  }
  return i;
}

std::string_view strip_leading_zeros(std::string_view s) {
  while (!s.empty() && s.front() == '0') {
    s.remove_prefix(1);
  }
  return s;
}

int compare_numeric(std::string_view a, std::string_view b) {
  a = strip_leading_zeros(a);
  b = strip_leading_zeros(b);
  if (a.size() != b.size()) {
    return a.size() > b.size() ? 1 : -1;
  }
  int c = a.compare(b);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

int sign(int c) {
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

// Handles a '~' or '^' at the current position of either side; returns 2 when neither applies.
int compare_tilde_caret(std::string_view a, std::size_t i, std::string_view b, std::size_t j) {
  bool at = i < a.size(), bt = j < b.size();
  if ((at && a[i] == '~') || (bt && b[j] == '~')) {
    if (!at || a[i] != '~') {
      return 1;
    }
    if (!bt || b[j] != '~') {
      return -1;
    }
    return 3; // both: continue
  }
  if ((at && a[i] == '^') || (bt && b[j] == '^')) {
    if (!at) {
      return -1;
    }
    if (!bt) {
      return 1;
    }
    if (a[i] != '^') {
      return 1;
    }
    if (b[j] != '^') {
      return -1;
    }
    return 3;
  }
  return 2;
}

} // namespace

int rpmvercmp(std::string_view a, std::string_view b) {
  if (a == b) {
    return 0;
  }
  std::size_t i = 0, j = 0;
  while (i < a.size() || j < b.size()) {
    i = skip_separators(a, i);
    j = skip_separators(b, j);
    int tc = compare_tilde_caret(a, i, b, j);
    if (tc == 3) {
      ++i;
      ++j;
      continue;
    }
    if (tc != 2) {
      return tc;
    }
    if (i >= a.size() || j >= b.size()) {
      break;
    }
    bool numeric = is_digit(a[i]);
    std::size_t ei = i, ej = j;
    if (numeric) {
      while (ei < a.size() && is_digit(a[ei]))
        ++ei;
      while (ej < b.size() && is_digit(b[ej]))
        ++ej;
    } else {
      while (ei < a.size() && is_alpha(a[ei]))
        ++ei;
      while (ej < b.size() && is_alpha(b[ej]))
        ++ej;
    }
    if (ej == j) {
      return numeric ? 1 : -1; // segment types differ: numeric is newer
    }
    std::string_view sa = a.substr(i, ei - i), sb = b.substr(j, ej - j);
    int c = numeric ? compare_numeric(sa, sb) : sign(sa.compare(sb));
    if (c != 0) {
      return c;
    }
    i = ei;
    j = ej;
  }
  bool a_done = i >= a.size(), b_done = j >= b.size();
  if (a_done && b_done) {
    return 0;
  }
  return a_done ? -1 : 1;
}

Evr parse_evr(std::string_view text) {
  Evr evr;
  std::size_t colon = text.find(':');
  if (colon != std::string_view::npos) {
    evr.epoch = std::string(text.substr(0, colon));
    text.remove_prefix(colon + 1);
  }
  std::size_t dash = text.rfind('-');
  if (dash != std::string_view::npos) {
    evr.release = std::string(text.substr(dash + 1));
    text = text.substr(0, dash);
  }
  evr.version = std::string(text);
  return evr;
}

int compare_evr(const Evr& a, const Evr& b) {
  std::string_view ea = a.epoch.empty() ? "0" : std::string_view(a.epoch);
  std::string_view eb = b.epoch.empty() ? "0" : std::string_view(b.epoch);
  if (int c = compare_numeric(ea, eb); c != 0) {
    return c;
  }
  if (int c = rpmvercmp(a.version, b.version); c != 0) {
    return c;
  }
  if (a.release.empty() || b.release.empty()) {
    return 0;
  }
  return rpmvercmp(a.release, b.release);
}

} // namespace ferry::core::spec
