// The inbound codecs, one line per client format.
#include "inbound/inbound_codec.h"

#include "inbound/anthropic/messages_codec.h"
#include "inbound/openai/chat_codec.h"

namespace switchyard::inbound {

const InboundCodec* CodecFor(wire::Format format) {
  static const openai::ChatCodec kOpenAI;
  static const anthropic::MessagesCodec kAnthropic;
  switch (format) {
    case wire::Format::kOpenAI: return &kOpenAI;
    case wire::Format::kAnthropic: return &kAnthropic;
    case wire::Format::kGemini: break;  // no client speaks Gemini to the gateway (yet)
  }
  return nullptr;
}

}  // namespace switchyard::inbound
