#include "json_schema/schema.h"

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>
#include <string>

namespace switchyard::json_schema {
namespace {

namespace json = boost::json;

Schema Compiled(std::string_view schema) {
  Result<Schema> compiled = Schema::Compile(json::parse(schema));
  EXPECT_TRUE(compiled.ok()) << compiled.error().message;
  return compiled.ok() ? *compiled : *Schema::Compile(json::value(true));
}

std::string CompileError(std::string_view schema) {
  Result<Schema> compiled = Schema::Compile(json::parse(schema));
  if (compiled.ok()) return "(compiled)";
  EXPECT_EQ(compiled.error().kind, ErrorKind::kInvalidRequest);
  return compiled.error().message;
}

// The reason `instance` fails `schema`, or "valid".
std::string Check(std::string_view schema, std::string_view instance) {
  return Compiled(schema).Validate(json::parse(instance)).value_or("valid");
}

TEST(JsonSchemaTest, TypesIncludingIntegerAsANumberWithoutFraction) {
  EXPECT_EQ(Check(R"({"type":"integer"})", "3"), "valid");
  EXPECT_EQ(Check(R"({"type":"integer"})", "3.0"), "valid");
  EXPECT_EQ(Check(R"({"type":"integer"})", "3.5"), "/: expected integer");
  EXPECT_EQ(Check(R"({"type":"number"})", "3"), "valid");
  EXPECT_EQ(Check(R"({"type":["string","null"]})", "null"), "valid");
  EXPECT_EQ(Check(R"({"type":["string","null"]})", "1"), "/: expected string or null");
  EXPECT_EQ(Check(R"({"type":"object"})", "[]"), "/: expected object");
  EXPECT_EQ(Check(R"({"type":"boolean"})", "false"), "valid");
}

constexpr std::string_view kPerson = R"({
  "type": "object",
  "properties": {
    "name": {"type": "string", "minLength": 1, "description": "ignored annotation"},
    "age": {"type": "integer", "minimum": 0},
    "tags": {"type": "array", "items": {"type": "string"}}
  },
  "required": ["name", "age"],
  "additionalProperties": false,
  "title": "Person", "$schema": "https://json-schema.org/draft/2020-12/schema", "strict": true
})";

TEST(JsonSchemaTest, ObjectsWithPropertiesRequiredAndNoAdditional) {
  EXPECT_EQ(Check(kPerson, R"({"name":"Ada","age":36,"tags":["x"]})"), "valid");
  EXPECT_EQ(Check(kPerson, R"({"name":"Ada","age":36.5})"), "/age: expected integer");
  EXPECT_EQ(Check(kPerson, R"({"name":"Ada"})"), "/: missing required property 'age'");
  EXPECT_EQ(Check(kPerson, R"({"name":"Ada","age":1,"x":1})"),
            "/x: property not allowed (additionalProperties)");
  EXPECT_EQ(Check(kPerson, R"({"name":"Ada","age":1,"tags":["a",2]})"),
            "/tags/1: expected string");
  EXPECT_EQ(Check(kPerson, R"({"name":"","age":1})"), "/name: shorter than 1 characters");
}

TEST(JsonSchemaTest, AdditionalPropertiesAsASchema) {
  constexpr std::string_view schema = R"({"additionalProperties":{"type":"number"}})";
  EXPECT_EQ(Check(schema, R"({"a":1,"b":2.5})"), "valid");
  EXPECT_EQ(Check(schema, R"({"a":"x"})"), "/a: expected number");
}

TEST(JsonSchemaTest, PointerTokensAreEscaped) {
  EXPECT_EQ(Check(R"({"additionalProperties":false})", R"({"a/b~c":1})"),
            "/a~1b~0c: property not allowed (additionalProperties)");
}

