#include <cstdio>

#include "cli/commands.h"
#include "pricing/embedded_catalog.h"

namespace switchyard::cli {

int Version() {
  std::printf("switchyard %s\n", SWITCHYARD_VERSION);
  std::printf("build: %s, g++ %d.%d, %s\n", __DATE__, __GNUC__, __GNUC_MINOR__,
#ifdef NDEBUG
              "optimised"
#else
              "debug"
#endif
  );
  const pricing::PriceCatalog& catalog = pricing::EmbeddedCatalog();
  std::printf("price catalog: %zu models, %s\n", catalog.size(), catalog.Describe().c_str());
  return 0;
}

}  // namespace switchyard::cli
