#include "sse/sse_parser.h"

#include <algorithm>
#include <cstring>
#include <string>

namespace switchyard::sse {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";
constexpr std::size_t kNpos = std::string_view::npos;

// Finds line terminators ('\r' or '\n') left to right. Chunks are usually LF-only, so the next CR
// and the next LF are each located with memchr and cached: a chunk without CR costs one failed
// memchr for CR, instead of a two-way comparison on every byte.
class TerminatorFinder {
 public:
  explicit TerminatorFinder(std::string_view text) : text_(text) {}

  // Position of the first '\r' or '\n' at or after `from`, or kNpos.
  std::size_t Next(std::size_t from) {
    if (next_lf_ != kNpos && next_lf_ < from) next_lf_ = Find('\n', from);
    if (next_cr_ != kNpos && next_cr_ < from) next_cr_ = Find('\r', from);
    return next_lf_ < next_cr_ ? next_lf_ : next_cr_;
  }

 private:
  std::size_t Find(char c, std::size_t from) const {
    if (from >= text_.size()) return kNpos;
    const void* hit = std::memchr(text_.data() + from, c, text_.size() - from);
    return hit == nullptr ? kNpos
                          : static_cast<std::size_t>(static_cast<const char*>(hit) - text_.data());
  }

  std::string_view text_;
  // The next LF and CR at or after the last `from`; kNpos once there are no more.
  std::size_t next_lf_ = Find('\n', 0);
  std::size_t next_cr_ = Find('\r', 0);
};

// The value of a field or comment: the text after the colon, minus exactly one leading space.
std::string_view StripOneSpace(std::string_view value) {
  if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  return value;
}

}  // namespace

SseParser::SseParser(std::size_t max_event_bytes) : max_event_bytes_(max_event_bytes) {}

Status SseParser::Fail() {
  failed_ = true;
  return Error::UpstreamProtocol("upstream SSE event exceeds " + std::to_string(max_event_bytes_) +
                                 " bytes");
}

Status SseParser::FeedImpl(std::string_view bytes, EventCallback on_event) {
  if (failed_) return Fail();
  if (!bom_done_) {
    // A BOM is only skipped at the very start of the stream, and may itself be split across chunks.
    while (bom_matched_ < kBom.size() && !bytes.empty() && bytes.front() == kBom[bom_matched_]) {
      ++bom_matched_;
      bytes.remove_prefix(1);
    }
    if (bom_matched_ < kBom.size() && bytes.empty()) return {};  // still a BOM prefix
    bom_done_ = true;
    if (bom_matched_ < kBom.size() && bom_matched_ > 0) {
      // Not a BOM after all: the bytes matched so far are content.
      Status status = FeedBody(kBom.substr(0, bom_matched_), on_event);
      if (!status.ok()) return status;
    }
  }
  return FeedBody(bytes, on_event);
}

Status SseParser::FeedBody(std::string_view bytes, EventCallback on_event) {
  if (bytes.empty()) return {};
  // The second half of a CRLF split across chunks: inside a block it is kept in pending_, so that
  // an event's size does not depend on where the stream was split; after a block's blank line it
  // starts the next block's raw bytes (not counted in its size), so that relaying every event's raw
  // bytes gives back the stream's.
  std::size_t lead = 0;
  if (skip_lf_) {
    skip_lf_ = false;
    if (bytes.front() == '\n') {
      if (pending_.empty()) {
        lead = 1;
      } else {
        if (!Stash("\n")) return Fail();
        bytes.remove_prefix(1);
      }
    }
  }
  if (!pending_.empty()) {
    std::size_t consumed = FeedPending(bytes, on_event);
    if (failed_) return Fail();
    bytes.remove_prefix(consumed);
    if (bytes.empty()) return {};
  }

  // Fast path: pending_ is empty and `bytes` starts at a line start. Fields are views into `bytes`.
  TerminatorFinder finder(bytes);
  std::size_t pos = lead;
  std::size_t block_start = 0;
  ResetBlock();
  while (pos < bytes.size()) {
    std::size_t term = finder.Next(pos);
    if (term == kNpos) break;  // an incomplete line
    std::size_t next = term + 1;
    if (bytes[term] == '\r') {
      if (next == bytes.size()) {
        skip_lf_ = true;
      } else if (bytes[next] == '\n') {
        ++next;
      }
    }
    if (term == pos) {  // a blank line ends the block
      if (term - std::max(block_start, lead) > max_event_bytes_) return Fail();
      Dispatch(on_event, bytes.substr(block_start, next - block_start));
      ResetBlock();
      block_start = next;
    } else {
      ProcessLine(bytes.substr(pos, term - pos));
    }
    pos = next;
  }
  if (block_start < bytes.size()) {
    // The block continues in a later chunk: keep its raw bytes and re-parse them once complete.
    at_line_start_ = pos == bytes.size();
    if (!Stash(bytes.substr(block_start))) return Fail();
  } else {
    at_line_start_ = true;
  }
  return {};
}

