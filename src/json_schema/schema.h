// Schema: a compiled JSON Schema of the subset that structured outputs use (OpenAI's strict
// json_schema, Anthropic's output schemas), to check an answer against the schema its request
// asked for. The schema comes from the client's request, so compiling and validating are bounded:
// neither a hostile schema nor a hostile answer can recurse without end, blow the stack or run
// for long (the k* constants below; README "accept:").
//
// Keywords: type (a name or a list; integer = a number without fraction), properties, required,
// additionalProperties (bool or schema), items, prefixItems, enum, const, anyOf, allOf, oneOf,
// not, $ref to a local pointer (#, #/$defs/..., #/definitions/...), minLength/maxLength (code
// points), pattern (regex/: RE2 syntax, searched unanchored as JSON Schema says),
// minimum/maximum/exclusiveMinimum/exclusiveMaximum, multipleOf, minItems/maxItems, uniqueItems,
// minProperties/maxProperties, and the boolean schemas true and false. Annotations (title,
// description, default, examples, format, $schema, $id, $comment, strict, ...) and unknown
// keywords are ignored, as JSON Schema says; assertion keywords outside the subset
// (patternProperties, if/then/else, contains, ...) are refused at compile, so that a schema is
// never checked more loosely than it reads.
//
// A Schema is immutable and cheap to copy (it shares its compiled nodes); Validate may run on any
// thread at once.
#pragma once

#include <boost/json/value.hpp>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>

#include "core/result.h"

namespace switchyard::json_schema {

// The deepest JSON nesting of a schema document Compile accepts.
inline constexpr int kMaxSchemaDepth = 64;
// The most subschemas one schema may compile to ($ref targets counted once each).
inline constexpr std::size_t kMaxSchemaNodes = 10'000;
// The most `pattern` keywords one schema may hold (each is an RE2 program with its own budget).
inline constexpr std::size_t kMaxSchemaPatterns = 64;
// The deepest instance (answer) Validate descends into; deeper is a validation failure.
inline constexpr int kMaxInstanceDepth = 64;
// How many subschemas may be applied inside one another while validating ($ref chains and
// applicators counted with the instance's levels); more is a failure, which also ends a $ref loop
// that never descends into the instance (`{"$ref": "#"}`).
inline constexpr int kMaxEvaluationDepth = 128;
// The most subschema applications (and uniqueItems comparisons) one validation may take: nested
// anyOf/allOf over $refs can otherwise ask for exponential work.
inline constexpr std::size_t kMaxValidationSteps = 1'000'000;

struct Graph;  // the compiled nodes (schema_node.h)

class Schema {
 public:
  // Compiles `schema` (an object or a boolean). Errors are kInvalidRequest naming the keyword and
  // its JSON pointer in the schema, e.g. "output schema /properties/name/pattern: does not
  // compile: missing ): (a", "output schema /items/$ref: '#/$defs/x' does not resolve".
  static Result<Schema> Compile(const boost::json::value& schema);

  // nullopt when `instance` is valid; else the first problem found, in a few words with the
  // instance's JSON pointer ("/items/0/age: expected integer"; the root is "/"). The pointer is cut
  // to about 100 bytes, so a reason never quotes much of the instance.
  std::optional<std::string> Validate(const boost::json::value& instance) const;

 private:
  explicit Schema(std::shared_ptr<const Graph> graph) : graph_(std::move(graph)) {}
  std::shared_ptr<const Graph> graph_;
};

}  // namespace switchyard::json_schema
