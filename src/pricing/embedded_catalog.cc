#include "pricing/embedded_catalog.h"

#include <string>
#include <utility>

namespace switchyard::pricing {
namespace {

// The generated file holds adjacent raw string literals, each under 60,000 characters (some
// compilers cap a single literal), which the compiler joins into one array.
constexpr char kCatalogJson[] =
#include "pricing/price_catalog_data.inc"
    ;

struct Loaded {
  PriceCatalog catalog;
  std::string error;
};

const Loaded& Load() {
  static const Loaded loaded = [] {
    Loaded result;
    Result<PriceCatalog> parsed = PriceCatalog::Parse(EmbeddedCatalogJson());
    if (parsed.ok()) {
      result.catalog = std::move(parsed).value();
    } else {
      result.error = parsed.error().message;
    }
    return result;
  }();
  return loaded;
}

}  // namespace

std::string_view EmbeddedCatalogJson() { return {kCatalogJson, sizeof kCatalogJson - 1}; }

const PriceCatalog& EmbeddedCatalog() { return Load().catalog; }

const std::string& EmbeddedCatalogError() { return Load().error; }

}  // namespace switchyard::pricing
