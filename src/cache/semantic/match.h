// Match: what a semantic lookup finds — the entry whose vector is nearest the query's, and how near.
// A plain value; the entry's answer itself lives in the CacheStore under `entry`.
#pragma once

#include "cache/digest.h"

namespace switchyard::cache::semantic {

struct Match {
  Digest entry;
  float similarity = 0;  // cosine similarity, in [-1, 1]
};

}  // namespace switchyard::cache::semantic