// pending_ holds the start of a block. Looks for the blank line that ends it in `bytes`; when
// found, completes the block in pending_, parses and dispatches it, and returns the number of bytes
// of `bytes` consumed (through the blank line). Otherwise stashes all of `bytes`. Sets failed_ when
// the block grows past the limit.
std::size_t SseParser::FeedPending(std::string_view bytes, EventCallback on_event) {
  TerminatorFinder finder(bytes);
  std::size_t pos = 0;
  while (true) {
    std::size_t term = finder.Next(pos);
    if (term == kNpos) {
      if (pos < bytes.size()) at_line_start_ = false;
      if (!Stash(bytes)) failed_ = true;
      return bytes.size();
    }
    std::size_t next = term + 1;
    if (bytes[term] == '\r') {
      if (next == bytes.size()) {
        skip_lf_ = true;
      } else if (bytes[next] == '\n') {
        ++next;
      }
    }
    if (term == pos && at_line_start_) {
      if (!Stash(bytes.substr(0, term))) {
        failed_ = true;
        return bytes.size();
      }
      // The blank line's own terminator belongs to the raw event, outside the size bound.
      const std::size_t block_bytes = pending_.size();
      pending_.append(bytes.substr(term, next - term));
      ResetBlock();
      ParseLines(std::string_view(pending_).substr(0, block_bytes),
                 /*last_line_may_be_open=*/false);
      Dispatch(on_event, pending_);
      ResetBlock();
      pending_.clear();
      at_line_start_ = true;
      return next;
    }
    at_line_start_ = true;
    pos = next;
  }
}

void SseParser::FinishImpl(EventCallback on_event) {
  if (!failed_) {
    if (!bom_done_ && bom_matched_ > 0) {
      bom_done_ = true;
      Status ignored = FeedBody(kBom.substr(0, bom_matched_), on_event);
      (void)ignored;
    }
    if (!pending_.empty() && !failed_) {
      ResetBlock();
      ParseLines(pending_, /*last_line_may_be_open=*/true);
      if (has_data_) Dispatch(on_event, pending_);
    }
  }
  pending_.clear();
  ResetBlock();
  at_line_start_ = true;
  skip_lf_ = false;
  bom_matched_ = 0;
  bom_done_ = false;
  failed_ = false;
}

bool SseParser::Stash(std::string_view bytes) {
  if (bytes.size() > max_event_bytes_ || pending_.size() > max_event_bytes_ - bytes.size()) {
    return false;
  }
  pending_.append(bytes);
  return true;
}

// Parses the lines of a block that has no blank line in it. Every line ends with a terminator
// unless `last_line_may_be_open`.
void SseParser::ParseLines(std::string_view text, bool last_line_may_be_open) {
  TerminatorFinder finder(text);
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t term = finder.Next(pos);
    if (term == kNpos) {
      if (last_line_may_be_open) ProcessLine(text.substr(pos));
      return;
    }
    if (term > pos) ProcessLine(text.substr(pos, term - pos));
    pos = term + 1;
    if (text[term] == '\r' && pos < text.size() && text[pos] == '\n') ++pos;
  }
}

void SseParser::ProcessLine(std::string_view line) {
  if (line.front() == ':') {
    if (!has_comment_) {
      comment_ = StripOneSpace(line.substr(1));
      has_comment_ = true;
    }
    return;
  }
  std::size_t colon = line.find(':');
  std::string_view name = line.substr(0, colon);
  std::string_view value =
      colon == kNpos ? std::string_view() : StripOneSpace(line.substr(colon + 1));
  if (name == "data") {
    if (!has_data_) {
      data_ = value;
      has_data_ = true;
    } else {
      if (!data_in_buf_) {
        data_buf_.assign(data_);
        data_in_buf_ = true;
      }
      data_buf_ += '\n';
      data_buf_ += value;
      data_ = data_buf_;
    }
  } else if (name == "event") {
    event_ = value;
    has_event_ = true;
  } else if (name == "id") {
    id_ = value;
  }
  // `retry` and unknown fields are ignored.
}

void SseParser::Dispatch(EventCallback on_event, std::string_view raw) {
  if (has_data_ || has_event_) {
    on_event(Event{event_, data_, id_, false, raw});
  } else if (has_comment_) {
    on_event(Event{{}, comment_, id_, true, raw});
  }
}

void SseParser::ResetBlock() {
  data_buf_.clear();
  event_ = {};
  data_ = {};
  id_ = {};
  comment_ = {};
  has_data_ = false;
  has_event_ = false;
  has_comment_ = false;
  data_in_buf_ = false;
}

}  // namespace switchyard::sse
