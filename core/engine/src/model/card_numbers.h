#pragma once
/// @file card_numbers.h
/// @brief Whole numbers from a model card, checked. nlohmann::json's get<int>() converts without
/// a check: 1e300 is undefined behaviour (found by fuzz/fuzz_model_card) and 4294967304 quietly
/// becomes 8. These refuse anything but a whole number in int's range (4.0 counts as 4) with
/// refine::Error(BadModel) naming the field.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace refine {

/// `value` as an int; `field` names it in the message.
int cardInt(const nlohmann::json& value, const std::string& field);

/// object[key] as cardInt, or `fallback` when the key is absent (like json::value()).
int cardInt(const nlohmann::json& object, const std::string& key, int fallback);

/// object[key], a list of whole numbers, or `fallback` when the key is absent.
std::vector<int> cardInts(const nlohmann::json& object, const std::string& key, const std::vector<int>& fallback);

}  // namespace refine