TEST(JsonSchemaTest, ArraysPrefixItemsCountsAndUniqueness) {
  constexpr std::string_view tuple =
      R"({"prefixItems":[{"type":"string"},{"type":"integer"}],"items":false})";
  EXPECT_EQ(Check(tuple, R"(["a",1])"), "valid");
  EXPECT_EQ(Check(tuple, R"(["a","b"])"), "/1: expected integer");
  EXPECT_EQ(Check(tuple, R"(["a",1,2])"), "/2: not allowed (schema false)");
  EXPECT_EQ(Check(R"({"minItems":2})", "[1]"), "/: fewer than 2 items");
  EXPECT_EQ(Check(R"({"maxItems":1})", "[1,2]"), "/: more than 1 items");
  EXPECT_EQ(Check(R"({"uniqueItems":true})", "[1,2,1.0]"),
            "/: items 0 and 2 are equal (uniqueItems)");
  EXPECT_EQ(Check(R"({"uniqueItems":true})", R"([{"a":1,"b":2},{"b":2,"a":1.5}])"), "valid");
}

TEST(JsonSchemaTest, EnumAndConstCompareNumbersByValue) {
  EXPECT_EQ(Check(R"({"enum":["red","green",1]})", "1.0"), "valid");
  EXPECT_EQ(Check(R"({"enum":["red","green"]})", R"("blue")"), "/: not one of the enum values");
  EXPECT_EQ(Check(R"({"const":{"a":[1,2]}})", R"({"a":[1,2]})"), "valid");
  EXPECT_EQ(Check(R"({"const":{"a":[1,2]}})", R"({"a":[2,1]})"), "/: not the const value");
}

TEST(JsonSchemaTest, StringLengthsCountCodePoints) {
  EXPECT_EQ(Check(R"({"maxLength":3})", R"("äöü")"), "valid");
  EXPECT_EQ(Check(R"({"maxLength":2})", R"("äöü")"), "/: longer than 2 characters");
}

TEST(JsonSchemaTest, PatternSearchesUnanchored) {
  EXPECT_EQ(Check(R"({"pattern":"[0-9]{3}"})", R"("ab123")"), "valid");
  EXPECT_EQ(Check(R"({"pattern":"^[0-9]{3}$"})", R"("ab123")"), "/: does not match the pattern");
}

TEST(JsonSchemaTest, NumberBounds) {
  EXPECT_EQ(Check(R"({"minimum":1,"maximum":3})", "3"), "valid");
  EXPECT_EQ(Check(R"({"minimum":1})", "0.5"), "/: less than 1");
  EXPECT_EQ(Check(R"({"maximum":3})", "4"), "/: more than 3");
  EXPECT_EQ(Check(R"({"exclusiveMinimum":1})", "1"), "/: not more than 1");
  EXPECT_EQ(Check(R"({"exclusiveMaximum":3})", "3"), "/: not less than 3");
  EXPECT_EQ(Check(R"({"multipleOf":0.1})", "0.3"), "valid");
  EXPECT_EQ(Check(R"({"multipleOf":3})", "-9"), "valid");
  EXPECT_EQ(Check(R"({"multipleOf":3})", "10"), "/: not a multiple of 3");
}

TEST(JsonSchemaTest, PropertyCounts) {
  EXPECT_EQ(Check(R"({"minProperties":1})", "{}"), "/: fewer than 1 properties");
  EXPECT_EQ(Check(R"({"maxProperties":1})", R"({"a":1,"b":2})"), "/: more than 1 properties");
}

TEST(JsonSchemaTest, Combinators) {
  constexpr std::string_view any = R"({"anyOf":[{"type":"string"},{"type":"integer"}]})";
  EXPECT_EQ(Check(any, "1"), "valid");
  EXPECT_EQ(Check(any, "1.5"), "/: matches none of the anyOf schemas");
  constexpr std::string_view all = R"({"allOf":[{"minimum":1},{"maximum":2}]})";
  EXPECT_EQ(Check(all, "3"), "/: more than 2");
  constexpr std::string_view one = R"({"oneOf":[{"type":"number"},{"type":"integer"}]})";
  EXPECT_EQ(Check(one, "1.5"), "valid");
  EXPECT_EQ(Check(one, "1"), "/: matches 2 of the oneOf schemas, one wanted");
  EXPECT_EQ(Check(one, R"("x")"), "/: matches none of the oneOf schemas");
  EXPECT_EQ(Check(R"({"not":{"type":"null"}})", "null"), "/: matches the schema under not");
  EXPECT_EQ(Check(R"({"not":{"type":"null"}})", "0"), "valid");
}

