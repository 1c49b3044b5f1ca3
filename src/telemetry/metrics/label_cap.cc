#include "telemetry/metrics/label_cap.h"

#include <algorithm>
#include <bit>
#include <functional>

namespace switchyard::telemetry::metrics {
namespace {

bool Admissible(std::string_view value) { return value.size() <= LabelCap::kMaxValueBytes; }

// "other", then each distinct admissible configured name: the ids the constructor hands out.
std::size_t DistinctConfigured(const std::vector<std::string>& configured) {
  std::vector<std::string_view> names(configured.begin(), configured.end());
  names.emplace_back(LabelCap::kOtherName);
  std::erase_if(names, [](std::string_view name) { return !Admissible(name); });
  std::sort(names.begin(), names.end());
  return static_cast<std::size_t>(std::unique(names.begin(), names.end()) - names.begin());
}

}  // namespace

LabelCap::LabelCap(const std::vector<std::string>& configured, std::size_t max_extra) {
  const std::size_t fixed = std::min(DistinctConfigured(configured), kMaxIds);
  capacity_ = fixed + std::min(max_extra, kMaxIds - fixed);
  // At most half full, so a probe for an absent value meets an empty slot soon.
  const std::size_t slots = std::bit_ceil(2 * capacity_);
  mask_ = slots - 1;
  names_ = std::make_unique<std::string[]>(capacity_);
  slots_ = std::make_unique<std::atomic<std::uint32_t>[]>(slots);
  for (std::size_t i = 0; i < slots; ++i) slots_[i].store(kEmptySlot, std::memory_order_relaxed);
  Insert(kOtherName, Probe(kOtherName).slot);
  for (const std::string& name : configured) {
    if (size() == fixed) break;
    if (!Admissible(name)) continue;
    const Probed probed = Probe(name);
    if (probed.content == kEmptySlot) Insert(name, probed.slot);
  }
  if (size() == capacity_) full_.store(true, std::memory_order_release);
}

LabelId LabelCap::Intern(std::string_view value) {
  if (!Admissible(value)) return kOther;
  // Loaded before the probe: if the table was frozen by then, an absent value stays absent.
  const bool full = full_.load(std::memory_order_acquire);
  Probed probed = Probe(value);
  if (probed.content != kEmptySlot) return static_cast<LabelId>(probed.content - 1);
  if (full) return kOther;
  std::lock_guard lock(mutex_);
  probed = Probe(value);  // another thread may have admitted it since
  if (probed.content != kEmptySlot) return static_cast<LabelId>(probed.content - 1);
  if (size() == capacity_) return kOther;
  const LabelId id = Insert(value, probed.slot);
  if (size() == capacity_) full_.store(true, std::memory_order_release);
  return id;
}

LabelId LabelCap::Find(std::string_view value) const {
  if (!Admissible(value)) return kOther;
  const Probed probed = Probe(value);
  return probed.content == kEmptySlot ? kOther : static_cast<LabelId>(probed.content - 1);
}

LabelCap::Probed LabelCap::Probe(std::string_view value) const {
  for (std::size_t slot = std::hash<std::string_view>{}(value)&mask_;; slot = (slot + 1) & mask_) {
    // Acquire: pairs with Insert's release, so names_[id] is complete before it is compared.
    const std::uint32_t content = slots_[slot].load(std::memory_order_acquire);
    if (content == kEmptySlot || names_[content - 1] == value) return {slot, content};
  }
}

LabelId LabelCap::Insert(std::string_view value, std::size_t slot) {
  const std::size_t id = size();
  names_[id] = std::string(value);
  slots_[slot].store(static_cast<std::uint32_t>(id + 1), std::memory_order_release);
  count_.store(id + 1, std::memory_order_release);
  return static_cast<LabelId>(id);
}

}  // namespace switchyard::telemetry::metrics
