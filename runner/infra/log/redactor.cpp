#include "infra/log/redactor.hpp"

#include "infra/util/encoding.hpp"

#include <algorithm>

namespace ferry::infra::log {

namespace {

// base64 of the secret as it appears when preceded by `offset` unknown bytes inside a larger
// encoded blob: only the characters that depend on the secret's bytes alone are kept.
std::string embedded_base64(std::string_view secret, std::size_t offset) {
  std::string padded(offset, '\0');
  padded.append(secret);
  std::string encoded = util::base64_encode(padded);
  std::size_t complete_groups = padded.size() / 3;
  encoded.resize(complete_groups * 4); // the last partial group depends on what follows
  static constexpr std::size_t k_mixed_chars[] = {0, 2, 3};
  return encoded.substr(std::min(encoded.size(), k_mixed_chars[offset]));
}

} // namespace

std::vector<std::string> secret_forms(std::string_view secret) {
  std::vector<std::string> forms;
  auto add_form = [&](std::string form) {
    if (form.size() >= Redactor::k_min_secret_length &&
        std::find(forms.begin(), forms.end(), form) == forms.end()) {
      forms.push_back(std::move(form));
    }
  };
  add_form(std::string(secret));
  add_form(util::percent_encode(secret));
  add_form(util::base64_encode(secret));
  std::string plain_b64 = util::base64_encode(secret);
  while (!plain_b64.empty() && plain_b64.back() == '=') {
    plain_b64.pop_back();
  }
  add_form(plain_b64);
  if (secret.size() >= 8) { // shorter embedded fragments would match unrelated base64 text
    for (std::size_t offset = 0; offset < 3; ++offset) {
      add_form(embedded_base64(secret, offset));
    }
  }
  return forms;
}

bool Redactor::add(std::string_view secret) {
  if (secret.size() < k_min_secret_length) {
    return false;
  }
  std::lock_guard lock(m_mutex);
  bool added = false;
  for (std::string& form : secret_forms(secret)) {
    if (std::find(m_forms.begin(), m_forms.end(), form) == m_forms.end()) {
      m_forms.push_back(std::move(form));
      added = true;
    }
  }
  std::stable_sort(m_forms.begin(), m_forms.end(),
                   [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  return added;
}

std::string Redactor::redact(std::string_view text) const {
  return redact_except(text, {});
}

std::string Redactor::redact_except(std::string_view text,
                                    const std::vector<std::string>& kept) const {
  std::vector<std::string> kept_forms;
  for (const std::string& secret : kept) {
    std::vector<std::string> forms = secret_forms(secret);
    kept_forms.insert(kept_forms.end(), forms.begin(), forms.end());
  }
  std::lock_guard lock(m_mutex);
  std::string result(text);
  for (const std::string& form : m_forms) {
    if (std::find(kept_forms.begin(), kept_forms.end(), form) != kept_forms.end()) {
      continue;
    }
    std::size_t pos = 0;
    while ((pos = result.find(form, pos)) != std::string::npos) {
      result.replace(pos, form.size(), k_mask);
      pos += k_mask.size();
    }
  }
  return result;
}

std::vector<std::string> Redactor::forms() const {
  std::lock_guard lock(m_mutex);
  return m_forms;
}

bool Redactor::empty() const {
  std::lock_guard lock(m_mutex);
  return m_forms.empty();
}

} // namespace ferry::infra::log
