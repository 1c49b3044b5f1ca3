// SseParser: an incremental Server-Sent Events parser for upstream response streams (WHATWG
// "event stream interpretation", with the leniencies listed in wire-formats.md section 0).
//
// Bytes are fed as they arrive; each complete event is handed to a callback as views. An event that
// lies entirely within one fed chunk is reported without copying; only an event that spans chunks
// is copied, into a buffer the parser owns and reuses. Multi-line `data:` is joined into another
// reused buffer. After warm-up, parsing allocates nothing.
//
// Ownership: the parser owns its buffers and never keeps a view into a chunk after Feed returns.
// Thread-safety: none; one parser per stream, used from one strand. Not reentrant: do not call Feed
// or Finish from inside the callback.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>

#include "core/result.h"

namespace switchyard::sse {

// One dispatched event. The views are valid only during the callback that receives it; copy what
// must outlive it.
struct Event {
  std::string_view event;   // the `event:` field (last one wins); empty when absent
  std::string_view data;    // the `data:` lines joined with '\n'; trailing whitespace kept
  std::string_view id;      // the `id:` field; empty when absent
  bool is_comment = false;  // a block with comments but no data or event field; `data` then holds
                            // the first comment line without the ':' and one leading space
  // The block's bytes as they came, every line and its terminator, through the blank line that
  // ended it: a relay that does not change the event sends these, so that `id:`, `retry:`,
  // comments, multi-line data and CRLF survive. Relaying every dispatched event's raw gives back
  // the stream without its BOM and its empty blocks (blank lines that end no field). The LF of a
  // CRLF blank line split across chunks arrives after dispatch: it starts the next event's raw. An
  // event dispatched by Finish may lack its blank line.
  std::string_view raw;
};

// A non-owning reference to a callable taking `const Event&` (like std::function_ref): two
// pointers, no allocation. Valid only while the referenced callable lives.
class EventCallback {
 public:
  template <class F>
    requires(!std::is_same_v<std::remove_cvref_t<F>, EventCallback>)
  EventCallback(F& callable)  // NOLINT: implicit on purpose
      : object_(const_cast<void*>(static_cast<const void*>(std::addressof(callable)))),
        invoke_([](void* object, const Event& event) { (*static_cast<F*>(object))(event); }) {}

  void operator()(const Event& event) const { invoke_(object_, event); }

 private:
  void* object_;
  void (*invoke_)(void*, const Event&);
};

class SseParser {
 public:
  static constexpr std::size_t kDefaultMaxEventBytes = std::size_t{16} << 20;

  // `max_event_bytes` bounds one event's raw size (its lines and their terminators, not counting
  // the blank line that ends it), and so the memory the parser may buffer.
  explicit SseParser(std::size_t max_event_bytes = kDefaultMaxEventBytes);

  SseParser(const SseParser&) = delete;
  SseParser& operator=(const SseParser&) = delete;

  // Parses `bytes`, calling on_event(const Event&) for each event completed by them, in order.
  // Success: every complete event was dispatched and the tail is buffered for the next call.
  // Failure: Error::UpstreamProtocol when one event exceeds max_event_bytes; events before it were
  // dispatched, and every later Feed returns the same error until Finish resets the parser.
  // `bytes` need only live for the duration of the call.
  template <class F>
  Status Feed(std::string_view bytes, F&& on_event) {
    return FeedImpl(bytes, EventCallback(on_event));
  }

  // At end of stream: dispatches a pending event that has data but no terminating blank line
  // (some upstreams close right after the last line; an unterminated last line counts as a line),
  // drops any other partial block, then resets the parser to its initial state.
  template <class F>
  void Finish(F&& on_event) {
    FinishImpl(EventCallback(on_event));
  }

 private:
  Status FeedImpl(std::string_view bytes, EventCallback on_event);
  Status FeedBody(std::string_view bytes, EventCallback on_event);
  std::size_t FeedPending(std::string_view bytes, EventCallback on_event);
  void FinishImpl(EventCallback on_event);

  bool Stash(std::string_view bytes);
  void ParseLines(std::string_view text, bool last_line_may_be_open);
  void ProcessLine(std::string_view line);
  void Dispatch(EventCallback on_event, std::string_view raw);
  void ResetBlock();
  Status Fail();

  const std::size_t max_event_bytes_;

  // Stream state between Feed calls.
  std::string pending_;          // raw bytes of the incomplete block, when it spans chunks
  bool at_line_start_ = true;    // the last byte consumed ended a line
  bool skip_lf_ = false;         // the last byte consumed was '\r': a leading '\n' belongs to it
  std::size_t bom_matched_ = 0;  // bytes of a leading UTF-8 BOM seen so far
  bool bom_done_ = false;        // past the point where a BOM may appear
  bool failed_ = false;

  // The block being parsed; views point into the fed chunk, pending_ or data_buf_.
  std::string data_buf_;  // joined multi-line data
  std::string_view event_;
  std::string_view data_;
  std::string_view id_;
  std::string_view comment_;
  bool has_data_ = false;
  bool has_event_ = false;
  bool has_comment_ = false;
  bool data_in_buf_ = false;
};

}  // namespace switchyard::sse
