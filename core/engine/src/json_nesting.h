#pragma once
/// @file json_nesting.h
/// @brief A check to run on JSON text from a file before parsing it. nlohmann::json parses any
/// depth, but copying and printing a value recurse once per level, so a small file of a million
/// nested brackets overflows the stack (a crash, not an exception). Every reader of untrusted
/// JSON (safetensors headers, model cards) refuses such text first.

#include <string_view>

namespace refine {

/// Whether arrays and objects in `text` nest at most `limit` deep (brackets inside strings do not
/// count). Works on any text: malformed JSON is left to the parser.
bool jsonNestingWithin(std::string_view text, int limit);

}  // namespace refine