TEST(JsonSchemaTest, BooleanSchemas) {
  EXPECT_EQ(Check("true", R"({"anything":[1]})"), "valid");
  EXPECT_EQ(Check("false", "1"), "/: not allowed (schema false)");
}

TEST(JsonSchemaTest, LocalReferencesIncludingRecursion) {
  constexpr std::string_view tree = R"({
    "$defs": {"node": {"type": "object",
                       "properties": {"value": {"type": "integer"},
                                      "children": {"type": "array",
                                                   "items": {"$ref": "#/$defs/node"}}},
                       "required": ["value"]}},
    "$ref": "#/$defs/node"
  })";
  EXPECT_EQ(Check(tree, R"({"value":1,"children":[{"value":2,"children":[{"value":3}]}]})"),
            "valid");
  EXPECT_EQ(Check(tree, R"({"value":1,"children":[{"value":2,"children":[{"value":"x"}]}]})"),
            "/children/0/children/0/value: expected integer");
  constexpr std::string_view old = R"({"definitions":{"n":{"type":"number"}},
                                       "properties":{"a":{"$ref":"#/definitions/n"}}})";
  EXPECT_EQ(Check(old, R"({"a":"x"})"), "/a: expected number");
  constexpr std::string_view self = R"({"properties":{"next":{"$ref":"#"}},"type":"object"})";
  EXPECT_EQ(Check(self, R"({"next":{"next":{}}})"), "valid");
  EXPECT_EQ(Check(self, R"({"next":{"next":1}})"), "/next/next: expected object");
  EXPECT_EQ(Check(R"({"$defs":{"a b":{"type":"null"}},"$ref":"#/$defs/a%20b"})", "1"),
            "/: expected null");
}

