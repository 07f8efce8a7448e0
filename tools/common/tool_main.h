#pragma once
/// @file tool_main.h
/// @brief The common tail of an engine-only tool's main(): a bad option exits 2 with the usage,
/// any other error exits 1 with its message, nothing escapes as an uncaught exception.

#include <cstdio>
#include <exception>
#include <stdexcept>

namespace refine::tools {

template <typename Body>
int runTool(const char* name, const char* usage, Body body)
{
    try {
        return body();
    } catch (const std::invalid_argument& e) {
        std::fprintf(stderr, "%s: %s\n%s", name, e.what(), usage);
        return 2;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s: %s\n", name, e.what());
        return 1;
    }
}

}  // namespace refine::tools
