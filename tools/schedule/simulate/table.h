// Column-aligned text tables the way kubectl prints them (3 spaces between
// columns, no trailing padding on the last one).
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace schedule {

class Table {
 public:
  explicit Table(std::vector<std::string> header) { rows_.push_back(std::move(header)); }
  void Add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  void Print(std::ostream& out) const;

 private:
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace schedule
