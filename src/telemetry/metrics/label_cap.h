// LabelCap: the values one metric label may take, each with a small integer id, so that a series
// is keyed by a tuple of ids and the number of series is bounded by the product of the caps.
//
// The configured names (routes, providers, models named in the config) are admitted up front; up to
// `max_extra` more (models served from the catalog) are admitted on first use; every value past
// that, or longer than kMaxValueBytes, gets kOther and is rendered as "other". A value literally
// named "other" shares that id.
//
// Thread-safe. Intern() is lock-free for every value already admitted and, once the cap is full,
// for every value at all: the table is insert-only and never resized, so a reader probes slots with
// acquire loads and sees a name that a writer stored before its release store of the slot. Only the
// first sight of a new value while there is room takes the mutex.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace switchyard::telemetry::metrics {

using LabelId = std::uint16_t;

class LabelCap {
 public:
  static constexpr LabelId kOther = 0;
  static constexpr std::string_view kOtherName = "other";
  // A client-chosen model name must not make a scrape arbitrarily large.
  static constexpr std::size_t kMaxValueBytes = 128;
  // Ids pack into 16 bits of a series key (sharded_series.h); 0xFFFF is left free for its marker.
  static constexpr std::size_t kMaxIds = 0xFFFF;

  // Duplicates and over-long names among `configured` are dropped; configured names beyond kMaxIds
  // (and `max_extra` beyond what is left) are cut, so ids always fit a LabelId.
  LabelCap(const std::vector<std::string>& configured, std::size_t max_extra);

  LabelCap(const LabelCap&) = delete;
  LabelCap& operator=(const LabelCap&) = delete;

  // The id of `value`, admitting it if there is room; kOther when not.
  LabelId Intern(std::string_view value);
  // The id of `value` if admitted already, else kOther; never admits (for values not to be counted
  // as catalog models, e.g. a name a client made up).
  LabelId Find(std::string_view value) const;

  // The label value of an id below size().
  std::string_view Name(LabelId id) const { return names_[id]; }
  // Ids handed out so far: [0, size()). Grows up to capacity().
  std::size_t size() const { return count_.load(std::memory_order_acquire); }
  // The most ids there will ever be, "other" included: the bound a series count is multiplied by.
  std::size_t capacity() const { return capacity_; }

 private:
  static constexpr std::uint32_t kEmptySlot = 0;  // a slot holds id + 1

  struct Probed {
    std::size_t slot;
    std::uint32_t content;  // id + 1, or kEmptySlot: loaded once, as a writer may fill it next
  };
  // The slot holding `value`, or the empty slot where it would go.
  Probed Probe(std::string_view value) const;
  // Adds `value` as the next id; the caller holds mutex_ (or is the constructor) and checked room.
  LabelId Insert(std::string_view value, std::size_t slot);

  std::size_t capacity_;
  std::size_t mask_;
  std::unique_ptr<std::string[]> names_;                 // by id; written before publication
  std::unique_ptr<std::atomic<std::uint32_t>[]> slots_;  // open addressing, linear probing
  std::atomic<std::size_t> count_{0};
  std::atomic<bool> full_{false};  // set (release) after the last insert: the table is frozen
  std::mutex mutex_;               // serialises inserts only
};

}  // namespace switchyard::telemetry::metrics
