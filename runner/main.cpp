#include "cli/app.hpp"

int main(int argc, char** argv) {
  return ferry::cli::run(argc, argv);
}
