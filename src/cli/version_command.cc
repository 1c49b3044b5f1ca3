#include <cstdio>

#include "cli/commands.h"

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
  std::printf("price catalog: not included in this build\n");
  return 0;
}

}  // namespace switchyard::cli
