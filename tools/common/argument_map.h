#pragma once
/// @file argument_map.h
/// @brief A minimal `--key value` / `--flag` parser for the engine-only tools (refine-bench),
/// which build on the GPU machine where CLI11 is not installed. Header-only on purpose.

#include <map>
#include <set>
#include <stdexcept>
#include <string>

namespace refine::tools {

class ArgumentMap {
public:
    /// `flags` take no value; every other `--key` takes the next argument. Throws
    /// std::invalid_argument on a stray argument or a key without its value.
    ArgumentMap(int argc, char** argv, const std::set<std::string>& flags)
    {
        for (int i = 1; i < argc; ++i) {
            const std::string key = argv[i];
            if (key.rfind("--", 0) != 0)
                throw std::invalid_argument("unexpected argument '" + key + "'");
            if (flags.count(key))
                m_values[key] = "1";
            else if (i + 1 < argc)
                m_values[key] = argv[++i];
            else
                throw std::invalid_argument(key + " needs a value");
        }
    }

    bool has(const std::string& key) const { return m_values.count(key) > 0; }

    std::string text(const std::string& key, const std::string& fallback) const
    {
        auto it = m_values.find(key);
        return it == m_values.end() ? fallback : it->second;
    }

    int integer(const std::string& key, int fallback) const
    {
        return has(key) ? parsed(key, [](const std::string& v) { return std::stoi(v); }) : fallback;
    }

    double number(const std::string& key, double fallback) const
    {
        return has(key) ? parsed(key, [](const std::string& v) { return std::stod(v); }) : fallback;
    }

    /// The keys given that are not in `known` (to reject typos).
    std::set<std::string> unknown(const std::set<std::string>& known) const
    {
        std::set<std::string> result;
        for (const auto& entry : m_values)
            if (!known.count(entry.first))
                result.insert(entry.first);
        return result;
    }

private:
    template <typename Parse>
    auto parsed(const std::string& key, Parse parse) const -> decltype(parse(std::string()))
    {
        try {
            return parse(m_values.at(key));
        } catch (const std::logic_error&) {
            throw std::invalid_argument(key + " expects a number, not '" + m_values.at(key) + "'");
        }
    }

    std::map<std::string, std::string> m_values;
};

}  // namespace refine::tools
