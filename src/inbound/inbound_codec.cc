// The inbound codecs, one line per client format.
#include "inbound/inbound_codec.h"

#include "inbound/anthropic/messages_codec.h"
#include "inbound/openai/chat_codec.h"

namespace switchyard::inbound {

const InboundCodec* CodecFor(canonical::Dialect dialect) {
  static const openai::ChatCodec kOpenAI;
  static const anthropic::MessagesCodec kAnthropic;
  switch (dialect) {
    case canonical::Dialect::kOpenAI: return &kOpenAI;
    case canonical::Dialect::kAnthropic: return &kAnthropic;
    case canonical::Dialect::kNone: break;
  }
  return nullptr;
}

}  // namespace switchyard::inbound
