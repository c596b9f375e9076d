// Changelog entry text: sanitising outside text and formatting the entry header.
#include "core/spec/spec_editor.hpp"
#include "core/spec/text_util.hpp"
#include "infra/util/text.hpp"

#include <fmt/format.h>

#include <array>
#include <chrono>

namespace ferry::core::spec {

namespace {

constexpr std::size_t k_wrap_width = 80;
// Like GitHub's cap on a release body: a changelog entry keeps this many characters of text.
constexpr std::size_t k_max_entry_chars = 4000;

std::string escape_percent(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 4);
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 1 < s.size() && s[i + 1] == '%') {
      out += "%%";
      ++i;
    } else if (s[i] == '%') {
      out += "%%";
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

// Appends "- item" wrapped at k_wrap_width, continuation lines indented by two spaces.
void wrap_item(std::string_view item, std::vector<std::string>& lines) {
  std::string line = "-";
  bool first_word = true;
  for (std::string_view word : split_words(item)) {
    if (!first_word && line.size() + 1 + word.size() > k_wrap_width) {
      lines.push_back(std::move(line));
      line = " ";
    }
    line += " ";
    line += word;
    first_word = false;
  }
  lines.push_back(std::move(line));
}

bool starts_bullet(std::string_view line) {
  return !line.empty() && (line.front() == '*' || line.front() == '-') &&
         (line.size() == 1 || is_space(line[1]));
}

// The entries as text a spec can hold: valid UTF-8 without control characters (a NUL or an
// escape sequence from release notes), at most k_max_entry_chars in all. A cut entry is the
// last; the caller says so.
std::vector<std::string> clean_entries(const std::vector<std::string>& entries, bool& shortened) {
  std::vector<std::string> clean;
  std::size_t budget = k_max_entry_chars;
  shortened = false;
  for (const std::string& entry : entries) {
    std::string text = infra::util::valid_utf8(infra::util::without_control_characters(entry));
    std::size_t length = infra::util::character_count(text);
    if (length > budget) {
      clean.push_back(infra::util::shorten_front(text, budget));
      shortened = true;
      break;
    }
    budget -= length;
    clean.push_back(std::move(text));
  }
  return clean;
}

} // namespace

std::vector<std::string> format_changelog_items(const std::vector<std::string>& raw_entries) {
  bool shortened = false;
  std::vector<std::string> entries = clean_entries(raw_entries, shortened);
  std::vector<std::string> items;
  for (const std::string& entry : entries) {
    bool new_item = true;
    std::size_t pos = 0;
    while (pos <= entry.size()) {
      std::size_t nl = entry.find('\n', pos);
      std::string_view line = trim(std::string_view(entry).substr(
          pos, nl == std::string::npos ? std::string::npos : nl - pos));
      pos = nl == std::string::npos ? entry.size() + 1 : nl + 1;
      if (line.empty()) {
        new_item = true;
        continue;
      }
      if (starts_bullet(line)) {
        items.push_back(escape_percent(trim(line.substr(1))));
      } else if (new_item || items.empty()) {
        items.push_back(escape_percent(line));
      } else {
        items.back() += " " + escape_percent(line);
      }
      new_item = false;
    }
  }
  if (shortened) {
    items.push_back(fmt::format("(shortened to its first {} characters)", k_max_entry_chars));
  }
  std::vector<std::string> lines;
  for (const std::string& item : items) {
    wrap_item(item, lines);
  }
  return lines;
}

Result<std::string> changelog_header(std::string_view date, std::string_view author,
                                     std::string_view evr) {
  using namespace std::chrono;
  year_month_day ymd;
  if (date.empty()) {
    ymd = year_month_day(floor<days>(system_clock::now()));
  } else {
    int y = 0;
    unsigned m = 0, d = 0;
    bool shaped = date.size() == 10 && date[4] == '-' && date[7] == '-';
    for (std::size_t i = 0; shaped && i < date.size(); ++i) {
      shaped = (i == 4 || i == 7) || is_digit(date[i]);
    }
    if (shaped) {
      y = std::stoi(std::string(date.substr(0, 4)));
      m = static_cast<unsigned>(std::stoi(std::string(date.substr(5, 2))));
      d = static_cast<unsigned>(std::stoi(std::string(date.substr(8, 2))));
    }
    ymd = year_month_day(year(y), month(m), day(d));
    if (!shaped || !ymd.ok()) {
      return fail(ErrorKind::usage, fmt::format("date '{}' is not a valid YYYY-MM-DD date", date));
    }
  }
  static constexpr std::array<std::string_view, 7> k_days = {"Sun", "Mon", "Tue", "Wed",
                                                             "Thu", "Fri", "Sat"};
  static constexpr std::array<std::string_view, 12> k_months = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  weekday wd{sys_days(ymd)};
  return fmt::format("* {} {} {:02} {} {} - {}", k_days[wd.c_encoding()],
                     k_months[static_cast<unsigned>(ymd.month()) - 1],
                     static_cast<unsigned>(ymd.day()), static_cast<int>(ymd.year()),
                     escape_percent(author), evr);
}

} // namespace ferry::core::spec
