#include "core/config/yaml_document.hpp"

#include <catch2/catch.hpp>

using ferry::core::config::parse_yaml;

TEST_CASE("Plain scalars get YAML 1.1 types and quoted ones stay text", "[core][config]") {
  auto document = parse_yaml("a: yes\nb: 'yes'\nc: 42\nd: \"42\"\ne: 1.5\nf: ~\ng: off\nh: v1.0\n");
  REQUIRE(document);
  const auto& root = document->root;
  CHECK(root["a"] == true);
  CHECK(root["b"] == "yes");
  CHECK(root["c"] == 42);
  CHECK(root["d"] == "42");
  CHECK(root["e"] == 1.5);
  CHECK(root["f"].is_null());
  CHECK(root["g"] == false);
  CHECK(root["h"] == "v1.0");
}

TEST_CASE("Merge keys copy missing entries and explicit keys win", "[core][config]") {
  auto document = parse_yaml("base: &b\n  x: 1\n  y: 2\nitem:\n  y: 3\n  <<: *b\n");
  REQUIRE(document);
  CHECK(document->root["item"]["x"] == 1);
  CHECK(document->root["item"]["y"] == 3);
  CHECK(document->mark_of("/item/x").line == 2);
  CHECK(document->mark_of("/item/y").line == 5);
}

TEST_CASE("A list of merge sources gives the earlier source priority", "[core][config]") {
  auto document = parse_yaml("a: &a {k: 1}\nb: &b {k: 2, m: 3}\nc:\n  <<: [*a, *b]\n");
  REQUIRE(document);
  CHECK(document->root["c"]["k"] == 1);
  CHECK(document->root["c"]["m"] == 3);
}

TEST_CASE("Values and keys remember their line and column", "[core][config]") {
  auto document = parse_yaml("top:\n  - name: x\n    value: 3\n");
  REQUIRE(document);
  CHECK(document->mark_of("/top/0/value").line == 3);
  CHECK(document->mark_of("/top/0/value").column == 12);
  CHECK(document->key_mark_of("/top/0/value").column == 5);
}

TEST_CASE("A syntax error reports yaml-cpp's message and position", "[core][config]") {
  auto document = parse_yaml("a: [1, 2\nb: 3\n");
  REQUIRE_FALSE(document);
  CHECK(document.error().mark.line >= 1);
  CHECK_FALSE(document.error().message.empty());
}

TEST_CASE("An alias bomb is refused instead of expanded", "[core][config]") {
  std::string text = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  char previous = 'a';
  for (char name = 'b'; name <= 'j'; ++name) {
    text += std::string(1, name) + ": &" + name + " [";
    for (int i = 0; i < 10; ++i) {
      text += std::string(i ? ", *" : "*") + previous;
    }
    text += "]\n";
    previous = name;
  }
  auto document = parse_yaml(text);
  REQUIRE_FALSE(document);
  CHECK(document.error().message.find("alias") != std::string::npos);
}

TEST_CASE("An empty document is an empty mapping", "[core][config]") {
  auto document = parse_yaml("");
  REQUIRE(document);
  CHECK(document->root.is_object());
  CHECK(document->root.empty());
}
