// The JSON shape of `ferry spec show`.
#pragma once

#include "core/spec/spec_evaluator.hpp"

#include <nlohmann/json.hpp>

namespace ferry::core::spec {

// {"name","epoch","version","release","sources":[{"number","url","filename"}],"patches":[...],
//  "autorelease","autochangelog","changelog_entries","unevaluated":[...]}; epoch is null when
// the spec has none.
nlohmann::ordered_json to_json(const SpecInfo& info);

} // namespace ferry::core::spec
