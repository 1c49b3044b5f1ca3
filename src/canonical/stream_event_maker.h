// The short way to make a canonical stream event, for the adapters' stream decoders: most events
// carry only a kind, a text and a tool-call ordinal.
#pragma once

#include <string>
#include <utility>

#include "canonical/chat.h"

namespace switchyard::canonical {

inline StreamEvent Event(StreamEvent::Kind kind, std::string text = {}, int index = 0) {
  StreamEvent event;
  event.kind = kind;
  event.text = std::move(text);
  event.index = index;
  return event;
}

}  // namespace switchyard::canonical