TEST(JsonSchemaTest, CompileErrorsNameTheKeywordAndItsPointer) {
  EXPECT_EQ(CompileError(R"({"properties":{"a":{"type":"int"}}})"),
            "output schema /properties/a/type: must name JSON types (null, boolean, object, "
            "array, number, string, integer)");
  EXPECT_NE(CompileError(R"({"properties":{"a":{"pattern":"(x"}}})")
                .find("output schema /properties/a/pattern: regex '(x' does not compile"),
            std::string::npos);
  EXPECT_EQ(CompileError(R"({"items":{"$ref":"#/$defs/missing"}})"),
            "output schema /items/$ref: '#/$defs/missing' does not resolve");
  EXPECT_EQ(CompileError(R"({"$ref":"https://example.com/s.json"})"),
            "output schema /$ref: 'https://example.com/s.json' is not a local reference "
            "(#, #/$defs/...)");
  EXPECT_EQ(CompileError(R"({"minLength":-1})"),
            "output schema /minLength: must be a non-negative integer");
  EXPECT_EQ(CompileError(R"({"multipleOf":0})"),
            "output schema /multipleOf: must be greater than 0");
  EXPECT_EQ(CompileError(R"({"anyOf":[]})"),
            "output schema /anyOf: anyOf must be a non-empty list of schemas");
  EXPECT_EQ(CompileError("1"), "output schema /: a schema must be an object or a boolean");
  EXPECT_EQ(CompileError(R"({"if":{"type":"string"}})"),
            "output schema /if: keyword not supported by the gateway's validator");
}

TEST(JsonSchemaTest, UnknownKeywordsAreIgnored) {
  EXPECT_EQ(Check(R"({"x-vendor":{"anything":1},"format":"date-time","type":"string"})",
                  R"("not a date")"),
            "valid");
}

// Builds `depth` levels of {"items": ...} around a leaf schema, as a hostile client could send.
json::value NestedSchema(int depth) {
  json::value schema = json::object{{"type", "integer"}};
  for (int i = 0; i < depth; ++i) {
    json::object outer;  // not an initializer list, which would copy the whole inner schema
    outer["items"] = std::move(schema);
    schema = std::move(outer);
  }
  return schema;
}

TEST(JsonSchemaTest, SchemaDepthIsBounded) {
  EXPECT_TRUE(Schema::Compile(NestedSchema(kMaxSchemaDepth - 2)).ok());
  Result<Schema> deep = Schema::Compile(NestedSchema(10'000));  // no stack overflow either
  ASSERT_FALSE(deep.ok());
  EXPECT_EQ(deep.error().message, "output schema /: nested deeper than 64 levels");
}

TEST(JsonSchemaTest, SubschemaCountIsBounded) {
  json::array many;
  for (std::size_t i = 0; i < kMaxSchemaNodes; ++i) many.push_back(json::object{});
  Result<Schema> schema = Schema::Compile(json::object{{"anyOf", std::move(many)}});
  ASSERT_FALSE(schema.ok());
  EXPECT_NE(schema.error().message.find("more than 10000 subschemas"), std::string::npos);
}

TEST(JsonSchemaTest, RefLoopWithoutDescentFailsInsteadOfRecursingForever) {
  const Schema loop = Compiled(R"({"$defs":{"a":{"$ref":"#/$defs/b"},"b":{"$ref":"#/$defs/a"}},
                                   "$ref":"#/$defs/a"})");
  std::optional<std::string> problem = loop.Validate(json::parse("1"));
  ASSERT_TRUE(problem.has_value());
  EXPECT_NE(problem->find("nested deeper than 128 levels"), std::string::npos) << *problem;
  // The bound holds inside a branch too: `not` of a failing loop must not pass.
  const Schema negated = Compiled(R"({"not":{"$ref":"#"}})");
  EXPECT_NE(negated.Validate(json::parse("1")).value_or("valid").find("a $ref loop"),
            std::string::npos);
}

TEST(JsonSchemaTest, ExponentialSchemasRunOutOfStepsInsteadOfTime) {
  // Each level applies the next one twice: 2^40 applications unless bounded.
  json::object defs;
  const int levels = 40;
  for (int i = 0; i < levels; ++i) {
    const std::string next = "#/$defs/l" + std::to_string(i + 1);
    const json::object ref{{"$ref", next}};
    defs["l" + std::to_string(i)] = json::object{{"allOf", json::array{ref, ref}}};
  }
  defs["l" + std::to_string(levels)] = json::object{{"type", "integer"}};
  Result<Schema> schema =
      Schema::Compile(json::object{{"$defs", std::move(defs)}, {"$ref", "#/$defs/l0"}});
  ASSERT_TRUE(schema.ok()) << schema.error().message;
  std::optional<std::string> problem = schema->Validate(json::parse("1"));
  ASSERT_TRUE(problem.has_value());
  EXPECT_NE(problem->find("needs more than 1000000 steps"), std::string::npos) << *problem;
}

json::value Wrapped(json::value inner) {
  json::array outer;
  outer.push_back(std::move(inner));
  return outer;
}

TEST(JsonSchemaTest, InstanceDepthIsBounded) {
  json::value deep = 1;
  for (int i = 0; i < 10'000; ++i) deep = Wrapped(std::move(deep));
  const Schema any = Compiled("{}");
  EXPECT_EQ(any.Validate(deep).value_or("valid"), "/: nested deeper than 64 levels");
  json::value shallow = 1;
  for (int i = 0; i < kMaxInstanceDepth - 1; ++i) shallow = Wrapped(std::move(shallow));
  EXPECT_EQ(any.Validate(shallow).value_or("valid"), "valid");
}

TEST(JsonSchemaTest, ReasonsQuoteAtMostAShortPointer) {
  const std::string key(5000, 'k');
  json::object instance;
  instance[key] = 1;
  std::optional<std::string> problem =
      Compiled(R"({"additionalProperties":false})").Validate(instance);
  ASSERT_TRUE(problem.has_value());
  EXPECT_LT(problem->size(), 200u) << *problem;
}

}  // namespace
}  // namespace switchyard::json_schema
