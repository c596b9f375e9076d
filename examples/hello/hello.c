/* hello: prints a friendly greeting. */
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
  const char *name = argc > 1 ? argv[1] : "world";
  if (argc > 1 && strcmp(argv[1], "--version") == 0) {
    puts("hello " HELLO_VERSION);
    return 0;
  }
  printf("Hello, %s!\n", name);
  return 0;
}
