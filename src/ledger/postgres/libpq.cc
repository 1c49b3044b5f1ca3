#include "ledger/postgres/libpq.h"

#include <dlfcn.h>

#include <string>

namespace switchyard::ledger {
namespace {

struct Loaded {
  LibPq functions;
  std::string error;  // empty when every function was found
};

Loaded Load() {
  Loaded loaded;
  // The soname Debian's libpq5 installs (libpq's ABI has been version 5 since PostgreSQL 8.0).
  void* handle = dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* why = dlerror();
    loaded.error = std::string("the PostgreSQL ledger needs libpq (Debian package libpq5): ") +
                   (why != nullptr ? why : "cannot load libpq.so.5");
    return loaded;
  }
#define SWITCHYARD_LIBPQ_LOOKUP(name)                                                           \
  loaded.functions.name = reinterpret_cast<decltype(&::name)>(dlsym(handle, #name));           \
  if (loaded.functions.name == nullptr && loaded.error.empty()) {                               \
    loaded.error = "the installed libpq.so.5 has no " #name ": install a newer libpq5";         \
  }
  SWITCHYARD_LIBPQ_FUNCTIONS(SWITCHYARD_LIBPQ_LOOKUP)
#undef SWITCHYARD_LIBPQ_LOOKUP
  return loaded;  // the handle stays open for the life of the process
}

const Loaded& Library() {
  static const Loaded loaded = Load();  // thread-safe initialisation
  return loaded;
}

}  // namespace

Result<const LibPq*> LoadLibPq() {
  const Loaded& loaded = Library();
  if (!loaded.error.empty()) return Error::Unavailable(loaded.error);
  return &loaded.functions;
}

const LibPq& Pq() { return Library().functions; }

}  // namespace switchyard::ledger
