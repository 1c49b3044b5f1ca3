// Equality of JSON values as JSON Schema defines it (enum, const, uniqueItems): numbers by their
// mathematical value (1, 1.0 and 1e0 are equal, which boost::json's == does not say), objects
// whatever the order of their members.
#pragma once

#include <boost/json/value.hpp>

namespace switchyard::json_schema {

// Recursion goes as deep as the shallower of the two values; callers bound both (schema.h).
bool JsonEqual(const boost::json::value& a, const boost::json::value& b);

}  // namespace switchyard::json_schema
