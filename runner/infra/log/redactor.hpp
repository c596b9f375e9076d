// Secret redaction: every registered secret is replaced by "***" in any text passed through
// redact(), in each form it may take on the way out: as given, percent-encoded (embedded in a
// URL), and base64-encoded alone or inside a larger base64 blob (HTTP Basic credentials).
//
// Thread-safe. Secrets shorter than k_min_secret_length are refused (redacting "a" would
// destroy every message while protecting nothing); add() reports whether it took the secret.
#pragma once

#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace ferry::infra::log {

class Redactor {
public:
  static constexpr std::size_t k_min_secret_length = 4;
  static constexpr std::string_view k_mask = "***";

  bool add(std::string_view secret);
  std::string redact(std::string_view text) const;
  // The same, leaving the secrets in `kept` (a body that carries them on purpose) as they are.
  std::string redact_except(std::string_view text, const std::vector<std::string>& kept) const;
  // The forms of every secret, longest first (for ::add-mask:: on GitHub).
  std::vector<std::string> forms() const;
  bool empty() const;

private:
  mutable std::mutex m_mutex;
  std::vector<std::string> m_forms; // sorted longest first, so a form never hides a longer one
};

// The forms a secret can take in output; exposed for tests.
std::vector<std::string> secret_forms(std::string_view secret);

} // namespace ferry::infra::log
