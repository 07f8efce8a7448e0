#include "model/card_numbers.h"

#include "refine/engine/error.h"

#include <climits>
#include <cmath>

namespace refine {
namespace {

[[noreturn]] void wrongType(const std::string& field, const std::string& why)
{
    throw Error(ErrorCode::BadModel, "the model card's '" + field + "' " + why);
}

// json::value() refuses a non-object the same way.
void requireObject(const nlohmann::json& object, const std::string& key)
{
    if (!object.is_object())
        wrongType(key, std::string("is looked up in ") + object.type_name() + ", not in an object");
}

}  // namespace

int cardInt(const nlohmann::json& value, const std::string& field)
{
    const std::string range = "a whole number from " + std::to_string(INT_MIN) + " to " + std::to_string(INT_MAX);
    if (value.is_number_unsigned()) {
        if (value.get<unsigned long long>() > static_cast<unsigned long long>(INT_MAX))
            wrongType(field, "must be " + range + ", not " + value.dump());
        return static_cast<int>(value.get<unsigned long long>());
    }
    if (value.is_number_integer()) {
        const long long n = value.get<long long>();
        if (n < INT_MIN || n > INT_MAX)
            wrongType(field, "must be " + range + ", not " + value.dump());
        return static_cast<int>(n);
    }
    if (value.is_number_float()) {
        // Cards written by hand say 4.0 for 4; 2.5 or 1e300 is no count of anything.
        const double x = value.get<double>();
        if (!(x >= double(INT_MIN) && x <= double(INT_MAX)) || std::floor(x) != x)
            wrongType(field, "must be " + range + ", not " + value.dump());
        return static_cast<int>(x);
    }
    wrongType(field, std::string("must be a number, not ") + value.type_name());
}

int cardInt(const nlohmann::json& object, const std::string& key, int fallback)
{
    requireObject(object, key);
    const auto it = object.find(key);
    return it == object.end() ? fallback : cardInt(*it, key);
}

std::vector<int> cardInts(const nlohmann::json& object, const std::string& key, const std::vector<int>& fallback)
{
    requireObject(object, key);
    const auto it = object.find(key);
    if (it == object.end())
        return fallback;
    if (!it->is_array())
        wrongType(key, std::string("must be a list of whole numbers, not ") + it->type_name());
    std::vector<int> values;
    for (const auto& item : *it)
        values.push_back(cardInt(item, key));
    return values;
}

}  // namespace refine
