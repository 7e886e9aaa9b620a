// Copyright 2026 The Thrombo Authors.
// main() of the `thrombo` command-line tool: `thrombo <command> [flags] args`, dispatched
// through one table so adding a subcommand is one line here plus its own library.
#include <iostream>
#include <string>
#include <vector>

#include "service/validate_command.h"

namespace {

// A subcommand gets the words after its name and returns the process exit code.
using CommandFn = int (*)(const std::vector<std::string>& args, std::ostream& out,
                          std::ostream& err);

struct Command {
  const char* name;
  const char* summary;
  CommandFn run;
};

constexpr Command kCommands[] = {
    {"validate", "check FHIR R4 JSON files (resource, Bundle or NDJSON)",
     &thrombo::service::RunValidateCommand},
};

void PrintUsage(std::ostream& out) {
  out << "usage: thrombo <command> [flags] args\n\ncommands:\n";
  for (const Command& command : kCommands) {
    out << "  " << command.name << "\t" << command.summary << "\n";
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    PrintUsage(std::cerr);
    return 2;
  }
  const std::string name = argv[1];
  if (name == "help" || name == "--help" || name == "-h") {
    PrintUsage(std::cout);
    return 0;
  }
  for (const Command& command : kCommands) {
    if (name == command.name) {
      return command.run(std::vector<std::string>(argv + 2, argv + argc), std::cout, std::cerr);
    }
  }
  std::cerr << "thrombo: unknown command \"" << name << "\"\n";
  PrintUsage(std::cerr);
  return 2;
}
