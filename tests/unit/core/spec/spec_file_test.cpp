#include "core/spec/spec_file.hpp"

#include <catch2/catch.hpp>

namespace spec = ferry::core::spec;

namespace {

spec::SpecFile parse(std::string text) {
  auto file = spec::SpecFile::parse(std::move(text), "t.spec");
  REQUIRE(file);
  return std::move(*file);
}

} // namespace

TEST_CASE("spec: the model prints back every input byte for byte", "[core][spec]") {
  const char* inputs[] = {
      "",
      "\n",
      "Name: x",
      "Name:\tx\r\nVersion:  1 \r\n",
      "%if 1\r\nName: a\r\n%endif",
      "  \t\n\n%description\n\ttext\\\n%global a \\\n  b\n%changelog\n* x",
      "%define x %{?y:\n%{z}\n}\nName: %x\n",
      "Source0:http://a/b.tgz\nPatch7 :p\n%{!?foo:%global foo 1}\n",
  };
  for (const char* input : inputs) {
    auto file = parse(input);
    CHECK(file.text() == input);
    CHECK(file.print() == input);
  }
}

TEST_CASE("spec: preamble tags keep their name, number, qualifier and value spans",
          "[core][spec]") {
  auto file = parse("Name:   hello \nSource12:\thttp://x/y.tgz\nRequires(post): "
                    "bash\n%description\nKey: not a tag\n");
  REQUIRE(file.tags().size() == 3);
  CHECK(file.view(file.tags()[0].name) == "Name");
  CHECK(file.view(file.tags()[0].value) == "hello");
  CHECK(file.view(file.tags()[1].name) == "Source");
  CHECK(file.view(file.tags()[1].number) == "12");
  CHECK(file.view(file.tags()[1].value) == "http://x/y.tgz");
  CHECK(file.view(file.tags()[2].qualifier) == "(post)");
  CHECK(file.lines()[4].kind == spec::LineKind::text);
}

TEST_CASE("spec: sections, definitions and conditionals are recognised per line", "[core][spec]") {
  auto file =
      parse("%global ver 1.0\n%if 0%{?fedora}\nName: a\n%else\nName: b\n%endif\n"
            "%package -n sub\nSummary: s\n%description -n sub\nd\n%files\n%changelog\n* e\n");
  CHECK(file.definitions().size() == 1);
  CHECK(file.view(file.definitions()[0].name) == "ver");
  CHECK(file.view(file.definitions()[0].body) == "1.0");
  CHECK(file.conditionals().size() == 3);
  CHECK(file.view(file.conditionals()[0].expression) == "0%{?fedora}");
  REQUIRE(file.sections().size() == 5);
  CHECK(file.sections()[1].kind == spec::SectionKind::package);
  CHECK(file.view(file.sections()[1].arguments) == "-n sub");
  CHECK(file.sections()[4].kind == spec::SectionKind::changelog);
  CHECK(file.tags().size() == 3); // Summary in %package is a tag too
}

TEST_CASE("spec: multi-line macro definitions are one logical line", "[core][spec]") {
  auto file = parse("%global desc \\\nline one \\\nline two\nName: x\n");
  REQUIRE(file.lines().size() == 2);
  CHECK(file.lines()[0].physical == 3);
  CHECK(file.lines()[1].number == 4);
}

TEST_CASE("spec: a continued shell line does not hide the next %endif", "[core][spec]") {
  auto file =
      spec::SpecFile::parse("%build\n%if 1\n./configure \\\n%endif\n  --prefix=/usr\n", "t.spec");
  CHECK(file);
}

TEST_CASE("spec: unbalanced conditionals are errors naming file and line", "[core][spec]") {
  auto open = spec::SpecFile::parse("Name: x\n%if 1\nVersion: 1\n", "foo.spec");
  REQUIRE(!open);
  CHECK(open.error().message() == "foo.spec:2: unterminated %if");
  CHECK(open.error().kind() == ferry::ErrorKind::spec_parse);
  auto stray = spec::SpecFile::parse("Name: x\n\n%endif\n", "foo.spec");
  REQUIRE(!stray);
  CHECK(stray.error().message() == "foo.spec:3: %else, %elif or %endif without %if");
}

TEST_CASE("spec: edits replace only their spans", "[core][spec]") {
  std::string text = "abc\r\ndef";
  CHECK(spec::apply_edits(text, {{{5, 8}, "XY"}, {{0, 0}, ">"}}) == ">abc\r\nXY");
  CHECK(parse("a\r\nb").line_ending() == "\r\n");
  CHECK(parse("a\nb").line_ending() == "\n");
}

TEST_CASE("spec: %changelog entries are listed with their lines", "[core][spec]") {
  auto file = parse("Name: x\n%changelog\n* Mon Jan 06 2025 A <a@b> - 2-1\n- two\n\n* Sun Jan 05 "
                    "2025 A <a@b> - 1-1\n- one\n");
  auto entries = spec::changelog_entries(file, 1);
  REQUIRE(entries.size() == 2);
  CHECK(entries[0].header_line == 2);
  CHECK(entries[0].end_line == 5);
  CHECK(entries[1].header_line == 5);
  CHECK(entries[1].end_line == 7);
}
