// The Lua scripts of RedisCounterStore (redis_counter_store.h), one per operation, each atomic on
// the server. Their arithmetic mirrors gcra.h and MemoryCounterStore, so one gateway and several
// count the same way. Money is summed in Lua's doubles, exact below 2^53 nano-dollars ($9 million
// per scope and period); what is stored is HINCRBY's exact integers.
#pragma once

#include "redis/script.h"

namespace switchyard::governance {

// KEYS: the limits' keys. ARGV: "take" or "add", then per key its per-minute figure and amount.
// Returns { refused (1-based; 0: none), retry_after_ms, then per key remaining, reset_ms }.
const redis::Script& RateScript();

// KEYS: per budget its spend, reservations and amounts keys. ARGV: id, nanos, ttl_ms, then per
// budget limit, hard (1|0), first day, end day (-1: total). Returns { refused (1-based; 0: none),
// committed (of the refused budget), then the 1-based indexes of the soft budgets passed }.
const redis::Script& ReserveScript();

// KEYS: per reserved scope its three keys, then the spend key of every spend scope. ARGV: id, the
// number of reserved scopes, actual nanos, day. Returns 1.
const redis::Script& SettleScript();

// KEYS: a spend key. ARGV: first day, end day (-1: total). Returns the spend.
const redis::Script& SpentScript();

}  // namespace switchyard::governance
